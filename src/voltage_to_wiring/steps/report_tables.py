"""The report's tables: statistics and evaluation of every experiment, sweeps, provenance."""

import logging
from pathlib import Path

from ..files import write_text
from ..report import markdown, tables

log = logging.getLogger("voltage_to_wiring")


def add_arguments(parser):
    parser.add_argument("--stats", nargs="*", type=Path, default=[], help="statistics (JSON)")
    parser.add_argument(
        "--evaluations", nargs="*", type=Path, default=[], help="evaluations (JSON)"
    )
    parser.add_argument("--sweeps", nargs="*", type=Path, default=[], help="sweep tables (CSV)")
    parser.add_argument("--provenance", required=True, type=Path, help="provenance.md")
    parser.add_argument("--statistics-table", required=True, type=Path, help="CSV to write")
    parser.add_argument("--statistics-page", required=True, type=Path, help="HTML to write")
    parser.add_argument("--evaluation-table", required=True, type=Path, help="CSV to write")
    parser.add_argument("--evaluation-page", required=True, type=Path, help="HTML to write")
    parser.add_argument("--provenance-page", required=True, type=Path, help="HTML to write")
    parser.add_argument(
        "--sweep-pages", required=True, type=Path, help="folder to write SWEEP.html in"
    )


def run(args):
    # every input read before anything is written: a bad one leaves no partial output
    statistics = tables.statistics_rows(args.stats)
    evaluation = tables.evaluation_rows(args.evaluations)
    sweeps = {table.stem: tables.read_csv(table) for table in args.sweeps}
    provenance = markdown.to_html(args.provenance.read_text())
    _write(
        args.statistics_table,
        args.statistics_page,
        "Statistics of every experiment",
        statistics,
        "Rates in Hz, durations in s; see docs/outputs.md for each column. Numbers are shown "
        "to 4 significant digits; the CSV beside this page has every digit.",
    )
    _write(
        args.evaluation_table,
        args.evaluation_page,
        "Evaluation of every inference against the true wiring",
        evaluation,
        "One row per experiment and inference method; AUCs with their 95 % bootstrap "
        "interval (chance: 0.25 signed, 0.5 for auc_detection); seconds of computing. Numbers "
        "are shown to 4 significant digits; the CSV beside this page has every digit.",
    )
    args.sweep_pages.mkdir(parents=True, exist_ok=True)
    for sweep, rows in sweeps.items():
        note = f"The numbers of results/sweeps/{sweep}.csv, as written there. {tables.EMPTY}"
        body = tables.html_table(rows, note) if rows else ""
        write_text(args.sweep_pages / f"{sweep}.html", tables.page(f"Sweep {sweep}", body))
    write_text(
        args.provenance_page, tables.page("Provenance of the results", provenance, heading=False)
    )
    log.info(
        "wrote the report's tables: %d experiments' statistics, %d evaluation rows, %d sweeps, "
        "provenance",
        len(statistics),
        len(evaluation),
        len(args.sweeps),
    )
    return None, [], None


def _write(csv_path, html_path, title, rows, note):
    write_text(csv_path, tables.to_csv(rows) if rows else "")
    body = tables.html_table(rows, f"{note} {tables.EMPTY}") if rows else "<p>None.</p>"
    write_text(html_path, tables.page(title, body))
