"""config.yaml -> resolved parameters: defaults merged into each experiment, checked, in SI.

The config has two sections: ``defaults`` (applied to every experiment) and
``experiments`` (a mapping from name to overrides). Each experiment is merged key by key
into the defaults (``neuron.C`` of an experiment replaces ``neuron.C`` of the defaults; the
``network`` section is replaced whole), then every quantity is parsed with its unit and
checked. :func:`resolve` returns a plain dict of SI floats, ints, strings and lists that
holds everything a simulation needs and nothing implicit; it is what
``results/params/{experiment}.json`` contains.
"""

import difflib
import re
from pathlib import Path

import numpy as np
import yaml

from . import drives, populations, sweeps, units
from .checks import count, located, refuse_unknown, seed_of
from .errors import ConfigError
from .files import dumps, params_hash, sha256  # noqa: F401 (part of the config API)
from .network import Network, read_edge_file
from .units import AMPERE, FARAD, PER_SECOND, SECOND, SIEMENS, SIEMENS_PER_VOLT, VOLT

# Every key the config knows, by section, with the SI unit of its value (None: not a quantity).
SECTIONS = {
    "neuron": {
        "C": FARAD,
        "k": SIEMENS_PER_VOLT,
        "b": SIEMENS,
        "v_r": VOLT,
        "v_t": VOLT,
        "v_peak": VOLT,
        "c": VOLT,
        "a": PER_SECOND,
        "d": AMPERE,
    },
    "synapse": {"v_syn": VOLT, "tau": SECOND, "delay": SECOND, "exc": None, "inh": None},
    "sim": {"dt": SECOND, "duration": SECOND, "scheme": None, "seed": None},
    "record": {"variables": None, "neurons": None},
    "network": {
        "weights": SIEMENS,
        "n": None,
        "edges": None,
        "connectivity": None,
        "weight": SIEMENS,
        "populations": None,
    },
    "initial": {"v": VOLT, "u": AMPERE, "g": SIEMENS},
    "drive": {"current": AMPERE, "poisson": None, "noise": None},
}
REQUIRED = {
    "neuron": tuple(SECTIONS["neuron"]),
    "synapse": ("delay",),
    "sim": ("dt", "duration"),
    "network": (),
}
STRICTLY_POSITIVE = {("neuron", "C"), ("synapse", "tau"), ("sim", "dt"), ("sim", "duration")}
SCHEMES = ("synchronous", "sequential")
VARIABLES = ("v", "u", "g", "I")
NAME_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.,=+-]*$")
TOP_LEVEL = ("defaults", "experiments", "sweeps")


def load(paths):
    """Read and merge one or more YAML config files, later files adding to earlier ones.

    Experiments are merged by name, ``defaults`` key by key, as Snakemake does with several
    ``--configfile`` options.
    """
    config = {}
    for path in [paths] if isinstance(paths, (str, Path)) else paths:
        config = merge_configs(config, read_yaml(path))
    return config


def read_yaml(path):
    """Parse one YAML file; a syntax error names the file and the line."""
    try:
        with open(path) as file:
            data = yaml.safe_load(file)
    except FileNotFoundError:
        raise ConfigError(f"config file '{path}' does not exist") from None
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        line = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(err, "problem", None) or str(err)
        raise ConfigError(f"config file '{path}' is not valid YAML{line}: {problem}") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ConfigError(
            f"config file '{path}' must hold a mapping with 'defaults' and 'experiments'"
        )
    return data


def merge_configs(base, extra):
    """Merge two whole configs (recursively, mappings only; ``extra`` wins)."""
    merged = dict(base)
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = merge_configs(merged[key], value)
        else:
            merged[key] = value
    return merged


def experiment_names(config):
    """Names of the experiments in a config, then of every sweep's grid points, in order.

    Each name is checked to be path-safe and unique, and each sweep's keys to exist.
    """
    _check_top_level(config)
    names = list(config.get("experiments") or {})
    for name in names:
        check_name(name)
    for sweep, grid in sweep_points(config).items():
        _sweep_base(config, sweep)
        for name, _ in grid:
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


def _sweep_base(config, sweep):
    """The merged base experiment of a sweep, after checking the sweep's grid keys."""
    spec = sweeps.specs(config)[sweep]
    merged = experiment_config(config, spec["base"])
    for key in spec["grid"]:
        sweeps.check_key(sweep, key, merged, SECTIONS)
    return merged


