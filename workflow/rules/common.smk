# Helpers shared by the rules: config resolution, output lists, code dependencies.
import json
import os
import sys
from pathlib import Path

from voltage_to_wiring import config as vtw_config
from voltage_to_wiring.errors import ConfigError
from voltage_to_wiring.plots import registry as vtw_figures
from voltage_to_wiring.provenance import code as vtw_code

# Jobs run `python` of the environment that runs Snakemake (it has the package installed),
# whether or not that environment was activated.
shell.prefix(f'export PATH="{Path(sys.executable).parent}:$PATH"; ')
# Relative to the working directory, so that a moved or copied project does not rerun.
SRC = Path(os.path.relpath(Path(workflow.basedir) / "src" / "voltage_to_wiring"))


wildcard_constraints:
    experiment=vtw_config.NAME_PATTERN.pattern.strip("^$"),
    sweep=vtw_config.NAME_PATTERN.pattern.strip("^$"),
    figure="|".join(vtw_figures.names("experiment")),


def config_files():
    """The config files Snakemake merged, in its order: config.yaml, then --configfile ones."""
    cli = [str(f) for f in workflow.overwrite_configfiles]
    return [str(f) for f in workflow.configfiles if str(f) not in cli] + cli


def check_yaml(path):
    """Stop with the file, line and column of a YAML syntax error."""
    if Path(path).exists():
        try:
            vtw_config.read_yaml(path)
        except ConfigError as err:
            raise WorkflowError(f"invalid config: {err}") from None


def resolve_all(config):
    """Resolve every experiment now, so bad input stops the workflow before any job."""
    try:
        if vtw_config.load(config_files()) != config:
            raise ConfigError(
                "the config differs from what the config files say (was --config used?): "
                "put settings in a YAML file and pass it with --configfile"
            )
        names = vtw_config.experiment_names(config)
        return ({name: vtw_config.resolve(config, name) for name in names},
                vtw_config.sweep_points(config))
    except ConfigError as err:
        raise WorkflowError(f"invalid config: {err}") from None


# A job's command line must stay under the kernel's 128 kB limit for one argument.
MAX_SETTINGS = 100_000


def settings(wildcards):
    """The experiment's merged config as canonical JSON, handed to resolve_params on stdin.

    Snakemake tracks it (it is a `params:` value): a change to it reruns this experiment's
    jobs, and only those.
    """
    text = json.dumps(vtw_config.experiment_config(config, wildcards.experiment),
                      sort_keys=True)
    if len(text) > MAX_SETTINGS:
        raise WorkflowError(
            f"experiment '{wildcards.experiment}': its settings are too large to hand to a "
            f"job ({len(text) // 1000} kB): put large weight matrices in an edge file "
            "(network: {n: N, edges: {file: PATH, unit: nS}})")
    return text


def edge_files(wildcards):
    """The edge file of an experiment's network, if it has one."""
    network = RESOLVED[wildcards.experiment]["network"]
    return [network["file"]] if "file" in network else []


def code(step):
    """The source files of the package that a rule's step runs (its imports, followed
    transitively): editing one reruns the rule, and only the rules that run it."""
    return vtw_code.step_sources(step, SRC)


def figure_caption(wildcards):
    """The report caption of an experiment's figure, from the figure registry."""
    return vtw_figures.caption(wildcards.figure, experiment=wildcards.experiment)


def sweep_caption(wildcards):
    """The report caption of a sweep's summary figure, from the figure registry."""
    return vtw_figures.caption("summary", sweep=wildcards.sweep)


def figure_outputs(name):
    return [f"results/figures/{name}/{fig}.png" for fig in vtw_figures.available(RESOLVED[name])]


def sweep_stats(wildcards):
    """Statistics files of a sweep's grid points, in grid order."""
    return [f"results/stats/{name}.json" for name, _ in SWEEPS[wildcards.sweep]]


def sweep_points_json(wildcards):
    """A sweep's grid points as JSON (tracked: a changed grid reruns its table)."""
    return json.dumps(SWEEPS[wildcards.sweep])


def all_outputs():
    """Everything `snakemake` builds by default: per experiment, then per sweep."""
    outputs = []
    for name in RESOLVED:
        outputs += [f"results/params/{name}.json", f"results/sims/{name}.nc",
                    f"results/stats/{name}.json"]
        outputs += figure_outputs(name)
    for sweep in SWEEPS:
        outputs += [f"results/sweeps/{sweep}.csv", f"results/figures/sweeps/{sweep}/summary.png"]
    return outputs


def record(output):
    """Path of the provenance record of an output under results/."""
    return f"results/provenance/{output.removeprefix('results/')}.json"


def all_records():
    return [record(o) for o in all_outputs()]
