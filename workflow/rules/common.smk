# Helpers shared by the rules: config resolution, output lists, code dependencies.
import functools
import json
import os
import sys
from pathlib import Path
from typing import NamedTuple

# The workflow runs the package of its own folder (src/), not whichever copy is installed:
# a copied project runs the copy's code (an editable install points to the original). Its
# source files are the rules' code inputs (see code() below).
PACKAGE_ROOT = Path(workflow.basedir) / "src"
if (PACKAGE_ROOT / "voltage_to_wiring").is_dir():
    sys.path.insert(0, str(PACKAGE_ROOT))
    os.environ.update(
        PYTHONPATH=os.pathsep.join(p for p in (str(PACKAGE_ROOT), os.environ.get("PYTHONPATH")) if p)
    )

from voltage_to_wiring import config as vtw_config
from voltage_to_wiring import errors as vtw_errors
from voltage_to_wiring import files as vtw_files
from voltage_to_wiring.errors import ConfigError
from voltage_to_wiring.inference import recording_files as vtw_recording_files
from voltage_to_wiring.plots import registry as vtw_figures
from voltage_to_wiring.core import code as vtw_code

# Jobs run `python` of the environment that runs Snakemake (it has the dependencies),
# whether or not that environment was activated, and the package of this folder.
# (PYTHONPATH, set above, reaches the jobs through the environment they inherit.)
shell.prefix(f'export PATH="{Path(sys.executable).parent}:$PATH"; ')
if not Path(vtw_config.__file__).is_relative_to(workflow.basedir):
    print(
        f"Note: this workflow runs the installed voltage_to_wiring of "
        f"{Path(vtw_config.__file__).parents[2]}, not code of its own folder",
        file=sys.stderr,
    )
# Relative to the working directory, so that a moved or copied project does not rerun.
SRC = Path(os.path.relpath(Path(workflow.basedir) / "src" / "voltage_to_wiring"))


# Every output's path, written once: the rules' outputs and inputs, the targets' lists and the
# provenance records (record()) all read this table.
PATHS = {
    "params": "results/params/{experiment}.json",
    "simulation": "results/sims/{experiment}.nc",
    "stats": "results/stats/{experiment}.json",
    "figure": "results/figures/{experiment}/{figure}.png",
    "inference": "results/inference/{experiment}.nc",
    "evaluation": "results/evaluation/{experiment}.json",
    "inference_figure": "results/figures/{experiment}/{inference_figure}.png",
    "sweep_table": "results/sweeps/{sweep}.csv",
    "sweep_figure": "results/figures/sweeps/{sweep}/summary.png",
    "nwb": "results/nwb/{experiment}.nwb",
    "provenance_json": "results/provenance.json",
    "provenance_md": "results/provenance.md",
    # The report's own material (`make report` only; rules in report.smk): a small copy of
    # each figure ({shown}: its path under results/figures/, without .png), the tables.
    "report_figure": "results/report/figures/{shown}.png",
    "report_statistics_table": "results/report/statistics.csv",
    "report_statistics_page": "results/report/statistics.html",
    "report_evaluation_table": "results/report/evaluation.csv",
    "report_evaluation_page": "results/report/evaluation.html",
    "report_provenance_page": "results/report/provenance.html",
    "report_sweep_pages": "results/report/sweeps",
    "records": "results/provenance",  # each output's record: see record()
}


def path(kind, **wildcards):
    """The path of an output of ``kind`` (a key of PATHS) for the given wildcards."""
    return PATHS[kind].format(**wildcards)


def record(output):
    """Path of the provenance record of an output (or output pattern) under results/."""
    results = os.path.dirname(PATHS["records"])
    return f"{PATHS['records']}/{os.path.relpath(output, results)}.json"


wildcard_constraints:
    experiment=vtw_config.NAME_PATTERN.pattern.strip("^$"),
    sweep=vtw_config.NAME_PATTERN.pattern.strip("^$"),
    figure="|".join(vtw_figures.names("experiment")),
    inference_figure="|".join(vtw_figures.names("inference")),


