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


def si_unit(value):
    """The SI unit of a swept value as written (``"2 ms"`` -> ``"s"``); "1" for numbers."""
    try:
        return format(_base(value), "~") or "1"
    except Exception:  # noqa: BLE001 - plain numbers are dimensionless
        return "1"


def to_csv(table):
    """CSV text of a table of rows (dicts with the same keys)."""
    text = io.StringIO()
    writer = csv.DictWriter(text, fieldnames=list(table[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(table)
    return text.getvalue()
