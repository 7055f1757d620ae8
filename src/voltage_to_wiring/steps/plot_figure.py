"""Draw one figure as PNG: an experiment's (from its dataset), an inference's (from the
inference) or a sweep's (from its table). The figure registry says which: every figure is
drawn by this one step, through :func:`voltage_to_wiring.plots.draw.function`."""

import logging
from pathlib import Path

from ..analysis import sweep_table
from ..core.code import code_sha256
from ..data import view
from ..errors import ConfigError
from ..files import params_hash
from ..plots import common, draw
from ..plots.registry import FIGURES, require
from ..provenance.record import git_state

log = logging.getLogger("voltage_to_wiring")


def add_arguments(parser):
    parser.add_argument("--figure", required=True, choices=list(FIGURES))
    parser.add_argument(
        "--input",
        "--dataset",
        "--inference",
        "--table",
        dest="input",
        required=True,
        type=Path,
        help="what the figure is drawn from: a simulation's dataset (an experiment's figure), "
        "an inference (sta, roc, connections) or a sweep's table (summary)",
    )
    parser.add_argument("--output", required=True, type=Path)
    sweep = parser.add_argument_group("a sweep's summary figure")
    sweep.add_argument("--sweep", help="the sweep's name")
    sweep.add_argument(
        "--points", type=Path, help="its grid points as JSON (a file, or - for stdin)"
    )
    sweep.add_argument(
        "--replicates", nargs="*", default=[], help="the swept keys whose values are replicates"
    )


def run(args):
    source, metadata, params = OPEN[FIGURES[args.figure].scope](args)
    metadata = {"code_sha256": code_sha256(), "source": str(args.input), **metadata}
    common.save(draw.draw(args.figure, *source), args.output, metadata)
    log.info("wrote %s", args.output)
    return args.output, [args.input], params


def _experiment(args):
    ds = view.require(view.open_view(args.input), "simulation", args.input)
    params = view.params_of(ds)
    require(args.figure, params)
    name = params["experiment"]
    metadata = {
        "Title": f"{name}: {args.figure}",
        "experiment": name,
        "params_hash": params_hash(params),
        "git_commit": ds.attrs.get("git_commit", "unknown"),
    }
    return (ds,), metadata, params


def _inference(args):
    ds = view.require(view.open_view(args.input), "inference", args.input)
    name = ds.attrs["experiment"]
    metadata = {
        "Title": f"{name}: {args.figure}",
        "experiment": name,
        "params_hash": ds.attrs.get("params_hash", "unknown"),  # its simulation's (or settings')
        "git_commit": ds.attrs.get("git_commit", "unknown"),
    }
    return (ds,), metadata, {"experiment": name}


def _sweep(args):
    if args.sweep is None or args.points is None:
        raise ConfigError(f"the {args.figure} figure of a sweep needs --sweep and --points")
    points = sweep_table.read_points(args.points)
    keys = [k for k in points[0][1] if k not in args.replicates]
    git = git_state(Path(__file__).resolve().parent)
    metadata = {
        "Title": f"sweep {args.sweep}",
        "sweep": args.sweep,
        "git_commit": git["commit"] or "unknown",
    }
    return (args.sweep, keys, sweep_table.read_csv(args.input)), metadata, None


OPEN = {"experiment": _experiment, "inference": _inference, "sweep": _sweep}
