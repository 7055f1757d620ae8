"""Weights of a generated network: constant, log-normal, or one of those per connection type
of an E/I network, drawn from the experiment's ``weights`` stream in a fixed order."""

import numpy as np

from .. import rng as rng_module
from .populations import type_codes
from .synapse_types import CONNECTIONS, connection_codes


def lognormal_weights(mean, std, size, rng):
    """Log-normal weights with the given mean and standard deviation (of the weights).

    Notes
    -----
    With sigma^2 = ln(1 + std^2 / mean^2) and mu = ln(mean) - sigma^2 / 2, exp(N(mu, sigma))
    has mean ``mean`` and standard deviation ``std``.
    """
    sigma2 = np.log1p((std / mean) ** 2)
    return rng.lognormal(np.log(mean) - sigma2 / 2, np.sqrt(sigma2), size=size)


def generated_weights(spec, pre, post, seed, counts=None):
    """Each synapse's weight (S). ``spec`` is a constant (S), ``{mean, std}`` (log-normal),
    or, with population ``counts``, one of those per connection type (``"E->I"``, ...)."""
    rng = rng_module.generator(seed, "weights")
    if counts is None:
        return _draw(spec, len(pre), rng)
    pre_type, post_type = type_codes(pre, counts), type_codes(post, counts)
    result = np.empty(len(pre))
    for connection in CONNECTIONS:
        a, b = connection_codes(connection)
        mask = (pre_type == a) & (post_type == b)
        result[mask] = _draw(spec[connection], int(mask.sum()), rng)
    return result


def _draw(spec, size, rng):
    if isinstance(spec, dict):
        return lognormal_weights(spec["mean"], spec["std"], size, rng)
    return np.full(size, spec)
