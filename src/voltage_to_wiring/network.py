"""Connectivity: dense matrices and edge files in, a validated edge list and CSR arrays out.

A network is an edge list (``pre``, ``post``, ``weight``) over ``n`` neurons; the engine
reads it as CSR grouped by presynaptic neuron. A dense ``[from, to]`` matrix, as in the
seed notebook, is only an input format: its zero entries are not synapses.
"""

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import numpy as np

from .errors import ConfigError


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
    kind : numpy.ndarray of int8
        Synapse type of each synapse (0 for the only type; 0 excitatory, 1 inhibitory).
    """

    n: int
    pre: np.ndarray
    post: np.ndarray
    weight: np.ndarray
    kind: np.ndarray = None

    def __post_init__(self):
        if self.n >= 2**31:
            raise ConfigError(f"a network has at most 2**31 - 1 neurons, not {self.n}")
        for name in ("pre", "post"):  # no copy if already int32
            object.__setattr__(self, name, np.asarray(getattr(self, name), dtype=np.int32))
        object.__setattr__(self, "_typed", self.kind is not None)
        kind = np.zeros(len(self.pre), dtype=np.int8) if self.kind is None else self.kind
        object.__setattr__(self, "kind", np.asarray(kind, dtype=np.int8))

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
    def from_edges(cls, n, pre, post, weight, kind=None):
        """Network from an edge list; checks indices are integers in ``[0, n)``.

        ``kind`` gives each synapse's type (0 excitatory, 1 inhibitory), if it has types.
        """
        pre, post = (_indices(x, n, name) for x, name in ((pre, "pre"), (post, "post")))
        weight = np.asarray(weight, dtype=np.float64).reshape(-1)
        if not (len(pre) == len(post) == len(weight)):
            raise ConfigError("'pre', 'post' and 'weight' must have the same length")
        check_weights(weight)
        if kind is not None and len(kind) != len(pre):
            raise ConfigError("'type' must have one value per synapse")
        return cls(int(n), pre, post, weight, kind)

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
            Postsynaptic neuron of each synapse, in the edge list's order within a row.
        weight : numpy.ndarray of float64
            Weight of each synapse, in siemens.
        kind : numpy.ndarray of int8
            Type of each synapse; empty if the network has no types (all are type 0).
        """
        return self._csr

    @cached_property
    def _csr(self):
        indptr = np.zeros(self.n + 1, dtype=np.int64)
        np.cumsum(np.bincount(self.pre, minlength=self.n), out=indptr[1:])
        post, weight = self.post, self.weight
        kind = self.kind if self.typed else np.zeros(0, dtype=np.int8)
        if np.any(self.pre[1:] < self.pre[:-1]):  # generators and dense matrices are sorted
            order = np.argsort(self.pre, kind="stable")
            post, weight = post[order], weight[order]
            kind = kind[order] if self.typed else kind
        return indptr, post, weight, kind


def fixed_indegree(n, k, rng, allow_self=False, allow_multiple=False):
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

    Returns
    -------
    pre, post : numpy.ndarray of int32
        Sorted by (pre, post).
    """
    pool = n if allow_self else n - 1
    if k > pool and not allow_multiple:
        raise ConfigError(
            f"an in-degree of {k} needs at least {k} possible sources per neuron; "
            f"there are {pool} (allow multiple synapses, or lower k)"
        )
    post = np.repeat(np.arange(n, dtype=np.int32), k)
    if allow_multiple:
        pre = rng.integers(0, pool, size=n * k)
    else:
        pre = np.concatenate([rng.choice(pool, size=k, replace=False) for _ in range(n)])
    if not allow_self:
        pre += pre >= post  # skip the neuron itself: sources are the n - 1 others
    from .sorting import group_by_pre  # numba: imported only where networks are generated

    # post is ascending, so grouping by pre (stably) sorts by (pre, post)
    return group_by_pre(n, pre.astype(np.int32), post)


def erdos_renyi(n, p, rng, allow_self=False):
    """Edges where each ordered pair is connected independently with probability ``p``.

    Each neuron's number of targets is binomial, its targets distinct, uniformly drawn.
    Returns ``pre, post`` (int32) sorted by (pre, post).
    """
    pool = n if allow_self else n - 1
    counts = rng.binomial(pool, p, size=n)
    post = (
        np.concatenate([np.sort(rng.choice(pool, size=c, replace=False)) for c in counts])
        if n
        else np.zeros(0)
    )
    pre = np.repeat(np.arange(n, dtype=np.int32), counts)
    post = post.astype(np.int32)
    if not allow_self:
        post += post >= pre  # keeps each row's targets ascending: sorted by (pre, post)
    return pre, post


def lognormal_weights(mean, std, size, rng):
    """Log-normal weights with the given mean and standard deviation (of the weights).

    Notes
    -----
    With sigma^2 = ln(1 + std^2 / mean^2) and mu = ln(mean) - sigma^2 / 2, exp(N(mu, sigma))
    has mean ``mean`` and standard deviation ``std``.
    """
    sigma2 = np.log1p((std / mean) ** 2)
    return rng.lognormal(np.log(mean) - sigma2 / 2, np.sqrt(sigma2), size=size)


def typed(network):
    """True if resolved network parameters have two synapse types (exc, inh): populations,
    or an edge file with a ``type`` column."""
    return "populations" in network or network.get("typed", False)


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


def read_edge_file(path):
    """Read ``pre``, ``post``, the raw ``weight`` numbers and ``type`` from an edge file.

    CSV files need a header naming the columns ``pre,post,weight`` (in any order); NPZ files
    need arrays with those names. An optional column ``type`` gives each synapse's type
    (0 excitatory, 1 inhibitory); it is None when absent. Weights are returned as written,
    without units.
    """
    path = Path(path)
    if not path.is_file():
        raise ConfigError(f"edge file '{path}' does not exist")
    if path.suffix == ".npz":
        with np.load(path) as data:
            columns = {name: data[name] for name in data.files}
    elif path.suffix == ".csv":
        columns = _read_csv(path)
    else:
        raise ConfigError(f"edge file '{path}' must end in .csv or .npz")
    missing = [c for c in ("pre", "post", "weight") if c not in columns]
    if missing:
        raise ConfigError(
            f"edge file '{path}' lacks the column(s) {missing}; it has {sorted(columns)}"
        )
    kind = columns.get("type")
    if kind is not None:
        kind = np.asarray(kind).reshape(-1)
        if not np.all(np.isin(kind, (0, 1))):
            raise ConfigError(
                f"edge file '{path}': 'type' must be 0 (excitatory) or 1 (inhibitory)"
            )
        kind = kind.astype(np.int64)
    return columns["pre"], columns["post"], columns["weight"], kind


def _read_csv(path):
    with open(path) as file:
        header = [h.strip() for h in file.readline().strip().split(",")]
    try:
        data = np.loadtxt(path, delimiter=",", skiprows=1, ndmin=2, dtype=np.float64)
    except ValueError as err:
        raise ConfigError(f"edge file '{path}' has a value that is not a number ({err})") from None
    if data.size == 0:
        data = np.zeros((0, len(header)))
    if data.shape[1] != len(header):
        raise ConfigError(f"edge file '{path}': rows have {data.shape[1]} values, header {header}")
    return {name: data[:, i] for i, name in enumerate(header)}