def sweep_points(config):
    """Every sweep's grid points: {sweep: [(experiment name, {key: value}), ...]}."""
    return {sweep: sweeps.points(sweep, spec) for sweep, spec in sweeps.specs(config).items()}


def check_name(name):
    """Refuse experiment names that are unsafe as a file name (``../x``, spaces, slashes)."""
    if not isinstance(name, str) or not NAME_PATTERN.match(name):
        raise ConfigError(
            "this name cannot be used in file names: use letters, digits and "
            "'_ . , = + -', starting with a letter or digit",
            experiment=name,
        )


def _check_top_level(config):
    if not isinstance(config, dict):
        raise ConfigError("the config must be a mapping with 'defaults' and 'experiments'")
    refuse_unknown(config, TOP_LEVEL, "")
    experiments = config.get("experiments")
    if experiments is not None and not isinstance(experiments, dict):
        raise ConfigError("must map experiment names to their settings", key="experiments")


def experiment_config(config, name):
    """The experiment ``name`` merged into the defaults, before units are parsed."""
    experiments = config.get("experiments") or {}
    if name not in experiments:
        for sweep, grid in sweep_points(config).items():
            for point, values in grid:
                if point == name:
                    return sweeps.apply(_sweep_base(config, sweep), values)
        close = difflib.get_close_matches(str(name), list(experiments), n=1)
        hint = f"; did you mean '{close[0]}'?" if close else ""
        raise ConfigError(
            f"no such experiment{hint} (known: {sorted(experiments)})", experiment=name
        )
    defaults = config.get("defaults") or {}
    overrides = experiments[name] or {}
    for where, part in (("defaults", defaults), (None, overrides)):
        _check_sections(part, where, name)
    merged = {}
    for section in SECTIONS:
        base, over = defaults.get(section), overrides.get(section)
        if section == "network":
            merged[section] = dict(over if over is not None else base or {})
        else:
            merged[section] = {**(base or {}), **(over or {})}
    return merged


def _check_sections(part, where, name):
    """Sections are mappings of known keys; ``where`` is "defaults" or None (the experiment)."""
    try:
        if not isinstance(part, dict):
            raise ConfigError("must be a mapping of sections", key=where)
        refuse_unknown(part, SECTIONS, where)
        for section, keys in part.items():
            key = f"{where}.{section}" if where else section
            if keys is not None and not isinstance(keys, dict):
                raise ConfigError(f"must be a mapping, got {keys!r}", key=key)
            refuse_unknown(keys or {}, SECTIONS[section], key)
    except ConfigError as err:
        raise err.located(experiment=name) from None


