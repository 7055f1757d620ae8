"""An experiment of a config -> its resolved parameters: defaults merged in, every key checked,
every quantity in SI.

:func:`resolve` returns a plain dict of SI floats, ints, strings and lists that holds
everything a simulation needs and nothing implicit; it is what
``results/params/{experiment}.json`` contains. Each section is checked by its own module.
"""

import json

from .. import units
from ..core import neurons
from ..core.synapse_types import names_of
from ..errors import ConfigError, did_you_mean
from .drive import resolve_drive
from .inference import resolve_inference
from .keys import HOW_TO_RUN, NOT_SIMULATION, check_name, units_of
from .merge import check_top_level, given_keys, merged_experiment
from .network import resolve_network
from .neuron import resolve_neuron
from .record import resolve_initial, resolve_record
from .sim import resolve_sim, resolve_threads
from .sweeps import point_settings, sweep_base, sweep_points, sweep_simulations
from .synapse import resolve_synapse, warn_rounded_delay


def experiment_names(config, refused=None):
    """Names of the experiments in a config, then of every sweep's grid points and shared
    simulations (see :mod:`.sweeps`), in order.

    Each name is checked to be path-safe and unique, and each sweep's keys to exist. With a
    dict ``refused``, a sweep whose keys its base does not have is put there (its points
    left out) instead of raising.
    """
    check_top_level(config)
    names = list(config.get("experiments") or {})
    for name in names:
        check_name(name)
    simulations = sweep_simulations(config)
    for sweep, grid in sweep_points(config).items():
        try:
            sweep_base(config, sweep)  # checks the sweep's keys against its base experiment
        except ConfigError as err:
            if refused is None:
                raise
            refused[sweep] = err
            continue
        for name, _ in grid + simulations[sweep]:
            if name in names:
                raise ConfigError(
                    f"grid point {name!r} has the name of another experiment",
                    experiment=sweep,
                    kind="sweep",
                )
            try:
                check_name(name)
            except ConfigError as err:
                raise ConfigError(
                    f"grid point {name!r}: {err.problem}", experiment=sweep, kind="sweep"
                ) from None
            names.append(name)
    return names


def experiment_config(config, name):
    """The experiment ``name`` (or grid point) merged into the defaults, before units are read."""
    experiments = config.get("experiments") or {}
    if name in experiments:
        return merged_experiment(config, name)
    settings = point_settings(config, name)
    if settings is None:
        raise ConfigError(
            f"no such experiment{did_you_mean(name, experiments)} (known: {sorted(experiments)})",
            experiment=name,
        )
    return settings


def resolve(config, name, merged=False):
    """Resolve one experiment to SI parameters, checking everything on the way.

    Parameters
    ----------
    config : dict
        A whole config (``defaults`` and ``experiments``), e.g. from :func:`.merge.load`.
    name : str
        The experiment.
    merged : bool
        True if ``config`` holds the experiment's settings already merged into the
        defaults (as the workflow hands them to the params step, after checking the config
        itself): the keys the experiment sets itself are then unknown, and not checked.

    Returns
    -------
    dict
        JSON-ready parameters: ``experiment``, ``n``, ``neuron``, ``synapse``, ``sim``,
        ``record``, ``network``, ``initial``, ``drive`` and ``units`` (the SI unit of every
        quantity). Scalars stand for a value shared by all neurons.

    Raises
    ------
    ConfigError
        Naming the experiment, the key and the problem.
    """
    check_name(name)
    try:
        keys = () if merged else given(config, name)
        return resolve_settings(experiment_config(config, name), name, keys)
    except ConfigError as err:
        raise err.located(experiment=name) from None


def given(config, name):
    """The keys experiment (or grid point) ``name`` sets itself: a grid point's are its
    base's and the grid's."""
    keys = given_keys(config, name)
    if keys is not None:
        return keys
    for table in (sweep_points(config), sweep_simulations(config)):
        for sweep, points in table.items():
            for point, values in points:
                if point == name:
                    base = given_keys(config, config["sweeps"][sweep]["base"]) or set()
                    return base | {".".join(k.split(".")[:2]) for k in values}
    return set()


