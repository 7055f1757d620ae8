"""Excitatory and inhibitory populations: Dale's law, a conductance per synapse type, weights
per connection type.

With ``network.populations: {exc: 0.8, inh: 0.2}`` (fractions, or counts summing to n) the
first neurons are excitatory and the rest inhibitory. Every synapse takes the type of its
presynaptic neuron (Dale's law) and acts on that type's conductance, ``g_exc`` or ``g_inh``,
with its own reversal potential and time constant (``synapse.exc``, ``synapse.inh``).
Weights are given per connection type ``E->E``, ``E->I``, ``I->E``, ``I->I``, each constant
or log-normal.
"""

import numpy as np

from . import rng as rng_module
from .checks import quantity, refuse_unknown
from .errors import ConfigError
from .network import lognormal_weights
from .network import typed as typed  # noqa: PLC0414 (re-exported)
from .units import SECOND, VOLT

TYPES = ("exc", "inh")
CONNECTIONS = ("E->E", "E->I", "I->E", "I->I")


def resolve_counts(populations, n):
    """{exc: count, inh: count} from fractions summing to 1 or counts summing to n."""
    key = "network.populations"
    if not isinstance(populations, dict) or set(populations) != set(TYPES):
        raise ConfigError("must give 'exc' and 'inh', as fractions (0.8, 0.2) or counts", key=key)
    values = [populations[t] for t in TYPES]
    if all(isinstance(v, int) and not isinstance(v, bool) for v in values):
        if sum(values) != n or min(values) < 0:
            raise ConfigError(f"counts must be >= 0 and add up to n = {n}, got {values}", key=key)
        return dict(zip(TYPES, values, strict=True))
    if (
        not all(
            isinstance(v, (int, float)) and not isinstance(v, bool) and 0 <= v <= 1 for v in values
        )
        or abs(sum(values) - 1) > 1e-9
    ):
        raise ConfigError(f"fractions must lie in [0, 1] and add up to 1, got {values}", key=key)
    n_exc = int(round(values[0] * n))
    return {"exc": n_exc, "inh": n - n_exc}


def resolve_synapses(synapse):
    """{exc: {v_syn, tau}, inh: {v_syn, tau}} in SI from ``synapse.exc`` and ``synapse.inh``."""
    resolved = {}
    for kind in TYPES:
        spec = synapse.get(kind)
        key = f"synapse.{kind}"
        if not isinstance(spec, dict):
            raise ConfigError(
                "an E/I network needs {v_syn: ..., tau: ...} for each synapse "
                "type, e.g. exc: {v_syn: 0 mV, tau: 5 ms}",
                key=key,
            )
        refuse_unknown(spec, ("v_syn", "tau"), key)
        missing = {"v_syn", "tau"} - set(spec)
        if missing:
            raise ConfigError(f"is missing {sorted(missing)}", key=key)
        resolved[kind] = {
            "v_syn": quantity(spec["v_syn"], VOLT, f"{key}.v_syn"),
            "tau": quantity(spec["tau"], SECOND, f"{key}.tau", positive=True),
        }
    return resolved


def resolve_weights(weight, one_weight):
    """Weights per connection type; ``one_weight`` resolves one (constant or log-normal)."""
    key = "network.weight"
    if not isinstance(weight, dict) or set(weight) != set(CONNECTIONS):
        raise ConfigError(
            f"an E/I network needs a weight for each of {', '.join(CONNECTIONS)}"
            " (a quantity, or {mean, std} for log-normal)",
            key=key,
        )
    resolved = {}
    for connection in CONNECTIONS:
        try:
            resolved[connection] = one_weight(weight[connection])
        except ConfigError as err:
            raise ConfigError(err.problem, key=f"{key}.{connection}") from None
    return resolved


def kinds(pre, counts):
    """Synapse type of each synapse: that of its presynaptic neuron (Dale's law)."""
    return (np.asarray(pre) >= counts["exc"]).astype(np.int64)


def weights(pre, post, counts, spec, seed):
    """Each synapse's weight (S) by its connection type, drawn in a fixed order."""
    pre_inh, post_inh = np.asarray(pre) >= counts["exc"], np.asarray(post) >= counts["exc"]
    result = np.empty(len(pre))
    rng = rng_module.generator(seed, "weights")
    for connection, (a, b) in zip(CONNECTIONS, ((0, 0), (0, 1), (1, 0), (1, 1)), strict=True):
        mask = (pre_inh == a) & (post_inh == b)
        value = spec[connection]
        if isinstance(value, dict):
            result[mask] = lognormal_weights(value["mean"], value["std"], int(mask.sum()), rng)
        else:
            result[mask] = value
    return result