def config_files():
    """The config files Snakemake merged, in its order: config.yaml, then --configfile ones."""
    cli = [str(f) for f in workflow.overwrite_configfiles]
    files = [str(f) for f in workflow.configfiles if str(f) not in cli] + cli
    # as the user wrote them (Snakemake makes the --configfile ones absolute)
    return [os.path.relpath(f) if Path(f).resolve().is_relative_to(Path.cwd()) else f
            for f in files]


def check_yaml(path):
    """Stop with the file, line and column of a YAML syntax error."""
    if Path(path).exists():
        try:
            vtw_config.read_yaml(path)
        except ConfigError as err:
            raise WorkflowError(f"invalid config: {err}") from None


def resolve_all(config):
    """Resolve every experiment now (a :class:`voltage_to_wiring.config.Plan`), so bad input
    stops the workflow before any job. Every experiment is checked: the refusal lists each
    bad one. A target that needs none of them (``snakemake rec_a``, a file of rec_a) runs
    without them, and a note names them; any other target (plain ``snakemake`` builds
    everything) stops here."""
    try:
        if vtw_config.load(config_files()) != config:
            raise ConfigError(
                "the config differs from what the config files say (was --config used?): "
                "put settings in a YAML file and pass it with --configfile"
            )
        # On a cluster the jobs run on other machines: only what holds everywhere is checked.
        plan = vtw_config.plan(
            config,
            check_machine=workflow.local_exec,
            recording_facts=vtw_recording_files.facts,
            keep_going=True,
        )
    except ConfigError as err:
        raise WorkflowError(invalid_config(err)) from None
    refusal = plan.refusal()
    if refusal is None or not workflow.is_main_process:  # a job runs what was planned
        return plan
    targets = requested_targets()
    if targets is None or needs_refused(targets, plan):
        raise WorkflowError(
            invalid_config(refusal)
            + "\n(every experiment is checked before any job; a target that needs none of "
            "these, such as `snakemake NAME` of another experiment, runs without them)"
        )
    print(f"Note: left out, refused (no target needs them):\n{refusal}", file=sys.stderr)
    return plan


def accepted(config, plan):
    """``config`` itself, or without the experiments and sweeps ``plan`` refused (a copy)."""
    if not plan.refused:
        return config
    kept = {}
    for section in ("experiments", "sweeps"):
        if config.get(section):
            kept[section] = {k: v for k, v in config[section].items() if k not in plan.refused}
    return {**config, **kept}


def invalid_config(err):
    """``invalid config: ...``, one line for each refused experiment of ``err``."""
    return "\n".join(f"invalid config: {one}" for one in getattr(err, "errors", [err]))


def requested_targets():
    """The targets on Snakemake's command line (rule names or files; [] for the default
    target), or None where this is not Snakemake's command line (its API called from
    Python): Snakemake parses the workflow before it hands it its targets."""
    program = Path(sys.argv[0])
    if "snakemake" not in (program.name, program.parent.name):
        return None
    from snakemake.cli import get_argument_parser

    try:
        args, _ = get_argument_parser().parse_known_args(sys.argv[1:])
    except SystemExit:
        return None
    return list(args.targets)


def needs_refused(targets, plan):
    """Whether a target needs a refused experiment or sweep (or everything: the default
    target, `all`, the report, provenance): it names one, or names no experiment or sweep
    at all (an experiment's file is found by its name among the path's parts)."""
    if not targets:
        return True
    named = set(plan.simulation_of) | set(plan.sweeps)
    for target in targets:
        parts = {target, *Path(target).with_suffix("").parts}
        if parts & set(plan.refused) or not parts & named:
            return True
    return False


def known(name, kind="params"):
    """Stop with a clear line when a target names an experiment the config does not have
    (``kind``: "params" for one with its own simulation, "inference" for one that infers)."""
    if name in PLAN.refused:  # a target needs it after all (resolve_all could not tell)
        raise WorkflowError(invalid_config(PLAN.refused[name]))
    table = PLAN.params if kind == "params" else PLAN.inference
    if name not in table:
        what = "with a simulation of its own" if kind == "params" else "with an inference"
        hint = vtw_errors.did_you_mean(name, table)
        raise WorkflowError(
            f"invalid target: no experiment '{name}' {what} in the config{hint} (known: "
            f"{', '.join(table) or 'none'}; experiments of other files need --configfile, "
            "after the targets)"
        )
    return name


