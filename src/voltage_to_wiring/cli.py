"""The commands the Snakemake rules call: ``python -m voltage_to_wiring <step> ...``.

Each step is one function of the package; each writes its output atomically and, with
``--record``, a provenance record of it. ``--log FILE`` sends the step's log (tracebacks
included) to FILE as well as to stderr. Run ``python -m voltage_to_wiring --help``.
"""

import argparse
import json
import logging
import sys
import time
from pathlib import Path

from . import __version__, provenance
from .errors import ConfigError, OutputError, SimulationError
from .files import write_text

# Each step imports the heavy modules it needs (numba, xarray, matplotlib) itself, so that a
# job starts in a fraction of a second when it does not need them.
FIGURES = ("voltage", "conductance", "recovery", "raster", "rates", "degrees")  # tested

log = logging.getLogger("voltage_to_wiring")


def resolve_params(args):
    """Resolve one experiment of the config files to SI parameters (JSON)."""
    from . import config

    if args.settings is not None:
        if args.configfiles:
            raise ConfigError("give either config files or --settings, not both")
        text = sys.stdin.read() if str(args.settings) == "-" else args.settings.read_text()
        settings = json.loads(text)
        merged = {"experiments": {args.experiment: settings}}
    elif args.configfiles:
        merged = config.load(args.configfiles)
    else:
        raise ConfigError("give config files, or an experiment's merged settings with --settings")
    params = config.resolve(merged, args.experiment)
    write_text(args.output, json.dumps(params, indent=1, sort_keys=True) + "\n")
    log.info(
        "wrote %s (%d neurons, %d synapses)",
        args.output,
        params["n"],
        len(params["network"].get("pre", [])),
    )
    inputs = [params["network"]["file"]] if "file" in params["network"] else []
    return args.output, [*args.configfiles, *inputs], params


def read_params(path):
    """Resolved parameters from a params JSON file."""
    with open(path) as file:
        return json.load(file)


def simulate(args):
    """Simulate one experiment from its params JSON and write the dataset (netCDF)."""
    from . import build, dataset
    from .engine import run
    from .engine.driver import recorded_neurons

    params = read_params(args.params)
    started = provenance.now()
    sim = build.simulation(params)
    record = params["record"]
    log.info(
        "simulating '%s': %d neurons, %d synapses, %d samples, %s scheme",
        params["experiment"],
        sim.n,
        sim.network.n_synapses,
        sim.n_samples,
        sim.scheme,
    )
    clock = time.perf_counter()
    chunks = run(
        sim,
        record["variables"],
        record["neurons"],
        chunk_steps=args.chunk_steps,
        progress=not args.no_progress,
    )
    inputs = [args.params] + ([params["network"]["file"]] if "file" in params["network"] else [])
    neurons = recorded_neurons(sim.n, record["neurons"])
    n_spikes = dataset.write_chunks(
        args.output,
        params,
        sim.network,
        neurons,
        chunks,
        attrs=lambda: provenance.attrs(params, inputs, started),  # once the run is over
    )
    log.info(
        "simulated and wrote %s in %.2f s: %d spikes",
        args.output,
        time.perf_counter() - clock,
        n_spikes,
    )
    return args.output, inputs, params


def plot_figure(args):
    """Draw one figure of a dataset as PNG."""
    from . import dataset, figures
    from .files import params_hash

    ds = dataset.read(args.dataset)
    params = dataset.params_of(ds)
    fig = figures.make(ds, args.figure)
    figures.save(
        fig,
        args.output,
        {
            "Title": f"{params['experiment']}: {args.figure}",
            "experiment": params["experiment"],
            "params_hash": params_hash(params),
            "git_commit": ds.attrs.get("git_commit", "unknown"),
            "source_dataset": str(args.dataset),
        },
    )
    log.info("wrote %s", args.output)
    return args.output, [args.dataset], params


def compute_stats(args):
    """Per-experiment statistics of a dataset (JSON)."""
    from . import dataset, stats

    ds = dataset.read(args.dataset)
    params = dataset.params_of(ds)
    write_text(args.output, json.dumps(stats.summary(ds, params), indent=1) + "\n")
    log.info("wrote %s", args.output)
    return args.output, [args.dataset], params


def _points(args):
    """A sweep's grid points, [[experiment, {key: value}], ...] as JSON (file or - for stdin)."""
    return json.loads(sys.stdin.read() if str(args.points) == "-" else args.points.read_text())


def tabulate_sweep(args):
    """A sweep's table: swept values and statistics of every grid point (CSV)."""
    from . import sweep_table

    points = _points(args)
    files = dict(zip([name for name, _ in points], args.stats, strict=True))
    write_text(args.output, sweep_table.to_csv(sweep_table.rows(points, files)))
    log.info("wrote %s (%d points)", args.output, len(points))
    return args.output, args.stats, None


