"""The pipeline part of ``make bench``: what a user meets through Snakemake, beyond the engine.

- **config to dataset**: the benchmark network (N = 10,000 by default, 1 s) through
  ``snakemake results/sims/bench_N.nc`` from scratch (Snakemake's start-up, the plan, the
  parameters job and the simulation job), with ``--cores 1`` and ``--cores 2``;
- **the first default pipeline**: the experiments of the default config before inference
  came (``seed``, ``seed_synchronous``, ``ei_network`` without its inference, and the seed
  sweep) from scratch with ``--cores 2``: its wall time, and each rule's job times from
  Snakemake's benchmark files;
- **grouped**: the same from scratch with Snakemake's job grouping (``--groups`` putting
  every figure and statistics job in one group, ``--group-components`` spanning all of
  them): run locally, a group's jobs are still one process each, so this measures whether
  grouping pays here (it is for a cluster, where it saves queueing);
- **fixed cost of each step**: a Python process that imports the step as ``python -m
  voltage_to_wiring STEP`` does and ends as a step ends (without the interpreter's
  teardown): everything a job spends before and after its useful work.

Each in a temporary copy of the workflow whose ``src`` is this repository's.
"""

import shutil
import statistics
import sys

import yaml
from harness import ROOT, benchmark_experiment, fmt, timed

from voltage_to_wiring.cli import step_names

WORKFLOW = ("Snakefile", "workflow", "profiles")
# What `python -m voltage_to_wiring STEP` does before the step's work, and how it ends.
FIXED_COST = (
    "import voltage_to_wiring.cli as cli, voltage_to_wiring.steps.{step}{more}; cli.exit_now(0)"
)
# What a step imports by name as it runs: plot_figure, the figure's module (here a trace
# figure's, matplotlib included).
RUNS_TOO = {"plot_figure": ", voltage_to_wiring.plots.traces"}
FIRST_DEFAULT = ("seed", "seed_synchronous", "ei_network")
FIRST_SWEEP = "seed_delay_weight"
GROUPED = [
    "--groups",
    "plot_figure=short",
    "compute_stats=short",
    "--group-components",
    "short=1000",
]


def bench(args, work):
    """Run the pipeline benchmark; returns its results (a JSON-ready dict)."""
    n = args.pipeline_n
    to_dataset = {cores: [] for cores in (1, 2)}
    folder = _workflow(work / "pipeline_bench", _bench_config(n, args.duration))
    target = f"results/sims/bench_{n}.nc"
    for _ in range(args.repeats):
        for cores in to_dataset:
            _clean(folder)
            to_dataset[cores].append(_snakemake(folder, target, cores))
    print("  pipeline: config to dataset done", file=sys.stderr)
    first = _workflow(work / "pipeline_first", _first_default_config())
    walls, jobs, grouped = [], [], []
    for _ in range(args.repeats):
        _clean(first)
        walls.append(_snakemake(first, None, 2))
        jobs.append(_job_seconds(first))
        if args.pipeline_grouped:
            _clean(first)
            grouped.append(_snakemake(first, None, 2, GROUPED))
    print("  pipeline: first default config done", file=sys.stderr)
    fixed = {step: [] for step in step_names()}
    for _ in range(args.repeats):  # medians of --repeats (3 in make bench)
        for step in fixed:
            command = FIXED_COST.format(step=step, more=RUNS_TOO.get(step, ""))
            fixed[step].append(timed([sys.executable, "-c", command])[0])
    shutil.rmtree(folder)
    shutil.rmtree(first)
    return {
        "n": n,
        "duration_s": args.duration,
        "config_to_dataset_s": {c: statistics.median(w) for c, w in to_dataset.items()},
        "config_to_dataset_runs": to_dataset,
        "first_default": {
            "experiments": [*FIRST_DEFAULT, FIRST_SWEEP],
            "wall_s": statistics.median(walls),
            "runs": walls,
            "jobs": _per_rule(jobs[walls.index(statistics.median(walls))] if walls else {}),
            "grouped_wall_s": statistics.median(grouped) if grouped else None,
            "grouped_runs": grouped,
        },
        "fixed_cost_s": {step: statistics.median(t) for step, t in fixed.items()},
    }