def settings(wildcards):
    """The experiment's merged config (its simulation's part) as canonical JSON, handed to
    resolve_params on stdin.

    Snakemake tracks it (it is a `params:` value): a change to it reruns this experiment's
    jobs, and only those; its inference settings reach the inference rules only.
    """
    merged = vtw_config.experiment_config(config, known(wildcards.experiment))
    return json.dumps(vtw_config.simulation_settings(merged), sort_keys=True)  # size: plan


def simulation_threads(wildcards):
    """The threads of an experiment's simulation: ``sim.threads``, or with "auto" every core
    Snakemake has (--cores; it gives a job no more) for a large network, one for a small.
    Where there is no --cores (a cluster executor, a dry run), "auto" is one thread: on a
    cluster, set sim.threads, or the profile's set-threads (simulate=N)."""
    try:
        cores = workflow.cores
    except WorkflowError:
        cores = 1
    return PLAN.simulation_threads(known(wildcards.experiment), cores)


def input_files(wildcards):
    """The files an experiment's parameters are read from besides the config: its edge
    file, per-neuron array files (a change to one reruns it and what follows)."""
    merged = vtw_config.experiment_config(config, known(wildcards.experiment))
    return vtw_config.input_files(merged)


def edge_files(wildcards):
    """The edge file of an experiment's network, if it has one."""
    network = PLAN.params[known(wildcards.experiment)]["network"]
    return [network["file"]] if "file" in network else []


def inference_settings(wildcards):
    """An experiment's resolved inference settings as canonical JSON (tracked: a change
    reruns its inference and what follows, never the simulation)."""
    return json.dumps(PLAN.inference[known(wildcards.experiment, "inference")], sort_keys=True)


def export_settings(wildcards):
    """What an experiment's NWB export needs of its inference: the simulated microscope
    (imaging, its seed and neurons), or nothing (so that other inference settings never
    rerun the export)."""
    settings = PLAN.inference.get(known(wildcards.experiment)) or {}
    if not settings.get("imaging"):
        return ""
    return json.dumps({k: settings[k] for k in ("imaging", "seed", "neurons")}, sort_keys=True)


def inference_twin(wildcards):
    """The inference of another experiment that is this one's, bit for bit (same data, same
    settings: see ``config.plan.inference_twins``), or nothing: the step then relabels it."""
    twin = PLAN.twins.get(known(wildcards.experiment, "inference"))
    return [path("inference", experiment=twin)] if twin else []


def simulation(wildcards):
    """The file an experiment's inference reads: its own simulation's dataset or its base's,
    or its recording."""
    name = wildcards.experiment
    if name in PLAN.recordings:
        return PLAN.recordings[name]["file"]
    return path("simulation", experiment=PLAN.simulation_of[name])


def linked_files(wildcards):
    """The other files a recording's data is in (its HDF5 external links, found by the
    plan): a change to one of them reruns the inference, and its record gives their sha256."""
    settings = PLAN.inference[known(wildcards.experiment, "inference")]
    return settings.get("recording", {}).get("linked", [])


def simulation_params_hash(wildcards):
    """The params_hash of the simulation an experiment's inference reads ("" for a
    recording): the step refuses a dataset that does not carry it."""
    name = known(wildcards.experiment, "inference")
    if name in PLAN.recordings:
        return ""
    return vtw_files.params_hash(PLAN.params[PLAN.simulation_of[name]])


def code(step):
    """The source files of the package that a rule's step runs (its imports, followed
    transitively): editing one reruns the rule, and only the rules that run it."""
    return vtw_code.step_sources(step, SRC)


def figure_code(wildcards):
    """A figure's code inputs: the plot_figure step's sources and those of the figure's own
    module (the registry's ``draw``), so that editing traces.py redraws the trace figures
    and no other."""
    name = wildcards.get("figure") or wildcards.get("inference_figure") or "summary"
    return figure_module_code(vtw_figures.module_of(name))


@functools.cache
def figure_module_code(module):
    """:func:`figure_code` of the figures of one module: found once per plan (the files do
    not change while Snakemake plans), not once per figure job."""
    return vtw_code.step_sources("plot_figure", SRC, modules=[module])


