"""Network generators: fixed in-degree and Erdos-Renyi connectivity.

Every generator draws from the numpy Generator it is given (one per purpose, see
:mod:`voltage_to_wiring.rng`) and returns edges sorted by (pre, post) as int32. Their
weights come from :mod:`.weights`.
"""

import numpy as np

from ..core.sorting import group_by_pre
from ..errors import ConfigError

# Neurons whose sources are drawn at once (the same draws, in the same order, as all at once).
DRAW_BLOCK = 100_000


def fixed_indegree(n, k, rng, allow_self=False, allow_multiple=False, n_sources=0):
    """Edges where every neuron receives exactly ``k`` synapses from uniformly drawn sources.

    Parameters
    ----------
    n, k : int
        Number of neurons and in-degree.
    rng : numpy.random.Generator
        Source of randomness (see :mod:`voltage_to_wiring.rng`).
    allow_self, allow_multiple : bool
        Whether a neuron may connect to itself, and whether a pair may be connected more than
        once (sources are then drawn with replacement).
    n_sources : int
        Poisson spike sources, neurons ``n .. n + n_sources - 1``: they are drawn as
        presynaptic neurons like the others, and receive no synapses.

    Returns
    -------
    pre, post : numpy.ndarray of int32
        Sorted by (pre, post).
    """
    pool = n + n_sources if allow_self else n + n_sources - 1
    if k > pool and not allow_multiple:
        raise ConfigError(
            f"an in-degree of {k} needs at least {k} possible sources per neuron; "
            f"there are {pool} (allow multiple synapses, or lower k)"
        )
    post = np.repeat(np.arange(n, dtype=np.int32), k)
    pre = np.empty(n * k, dtype=np.int32)
    for start in range(0, n, DRAW_BLOCK):  # int64 draws in blocks: no n k int64 array
        stop = min(n, start + DRAW_BLOCK)
        if allow_multiple:
            drawn = rng.integers(0, pool, size=(stop - start) * k)
        else:
            rows = [rng.choice(pool, size=k, replace=False) for _ in range(start, stop)]
            drawn = np.concatenate(rows)
        if not allow_self:
            drawn += drawn >= post[start * k : stop * k]  # skip the neuron itself: n - 1 others
        pre[start * k : stop * k] = drawn
    # post is ascending, so grouping by pre (stably) sorts by (pre, post)
    return group_by_pre(n + n_sources, pre, post)


def erdos_renyi(n, p, rng, allow_self=False, n_sources=0):
    """Edges where each ordered pair is connected independently with probability ``p``.

    Each neuron's number of targets is binomial, its targets distinct, uniformly drawn. The
    ``n_sources`` spike sources (neurons ``n ..``) connect to the n neurons the same way and
    receive nothing. Returns ``pre, post`` (int32) sorted by (pre, post).
    """
    pool = n if allow_self else n - 1
    counts = rng.binomial(pool, p, size=n)
    if n_sources:
        counts = np.concatenate([counts, rng.binomial(n, p, size=n_sources)])
    pools = [pool] * n + [n] * n_sources
    post = (
        np.concatenate(
            [
                np.sort(rng.choice(m, size=c, replace=False))
                for m, c in zip(pools, counts, strict=True)
            ]
        )
        if n
        else np.zeros(0)
    )
    pre = np.repeat(np.arange(n + n_sources, dtype=np.int32), counts)
    post = post.astype(np.int32)
    if not allow_self:
        # keeps each row's targets ascending (sorted by (pre, post)); sources have no self
        post += (post >= pre) & (pre < n)
    return pre, post
