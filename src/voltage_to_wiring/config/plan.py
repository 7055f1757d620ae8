"""Everything a config asks for, resolved before any job runs: what the workflow builds.

Each experiment (and sweep grid point) has its simulation's parameters and, if it has an
``inference`` section, its inference settings. A grid point whose keys all lie outside the
simulation (e.g. ``inference.snr``) has no simulation of its own: it infers from its base
experiment's, so that a sweep over inference settings runs one simulation; a sweep over
keys of both kinds runs one simulation per combination of its simulation keys.

An experiment with a ``recording`` section (and its sweeps' grid points) runs no simulation:
it infers from the recording's file (see :mod:`.recording`).
"""

import json
from dataclasses import dataclass

from ..errors import ConfigError
from . import resources
from .inference import resolve_recording_inference
from .recording import resolve_recording
from .resolve import experiment_config, experiment_names, resolve, resolve_inference_settings
from .sim import resolve_threads, threads_for
from .sweeps import replicate_keys, simulation_of_point, specs, sweep_points, sweep_simulations


@dataclass
class Plan:
    """A config's experiments, resolved."""

    params: dict  # experiment with a simulation of its own -> resolved parameters
    inference: dict  # experiment with an inference -> resolved inference settings
    simulation_of: dict  # every experiment -> the experiment whose simulation it uses (None:
    #   it infers from a recording)
    sweeps: dict  # sweep -> [(grid point, {key: value}), ...]
    threads: dict  # experiment with a simulation of its own -> sim.threads (int or "auto")
    bases: dict  # sweep -> its base experiment
    replicates: dict  # sweep -> its replicate keys (aggregated per grid point), or []
    recordings: dict  # experiment that infers from a recording -> its resolved recording
    twins: dict  # experiment whose inference another one computes already -> that one

    def simulation_threads(self, name, cores):
        """The threads experiment ``name``'s simulation asks for, with ``cores`` available
        (see :func:`.sim.threads_for`)."""
        return threads_for(self.threads[name], self.params[name]["n"], cores)


def plan(config, check_machine=True, recording_facts=None):
    """Resolve every experiment of ``config`` (raises ConfigError on the first problem);
    with ``check_machine``, refuse simulations this machine cannot hold (see
    :mod:`.resources`). ``recording_facts``: reads a resolved recording's facts (sampling
    rate, length, ...: :func:`voltage_to_wiring.inference.recording_files.facts`), to check
    the inference settings of experiments with a recording against them."""
    names = experiment_names(config)
    recordings = _recordings(config, names)
    simulation_of = {name: None if name in recordings else name for name in names}
    points = sweep_points(config)
    for sweep, spec in specs(config).items():
        for point, values in points[sweep]:
            if point not in recordings:
                simulation_of[point] = simulation_of_point(sweep, spec, values) or point
    params = {name: resolve(config, name) for name in names if simulation_of[name] == name}
    for name, resolved in params.items():
        try:
            resources.check(resolved) if check_machine else resources.check_events(resolved)
        except ConfigError as err:
            raise err.located(experiment=name) from None
    inference = {}
    shared = {name for sims in sweep_simulations(config).values() for name, _ in sims}
    for name in (n for n in names if n not in shared):  # a shared simulation is not a point
        if name in recordings:
            inference[name] = _recording_inference(config, name, recordings[name], recording_facts)
            continue
        settings = resolve_inference_settings(config, name, params[simulation_of[name]])
        if settings is not None:
            inference[name] = settings
    for name, settings in inference.items() if check_machine else ():
        try:
            resources.check_inference(settings)
        except ConfigError as err:
            raise err.located(experiment=name) from None
    threads = {name: resolve_threads(experiment_config(config, name)) for name in params}
    sweeps = specs(config)
    bases = {sweep: spec["base"] for sweep, spec in sweeps.items()}
    replicates = {sweep: replicate_keys(spec) for sweep, spec in sweeps.items()}
    twins = inference_twins(inference, simulation_of, recordings)
    return Plan(
        params, inference, simulation_of, points, threads, bases, replicates, recordings, twins
    )


def inference_twins(inference, simulation_of, recordings):
    """{experiment: the first experiment (in config order) whose inference is the same}: the
    same data (simulation or recording file) and the same resolved settings, so the same
    result bit for bit (e.g. ``nto1`` and the ``inference.snr: inf`` point of a sweep on it,
    or ``duration: 600 s`` and the default, all of it). Such an inference runs once."""
    first, twins = {}, {}
    for name, settings in inference.items():
        source = recordings[name]["file"] if name in recordings else simulation_of[name]
        key = (str(source), json.dumps(settings, sort_keys=True))
        twins.update({name: first[key]} if key in first else {})
        first.setdefault(key, name)
    return twins


def _recordings(config, names):
    """{experiment: resolved recording} of the experiments (and grid points) that infer from
    a recording; refuses simulation sections beside a recording."""
    recordings = {}
    for name in names:
        own = (config.get("experiments") or {}).get(name) or {}
        try:
            merged = experiment_config(config, name)
            if not merged.get("recording"):
                continue
            extra = [s for s in own if s not in ("recording", "inference")]
            if extra:
                raise ConfigError(
                    f"an experiment with a recording runs no simulation: remove {extra}",
                    key=extra[0],
                )
            recordings[name] = resolve_recording(merged["recording"], name)
        except ConfigError as err:
            raise err.located(experiment=name) from None
    return recordings


def _recording_inference(config, name, recording, recording_facts):
    """The resolved inference settings of an experiment with a recording, with the recording
    itself under ``recording`` (what the infer step reads)."""
    try:
        spec = experiment_config(config, name).get("inference") or {}
        if recording_facts is None:
            raise ConfigError("the recording's file is needed to check the inference settings")
        facts = recording_facts(recording)
        settings = resolve_recording_inference(spec, facts)
    except ConfigError as err:
        raise err.located(experiment=name) from None
    # the other files its data is in (HDF5 external links): inputs of its inference too
    return {**settings, "recording": {**recording, "linked": list(facts.linked)}}
