"""Weights of a generated network: constant, log-normal, or one of those per connection type
of an E/I network, drawn from the experiment's ``weights`` stream in a fixed order; and the
rates of spike sources, constant or log-normal."""

import numpy as np

from .. import rng as rng_module
from ..core.synapse_types import CONNECTIONS, connection_codes
from .populations import type_codes


def lognormal(mean, std, size, rng):
    """Log-normal values (weights, rates) with the given mean and standard deviation.

    Notes
    -----
    With sigma^2 = ln(1 + std^2 / mean^2) and mu = ln(mean) - sigma^2 / 2, exp(N(mu, sigma))
    has mean ``mean`` and standard deviation ``std``.
    """
    sigma2 = np.log1p((std / mean) ** 2)
    return rng.lognormal(np.log(mean) - sigma2 / 2, np.sqrt(sigma2), size=size)


def generated_weights(network, pre, post):
    """Each synapse's weight (S), for resolved network parameters whose ``weight`` is a
    constant (S), ``{mean, std}`` (log-normal), or, with populations, one of those per
    connection type (``"E->I"``, ...; a type the populations cannot have may be missing)."""
    spec, rng = network["weight"], rng_module.generator(network["seed"], "weights")
    if "populations" not in network:
        return _draw(spec, len(pre), rng)
    pre_type, post_type = type_codes(pre, network), type_codes(post, network)
    result = np.empty(len(pre))
    for connection in CONNECTIONS:
        a, b = connection_codes(connection)
        mask = (pre_type == a) & (post_type == b)
        if connection in spec:
            result[mask] = _draw(spec[connection], int(mask.sum()), rng)
    return result


def _draw(spec, size, rng):
    if isinstance(spec, dict):
        return lognormal(spec["mean"], spec["std"], size, rng)
    return np.full(size, spec)


def source_rates(network):
    """The firing rate (Hz) of each spike source of resolved network parameters: one value,
    or log-normal ``{mean, std}`` drawn from the ``source_rates`` stream."""
    spec = network["sources"]
    if isinstance(spec["rate"], dict):
        rng = rng_module.generator(spec["seed"], "source_rates")
        return lognormal(spec["rate"]["mean"], spec["rate"]["std"], spec["n"], rng)
    return np.full(spec["n"], float(spec["rate"]))
