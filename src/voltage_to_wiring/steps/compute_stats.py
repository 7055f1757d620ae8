"""Per-experiment statistics of a dataset (JSON)."""

import json
import logging
from pathlib import Path

from ..analysis import stats
from ..data import view
from ..files import write_text

log = logging.getLogger("voltage_to_wiring")


def add_arguments(parser):
    parser.add_argument("--dataset", required=True, type=Path)
    parser.add_argument("--output", required=True, type=Path)


def run(args):
    ds = view.require(view.open_view(args.dataset), "simulation", args.dataset)
    params = view.params_of(ds)
    write_text(args.output, json.dumps(stats.summary(ds, params), indent=1) + "\n")
    log.info("wrote %s", args.output)
    return args.output, [args.dataset], params
