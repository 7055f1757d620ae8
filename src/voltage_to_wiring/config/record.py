"""The ``initial`` and ``record`` sections: the initial state, and what is recorded.

Their keys depend on the neuron model (its state variables). A key of another model that
comes from the ``defaults`` (``initial.u``, ``u`` in ``record.variables``) is left out for an
experiment of a model without it; given by the experiment itself, it is refused.
"""

from ..core import neurons
from ..core.variables import recordable
from ..errors import ConfigError, did_you_mean
from ..units import SIEMENS
from .per_neuron import per_neuron


def resolve_initial(merged, n, neuron, types, given=()):
    """{v, x, g} (x: the model's second state variable, e.g. u): one value for all neurons or
    one each (V, its unit, S). By default the model's (v: its rest, e.g. v_r; u: 0), and
    g = 0. ``neuron``: the resolved neuron section; ``given``: the keys the experiment sets
    itself."""
    initial, model = merged["initial"], neurons.of(neuron)
    units = {s.name: s.unit for s in model.state}
    known = (*units, "g")
    for key in initial:
        others = neurons.taking_state(key)
        if key in known or (others and f"initial.{key}" not in given):
            continue  # this model's, or another model's from the defaults (left out)
        if others:
            problem = f"'{key}' is a state variable of {', '.join(others)}"
        else:
            problem = f"unknown key{did_you_mean(key, known)}"
        raise ConfigError(
            f"{problem}; initial values of the {model.name} model: {', '.join(known)}",
            key=f"initial.{key}",
        )
    if types and "g" in initial:
        raise ConfigError(
            "an E/I network starts with g_exc = g_inh = 0; remove it", key="initial.g"
        )
    sets = neurons.parameter_sets(neuron)
    resolved = {}
    for name, unit in units.items():
        if name in initial:
            resolved[name] = per_neuron(initial[name], unit, f"initial.{name}", n)
        else:
            defaults = {p: model.initial(name, values) for p, values in sets.items()}
            same = len(set(defaults.values())) == 1
            resolved[name] = next(iter(defaults.values())) if same else defaults
    resolved["g"] = per_neuron(initial["g"], SIEMENS, "initial.g", n) if "g" in initial else 0.0
    if min(resolved["g"] if isinstance(resolved["g"], list) else [resolved["g"]]) < 0:
        raise ConfigError(
            "a conductance cannot be negative: give values >= 0 (inhibition comes from a "
            "synapse's reversal potential, v_syn)",
            key="initial.g",
        )
    return resolved


def resolve_record(record, n, types, model=None, given=()):
    """{variables, neurons}: the recorded state variables, and "all" or sorted indices.
    ``model``: the NeuronModel (default: the default model); ``given``: the keys the
    experiment sets itself."""
    model = model or neurons.get(neurons.DEFAULT)
    known = recordable(types, model)
    record = {"variables": list(known), "neurons": "all", **record}
    variables = record["variables"]
    if not isinstance(variables, list) or not all(isinstance(x, str) for x in variables):
        raise ConfigError(
            f"must be a list of variable names, got {variables!r}", key="record.variables"
        )
    if "record.variables" not in given:  # the defaults': leave out what this model lacks
        variables = [x for x in variables if x in known or not neurons.taking_state(x)]
    for x in variables:
        if x not in known:
            raise ConfigError(
                f"cannot record {x!r}{did_you_mean(x, known)} (choose from {', '.join(known)})",
                key="record.variables",
            )
    if len(set(variables)) != len(variables):
        raise ConfigError(f"lists a variable twice: {variables}", key="record.variables")
    return {"variables": variables, "neurons": recorded_neurons(record["neurons"], n)}


def recorded_neurons(neurons, n):
    """ "all", or the listed neuron indices, checked and sorted."""
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
