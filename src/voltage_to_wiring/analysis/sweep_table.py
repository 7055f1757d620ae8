"""A sweep's table: the swept values and the statistics of every grid point (CSV)."""

import csv
import io
import json
import sys
from pathlib import Path

from .. import units
from .stats import COLUMNS


def read_points(path):
    """A sweep's grid points, ``[[experiment, {key: value}], ...]``, from a JSON file or
    ``-`` (stdin, as the workflow hands them on)."""
    return json.loads(sys.stdin.read() if str(path) == "-" else Path(path).read_text())


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


# The evaluation metrics a sweep table shows per method, in order (columns "METHOD METRIC").
METRICS = (
    "auc",
    "auc_exc",
    "auc_inh",
    "auc_detection",
    "max_f1",
    "tpr_at_fpr_0.05",
    "precision",
    "recall",
    "seconds",
)


def rows(points, stats_files=None, evaluation_files=None):
    """One row per grid point: experiment, swept values (as written and in SI), statistics
    (of points with a simulation of their own) and evaluation metrics per method (of points
    with an inference).

    ``points`` is ``[(experiment, {key: value}), ...]`` (see ``config.sweep_points``);
    ``stats_files`` and ``evaluation_files`` map experiments to their JSON files.
    """
    table = []
    for name, values in points:
        row = {"experiment": name}
        for key, value in values.items():
            row[key] = value
            row[f"{key} (SI)"] = _si(value)
        if stats_files:
            summary = json.loads(Path(stats_files[name]).read_text())
            row.update({c: summary[c] for c in COLUMNS})
        if evaluation_files:
            evaluation = json.loads(Path(evaluation_files[name]).read_text())
            for method, metrics in evaluation["methods"].items():
                row.update({f"{method} {m}": metrics[m] for m in METRICS})
        table.append(row)
    return table


def _si(value):
    """A swept value as a number in SI units (a quantity string), or as it is; ``inf`` (no
    imaging noise) is a number too."""
    if isinstance(value, str) and value.strip().lower() == "inf":
        return float("inf")
    if not isinstance(value, str):
        return value
    try:
        return units.parse_quantity(value, str(_base(value)))
    except Exception:  # noqa: BLE001 - a value that is not a quantity stays as written
        return value


def _base(value):
    return units.registry().Quantity(value).to_base_units().units


def as_written(values):
    """The swept values as numbers in the unit they are written in, and that unit, when they
    all share one (``["2 ms", "8 ms"]`` -> ``[2.0, 8.0], "ms"``); else None."""
    numbers, unit = [], None
    for value in values:
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            numbers.append(float(value))
            continue
        if isinstance(value, str) and value.strip().lower() == "inf":
            numbers.append(float("inf"))
            continue
        try:
            quantity = units.registry().Quantity(value)
        except Exception:  # noqa: BLE001 - not a quantity: not a number either
            return None
        text = format(quantity.units, "~")
        if unit not in (None, text):
            return None
        unit = text
        numbers.append(float(quantity.magnitude))
    return numbers, unit or ""


def to_csv(table):
    """CSV text of a table of rows (dicts with the same keys)."""
    text = io.StringIO()
    writer = csv.DictWriter(text, fieldnames=list(table[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(table)
    return text.getvalue()