def figure_caption(wildcards):
    """The report caption of an experiment's figure, from the figure registry; a figure the
    experiment's recording does not allow stops the workflow with a clear line."""
    name = known(wildcards.experiment)
    try:
        vtw_figures.require(wildcards.figure, PLAN.params[name])
    except ConfigError as err:
        raise WorkflowError(f"invalid target: {err}") from None
    return vtw_figures.caption(wildcards.figure, experiment=name)


def inference_caption(wildcards):
    """The report caption of an inference figure, from the figure registry; a figure that
    needs the true wiring, of a recording without it, stops the workflow with a clear line."""
    name, figure = known(wildcards.experiment, "inference"), wildcards.inference_figure
    allowed = vtw_figures.available_inference(PLAN.inference[name])
    if figure not in allowed:
        raise WorkflowError(
            f"invalid target: experiment '{name}' has no {figure} figure: its recording has no "
            f"true wiring (recording.truth); its inference figures: {', '.join(allowed)}")
    return vtw_figures.caption(figure, experiment=name)


def sweep_caption(wildcards):
    """The report caption of a sweep's summary figure, from the figure registry."""
    return vtw_figures.caption("summary", sweep=wildcards.sweep)


@functools.cache
def experiment_outputs(name, figures=True):
    """What one experiment makes: its simulation's outputs (if it has its own), and its
    inference's (if it has one), with its figures unless ``figures`` is False. Made once per
    name (the default target and the named targets both ask for every one); callers do not
    change it."""
    outputs = []
    if name in PLAN.params:
        outputs += [path(kind, experiment=name) for kind in ("params", "simulation", "stats")]
    if name in PLAN.inference:
        outputs += [path(kind, experiment=name) for kind in ("inference", "evaluation")]
    if not figures:
        return outputs
    return outputs + [figure_path(name, kind, figure) for kind, figure in figures_of(name)]


@functools.cache
def made_by_sweeps():
    """The experiments the sweeps make (their grid points, and the simulations points share,
    as `seeds_seed=2`), not the config's: the default run makes their data and each sweep's
    table and summary figure, not each one's figures (a sweep of a thousand points would draw
    thousands); `snakemake SWEEP` draws them (sweep_members), or a figure's path."""
    return frozenset(PLAN.simulation_of) - set(config.get("experiments", {}))


def sweep_members(sweep):
    """A sweep's grid points, then the simulations they share that the sweep made."""
    points = [point for point, _ in PLAN.sweeps[sweep]]
    shared = [PLAN.simulation_of[p] for p in points if PLAN.simulation_of[p] in made_by_sweeps()]
    return list(dict.fromkeys(points + shared))


def figures_of(name):
    """(kind, figure) of every figure of an experiment: its simulation's ("figure"), then
    its inference's ("inference_figure"), in registry order."""
    figures = []
    if name in PLAN.params:
        figures += [("figure", f) for f in vtw_figures.available(PLAN.params[name])]
    if name in PLAN.inference:
        figures += [("inference_figure", f)
                    for f in vtw_figures.available_inference(PLAN.inference[name])]
    return figures


def figure_path(name, kind, figure):
    """The path of figure ``figure`` of experiment ``name`` (``kind``: a key of PATHS)."""
    return path(kind, experiment=name, **{kind: figure})


def sweep_files(kind):
    """The per-point files of a sweep a table reads, in grid order: statistics of each
    point's simulation (unless they all share their base's), evaluations of the points with
    an inference."""
    def files(wildcards):
        points = [name for name, _ in PLAN.sweeps[wildcards.sweep]]
        if kind == "stats":
            simulations = [PLAN.simulation_of[n] for n in points]
            if set(simulations) <= {PLAN.bases[wildcards.sweep], None}:  # None: a recording
                return []
            return [path("stats", experiment=s) for s in simulations]
        return [path("evaluation", experiment=n) for n in points if n in PLAN.inference]
    return files


def sweep_replicates(wildcards):
    """A sweep's replicate keys (e.g. sim.seed), as the table and figure steps take them."""
    return " ".join(PLAN.replicates[wildcards.sweep])


def sweep_points_json(wildcards):
    """A sweep's grid points as JSON (tracked: a changed grid reruns its table)."""
    return json.dumps(PLAN.sweeps[wildcards.sweep])


