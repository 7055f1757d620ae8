"""Everything a config asks for, resolved before any job runs: what the workflow builds.

Each experiment (and sweep grid point) has its simulation's parameters and, if it has an
``inference`` section, its inference settings. A grid point whose keys all lie outside the
simulation (e.g. ``inference.snr``) has no simulation of its own: it infers from its base
experiment's, so that a sweep over inference settings runs one simulation; a sweep over
keys of both kinds runs one simulation per combination of its simulation keys.
"""

from dataclasses import dataclass

from ..errors import ConfigError
from . import resources
from .resolve import experiment_config, experiment_names, resolve, resolve_inference_settings
from .sim import resolve_threads, threads_for
from .sweeps import replicate_keys, simulation_of_point, specs, sweep_points, sweep_simulations


@dataclass
class Plan:
    """A config's experiments, resolved."""

    params: dict  # experiment with a simulation of its own -> resolved parameters
    inference: dict  # experiment with an inference -> resolved inference settings
    simulation_of: dict  # every experiment -> the experiment whose simulation it uses
    sweeps: dict  # sweep -> [(grid point, {key: value}), ...]
    threads: dict  # experiment with a simulation of its own -> sim.threads (int or "auto")
    bases: dict  # sweep -> its base experiment
    replicates: dict  # sweep -> its replicate keys (aggregated per grid point), or []

    def simulation_threads(self, name, cores):
        """The threads experiment ``name``'s simulation asks for, with ``cores`` available
        (see :func:`.sim.threads_for`)."""
        return threads_for(self.threads[name], self.params[name]["n"], cores)


def plan(config, check_machine=True):
    """Resolve every experiment of ``config`` (raises ConfigError on the first problem);
    with ``check_machine``, refuse simulations this machine cannot hold (see
    :mod:`.resources`)."""
    names = experiment_names(config)
    simulation_of = {name: name for name in names}
    points = sweep_points(config)
    for sweep, spec in specs(config).items():
        for point, values in points[sweep]:
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
        settings = resolve_inference_settings(config, name, params[simulation_of[name]])
        if settings is not None:
            inference[name] = settings
    threads = {name: resolve_threads(experiment_config(config, name)) for name in params}
    sweeps = specs(config)
    bases = {sweep: spec["base"] for sweep, spec in sweeps.items()}
    replicates = {sweep: replicate_keys(spec) for sweep, spec in sweeps.items()}
    return Plan(params, inference, simulation_of, points, threads, bases, replicates)
