"""How a synchronous step's work is cut: the neurons into parts, one per thread (see
:func:`~.kernels._step_part` and :mod:`.threads`).

Each part receives the synapses onto its neurons. Its share of a synapse row is a
contiguous slice because the network's rows are sorted by target
(:meth:`voltage_to_wiring.model.network.Network.csr`); :func:`row_splits` finds where each
row crosses from one part to the next.
"""

from collections import namedtuple

import numba
import numpy as np

from ..core.jit import JIT

Parts = namedtuple("Parts", "bounds split spikes tally")
Parts.__doc__ = """The work space of the synchronous kernels.

bounds (parts + 1): part p updates neurons bounds[p] .. bounds[p + 1] - 1 (a multiple of 64)
and receives their synapses; split (parts + 1, network neurons): the synapses of row i onto
part p are split[p, i] .. split[p + 1, i] - 1; spikes (parts, most neurons of a part): the
part's spikes of the step; tally (parts, 2): their number and that of non-finite v's."""


def part_bounds(n, parts):
    """Neuron ranges of ``parts`` parts: equal shares of ``n``, cut at multiples of 64."""
    words = -(-n // 64)
    return np.array([min(n, 64 * (words * p // parts)) for p in range(parts + 1)], dtype=np.int64)


@numba.njit(**JIT)
def row_splits(indptr, post, bounds):
    """Where each synapse row (sorted by target) enters each part's range of targets.

    Returns ``split`` of shape (len(bounds), rows): ``split[p, i]`` is the first synapse of
    row ``i`` whose target is at least ``bounds[p]`` (``split[0, i]`` is the row's start,
    ``split[-1, i]`` its end). Raises ValueError if a row is not sorted by target."""
    n_parts = bounds.shape[0] - 1
    rows = indptr.shape[0] - 1
    split = np.empty((n_parts + 1, rows), dtype=np.int64)
    for i in range(rows):
        start, stop = indptr[i], indptr[i + 1]
        for s in range(start + 1, stop):
            if post[s] < post[s - 1]:
                raise ValueError("synapse rows must be sorted by target")
        split[0, i] = start
        split[n_parts, i] = stop
        for p in range(1, n_parts):
            split[p, i] = start + np.searchsorted(post[start:stop], bounds[p])
    return split


def make_parts(csr, n, parts):
    """The :class:`Parts` of ``parts`` parts of ``n`` integrated neurons."""
    bounds = part_bounds(n, parts)
    return Parts(
        bounds=bounds,
        split=row_splits(csr.indptr, csr.post, bounds),
        spikes=np.zeros((parts, max(1, int(np.max(np.diff(bounds), initial=0)))), np.int64),
        tally=np.zeros((parts, 2), dtype=np.int64),
    )
