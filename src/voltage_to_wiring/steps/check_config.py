"""Check every experiment of the config files and list them, without running anything."""

from pathlib import Path

from .. import config


def add_arguments(parser):
    parser.add_argument("configfiles", nargs="+", type=Path, help="config YAML file(s), merged")


def run(args):
    merged = config.load(args.configfiles)
    for name in config.experiment_names(merged):
        params = config.resolve(merged, name)
        print(
            f"{name}: {params['n']} neurons, {params['sim']['scheme']}, "
            f"{params['sim']['duration']:g} s"
        )
    return None, [], None
