"""Draw one figure of an experiment's dataset as PNG."""

import logging
from pathlib import Path

from ..core.code import code_sha256
from ..data import view
from ..files import params_hash
from ..plots import common, draw
from ..plots.registry import names, require

log = logging.getLogger("voltage_to_wiring")


def add_arguments(parser):
    parser.add_argument("--dataset", required=True, type=Path)
    parser.add_argument("--figure", required=True, choices=names("experiment"))
    parser.add_argument("--output", required=True, type=Path)


def run(args):
    ds = view.require(view.open_view(args.dataset), "simulation", args.dataset)
    params = view.params_of(ds)
    require(args.figure, params)
    fig = draw.draw(args.figure, ds)
    common.save(
        fig,
        args.output,
        {
            "Title": f"{params['experiment']}: {args.figure}",
            "experiment": params["experiment"],
            "params_hash": params_hash(params),
            "git_commit": ds.attrs.get("git_commit", "unknown"),
            "code_sha256": code_sha256(),
            "source_dataset": str(args.dataset),
        },
    )
    log.info("wrote %s", args.output)
    return args.output, [args.dataset], params
