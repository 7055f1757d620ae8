"""A sweep's table: the swept values and the statistics of every grid point (CSV); with
replicates (e.g. seeds), one row per grid point with the mean of each number over the
replicates and its 95 % interval (Student's t)."""

import csv
import io
import json
import math
import statistics
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
    "tpr_at_fpr_0.01",
    "tpr_at_fpr_0.05",
    "tpr_exc_at_fpr_0.05",
    "precision",
    "recall",
    "false_positive_rate",
    "mcc",
    "called_excitatory",
    "called_inhibitory",
    "seconds",
)
# Shown only where the evaluation has them: with shadows (inference.shadows), and where
# unconnected neurons share input with the recorded one (a recurrent network).
GROUP_METRICS = (
    "fpr_shadows_exc",
    "fpr_shadows_inh",
    "fpr_independent",
    "fpr_shared_input",
    "fpr_no_shared_input",
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
                shown = METRICS + tuple(m for m in GROUP_METRICS if m in metrics)
                row.update({f"{method} {m}": metrics.get(m) for m in shown})  # None: undefined
                for m, (low, high) in _intervals(metrics):
                    row[f"{method} {m} {BOOTSTRAP[0]}"] = low
                    row[f"{method} {m} {BOOTSTRAP[1]}"] = high
        table.append(row)
    return table


# The columns of a point's own 95 % bootstrap interval of an AUC (over its pairs): shown
# where a point has one replicate; over replicates, the interval is the replicates' (t).
BOOTSTRAP = ("bootstrap low", "bootstrap high")


def _intervals(metrics):
    """(metric, (low, high)) of each AUC with a bootstrap interval in an evaluation."""
    for metric, bounds in (metrics.get("interval") or {}).items():
        yield metric, (None, None) if bounds is None else tuple(bounds)


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


def aggregate(table, keys, replicates):
    """One row per grid point of a table of :func:`rows` whose ``replicates`` keys (of the
    swept ``keys``) repeat each point: the grid values, ``replicates`` (how many), each
    replicate key's values, and for every number its mean (``X``), standard deviation
    (``X sd``), 95 % interval of the mean (``X ci95 low``, ``X ci95 high``: Student's t with
    n - 1 degrees of freedom) and the values themselves (``X values``, ;-separated, in
    replicate order). A number missing from some replicates is averaged over the others; an
    interval needs two values, else it is left empty."""
    grid = [k for k in keys if k not in replicates]
    groups = {}
    for row in table:
        groups.setdefault(tuple(str(row[k]) for k in grid), []).append(row)
    out = []
    for rows_ in groups.values():
        first = rows_[0]
        row = {"experiments": ";".join(r["experiment"] for r in rows_)}
        for key in grid:
            row[key], row[f"{key} (SI)"] = first[key], first[f"{key} (SI)"]
        row["replicates"] = len(rows_)
        for key in replicates:
            row[f"{key} values"] = ";".join(str(r[key]) for r in rows_)
        swept = {"experiment", *keys, *(f"{k} (SI)" for k in keys)}
        own = tuple(f" {b}" for b in BOOTSTRAP)  # one point's own: not averaged
        for column in (c for c in first if c not in swept and not c.endswith(own)):
            row.update(_summary(column, [r[column] for r in rows_]))
        out.append(row)
    return out


def _summary(column, values):
    numbers = [v for v in values if isinstance(v, (int, float)) and not isinstance(v, bool)]
    if len(numbers) != len([v for v in values if v is not None]):  # text: kept as it is
        return {column: ";".join(str(v) for v in values)}
    low = high = sd = None
    mean = statistics.fmean(numbers) if numbers else None
    if len(numbers) >= 2 and all(math.isfinite(x) for x in numbers):
        from scipy.stats import t  # imported only where an interval is made

        sd = statistics.stdev(numbers)
        half = t.ppf(0.975, len(numbers) - 1) * sd / math.sqrt(len(numbers))
        low, high = mean - half, mean + half
    return {
        column: mean,
        f"{column} sd": sd,
        f"{column} ci95 low": low,
        f"{column} ci95 high": high,
        f"{column} values": ";".join("" if v is None else repr(v) for v in values),
    }


def markdown(table, columns=None):
    """A Markdown table of the swept values and ``columns`` (default: each method's ``auc``,
    else the statistics), each a mean with its 95 % interval where the table has them."""
    first = table[0]
    swept = [c.removesuffix(" (SI)") for c in first if c.endswith(" (SI)")]
    if not columns:
        columns = [c for c in first if c.endswith(" auc")] or [c for c in COLUMNS if c in first]
    lines = [
        "| " + " | ".join([*swept, *columns]) + " |",
        "|" + "---|" * (len(swept) + len(columns)),
    ]
    for row in table:
        cells = [str(row[k]) for k in swept] + [_cell(row, c) for c in columns]
        lines.append("| " + " | ".join(cells) + " |")
    if "replicates" in first:
        lines.append(f"\nmean [95 % interval] over {first['replicates']} replicates")
    return "\n".join(lines)


def _cell(row, column):
    value = row.get(column)
    if value is None or value == "":
        return "undefined"
    if not isinstance(value, (int, float)):
        return str(value)
    low, high = row.get(f"{column} ci95 low"), row.get(f"{column} ci95 high")
    if isinstance(low, (int, float)) and isinstance(high, (int, float)):
        return f"{value:.2f} [{low:.2f}, {high:.2f}]"
    return f"{value:.3g}"
