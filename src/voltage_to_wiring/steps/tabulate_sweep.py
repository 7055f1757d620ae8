"""A sweep's table: swept values and statistics of every grid point (CSV)."""

import logging
from pathlib import Path

from ..analysis import sweep_table
from ..files import write_text

log = logging.getLogger("voltage_to_wiring")


def add_arguments(parser):
    parser.add_argument("--sweep", required=True)
    parser.add_argument(
        "--points",
        required=True,
        type=Path,
        help="the grid points as JSON [[experiment, {key: value}], ...] (a file, or - for stdin)",
    )
    parser.add_argument("--output", required=True, type=Path)
    parser.add_argument("--stats", nargs="*", type=Path, default=[], help="statistics per point")
    parser.add_argument(
        "--evaluations", nargs="*", type=Path, default=[], help="evaluations per point"
    )
    parser.add_argument(
        "--replicates",
        nargs="*",
        default=[],
        help="the swept keys whose values are replicates: one row per grid point, with means "
        "and 95 %% intervals",
    )


def run(args):
    points = sweep_table.read_points(args.points)
    names = [name for name, _ in points]
    stats = dict(zip(names, args.stats, strict=True)) if args.stats else None
    evaluations = dict(zip(names, args.evaluations, strict=True)) if args.evaluations else None
    table = sweep_table.rows(points, stats, evaluations)
    if args.replicates:
        table = sweep_table.aggregate(table, list(points[0][1]), args.replicates)
    write_text(args.output, sweep_table.to_csv(table))
    log.info("wrote %s (%d points, %d rows)", args.output, len(points), len(table))
    return args.output, [*args.stats, *args.evaluations], None
