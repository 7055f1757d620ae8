"""Infer the inputs of recorded neurons from a simulation's dataset (netCDF), or from a
recording (NWB or NPZ) when the settings name one."""

import json
import logging
import sys
import time
from pathlib import Path

from .. import config
from ..cpus import thread_count, usable_threads
from ..data import dataset
from ..data.view import open_view, require
from ..errors import ConfigError
from ..files import sha256, write_text
from ..inference import microscope, output, recording_files
from ..inference.recording import Recording
from ..inference.run import infer
from ..provenance import record
from ._settings import add_settings_arguments, given_settings

log = logging.getLogger("voltage_to_wiring")
RESOLVED = "resolved inference settings"


def add_arguments(parser):
    add_settings_arguments(parser, RESOLVED)
    parser.add_argument("--experiment", required=True)
    parser.add_argument(
        "--dataset", required=True, type=Path, help="the simulation (netCDF), or the recording"
    )
    parser.add_argument("--output", required=True, type=Path)
    parser.add_argument(
        "--same-as",
        type=Path,
        default=None,
        help="an inference of another experiment with the same data and settings: relabelled "
        "as this experiment's instead of computed again (empty: compute)",
    )
    parser.add_argument(
        "--params-hash",
        default="",
        help="the params_hash the simulation must carry (the workflow's plan gives it): a "
        "dataset of other parameters under the expected name is refused (empty: not checked)",
    )
    parser.add_argument(
        "--threads",
        type=thread_count,
        default=1,
        help="threads sharing the tested trains (results do not depend on it; default 1)",
    )


def run(args):
    settings = given_settings(args, RESOLVED)  # the arguments checked before any reading
    started, clock = record.now(), time.perf_counter()
    twin = args.same_as is not None and str(args.same_as) not in ("", ".")
    if settings is not None and "recording" in settings:
        recording = _recording(args, settings)
        hashed, described = settings, {"experiment": args.experiment, "inference": settings}
        for sentence in recording.assumed:
            log.info("%s: %s", args.dataset, sentence)
    else:
        # A twin's relabelling needs the simulation's parameters only; an inference needs
        # its voltage and spike steps, not its spike times or time axis.
        ds = (
            open_view(args.dataset)
            if twin
            else dataset.read(args.dataset, skip=("spike_time", "time"))
        )
        require(ds, "simulation", args.dataset)
        params = dataset.params_of(ds)
        _check_simulation(args, ds)
        if settings is None:
            settings = _from_config(args, params)
        recording = None
        if not twin:  # the simulation as recorded: ideal, or through a simulated microscope
            simulated = Recording.of_simulation(ds, params, settings["neurons"])
            recording = microscope.through(simulated, settings)
        hashed = params
        described = {"experiment": args.experiment, "inference": settings, "simulation": params}
    if twin:
        return _relabelled(args, settings, hashed, described, started)
    log.info(
        "inferring the inputs of neuron(s) %s of '%s' from %s (%d trains; methods %s)",
        settings["neurons"],
        args.experiment,
        args.dataset,
        recording.n_trains,
        ", ".join(settings["methods"]),
    )
    try:
        result = infer(recording, settings, usable_threads(args.threads))
    except ConfigError as err:  # the data cannot be analysed: say which experiment's
        raise err.located(experiment=args.experiment) from None
    for warning in result["warnings"]:
        log.warning("%s: %s", args.experiment, warning)
    inputs = [args.dataset, *(recording.linked if settings.get("recording") else ())]
    attrs = record.attrs(hashed, inputs, started)
    out = output.build(args.experiment, result, recording, settings, attrs)
    dataset.write(out, args.output)
    log.info(
        "wrote %s in %.2f s: %d pairs (%s)",
        args.output,
        time.perf_counter() - clock,
        out.sizes["pair"],
        ", ".join(f"{m} {s:.2f} s" for m, s in result["seconds"].items()),
    )
    facts = _rerunnable(args, settings)
    if recording.assumed:  # how a recording was read: in its record too
        facts["assumed"] = recording.assumed
    return args.output, inputs, described, facts


def _rerunnable(args, settings):
    """Settings read from stdin (``--settings -``, as the workflow passes them) are written
    beside the provenance record, and the recorded command names that file, so that it can
    be run again as it stands ({} when there is nothing to change)."""
    if args.record is None or str(args.settings) != "-":
        return {}
    kept = args.record.with_name(args.record.name.removesuffix(".json") + ".settings.json")
    write_text(kept, json.dumps(settings, sort_keys=True, indent=1) + "\n")
    command = list(sys.argv)
    if "--settings" not in command:  # called in-process with other arguments than argv
        return {"settings_file": str(kept)}
    command[command.index("--settings") + 1] = str(kept)
    return {"command": command}


def _check_simulation(args, ds):
    """Refuse a dataset that is not the simulation the plan expects (another experiment's
    file, or one of older parameters, under the expected name)."""
    found = ds.attrs.get("params_hash")
    if args.params_hash and found != args.params_hash:
        raise ConfigError(
            f"{args.dataset} holds the simulation of '{ds.attrs.get('experiment')}' with "
            f"params_hash {found}, not the expected {args.params_hash}: it is not this "
            f"experiment's data (rerun its simulation: snakemake --forcerun simulate)",
            experiment=args.experiment,
        )


def _relabelled(args, settings, hashed, described, started):
    """The inference ``--same-as`` names, as this experiment's: its settings must be these
    (else it is not the same inference) and its data this data."""
    twin = require(dataset.read(args.same_as), "inference", args.same_as)
    own = json.dumps(settings, sort_keys=True, allow_nan=False)
    if twin.attrs.get("settings_json") != own:
        raise ConfigError(
            f"{args.same_as} was inferred with other settings: it cannot stand for this one",
            experiment=args.experiment,
        )
    inputs = [args.dataset, args.same_as]
    if json.loads(twin.attrs["inputs_sha256"]).get(str(args.dataset)) != sha256(args.dataset):
        raise ConfigError(
            f"{args.same_as} was inferred from other data than {args.dataset}",
            experiment=args.experiment,
        )
    other = twin.attrs["experiment"]
    twin.attrs.update(record.attrs(hashed, inputs, started))
    twin.attrs.update(
        experiment=args.experiment,
        title=twin.attrs["title"].replace(f"inference '{other}'", f"inference '{args.experiment}'"),
        computed_for=other,
    )
    dataset.write(twin, args.output)
    log.info("wrote %s: the inference of '%s', the same data and settings", args.output, other)
    return args.output, inputs, described, _rerunnable(args, settings)


def _recording(args, settings):
    """The recording an experiment's settings name (its file is ``--dataset``)."""
    spec = settings["recording"]
    if Path(spec["file"]).resolve() != args.dataset.resolve():
        raise ConfigError(
            f"the settings name the recording {spec['file']}, not {args.dataset}",
            experiment=args.experiment,
        )
    return recording_files.read(spec)


def _from_config(args, params):
    """The experiment's inference settings, resolved from the config files."""
    settings = config.resolve_inference_settings(
        config.load(args.configfiles), args.experiment, params
    )
    if settings is None:
        raise ConfigError("has no 'inference' section", experiment=args.experiment)
    return settings