def all_outputs():
    """Everything `snakemake` builds by default: per experiment (a sweep point's figures
    only on request, see made_by_sweeps), then per sweep."""
    outputs = []
    for name in PLAN.simulation_of:
        outputs += experiment_outputs(name, figures=name not in made_by_sweeps())
    for sweep in PLAN.sweeps:
        outputs += sweep_outputs(sweep)
    return outputs


def sweep_outputs(sweep):
    """A sweep's own outputs: its table and its summary figure."""
    return [path("sweep_table", sweep=sweep), path("sweep_figure", sweep=sweep)]


def named_targets():
    """{name: outputs} of every experiment and sweep the config names (not sweep points,
    which their sweep's name runs), for ``snakemake NAME``."""
    names = [n for n in PLAN.simulation_of if n not in made_by_sweeps()]
    targets = {name: list(experiment_outputs(name)) for name in names}
    for sweep in PLAN.sweeps:
        outputs = [o for member in sweep_members(sweep) for o in experiment_outputs(member)]
        targets[sweep] = outputs + sweep_outputs(sweep)
    rules = [rule.name for rule in workflow.rules]  # the workflow's own, defined above
    clash = sorted(set(targets) & set(rules))
    if clash:
        raise WorkflowError(
            f"invalid config: experiment or sweep '{clash[0]}': this name is one of the "
            f"workflow's rules ({', '.join(rules)}): rename it"
        )
    return targets


def refresh_provenance():
    """After a successful run that made outputs but not the report (``snakemake NAME``, or a
    file as target), rewrite results/provenance.{json,md} from the records there are, so
    that the report is never behind the results."""
    records = sorted(p for p in Path(PATHS["records"]).rglob("*.json")
                     if not p.name.endswith(".settings.json"))  # an infer command's settings
    markdown = Path(PATHS["provenance_md"])
    if not records or (markdown.exists() and all(
        r.stat().st_mtime <= markdown.stat().st_mtime for r in records
    )):
        return  # nothing made, or the report is current (report_provenance ran)
    json_file = PATHS["provenance_json"]
    shell(
        "python -m voltage_to_wiring report_provenance {records:q}"
        " --json {json_file} --markdown {markdown} > logs/report_provenance.log 2>&1"
    )


def all_records():
    return [record(o) for o in all_outputs()]


# The report (`make report`): what it shows of each figure. The figure rules write full-size
# PNGs to results/figures/; the report shows small copies (report_figure), with the figure
# registry's captions, grouped as the figures are: per experiment, per inference, per sweep.
FIGURES_DIR = os.path.dirname(PATHS["figure"].split("{")[0])


class Shown(NamedTuple):
    figure: str  # the full-size figure
    category: str
    subcategory: str
    labels: dict
    caption: str


@functools.cache
def report_figures():
    """{shown: Shown} of every figure the default run draws, in its order."""
    entries = {}

    def add(figure, *where):
        name = os.path.splitext(os.path.relpath(figure, FIGURES_DIR))[0]
        entries[name] = Shown(figure, *where)

    categories = {"figure": "Figures", "inference_figure": "Inference"}
    for name in (n for n in PLAN.simulation_of if n not in made_by_sweeps()):
        for kind, figure in figures_of(name):
            add(figure_path(name, kind, figure), categories[kind], name,
                {"experiment": name, "figure": figure}, vtw_figures.caption(figure, experiment=name))
    for sweep in PLAN.sweeps:
        add(path("sweep_figure", sweep=sweep), "Sweeps", sweep,
            {"sweep": sweep, "item": "summary figure"}, vtw_figures.caption("summary", sweep=sweep))
    return entries


def shown(wildcards):
    """The report's entry of a figure copy; a path that is no figure of the run stops the
    workflow with a clear line."""
    entry = report_figures().get(wildcards.shown)
    if entry is None:
        hint = vtw_errors.did_you_mean(wildcards.shown, report_figures())
        raise WorkflowError(f"invalid target: no figure '{wildcards.shown}' in this run{hint}")
    return entry


def shown_field(field):
    """A field of a figure copy's report entry, as a function of its wildcards."""
    return lambda wildcards: getattr(shown(wildcards), field)


def report_outputs():
    """Every small figure copy the report shows."""
    return [path("report_figure", shown=name) for name in report_figures()]
