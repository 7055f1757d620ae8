"""The network: a validated edge list over ``n`` neurons, and its CSR arrays for the engine.

A network is an edge list (``pre``, ``post``, ``weight``, and each synapse's ``type`` code)
over ``n`` neurons; the engine reads it as CSR grouped by presynaptic neuron. A dense
``[from, to]`` matrix, as in the seed notebook, is only an input format: its zero entries
are not synapses. Generators (:mod:`.generators`) and edge files (:mod:`.edges`) make
networks too.
"""

from dataclasses import dataclass
from functools import cached_property

import numpy as np

from ..errors import ConfigError

COUNT_BLOCK = 1 << 23  # synapses counted at once (np.bincount makes an int64 copy of them)


@dataclass(frozen=True)
class Network:
    """Synapses of a network of ``n`` neurons.

    Attributes
    ----------
    n : int
        Number of neurons.
    pre, post : numpy.ndarray of int32
        Presynaptic and postsynaptic neuron index of each synapse (stored as int32, half the
        memory of int64: a network has fewer than 2**31 neurons).
    weight : numpy.ndarray of float64
        Conductance increment of each synapse on a presynaptic spike, in siemens.
    type : numpy.ndarray of int8
        Synapse type code of each synapse (see :mod:`.synapse_types`: 0 excitatory, 1
        inhibitory); empty when the synapses have no types (all are of the one type).
    """

    n: int
    pre: np.ndarray
    post: np.ndarray
    weight: np.ndarray
    type: np.ndarray = None

    def __post_init__(self):
        if self.n >= 2**31:
            raise ConfigError(f"a network has at most 2**31 - 1 neurons, not {self.n}")
        for name in ("pre", "post"):  # no copy if already int32
            object.__setattr__(self, name, np.asarray(getattr(self, name), dtype=np.int32))
        object.__setattr__(self, "_typed", self.type is not None)
        # untyped: no array of n_synapses zeros (100 MB for 100 million synapses)
        codes = np.zeros(0, dtype=np.int8) if self.type is None else self.type
        object.__setattr__(self, "type", np.asarray(codes, dtype=np.int8))

    @classmethod
    def from_dense(cls, weights):
        """Network from an ``(n, n)`` matrix of weights in siemens, indexed ``[from, to]``.

        Synapses are listed in row-major order (by ``pre``, then ``post``); zeros are skipped.
        """
        weights = np.asarray(weights, dtype=np.float64)
        if weights.ndim != 2 or weights.shape[0] != weights.shape[1]:
            raise ConfigError(f"the weight matrix must be square (n x n), not {weights.shape}")
        check_weights(weights)
        pre, post = np.nonzero(weights)
        return cls(weights.shape[0], pre, post, weights[pre, post])

    @property
    def typed(self):
        """True if the synapses have types (read from an edge file's ``type`` column)."""
        return self._typed

    @classmethod
    def from_edges(cls, n, pre, post, weight, synapse_type=None):
        """Network from an edge list; checks indices are integers in ``[0, n)``.

        ``synapse_type`` gives each synapse's type code (0 excitatory, 1 inhibitory), if
        the synapses have types.
        """
        pre, post = (_indices(x, n, name) for x, name in ((pre, "pre"), (post, "post")))
        weight = np.asarray(weight, dtype=np.float64).reshape(-1)
        if not (len(pre) == len(post) == len(weight)):
            raise ConfigError("'pre', 'post' and 'weight' must have the same length")
        check_weights(weight)
        if synapse_type is not None and len(synapse_type) != len(pre):
            raise ConfigError("'type' must have one value per synapse")
        return cls(int(n), pre, post, weight, synapse_type)

    @property
    def n_synapses(self):
        """Number of synapses."""
        return len(self.pre)

    def csr(self):
        """CSR arrays grouped by presynaptic neuron (computed once, then cached).

        Returns
        -------
        indptr : numpy.ndarray of int64, shape (n + 1,)
            Synapses of neuron ``i`` are ``indptr[i]:indptr[i + 1]``.
        post : numpy.ndarray of int32
            Postsynaptic neuron of each synapse, ascending within a row (synapses onto the
            same target in the edge list's order); the threaded kernel relies on it.
        weight : numpy.ndarray of float64
            Weight of each synapse, in siemens.
        type : numpy.ndarray of int8
            Type code of each synapse; empty if the network has no types (all are type 0).
        """
        return self._csr

    @cached_property
    def _csr(self):
        counts = np.zeros(self.n, dtype=np.int64)
        for start in range(0, len(self.pre), COUNT_BLOCK):  # np.bincount copies to int64
            counts += np.bincount(self.pre[start : start + COUNT_BLOCK], minlength=self.n)
        indptr = np.zeros(self.n + 1, dtype=np.int64)
        np.cumsum(counts, out=indptr[1:])
        post, weight = self.post, self.weight
        codes = self.type
        if not _sorted_by_pre_post(self.pre, self.post):  # generators and matrices are
            # a stable sort: synapses onto the same target keep their order, so every
            # conductance receives its additions in the same order as from the edge list
            order = np.lexsort((self.post, self.pre))
            post, weight = post[order], weight[order]
            codes = codes[order] if self.typed else codes
        return indptr, post, weight, codes


def _sorted_by_pre_post(pre, post):
    """Whether the edges are sorted by ``pre``, then ``post`` (checked in blocks that overlap
    by one edge, without copies of the whole arrays)."""
    last = len(pre) - 1  # pairs (j, j + 1) for j < last
    for start in range(0, max(0, last), COUNT_BLOCK):
        stop = min(last, start + COUNT_BLOCK)
        a, b = slice(start, stop), slice(start + 1, stop + 1)
        later, same = pre[b] > pre[a], pre[b] == pre[a]
        if not np.all(later | (same & (post[b] >= post[a]))):
            return False
    return True


def check_weights(weights):
    """Refuse NaN, infinite or negative weights (inhibition goes through ``v_syn``)."""
    if not np.all(np.isfinite(weights)):
        raise ConfigError("weights must be finite numbers; found NaN or infinity")
    if np.any(weights < 0):
        raise ConfigError(
            "weights must not be negative: they are conductances; make a synapse inhibitory "
            "with a reversal potential v_syn below rest instead"
        )


def _indices(values, n, name):
    array = np.asarray(values)
    if array.size and not np.issubdtype(array.dtype, np.number):
        raise ConfigError(f"'{name}' indices must be numbers, got dtype {array.dtype}")
    array = array.reshape(-1)
    as_int = array.astype(np.int64)
    if not np.array_equal(as_int, array):
        raise ConfigError(f"'{name}' indices must be whole numbers")
    bad = (as_int < 0) | (as_int >= n)
    if np.any(bad):
        raise ConfigError(
            f"'{name}' index {int(as_int[bad][0])} is out of range: the network has n = {n} "
            f"neurons, indexed 0 to {n - 1}"
        )
    return as_int
