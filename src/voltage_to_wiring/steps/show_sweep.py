"""Print a sweep's table (results/sweeps/SWEEP.csv) as a Markdown table: its AUCs per method.

With replicates, each cell is the mean and its 95 % interval over them (``0.86 [0.81,
0.91]``); a sweep without an inference shows its statistics instead.
"""

import logging
from pathlib import Path

from ..analysis import sweep_table

log = logging.getLogger("voltage_to_wiring")


def add_arguments(parser):
    parser.add_argument("table", type=Path, help="a sweep's table (CSV)")
    parser.add_argument(
        "--columns", nargs="*", help="the columns to show (default: each method's auc)"
    )


def run(args):
    table = sweep_table.read_csv(args.table)
    print(sweep_table.markdown(table, args.columns), flush=True)
    return None, [args.table], None
