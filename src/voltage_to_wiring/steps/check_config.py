"""Check every experiment of the config files and list them, without running anything."""

from pathlib import Path

from .. import config


def add_arguments(parser):
    parser.add_argument("configfiles", nargs="+", type=Path, help="config YAML file(s), merged")


def run(args):
    plan = config.plan(config.load(args.configfiles))
    for name, simulation in plan.simulation_of.items():
        parts = []
        if simulation == name:
            params = plan.params[name]
            sources = params["network"].get("sources")
            neurons = f"{params['n']} neurons" + (f" and {sources['n']} sources" if sources else "")
            parts.append(f"{neurons}, {params['sim']['scheme']}, {params['sim']['duration']:g} s")
        if name in plan.inference:
            settings = plan.inference[name]
            where = "" if simulation == name else f" on the simulation of {simulation}"
            parts.append(
                f"inference of neuron(s) {settings['neurons']} ({', '.join(settings['methods'])})"
                + where
            )
        print(f"{name}: {'; '.join(parts)}")
    return None, [], None
