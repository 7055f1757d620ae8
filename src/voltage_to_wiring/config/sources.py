"""``network.sources``: populations of Poisson spike sources, wired like neurons.

Spike sources are neurons ``n .. n + sources.n - 1`` of the network whose spikes are drawn
from a Poisson process, not integrated: they have no state, receive no synapses, and their
spikes are recorded and delivered like any neuron's. ``rate`` is one rate for all of them or
``{mean, std}`` for log-normal rates. With E/I populations, sources have populations of
their own (``{exc: 0.8, inh: 0.2}``), and their synapses the type of their population.
"""

from ..errors import ConfigError
from ..units import PER_SECOND
from .checks import count, quantity, refuse_unknown, seed_of
from .populations import resolve_counts

KEYS = ("n", "rate", "populations")


def resolve_sources(spec, sim, typed):
    """{n, rate (Hz, or {mean, std} in Hz), populations (with E/I), seed}."""
    key = "network.sources"
    if not isinstance(spec, dict):
        raise ConfigError(
            "must be {n: N, rate: 4 Hz} (or rate: {mean: 4 Hz, std: 3.6 Hz}, log-normal)",
            key=key,
        )
    refuse_unknown(spec, KEYS, key)
    missing = [k for k in ("n", "rate") if k not in spec]
    if missing:
        raise ConfigError(f"is missing {missing}", key=key)
    if typed != ("populations" in spec):
        raise ConfigError(
            "give the sources 'populations' exactly when the network has them (E/I)",
            key=f"{key}.populations" if typed else key,
        )
    n = count(spec["n"], f"{key}.n")
    resolved = {"n": n, "rate": _rate(spec["rate"], f"{key}.rate"), "seed": seed_of(sim)}
    if typed:
        resolved["populations"] = resolve_counts(spec["populations"], n, f"{key}.populations")
    return resolved


def _rate(rate, key):
    if not isinstance(rate, dict):
        return quantity(rate, PER_SECOND, key, positive=True)
    refuse_unknown(rate, ("mean", "std"), key)
    if set(rate) != {"mean", "std"}:
        raise ConfigError("log-normal rates need 'mean' and 'std'", key=key)
    return {
        "mean": quantity(rate["mean"], PER_SECOND, f"{key}.mean", positive=True),
        "std": quantity(rate["std"], PER_SECOND, f"{key}.std", positive=True),
    }
