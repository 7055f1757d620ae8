"""The ``initial`` and ``record`` sections: the initial state, and what is recorded."""

from ..data.variables import recordable
from ..errors import ConfigError, did_you_mean
from .checks import per_neuron
from .keys import SECTIONS


def resolve_initial(merged, n, v_r, types):
    """{v, u, g}: one value for all neurons or one each (V, A, S); v_r, 0, 0 by default."""
    initial = merged["initial"]
    if types and "g" in initial:
        raise ConfigError(
            "an E/I network starts with g_exc = g_inh = 0; remove it", key="initial.g"
        )
    defaults = {"v": v_r, "u": 0.0, "g": 0.0}
    resolved = {
        key: per_neuron(initial[key], SECTIONS["initial"][key], f"initial.{key}", n)
        if key in initial
        else default
        for key, default in defaults.items()
    }
    if min(resolved["g"] if isinstance(resolved["g"], list) else [resolved["g"]]) < 0:
        raise ConfigError(
            "a conductance cannot be negative: give values >= 0 (inhibition comes from a "
            "synapse's reversal potential, v_syn)",
            key="initial.g",
        )
    return resolved


def resolve_record(record, n, types):
    """{variables, neurons}: the recorded state variables, and "all" or sorted indices."""
    known = recordable(types)
    record = {"variables": list(known), "neurons": "all", **record}
    variables = record["variables"]
    if not isinstance(variables, list) or not all(isinstance(x, str) for x in variables):
        raise ConfigError(
            f"must be a list of variable names, got {variables!r}", key="record.variables"
        )
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
