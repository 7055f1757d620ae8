"""A sweep's outputs: a table of statistics against the swept values, and its summary figure."""

import csv
import io
import json
from pathlib import Path

import numpy as np
from matplotlib.figure import Figure

from . import units
from .stats import COLUMNS

LABELS = {
    "mean_rate_hz": "mean rate (Hz)",
    "cv_isi_mean": "mean CV of ISIs",
    "synchrony_chi": "synchrony chi",
    "fraction_silent": "fraction silent",
    "n_spikes": "spikes",
}


def read_csv(path):
    """A table written by :func:`to_csv`, numbers parsed back."""
    with open(path) as file:
        return [{k: _number(v) for k, v in row.items()} for row in csv.DictReader(file)]


def _number(text):
    if text == "":
        return None
    try:
        return int(text)
    except ValueError:
        try:
            return float(text)
        except ValueError:
            return text


def rows(points, stats_files):
    """One row per grid point: experiment, swept values (as written and in SI), statistics.

    ``points`` is ``[(experiment, {key: value}), ...]`` (see ``config.sweep_points``) and
    ``stats_files`` maps each experiment to its statistics JSON.
    """
    table = []
    for name, values in points:
        summary = json.loads(Path(stats_files[name]).read_text())
        row = {"experiment": name}
        for key, value in values.items():
            row[key] = value
            row[f"{key} (SI)"] = _si(value)
        row.update({c: summary[c] for c in COLUMNS})
        table.append(row)
    return table


def _si(value):
    """A swept value as a number in SI units (a quantity string), or as it is."""
    if not isinstance(value, str):
        return value
    try:
        return units.parse_quantity(value, str(_base(value)))
    except Exception:  # noqa: BLE001 - a value that is not a quantity stays as written
        return value


def _base(value):
    return units.registry().Quantity(value).to_base_units().units


def to_csv(table):
    """CSV text of a table of rows (dicts with the same keys)."""
    text = io.StringIO()
    writer = csv.DictWriter(text, fieldnames=list(table[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(table)
    return text.getvalue()


def summary_figure(sweep, keys, table):
    """Each statistic against the first swept key, one line per value of the other keys."""
    first, others = keys[0], keys[1:]
    x_values = [row[f"{first} (SI)"] for row in table]
    numeric = all(isinstance(x, (int, float)) for x in x_values)
    fig = Figure(figsize=(9, 6), layout="constrained")
    groups = {}
    for row in table:
        groups.setdefault(tuple(row[k] for k in others), []).append(row)
    for ax, column in zip(fig.subplots(2, 2).ravel(), COLUMNS[:4], strict=True):
        for label, group in groups.items():
            xs = [r[f"{first} (SI)"] if numeric else str(r[first]) for r in group]
            ys = [np.nan if r[column] is None else r[column] for r in group]
            ax.plot(
                xs,
                ys,
                "o-",
                label=", ".join(f"{k}={v}" for k, v in zip(others, label, strict=True)) or None,
            )
        ax.set(
            xlabel=f"{first}" + (f" ({_unit(table[0][first])})" if numeric else ""),
            ylabel=LABELS[column],
        )
        if others:
            ax.legend(fontsize="x-small", frameon=False)
    fig.suptitle(f"sweep {sweep}: statistics against {first}")
    return fig


def _unit(value):
    try:
        return format(_base(value), "~") or "1"
    except Exception:  # noqa: BLE001 - plain numbers are dimensionless
        return "1"
