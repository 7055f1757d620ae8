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
from dataclasses import dataclass, field

from ..errors import ConfigError, ConfigErrors
from . import resources
from .inference import resolve_recording_inference
from .recording import resolve_recording
from .resolve import (
    check_settings_size,
    experiment_config,
    experiment_names,
    resolve,
    resolve_inference_settings,
)
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
    refused: dict = field(default_factory=dict)  # experiment or sweep -> its ConfigError
    #   (with ``keep_going``: left out of everything above)

    def simulation_threads(self, name, cores):
        """The threads experiment ``name``'s simulation asks for, with ``cores`` available
        (see :func:`.sim.threads_for`)."""
        return threads_for(self.threads[name], self.params[name]["n"], cores)

    def refusal(self):
        """One ConfigErrors of every refused experiment and sweep (see :func:`refusal`)."""
        return refusal(self.refused)


def refusal(refused):
    """One ConfigErrors of the errors of ``refused`` ({name: ConfigError}, in the config's
    order), without the grid points refused only because the simulation they infer from is
    (their sweep says so); None if nothing is refused."""
    shown = [e for e in refused.values() if not getattr(e, "dependent", False)]
    return ConfigErrors(shown) if shown else None


def plan(config, check_machine=True, recording_facts=None, keep_going=False):
    """Resolve every experiment of ``config``; with ``check_machine``, refuse simulations
    this machine cannot hold (see :mod:`.resources`). ``recording_facts``: reads a resolved
    recording's facts (sampling rate, length, ...:
    :func:`voltage_to_wiring.inference.recording_files.facts`), to check the inference
    settings of experiments with a recording against them.

    Every experiment is checked, whatever another's problems: a refused one is refused with
    the experiments and sweeps that need it. Raises :class:`ConfigErrors` of all of them,
    or with ``keep_going`` returns a Plan of the others, the refused in ``refused``. A problem
    of the whole config (its top level, the sweeps section) is raised at once."""
    refused = {}
    names = experiment_names(config, refused)
    recordings = _each(names, refused, lambda name: _recording(config, name))
    recordings = {name: spec for name, spec in recordings.items() if spec is not None}
    simulation_of = {name: None if name in recordings else name for name in names}
    points = {s: grid for s, grid in sweep_points(config).items() if s not in refused}
    for sweep, spec in specs(config).items():
        for point, values in points.get(sweep, ()):
            if point not in recordings:
                simulation_of[point] = simulation_of_point(sweep, spec, values) or point
    own = [name for name in names if simulation_of[name] == name]
    params = _each(own, refused, lambda name: _params(config, name, check_machine))
    _refuse_dependents(simulation_of, refused)
    shared = {name for sims in sweep_simulations(config).values() for name, _ in sims}
    inferring = [n for n in names if n not in shared and n not in refused]
    inference = _each(
        inferring,
        refused,
        lambda name: _inference(config, name, recordings, params, simulation_of, recording_facts),
    )
    inference = {name: settings for name, settings in inference.items() if settings is not None}
    if check_machine:
        _each(list(inference), refused, lambda name: resources.check_inference(inference[name]))
    _refuse_sweeps(points, refused, config)
    order = [*names, *specs(config)]
    refused = {name: refused[name] for name in order if name in refused}
    if refused and not keep_going:
        raise refusal(refused)
    kept = [name for name in names if name not in refused]
    threads = {name: resolve_threads(experiment_config(config, name)) for name in params}
    sweeps = {sweep: spec for sweep, spec in specs(config).items() if sweep not in refused}
    return Plan(
        params={name: p for name, p in params.items() if name not in refused},
        inference={name: s for name, s in inference.items() if name not in refused},
        simulation_of={name: simulation_of[name] for name in kept},
        sweeps={sweep: points[sweep] for sweep in sweeps},
        threads={name: t for name, t in threads.items() if name not in refused},
        bases={sweep: spec["base"] for sweep, spec in sweeps.items()},
        replicates={sweep: replicate_keys(spec) for sweep, spec in sweeps.items()},
        recordings={name: r for name, r in recordings.items() if name not in refused},
        twins=inference_twins(
            {n: s for n, s in inference.items() if n not in refused}, simulation_of, recordings
        ),
        refused=refused,
    )


def _each(names, refused, resolve_one):
    """{name: resolve_one(name)} of ``names``; a name whose resolution raises a ConfigError
    goes to ``refused`` instead (located at the experiment)."""
    done = {}
    for name in (n for n in names if n not in refused):  # a refused one stays as it was
        try:
            done[name] = resolve_one(name)
        except ConfigError as err:
            refused[name] = err.located(experiment=name)
    return done


def _params(config, name, check_machine):
    check_settings_size(experiment_config(config, name))
    resolved = resolve(config, name)
    resources.check(resolved) if check_machine else resources.check_events(resolved)
    return resolved


def _inference(config, name, recordings, params, simulation_of, recording_facts):
    if name in recordings:
        return _recording_inference(config, name, recordings[name], recording_facts)
    return resolve_inference_settings(config, name, params[simulation_of[name]])


def _refuse_dependents(simulation_of, refused):
    """A grid point that infers from a refused experiment's simulation is refused too."""
    for name, simulation in simulation_of.items():
        if simulation in refused and name not in refused:
            refused[name] = ConfigError(
                f"it infers from the simulation of '{simulation}', which is refused",
                experiment=name,
            )
            refused[name].dependent = True


def _refuse_sweeps(points, refused, config):
    """A sweep with a refused grid point (or base) is refused: its table needs every point."""
    for sweep, grid in points.items():
        bad = [point for point, _ in grid if point in refused]
        base = (config.get("sweeps") or {})[sweep]["base"]
        if base in refused:
            refused[sweep] = ConfigError(
                f"its base experiment '{base}' is refused", experiment=sweep, kind="sweep"
            )
            for point in bad:  # their problem is the base's, said once
                refused[point].dependent = True
        elif bad:
            refused[sweep] = ConfigError(
                f"{len(bad)} of its {len(grid)} grid points are refused (the first: '{bad[0]}')",
                experiment=sweep,
                kind="sweep",
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


def _recording(config, name):
    """The resolved recording of an experiment (or grid point) that infers from one, or
    None; refuses simulation sections beside a recording."""
    own = (config.get("experiments") or {}).get(name) or {}
    merged = experiment_config(config, name)
    if not merged.get("recording"):
        return None
    extra = [s for s in own if s not in ("recording", "inference")]
    if extra:
        raise ConfigError(
            f"an experiment with a recording runs no simulation: remove {extra}", key=extra[0]
        )
    return resolve_recording(merged["recording"], name)


def _recording_inference(config, name, recording, recording_facts):
    """The resolved inference settings of an experiment with a recording, with the recording
    itself under ``recording`` (what the infer step reads)."""
    spec = experiment_config(config, name).get("inference") or {}
    if recording_facts is None:
        raise ConfigError("the recording's file is needed to check the inference settings")
    facts = recording_facts(recording)
    settings = resolve_recording_inference(spec, facts)
    # the other files its data is in (HDF5 external links): inputs of its inference too
    return {**settings, "recording": {**recording, "linked": list(facts.linked)}}
