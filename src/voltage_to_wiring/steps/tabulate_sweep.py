"""A sweep's table: swept values and statistics of every grid point (CSV)."""

import logging
from pathlib import Path

from ..analysis import sweep_table
from ..files import write_text
from ._sweep import add_sweep_arguments

log = logging.getLogger("voltage_to_wiring")


def add_arguments(parser):
    add_sweep_arguments(parser)
    parser.add_argument("--stats", nargs="*", type=Path, default=[], help="statistics per point")
    parser.add_argument(
        "--evaluations", nargs="*", type=Path, default=[], help="evaluations per point"
    )


def run(args):
    points = sweep_table.read_points(args.points)
    names = [name for name, _ in points]
    stats = dict(zip(names, args.stats, strict=True)) if args.stats else None
    evaluations = dict(zip(names, args.evaluations, strict=True)) if args.evaluations else None
    write_text(args.output, sweep_table.to_csv(sweep_table.rows(points, stats, evaluations)))
    log.info("wrote %s (%d points)", args.output, len(points))
    return args.output, [*args.stats, *args.evaluations], None
