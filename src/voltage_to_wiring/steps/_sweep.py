"""Arguments shared by the steps of a sweep (tabulate_sweep, plot_sweep)."""

from pathlib import Path


def add_sweep_arguments(parser):
    """``--sweep NAME --points FILE --output FILE``."""
    parser.add_argument("--sweep", required=True)
    parser.add_argument(
        "--points",
        required=True,
        type=Path,
        help="the grid points as JSON [[experiment, {key: value}], ...] (a file, or - for stdin)",
    )
    parser.add_argument("--output", required=True, type=Path)