def simulation_settings(merged):
    """An experiment's merged settings without the sections that are not the simulation's
    (``inference``) and the keys that only say how to run it (``sim.threads``): what the
    simulation's parameters are made of."""
    settings = {}
    for section, keys in merged.items():
        if section in NOT_SIMULATION:
            continue
        how = HOW_TO_RUN.get(section, ())
        settings[section] = {k: v for k, v in keys.items() if k not in how}
    return settings


# An experiment's simulation settings reach its job on the command line (as JSON), whose
# arguments the kernel limits to 128 kB each: large arrays belong in files.
MAX_SETTINGS = 100_000


def check_settings_size(merged):
    """Refuse simulation settings too large to hand to a job, naming the key that holds the
    most and the file that would take it."""
    settings = simulation_settings(merged)
    size = len(json.dumps(settings, sort_keys=True))
    if size <= MAX_SETTINGS:
        return
    sizes = {
        f"{section}.{key}": len(json.dumps(value))
        for section, keys in settings.items()
        if isinstance(keys, dict)
        for key, value in keys.items()
    }
    key = max(sizes, key=sizes.get)
    where = (
        "an edge file (network: {n: N, edges: {file: PATH, unit: nS}})"
        if key.startswith("network.")
        else "a CSV or NPZ file ({file: PATH, unit: UNIT}, one value per neuron)"
    )
    raise ConfigError(
        f"the settings are too large to hand to a job ({size // 1000} kB, of which this key "
        f"holds {sizes[key] // 1000} kB): give its values in {where}",
        key=key,
    )


def input_files(merged):
    """The files an experiment's simulation settings name (edge files, per-neuron array
    files: every ``file`` of a mapping in them), sorted: what its parameters are read
    from besides the config."""
    found = []

    def walk(node):
        if isinstance(node, dict):
            if isinstance(node.get("file"), str):
                found.append(node["file"])
            for value in node.values():
                if isinstance(value, (dict, list)):
                    walk(value)
        elif isinstance(node, list) and node and isinstance(node[0], (dict, list)):
            for value in node:
                walk(value)

    walk(simulation_settings(merged))
    return sorted(set(found))


def resolve_inference_settings(config, name, params=None):
    """The resolved inference settings of experiment ``name`` (None if it has none), checked
    against its resolved simulation ``params`` (resolved here if not given)."""
    try:
        merged = experiment_config(config, name)
        params = params or resolve_settings(merged, name)
        return resolve_inference(merged.get("inference") or None, params)
    except ConfigError as err:
        raise err.located(experiment=name) from None


def resolve_settings(merged, name, given_keys=()):
    """Resolve an experiment's merged settings (see :func:`experiment_config`) to the
    simulation's parameters; ``given_keys``: those the experiment sets itself (not through
    the defaults)."""
    sim = resolve_sim(merged)
    resolve_threads(merged)  # checked here, used by the workflow (see :mod:`.plan`)
    network = resolve_network(merged["network"], merged["sim"])
    neuron = resolve_neuron(merged, network.get("populations"))
    model = neurons.of(neuron)
    if "sources" in network and sim["scheme"] != "synchronous":
        raise ConfigError(
            "spike sources (network.sources) need the synchronous scheme", key="sim.scheme"
        )
    n, types = network["n"], names_of(network)
    synapse = resolve_synapse(merged, types, sim["dt"], given_keys)
    warn_rounded_delay(synapse, sim["dt"], name)
    return {
        "experiment": name,
        "n": n,
        "neuron": neuron,
        "synapse": synapse,
        "sim": sim,
        "network": network,
        "initial": resolve_initial(merged, n, neuron, types, given_keys),
        "drive": resolve_drive(merged, n, types),
        "record": resolve_record(merged["record"], n, types, model, given_keys),
        "units": {key: units.pretty(unit) for key, unit in units_of(model).items()},
    }
