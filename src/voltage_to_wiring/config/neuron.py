"""The ``neuron`` section: the neuron model and its parameters in SI, checked against the
model's declaration (:mod:`voltage_to_wiring.core.neurons`): keys, units, signs and order.

``neuron: {model: adex, C: 104 pF, ...}`` names the model (default: ``izhikevich``) and
gives its parameters. In an E/I network each population may override some of them:
``neuron: {C: 100 pF, ..., inh: {a: 0.1 /ms, d: 2 pA}}`` (the shared values, with the
population's own on top: e.g. regular-spiking excitatory and fast-spiking inhibitory
Izhikevich neurons).
"""

from ..core import neurons
from ..errors import ConfigError, did_you_mean
from .checks import choice, quantity

KEY = "neuron"


def model_name(section):
    """The model a (merged) neuron section names, checked."""
    name = (section or {}).get("model", neurons.DEFAULT)
    return choice(name, tuple(neurons.MODELS), f"{KEY}.model", "neuron model")


def resolve_neuron(merged, populations=None):
    """The resolved ``neuron`` section: the model's parameters (SI) and ``model`` unless it is
    the default; with per-population parameters, one full set per population instead.

    ``populations``: the network's population sizes ({exc: n, inh: n}), or None.
    """
    section = merged[KEY]
    model = neurons.get(model_name(section))
    overrides = {k: v for k, v in section.items() if k in neurons.POPULATIONS}
    shared = {k: v for k, v in section.items() if k != "model" and k not in overrides}
    _refuse_foreign(shared, model, KEY)
    if not overrides:
        resolved = _parameter_set(shared, model, KEY)
    else:
        if populations is None:
            raise ConfigError(
                "per-population parameters need E/I populations (network.populations); "
                "without them give the neuron's parameters once",
                key=f"{KEY}.{next(iter(overrides))}",
            )
        resolved = {}
        for population in neurons.POPULATIONS:
            own = overrides.get(population) or {}
            where = f"{KEY}.{population}"
            if not isinstance(own, dict):
                raise ConfigError(f"must map parameters to values, got {own!r}", key=where)
            _refuse_foreign(own, model, where)
            given = {**shared, **own}
            resolved[population] = _parameter_set(given, model, KEY, own, where)
    if model.name != neurons.DEFAULT:
        resolved = {"model": model.name, **resolved}
    return resolved


def _refuse_foreign(section, model, where):
    """Refuse a key that is not one of the model's parameters, saying whose it is."""
    for key in section:
        if key in model.keys:
            continue
        others = neurons.taking(key)
        if others:
            problem = (
                f"'{key}' is a parameter of {', '.join(others)}, not of {model.name} (set "
                f"neuron.model to use another model); {model.name} takes: "
                f"{', '.join(model.keys)}"
            )
        else:
            known = [*model.keys, "model", *neurons.POPULATIONS]
            problem = (
                f"unknown key{did_you_mean(key, known)} ({model.name} takes: "
                f"{', '.join(model.keys)}; also 'model', and per-population parameters "
                f"under {' and '.join(neurons.POPULATIONS)})"
            )
        raise ConfigError(problem, key=f"{where}.{key}")


def _parameter_set(given, model, where, own=None, own_where=None):
    """One full parameter set in SI, checked (``own``: the keys a population gives itself,
    reported under ``own_where``)."""
    own = own or {}

    def key_of(name):
        return f"{own_where}.{name}" if name in own else f"{where}.{name}"

    values = {}
    for p in model.parameters:
        if p.name not in given:
            raise ConfigError(
                f"is required by the {model.name} model but missing ({p.meaning}; give it in "
                "'defaults' or in the experiment)",
                key=key_of(p.name),
            )
        values[p.name] = quantity(given[p.name], p.unit, key_of(p.name), p.positive)
    for rule in model.rules:
        if not values[rule.low] < values[rule.high]:
            raise ConfigError(
                f"{rule.low} = {given[rule.low]} is not below {rule.high} = "
                f"{given[rule.high]}: {rule.why}",
                key=key_of(rule.low),
            )
    return values