def plot_sweep(args):
    """A sweep's summary figure: statistics against the swept values (PNG)."""
    from . import figures, sweep_table

    points = _points(args)
    keys = list(points[0][1])
    fig = sweep_table.summary_figure(args.sweep, keys, sweep_table.read_csv(args.table))
    figures.save(fig, args.output, {"Title": f"sweep {args.sweep}", "sweep": args.sweep})
    log.info("wrote %s", args.output)
    return args.output, [args.table], None


def report_provenance(args):
    """Gather the provenance records into results/provenance.{json,md}."""
    from . import report

    report.write(args.records, args.json, args.markdown)
    log.info("wrote %s and %s (%d outputs)", args.json, args.markdown, len(args.records))
    return None, [], None


def check_config(args):
    """Check every experiment of the config files and list them."""
    from . import config

    merged = config.load(args.configfiles)
    for name in config.experiment_names(merged):
        params = config.resolve(merged, name)
        print(
            f"{name}: {params['n']} neurons, {params['sim']['scheme']}, "
            f"{params['sim']['duration']:g} s"
        )
    return None, [], None


def _parser():
    parser = argparse.ArgumentParser(
        prog="python -m voltage_to_wiring",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    steps = parser.add_subparsers(dest="step", required=True, metavar="STEP")

    def step(function):
        sub = steps.add_parser(
            function.__name__, help=function.__doc__.splitlines()[0], description=function.__doc__
        )
        sub.set_defaults(function=function)
        sub.add_argument("--log", type=Path, help="also write the log to this file")
        sub.add_argument("--record", type=Path, help="write a provenance record (JSON) here")
        return sub

    sub = step(resolve_params)
    sub.add_argument("configfiles", nargs="*", type=Path, help="config YAML file(s), merged")
    sub.add_argument(
        "--settings",
        type=Path,
        help="instead of config files: the experiment's "
        "merged settings as JSON (a file, or - for stdin; used by the workflow)",
    )
    sub.add_argument("--experiment", required=True)
    sub.add_argument("--output", required=True, type=Path)
    sub = step(simulate)
    sub.add_argument("--params", required=True, type=Path)
    sub.add_argument("--output", required=True, type=Path)
    sub.add_argument(
        "--chunk-steps",
        type=int,
        default=None,
        help="samples per chunk (default: chosen to bound memory)",
    )
    sub.add_argument("--no-progress", action="store_true", help="no progress bar")
    sub = step(plot_figure)
    sub.add_argument("--dataset", required=True, type=Path)
    sub.add_argument("--figure", required=True, choices=FIGURES)
    sub.add_argument("--output", required=True, type=Path)
    sub = step(compute_stats)
    sub.add_argument("--dataset", required=True, type=Path)
    sub.add_argument("--output", required=True, type=Path)
    for function in (tabulate_sweep, plot_sweep):
        sub = step(function)
        sub.add_argument("--sweep", required=True)
        sub.add_argument(
            "--points",
            required=True,
            type=Path,
            help="the grid points as JSON [[experiment, {key: value}], ...]",
        )
        sub.add_argument("--output", required=True, type=Path)
        if function is tabulate_sweep:
            sub.add_argument("stats", nargs="+", type=Path, help="statistics JSON per point")
        else:
            sub.add_argument("--table", required=True, type=Path)
    sub = step(report_provenance)
    sub.add_argument("records", nargs="*", type=Path, help="provenance records (JSON)")
    sub.add_argument("--json", required=True, type=Path)
    sub.add_argument("--markdown", required=True, type=Path)
    sub = step(check_config)
    sub.add_argument("configfiles", nargs="+", type=Path, help="config YAML file(s), merged")
    return parser


def _setup_logging(log_file):
    handlers = [logging.StreamHandler(sys.stderr)]
    if log_file:
        log_file.parent.mkdir(parents=True, exist_ok=True)
        handlers.append(logging.FileHandler(log_file, mode="w"))
    logging.basicConfig(
        level=logging.INFO,
        handlers=handlers,
        force=True,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    logging.captureWarnings(True)


def main(argv=None):
    """Run one step; return the exit status (0 on success, 1 on a reported error)."""
    args = _parser().parse_args(argv)
    _setup_logging(args.log)
    started = provenance.now()
    try:
        output, inputs, params = args.function(args)
        if args.record and output is not None:
            entry = provenance.record(output, inputs, params, started)
            entry["step"] = args.step
            provenance.write_record(entry, args.record)
    except (ConfigError, SimulationError, OutputError) as err:
        log.error("%s", err)
        return 1
    except OSError as err:
        where = f" '{err.filename}'" if err.filename else ""
        log.error("%s failed on file%s: %s", args.step, where, err.strerror or err)
        log.debug("traceback", exc_info=True)
        return 1
    except Exception:
        log.exception("%s failed with an unexpected error", args.step)
        return 1
    return 0
