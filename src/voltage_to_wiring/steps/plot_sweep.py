"""A sweep's summary figure: statistics against the swept values (PNG)."""

import logging
from pathlib import Path

from ..analysis import sweep_table
from ..core.code import code_sha256
from ..plots import common, sweep
from ..provenance.record import git_state
from ._sweep import add_sweep_arguments

log = logging.getLogger("voltage_to_wiring")


def add_arguments(parser):
    add_sweep_arguments(parser)
    parser.add_argument("--table", required=True, type=Path)
    parser.add_argument(
        "--replicates", nargs="*", default=[], help="the swept keys whose values are replicates"
    )


def run(args):
    points = sweep_table.read_points(args.points)
    keys = [k for k in points[0][1] if k not in args.replicates]
    fig = sweep.summary(args.sweep, keys, sweep_table.read_csv(args.table))
    git = git_state(Path(__file__).resolve().parent)
    metadata = {
        "Title": f"sweep {args.sweep}",
        "sweep": args.sweep,
        "git_commit": git["commit"] or "unknown",
        "code_sha256": code_sha256(),
        "source_table": str(args.table),
    }
    common.save(fig, args.output, metadata)
    log.info("wrote %s", args.output)
    return args.output, [args.table], None