def resolve(config, name):
    """Resolve one experiment to SI parameters, checking everything on the way.

    Parameters
    ----------
    config : dict
        A whole config (``defaults`` and ``experiments``), e.g. from :func:`load`.
    name : str
        The experiment.

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
        return _resolve(experiment_config(config, name), name)
    except ConfigError as err:
        raise err.located(experiment=name) from None


def _resolve(merged, name):
    params = {"experiment": name}
    for section, keys in REQUIRED.items():
        for key in keys:
            if key not in merged[section]:
                raise ConfigError(
                    "is required but missing (give it in 'defaults' or in the experiment)",
                    key=f"{section}.{key}",
                )
    params["neuron"] = {k: _quantity(merged, "neuron", k) for k in SECTIONS["neuron"]}
    network = _resolve_network(merged["network"], merged["sim"])
    types = populations.TYPES if populations.typed(network) else ()
    params["synapse"] = _resolve_synapse(merged, types)
    params["sim"] = _resolve_sim(merged)
    params["synapse"]["delay_steps"] = _delay_steps(params)
    n = network["n"]
    params["n"] = n
    params["network"] = network
    if types and "g" in merged["initial"]:
        raise ConfigError(
            "an E/I network starts with g_exc = g_inh = 0; remove it", key="initial.g"
        )
    params["initial"] = {
        "v": _per_neuron(merged, "initial", "v", n, params["neuron"]["v_r"]),
        "u": _per_neuron(merged, "initial", "u", n, 0.0),
        "g": _per_neuron(merged, "initial", "g", n, 0.0),
    }
    params["drive"] = _resolve_drive(merged, n, types)
    params["record"] = _resolve_record(merged["record"], n, types)
    params["units"] = {
        f"{s}.{k}": units.pretty(u)
        for s, keys in SECTIONS.items()
        for k, u in keys.items()
        if u is not None
    }
    return params


def _resolve_synapse(merged, types):
    """{v_syn, tau, delay} for one synapse type, {exc: .., inh: .., delay} for E/I."""
    if types:
        resolved = populations.resolve_synapses(merged["synapse"])  # v_syn, tau unused
    else:
        for key in ("v_syn", "tau"):
            if key not in merged["synapse"]:
                raise ConfigError(
                    "is required but missing (give it in 'defaults' or in the experiment)",
                    key=f"synapse.{key}",
                )
        resolved = {k: _quantity(merged, "synapse", k) for k in ("v_syn", "tau")}
    return {**resolved, "delay": _quantity(merged, "synapse", "delay")}


def _resolve_drive(merged, n, types):
    drive = {"current": _resolve_current(merged, n)}
    if "poisson" in merged["drive"]:
        drive["poisson"] = drives.resolve_poisson(merged["drive"]["poisson"], merged["sim"], types)
    if "noise" in merged["drive"]:
        drive["noise"] = drives.resolve_noise(merged["drive"]["noise"], merged["sim"])
    return drive


def variables_of(types):
    """The variables an experiment can record: v, u, g (or g_exc, g_inh), I."""
    return ("v", "u", *(f"g_{t}" for t in types), "I") if types else VARIABLES


def _quantity(merged, section, key):
    value = located(
        units.parse_quantity, f"{section}.{key}", merged[section][key], SECTIONS[section][key]
    )
    if (section, key) in STRICTLY_POSITIVE and not value > 0:
        raise ConfigError(f"must be positive, got '{merged[section][key]}'", key=f"{section}.{key}")
    return value


def _resolve_sim(merged):
    sim = {k: _quantity(merged, "sim", k) for k in ("dt", "duration")}
    steps = sim["duration"] / sim["dt"]
    if abs(steps - round(steps)) > 1e-9 * max(1.0, steps):
        raise ConfigError(
            f"{merged['sim']['duration']} is not a whole number of time steps "
            f"of {merged['sim']['dt']} ({steps:.6g} steps)",
            key="sim.duration",
        )
    sim["n_samples"] = int(round(steps))
    scheme = merged["sim"].get("scheme", "synchronous")
    if scheme not in SCHEMES:
        close = difflib.get_close_matches(str(scheme), SCHEMES, n=1)
        hint = f"; did you mean '{close[0]}'?" if close else ""
        raise ConfigError(
            f"unknown scheme {scheme!r}{hint} (choose from {', '.join(SCHEMES)})", key="sim.scheme"
        )
    sim["scheme"] = scheme
    if "seed" in merged["sim"]:
        sim["seed"] = seed_of(merged["sim"])
    return sim


def _delay_steps(params):
    delay, dt = params["synapse"]["delay"], params["sim"]["dt"]
    steps = int(round(delay / dt))
    if delay < dt * (1 - 1e-9) or steps < 1:
        raise ConfigError(
            f"a delay of {delay * 1e3:g} ms is under one time step (dt = {dt * 1e3:g} ms): the "
            "spike would never be delivered; use a delay of at least dt, or a smaller dt",
            key="synapse.delay",
        )
    return steps


FORMS = {
    "weights": "'weights' (a square matrix [from, to])",
    "edges": "'n' and 'edges' (an edge file)",
    "connectivity": "'n', 'connectivity' (a generator) and 'weight'",
}
RULES = {"fixed_indegree": {"k"}, "erdos_renyi": {"p"}}
RULE_FLAGS = {"fixed_indegree": {"allow_self", "allow_multiple"}, "erdos_renyi": {"allow_self"}}


def _resolve_network(network, sim):
    forms = [form for form in FORMS if form in network]
    if len(forms) != 1:
        raise ConfigError(f"give exactly one of: {'; '.join(FORMS.values())}", key="network")
    if forms[0] == "weights":
        if set(network) != {"weights"}:
            raise ConfigError(
                "a weight matrix gives the network whole: remove "
                f"{sorted(set(network) - {'weights'})}",
                key="network",
            )
        weights = located(units.parse_array, "network.weights", network["weights"], SIEMENS)
        if weights.size == 0:
            raise ConfigError(
                "the network is empty: give at least one neuron", key="network.weights"
            )
        net = located(Network.from_dense, "network.weights", weights)
        return {
            "n": net.n,
            "pre": net.pre.tolist(),
            "post": net.post.tolist(),
            "weight": net.weight.tolist(),
        }
    if forms[0] == "edges":
        return _resolve_edge_file(network)
    return _resolve_generator(network, sim)


def _resolve_generator(network, sim):
    """A generated network: {rule, its parameter, flags}, weights constant or log-normal."""
    n = count(network.get("n"), "network.n")
    spec = network["connectivity"]
    rule = spec.get("rule") if isinstance(spec, dict) else None
    if rule not in RULES:
        raise ConfigError(
            f"needs a rule, one of {', '.join(RULES)}; got {spec!r}", key="network.connectivity"
        )
    allowed = {"rule"} | RULES[rule] | RULE_FLAGS[rule]
    refuse_unknown(spec, sorted(allowed), "network.connectivity")
    missing = RULES[rule] - set(spec)
    if missing:
        raise ConfigError(f"the {rule} rule needs {sorted(missing)}", key="network.connectivity")
    resolved = {"n": n, "rule": rule, "seed": seed_of(sim)}
    for flag in sorted(RULE_FLAGS[rule]):
        value = spec.get(flag, False)
        if not isinstance(value, bool):
            raise ConfigError(
                f"must be true or false, got {value!r}", key=f"network.connectivity.{flag}"
            )
        resolved[flag] = value
    if rule == "fixed_indegree":
        resolved["k"] = count(spec["k"], "network.connectivity.k")
        pool = n if resolved["allow_self"] else n - 1
        if resolved["k"] > pool and not resolved["allow_multiple"]:
            raise ConfigError(
                f"an in-degree of {resolved['k']} needs {resolved['k']} distinct "
                f"sources, but there are {pool}",
                key="network.connectivity.k",
            )
    else:
        p = spec["p"]
        if isinstance(p, bool) or not isinstance(p, (int, float)) or not 0 <= p <= 1:
            raise ConfigError(
                f"must be a probability in [0, 1], got {p!r}", key="network.connectivity.p"
            )
        resolved["p"] = float(p)
    if "populations" in network:
        resolved["populations"] = populations.resolve_counts(network["populations"], n)
        resolved["weight"] = populations.resolve_weights(network.get("weight"), _resolve_weight)
    else:
        resolved["weight"] = _resolve_weight(network.get("weight"))
    return resolved


def _resolve_weight(weight):
    """A constant weight ("0.1 nS") or log-normal ({mean: 0.1 nS, std: 0.05 nS})."""
    key = "network.weight"
    if weight is None:
        raise ConfigError(
            "a generated network needs a weight, e.g. '0.1 nS' or "
            "{mean: 0.1 nS, std: 0.05 nS} (log-normal)",
            key=key,
        )
    if not isinstance(weight, dict):
        value = located(units.parse_quantity, key, weight, SIEMENS)
        if not value > 0:
            raise ConfigError(f"must be positive, got '{weight}'", key=key)
        return value
    refuse_unknown(weight, ("mean", "std"), key)
    if set(weight) != {"mean", "std"}:
        raise ConfigError("a log-normal weight needs 'mean' and 'std'", key=key)
    mean = located(units.parse_quantity, f"{key}.mean", weight["mean"], SIEMENS)
    std = located(units.parse_quantity, f"{key}.std", weight["std"], SIEMENS)
    if not (mean > 0 and std > 0):
        raise ConfigError("mean and std must be positive", key=key)
    return {"mean": mean, "std": std}


def _resolve_edge_file(network):
    n = count(network.get("n"), "network.n")
    refuse_unknown(network, ("n", "edges", "populations"), "network")
    edges = network["edges"]
    if not isinstance(edges, dict) or set(edges) != {"file", "unit"}:
        raise ConfigError(
            "must be {file: PATH, unit: UNIT}, e.g. {file: edges.csv, unit: nS}",
            key="network.edges",
        )
    net = network_from_file(n, edges["file"], edges["unit"])
    resolved = {
        "n": n,
        "file": str(edges["file"]),
        "unit": edges["unit"],
        "sha256": sha256(edges["file"]),
        "typed": net.typed,
    }
    if "populations" in network:
        resolved["populations"] = populations.resolve_counts(network["populations"], n)
        if net.typed and not np.array_equal(
            net.kind, populations.kinds(net.pre, resolved["populations"])
        ):
            raise ConfigError(
                "the edge file's 'type' column breaks Dale's law: a synapse's "
                "type must be its presynaptic population's",
                key="network.edges.file",
            )
    return resolved


def network_from_file(n, path, unit):
    """Read and check an edge file; weights are converted from ``unit`` to siemens."""
    pre, post, raw, kind = located(read_edge_file, "network.edges.file", path)
    weight = located(
        units.parse_array, "network.edges.unit", {"unit": unit, "values": raw}, SIEMENS
    )
    return located(Network.from_edges, "network.edges.file", n, pre, post, weight, kind)


def _resolve_current(merged, n):
    """The drive: a scalar, one value per neuron, or {uniform: [low, high]} drawn per neuron."""
    current = merged["drive"].get("current")
    if not (isinstance(current, dict) and "uniform" in current):
        return _per_neuron(merged, "drive", "current", n, 0.0)
    key = "drive.current.uniform"
    bounds = current["uniform"]
    if set(current) != {"uniform"} or not isinstance(bounds, list) or len(bounds) != 2:
        raise ConfigError(
            "must be {uniform: [LOW, HIGH]}, e.g. {uniform: [30 pA, 70 pA]}", key="drive.current"
        )
    low, high = (located(units.parse_quantity, key, b, AMPERE) for b in bounds)
    if not low <= high:
        raise ConfigError(f"the low bound must not exceed the high one, got {bounds}", key=key)
    return {"uniform": [low, high], "seed": seed_of(merged["sim"])}


def _per_neuron(merged, section, key, n, default):
    """A value per neuron: a scalar (shared by all) or a list of exactly n values."""
    if key not in merged[section]:
        return default
    values = located(
        units.parse_array, f"{section}.{key}", merged[section][key], SECTIONS[section][key]
    )
    if values.ndim == 0:
        return float(values)
    if values.shape != (n,):
        raise ConfigError(
            f"needs one value per neuron ({n}), got shape {values.shape}", key=f"{section}.{key}"
        )
    if not np.all(np.isfinite(values)):
        raise ConfigError("values must be finite", key=f"{section}.{key}")
    return values.tolist()


def _resolve_record(record, n, types=()):
    known = variables_of(types)
    record = {"variables": list(known), "neurons": "all", **record}
    variables = record["variables"]
    if not isinstance(variables, list) or not all(isinstance(x, str) for x in variables):
        raise ConfigError(
            f"must be a list of variable names, got {variables!r}", key="record.variables"
        )
    for x in variables:
        if x not in known:
            close = difflib.get_close_matches(x, known, n=1)
            hint = f"; did you mean '{close[0]}'?" if close else ""
            raise ConfigError(
                f"cannot record {x!r}{hint} (choose from {', '.join(known)})",
                key="record.variables",
            )
    if len(set(variables)) != len(variables):
        raise ConfigError(f"lists a variable twice: {variables}", key="record.variables")
    return {"variables": variables, "neurons": _recorded_neurons(record["neurons"], n)}


def _recorded_neurons(neurons, n):
    if neurons == "all":
        return "all"
    ok = isinstance(neurons, list) and all(
        isinstance(i, int) and not isinstance(i, bool) for i in neurons
    )
    if not ok:
        raise ConfigError(
            f"must be 'all' or a list of neuron indices, got {neurons!r}", key="record.neurons"
        )
    bad = [i for i in neurons if not 0 <= i < n]
    if bad:
        raise ConfigError(
            f"index {bad[0]} is out of range: the network has {n} neurons (0 to {n - 1})",
            key="record.neurons",
        )
    repeated = sorted({i for i in neurons if neurons.count(i) > 1})
    if repeated:
        raise ConfigError(f"lists neuron(s) {repeated} more than once", key="record.neurons")
    return sorted(neurons)
