"""Infer the inputs of recorded neurons from a simulation's dataset (netCDF)."""

import json
import logging
import sys
import time
from pathlib import Path

from .. import config
from ..data import dataset
from ..errors import ConfigError
from ..inference import output
from ..inference.run import infer
from ..provenance import record

log = logging.getLogger("voltage_to_wiring")


def add_arguments(parser):
    parser.add_argument("configfiles", nargs="*", type=Path, help="config YAML file(s), merged")
    parser.add_argument(
        "--settings",
        type=Path,
        help="instead of config files: the resolved inference settings as JSON (a file, or - "
        "for stdin; used by the workflow)",
    )
    parser.add_argument("--experiment", required=True)
    parser.add_argument("--dataset", required=True, type=Path, help="the simulation (netCDF)")
    parser.add_argument("--output", required=True, type=Path)


def run(args):
    ds = dataset.read(args.dataset)
    params = dataset.params_of(ds)
    settings = _settings(args, params)
    started, clock = record.now(), time.perf_counter()
    log.info(
        "inferring the inputs of neuron(s) %s of '%s' (methods %s)",
        settings["neurons"],
        args.experiment,
        ", ".join(settings["methods"]),
    )
    result = infer(ds, params, settings)
    inputs = [args.dataset]
    attrs = record.attrs(params, inputs, started)
    out = output.build(args.experiment, result, params, settings, attrs)
    dataset.write(out, args.output)
    log.info(
        "wrote %s in %.2f s: %d pairs (%s)",
        args.output,
        time.perf_counter() - clock,
        out.sizes["pair"],
        ", ".join(f"{m} {s:.2f} s" for m, s in result["seconds"].items()),
    )
    described = {"experiment": args.experiment, "inference": settings, "simulation": params}
    return args.output, inputs, described


def _settings(args, params):
    if args.settings is not None:
        if args.configfiles:
            raise ConfigError("give either config files or --settings, not both")
        text = sys.stdin.read() if str(args.settings) == "-" else args.settings.read_text()
        return json.loads(text)
    if not args.configfiles:
        raise ConfigError("give config files, or resolved inference settings with --settings")
    settings = config.resolve_inference_settings(
        config.load(args.configfiles), args.experiment, params
    )
    if settings is None:
        raise ConfigError("has no 'inference' section", experiment=args.experiment)
    return settings
