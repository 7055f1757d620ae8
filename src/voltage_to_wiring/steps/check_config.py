"""Check every experiment of the config files and list them, without running anything.

As in the workflow, where ``config.yaml`` comes first and other files add to it: files
without ``defaults`` are checked with those of ``./config.yaml`` (the step says so).
"""

import logging
from pathlib import Path

from .. import config
from ..inference import recording_files

log = logging.getLogger("voltage_to_wiring")
MAIN = Path("config.yaml")


def add_arguments(parser):
    parser.add_argument("configfiles", nargs="+", type=Path, help="config YAML file(s), merged")


def _files(files):
    """The files to check: ``./config.yaml`` first when none of them has defaults."""
    if MAIN.exists() and all(f.resolve() != MAIN.resolve() for f in files):
        if not any("defaults" in config.read_yaml(f) for f in files):
            log.info("checking %s with the defaults of %s", ", ".join(map(str, files)), MAIN)
            return [MAIN, *files]
    return list(files)


def run(args):
    plan = config.plan(config.load(_files(args.configfiles)), recording_facts=recording_files.facts)
    said = set()  # recordings whose reading is printed (once each: sweeps share them)
    for name, simulation in plan.simulation_of.items():
        parts = []
        if simulation == name:
            params = plan.params[name]
            sources = params["network"].get("sources")
            neurons = f"{params['n']} neuron" + ("s" if params["n"] != 1 else "")
            neurons += f" and {sources['n']} sources" if sources else ""
            parts.append(f"{neurons}, {params['sim']['scheme']}, {params['sim']['duration']:g} s")
        if name in plan.inference:
            settings = plan.inference[name]
            if simulation is None:
                where = f" on the recording {settings['recording']['file']}"
            else:
                where = "" if simulation == name else f" on the simulation of {simulation}"
            parts.append(
                f"inference of neuron(s) {settings['neurons']} ({', '.join(settings['methods'])})"
                + where
            )
        print(f"{name}: {'; '.join(parts)}")
        if simulation is None and name in plan.inference:  # how its recording is read
            spec = plan.inference[name]["recording"]
            if spec["file"] not in said:
                said.add(spec["file"])
                for sentence in recording_files.facts(spec).assumed:
                    print(f"  {spec['file']}: {sentence}")
    return None, [], None
