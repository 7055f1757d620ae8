"""``network.populations`` (and ``network.sources.populations``): E/I population sizes, and
the weights of each connection type between them."""

from ..core.synapse_types import CONNECTIONS, TYPES, connection_codes
from ..errors import ConfigError

NAMES = tuple(t.name for t in TYPES)


def resolve_counts(populations, n, key="network.populations"):
    """{exc: count, inh: count} from fractions summing to 1 or counts summing to n."""
    if not isinstance(populations, dict) or set(populations) != set(NAMES):
        raise ConfigError("must give 'exc' and 'inh', as fractions (0.8, 0.2) or counts", key=key)
    values = [populations[t] for t in NAMES]
    if all(isinstance(v, int) and not isinstance(v, bool) for v in values):
        if sum(values) != n or min(values) < 0:
            raise ConfigError(f"counts must be >= 0 and add up to n = {n}, got {values}", key=key)
        return dict(zip(NAMES, values, strict=True))
    fractions = all(
        isinstance(v, (int, float)) and not isinstance(v, bool) and 0 <= v <= 1 for v in values
    )
    if not fractions or abs(sum(values) - 1) > 1e-9:
        raise ConfigError(f"fractions must lie in [0, 1] and add up to 1, got {values}", key=key)
    n_exc = int(round(values[0] * n))
    return {NAMES[0]: n_exc, NAMES[1]: n - n_exc}


def possible_connections(network):
    """The connection types ("E->I", ...) resolved populations can have: a presynaptic
    population (of neurons or sources) and a postsynaptic one (of neurons), both non-empty."""
    pre = {c for t, c in _codes(network["populations"])}
    if "sources" in network:
        pre |= {c for t, c in _codes(network["sources"]["populations"])}
    post = {c for t, c in _codes(network["populations"])}
    return [
        c for c in CONNECTIONS if connection_codes(c)[0] in pre and connection_codes(c)[1] in post
    ]


def _codes(counts):
    return [(t.name, t.code) for t in TYPES if counts[t.name] > 0]


def resolve_weights_by_connection(weight, possible, one_weight):
    """Weights per connection type, each resolved by ``one_weight(value, key)``; exactly the
    ``possible`` connection types must be given."""
    key = "network.weight"
    if not isinstance(weight, dict) or not set(weight) <= set(CONNECTIONS):
        raise ConfigError(
            f"an E/I network needs a weight for each of {', '.join(possible)}"
            " (a quantity, or {mean, std} for log-normal)",
            key=key,
        )
    missing = [c for c in possible if c not in weight]
    if missing:
        raise ConfigError(
            f"an E/I network needs a weight for each of {', '.join(possible)}; missing "
            f"{', '.join(missing)} (a quantity, or {{mean, std}} for log-normal)",
            key=key,
        )
    extra = [c for c in weight if c not in possible]
    if extra:
        raise ConfigError(
            f"this network has no {', '.join(extra)} connections (a population is empty): "
            "remove them",
            key=key,
        )
    return {c: one_weight(weight[c], f"{key}.{c}") for c in possible}
