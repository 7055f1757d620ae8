"""Resolve one experiment of the config files to SI parameters (JSON)."""

import json
import logging
import sys
from pathlib import Path

from .. import config
from ..config import resources
from ..errors import ConfigError
from ..files import write_text

log = logging.getLogger("voltage_to_wiring")


def add_arguments(parser):
    parser.add_argument("configfiles", nargs="*", type=Path, help="config YAML file(s), merged")
    parser.add_argument(
        "--settings",
        type=Path,
        help="instead of config files: the experiment's merged settings as JSON (a file, or - "
        "for stdin; used by the workflow)",
    )
    parser.add_argument("--experiment", required=True)
    parser.add_argument("--output", required=True, type=Path)


def run(args):
    if args.settings is not None:
        if args.configfiles:
            raise ConfigError("give either config files or --settings, not both")
        text = sys.stdin.read() if str(args.settings) == "-" else args.settings.read_text()
        merged = {"experiments": {args.experiment: json.loads(text)}}
    elif args.configfiles:
        merged = config.load(args.configfiles)
    else:
        raise ConfigError("give config files, or an experiment's merged settings with --settings")
    params = config.resolve(merged, args.experiment, merged=args.settings is not None)
    write_text(args.output, json.dumps(params, indent=1, sort_keys=True) + "\n")
    log.info(
        "wrote %s (%d neurons, %d synapses%s)",
        args.output,
        params["n"],
        resources.synapses(params["network"]),
        " expected" if params["network"].get("rule") == "erdos_renyi" else "",
    )
    inputs = [params["network"]["file"]] if "file" in params["network"] else []
    return args.output, [*args.configfiles, *inputs], params
