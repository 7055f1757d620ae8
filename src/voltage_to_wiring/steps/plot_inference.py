"""Draw one figure of an experiment's inference as PNG."""

import logging
from pathlib import Path

from ..core.code import code_sha256
from ..data import view
from ..plots import common, inference
from ..plots.registry import FIGURES, names

log = logging.getLogger("voltage_to_wiring")


def add_arguments(parser):
    parser.add_argument("--inference", required=True, type=Path, help="an inference (netCDF)")
    parser.add_argument("--figure", required=True, choices=names("inference"))
    parser.add_argument("--output", required=True, type=Path)


def run(args):
    ds = view.require(view.open_view(args.inference), "inference", args.inference)
    draw = getattr(inference, FIGURES[args.figure].draw.split(".")[1])
    experiment = ds.attrs["experiment"]
    metadata = {
        "Title": f"{experiment}: {args.figure}",
        "experiment": experiment,
        "params_hash": ds.attrs.get("params_hash", "unknown"),  # its simulation's (or settings')
        "git_commit": ds.attrs.get("git_commit", "unknown"),
        "code_sha256": code_sha256(),
        "source_dataset": str(args.inference),
    }
    common.save(draw(ds), args.output, metadata)
    log.info("wrote %s", args.output)
    return args.output, [args.inference], {"experiment": experiment}
