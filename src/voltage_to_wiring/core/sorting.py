"""Grouping synapses by presynaptic neuron without the memory of an argsort (a numba kernel,
used by the network generators)."""

import numba
import numpy as np

from .jit import JIT


@numba.njit(**JIT)
def group_by_pre(n, pre, post):
    """Stable counting sort of the edges ``(pre, post)`` by ``pre`` (int32 in, int32 out).

    Edges with the same ``pre`` keep their order, so edges listed by ascending ``post`` come
    out sorted by ``(pre, post)``. Memory: the two outputs and ``n + 1`` counters.
    """
    start = np.zeros(n + 1, dtype=np.int64)
    for p in pre:
        start[p + 1] += 1
    for i in range(n):
        start[i + 1] += start[i]
    pre_out = np.empty(pre.shape[0], dtype=np.int32)
    post_out = np.empty(pre.shape[0], dtype=np.int32)
    for j in range(pre.shape[0]):
        p = pre[j]
        position = start[p]
        pre_out[position] = p
        post_out[position] = post[j]
        start[p] = position + 1
    return pre_out, post_out
