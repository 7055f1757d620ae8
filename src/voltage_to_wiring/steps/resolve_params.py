"""Resolve one experiment of the config files to SI parameters (JSON)."""

import json
import logging
from pathlib import Path

from .. import config
from ..config import resources
from ..files import write_text
from ._settings import add_settings_arguments, given_settings

log = logging.getLogger("voltage_to_wiring")
MERGED = "an experiment's merged settings"


def add_arguments(parser):
    add_settings_arguments(parser, MERGED)
    parser.add_argument("--experiment", required=True)
    parser.add_argument("--output", required=True, type=Path)


def run(args):
    settings = given_settings(args, MERGED)
    if settings is not None:
        merged = {"experiments": {args.experiment: settings}}
    else:
        merged = config.load(args.configfiles)
    params = config.resolve(merged, args.experiment, merged=args.settings is not None)
    write_text(args.output, json.dumps(params, indent=1, sort_keys=True) + "\n")
    log.info(
        "wrote %s (%d neurons, %d synapses%s)",
        args.output,
        params["n"],
        resources.synapses(params["network"]),
        " expected" if params["network"].get("rule") == "erdos_renyi" else "",
    )
    named = settings if settings is not None else config.experiment_config(merged, args.experiment)
    return args.output, [*args.configfiles, *config.input_files(named)], params
