"""A sweep's table: swept values and statistics of every grid point (CSV)."""

import logging
from pathlib import Path

from ..analysis import sweep_table
from ..files import write_text
from ._sweep import add_sweep_arguments

log = logging.getLogger("voltage_to_wiring")


def add_arguments(parser):
    add_sweep_arguments(parser)
    parser.add_argument("stats", nargs="+", type=Path, help="statistics JSON per point")


def run(args):
    points = sweep_table.read_points(args.points)
    files = dict(zip([name for name, _ in points], args.stats, strict=True))
    write_text(args.output, sweep_table.to_csv(sweep_table.rows(points, files)))
    log.info("wrote %s (%d points)", args.output, len(points))
    return args.output, args.stats, None
