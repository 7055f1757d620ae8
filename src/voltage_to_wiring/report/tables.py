"""Report tables: one row per experiment (statistics), one per experiment and inference
method (evaluation), written as CSV (every digit) and as an HTML page (the report shows it).

A score that is undefined (``None`` in the JSON: no connected, or no unconnected, train to
count) is an empty cell, never a number; so is one that does not apply (the true-wiring
scores of a recording without its truth, a population's rate in a network without
populations).
"""

import csv
import html
import io
import json
import math
from pathlib import Path

from ..analysis import sweep_table
from ..errors import ConfigError

# Statistics columns: (column, path into results/stats/{experiment}.json).
STATISTICS = (
    ("n_neurons", ("n_neurons",)),
    ("duration_s", ("duration_s",)),
    ("n_spikes", ("n_spikes",)),
    ("mean_rate_hz", ("mean_rate_hz",)),
    ("rate_median_hz", ("rate_distribution_hz", "percentiles", "50")),
    ("rate_p95_hz", ("rate_distribution_hz", "percentiles", "95")),
    ("fraction_silent", ("fraction_silent",)),
    ("cv_isi_mean", ("cv_isi_mean",)),
    ("cv_isi_neurons", ("cv_isi_neurons",)),
    ("synchrony_chi", ("synchrony_chi",)),
    ("population_rate_cv", ("population_rate_cv",)),
    ("in_degree_mean", ("degrees", "in", "mean")),
    ("out_degree_mean", ("degrees", "out", "mean")),
)
# Evaluation columns per method, in order: a sweep table's (see voltage_to_wiring.inference.
# evaluate), with the calls after the false discovery rate's control instead of the computing
# time; each AUC with an interval is followed by its 95 % bootstrap interval's bounds.
METRICS = (
    *(m for m in sweep_table.METRICS if m != "seconds"),
    "called_excitatory_fdr",
    "called_inhibitory_fdr",
)
INTERVAL = ("bootstrap low", "bootstrap high")
PAIRS = ("tested", "excitatory", "inhibitory", "unconnected")
MISSING = object()  # a column a row does not have: an empty cell, like None


def _read(path):
    """A statistics or evaluation file; one that is not whole JSON stops with one line."""
    try:
        data = json.loads(Path(path).read_text())
        if not isinstance(data, dict) or "experiment" not in data:
            raise ValueError
    except (OSError, UnicodeDecodeError, ValueError):
        raise ConfigError(
            f"{path} is not a statistics or evaluation file of the pipeline (missing, "
            "truncated or another file?): remove it and rerun the step that makes it"
        ) from None
    return data


def _get(data, keys):
    for key in keys:
        if not isinstance(data, dict) or key not in data:
            return None
        data = data[key]
    return data


def statistics_rows(paths):
    """One row per statistics file (results/stats/{experiment}.json), in the given order:
    the experiment, :data:`STATISTICS`, and each population's mean rate and fraction of
    silent neurons (``exc mean_rate_hz``...) where the network has populations."""
    rows = []
    for path in paths:
        summary = _read(path)
        row = {"experiment": summary["experiment"]}
        row.update({column: _get(summary, keys) for column, keys in STATISTICS})
        for name, population in (summary.get("populations") or {}).items():
            row[f"{name} mean_rate_hz"] = population.get("mean_hz")
            row[f"{name} fraction_silent"] = population.get("fraction_silent")
        rows.append(row)
    return rows


def evaluation_rows(paths):
    """One row per experiment and method of evaluation files
    (results/evaluation/{experiment}.json): the experiment, whether its true wiring is known,
    the method, :data:`METRICS` (each AUC with its 95 % bootstrap interval), the pairs
    tested per true type and the method's computing time (s)."""
    rows = []
    for path in paths:
        evaluation = _read(path)
        for method, metrics in evaluation["methods"].items():
            row = {
                "experiment": evaluation["experiment"],
                "truth": "yes" if evaluation.get("truth") else "no",
                "method": method,
            }
            intervals = metrics.get("interval") or {}
            for metric in METRICS:
                row[metric] = metrics.get(metric, MISSING)
                if metric in intervals:
                    bounds = intervals[metric] or (None, None)
                    row.update({f"{metric} {b}": v for b, v in zip(INTERVAL, bounds, strict=True)})
            pairs = metrics.get("pairs") or {}
            row.update({f"pairs {kind}": pairs.get(kind, MISSING) for kind in PAIRS})
            row["seconds"] = metrics.get("seconds")
            rows.append(row)
    return rows


def columns(rows):
    """The columns of ``rows`` in order of first appearance."""
    names = {}
    for row in rows:
        names.update(dict.fromkeys(row))
    return list(names)


def read_csv(path):
    """Rows of a CSV file (a sweep's table) as text, an empty cell as None."""
    with open(path, newline="") as file:
        return [
            {k: (v if v != "" else None) for k, v in row.items()} for row in csv.DictReader(file)
        ]


def to_csv(rows):
    """CSV text of ``rows`` (every digit); an undefined or missing value is an empty cell."""
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\n")
    names = columns(rows)
    writer.writerow(names)
    for row in rows:
        writer.writerow(["" if _empty(row.get(n, MISSING)) else row[n] for n in names])
    return text.getvalue()


def _empty(value):
    return value is None or value is MISSING


def cell(value):
    """A value as the report shows it: a number (of a JSON file) to 4 significant digits,
    ``inf`` as is, text as written (an experiment named ``1e3``, a sweep's CSV), an undefined
    or missing value empty."""
    if _empty(value):
        return ""
    if isinstance(value, bool | str):
        return str(value)
    if isinstance(value, float):
        return str(value) if not math.isfinite(value) else f"{value:.4g}"
    return str(value)


STYLE = (
    "body{font-family:sans-serif;font-size:13px;margin:1em}"
    "table{border-collapse:collapse}th,td{border:1px solid #ccc;padding:2px 6px}"
    "th{background:#f0f0f0;position:sticky;top:0}td{text-align:right;white-space:nowrap}"
    "td.text{text-align:left}tr:nth-child(even){background:#fafafa}"
)


def page(title, body, heading=True):
    """A self-contained HTML page (the report shows it in a frame); ``heading``: whether to
    head it with its title (not when ``body`` has its own)."""
    top = f"<h2>{html.escape(title)}</h2>\n" if heading else ""
    return (
        "<!DOCTYPE html>\n<html><head><meta charset='utf-8'>"
        f"<title>{html.escape(title)}</title><style>{STYLE}</style></head>\n"
        f"<body>\n{top}{body}\n</body></html>\n"
    )


def html_table(rows, note=""):
    """An HTML table of ``rows`` (values as :func:`cell` shows them), after a note."""
    names = columns(rows)
    head = "".join(f"<th>{html.escape(n)}</th>" for n in names)
    lines = [f"<p>{html.escape(note)}</p>" if note else "", f"<table>\n<tr>{head}</tr>"]
    for row in rows:
        cells = []
        for name in names:
            text = cell(row.get(name, MISSING))
            numeric = text == "" or _is_number(text)
            cells.append(f"<td{'' if numeric else ' class=text'}>{html.escape(text)}</td>")
        lines.append(f"<tr>{''.join(cells)}</tr>")
    lines.append("</table>")
    return "\n".join(lines)


def _is_number(text):
    try:
        float(text)
    except ValueError:
        return False
    return True


EMPTY = (
    "An empty cell is a value that is undefined (no connected, or no unconnected, train to "
    "score; no neuron with 3 spikes for a CV) or that does not apply; never a number."
)