def _bench_config(n, duration_s):
    config = yaml.safe_load((ROOT / "config.yaml").read_text())
    name, experiment = benchmark_experiment(n, duration_s)
    config["experiments"] = {name: experiment}
    config.pop("sweeps", None)
    return config


def _first_default_config():
    config = yaml.safe_load((ROOT / "config.yaml").read_text())
    config["experiments"] = {k: config["experiments"][k] for k in FIRST_DEFAULT}
    config["experiments"]["ei_network"].pop("inference", None)
    config["sweeps"] = {FIRST_SWEEP: config["sweeps"][FIRST_SWEEP]}
    return config


def _workflow(folder, config):
    """A copy of the workflow with ``config`` as its config.yaml and this repository's src."""
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    for name in WORKFLOW:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, folder / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, folder / name)
    (folder / "src").symlink_to(ROOT / "src", target_is_directory=True)
    (folder / "config.yaml").write_text(yaml.safe_dump(config, sort_keys=False))
    return folder


def _clean(folder):
    for name in ("results", "logs", ".snakemake"):
        shutil.rmtree(folder / name, ignore_errors=True)


def _snakemake(folder, target, cores, extra=()):
    """Wall time of ``snakemake --cores CORES [EXTRA] [TARGET]`` in ``folder``."""
    command = [sys.executable, "-m", "snakemake", "--cores", str(cores), *extra, "--quiet", "all"]
    command += ["--directory", str(folder), "--snakefile", str(folder / "Snakefile")]
    return timed(command + ([target] if target else []))[0]


def _job_seconds(folder):
    """Each job's wall time, by rule, from Snakemake's benchmark files."""
    jobs = {}
    for path in sorted((folder / "logs").rglob("*.benchmark.tsv")):
        rule = path.relative_to(folder / "logs").parts[0].removesuffix(".benchmark.tsv")
        seconds = float(path.read_text().splitlines()[1].split("\t")[0])
        jobs.setdefault(rule, []).append(seconds)
    return jobs


def _per_rule(jobs):
    return {
        rule: {"jobs": len(t), "median_s": statistics.median(t), "max_s": max(t)}
        for rule, t in jobs.items()
    }


def markdown(result, brian2_whole_s=None):
    """The pipeline benchmark as Markdown lines; ``brian2_whole_s``: Brian2 cpp_standalone's
    whole process at the same N (new project), if measured."""
    n, to_dataset = result["n"], result["config_to_dataset_s"]
    lines = [
        f"## Through the pipeline: config to dataset (N = {n:,}, {result['duration_s']:g} s)",
        "",
        "`snakemake results/sims/bench_N.nc` from scratch: Snakemake's start-up and plan, the "
        "parameters job and the simulation job.",
        "",
        "| | wall (s) | ratio to Brian2 cpp_standalone's whole process |",
        "|---|---|---|",
    ]
    for cores, wall in to_dataset.items():
        ratio = f"**{wall / brian2_whole_s:.2f}**" if brian2_whole_s else "-"
        lines.append(f"| `--cores {cores}` | {fmt(wall)} | {ratio} |")
    if brian2_whole_s:
        lines.append(f"| Brian2 cpp_standalone, whole process | {fmt(brian2_whole_s)} | 1 |")
    first = result["first_default"]
    lines += [
        "",
        "## Through the pipeline: the first default config, from scratch, `--cores 2`",
        "",
        f"{', '.join(first['experiments'])}: **{fmt(first['wall_s'])} s** "
        "(median of the runs); with every figure and statistics job in one Snakemake group "
        f"(`--groups`, `--group-components`): {fmt(first.get('grouped_wall_s'))} s (locally "
        "a group's jobs are still one process each). Job times by rule (Snakemake's "
        "benchmark files, two jobs at a time on two cores):",
        "",
        "| rule | jobs | median (s) | longest (s) |",
        "|---|---|---|---|",
    ]
    lines += [
        f"| {rule} | {j['jobs']} | {fmt(j['median_s'])} | {fmt(j['max_s'])} |"
        for rule, j in first["jobs"].items()
    ]
    lines += [
        "",
        "Fixed cost of each step (a process importing the step as `python -m "
        "voltage_to_wiring STEP` does, and ending as a step ends; median):",
        "",
        "| step | s |",
        "|---|---|",
    ]
    lines += [f"| {step} | {fmt(s)} |" for step, s in result["fixed_cost_s"].items()]
    lines.append("")
    return lines
