"""What the engine takes (:class:`Simulation`) and what it gives back (:class:`Chunk`,
:class:`Result`), in SI units."""

from dataclasses import dataclass, field

import numpy as np

from ..core.neurons import NeuronModel
from ..core.variables import recordable
from .inputs import Noise, Poisson, Sources
from .kernels import KERNELS, Neurons, Synapse

SCHEMES = tuple(KERNELS)


@dataclass(frozen=True)
class Simulation:
    """Everything the engine needs, in SI units.

    Attributes
    ----------
    model : voltage_to_wiring.core.neurons.NeuronModel
        The neuron model.
    neurons : kernels.Neurons
        Its parameters (SI): ``neurons.params[s]`` (``model.Parameters``) for the neurons
        ``neurons.bounds[s] .. neurons.bounds[s + 1] - 1`` (one segment, or one per
        population).
    synapse : kernels.Synapse
        Reversal potentials ``v_syn`` (V) and decay time constants ``tau`` (s), one per
        synapse type (scalars for a single type).
    network : voltage_to_wiring.model.network.Network
        The synapses, weights in S, with each synapse's type code in ``network.type``; the
        engine reads ``n`` (neurons and spike sources), ``n_synapses`` and ``csr()``.
    dt : float
        Time step (s).
    n_samples : int
        Number of samples, including the initial state at sample 0.
    delay_steps : int
        Transmission delay in steps (>= 1).
    scheme : str
        ``"synchronous"`` (Brian2's schedule) or ``"sequential"`` (the 2021 notebook's loop).
    v0, x0 : numpy.ndarray
        Initial state per neuron: v (V) and the model's second state variable (its unit).
    g0 : numpy.ndarray
        Initial conductance (S): per neuron, or (types, neurons).
    I_ext : numpy.ndarray
        Constant external current per neuron (A).
    types : tuple of str
        Names of the synapse types, e.g. ``("exc", "inh")``; empty for a single type, whose
        conductance is then recorded as ``g``.
    poisson : inputs.Poisson, optional
        Poisson input.
    noise : inputs.Noise, optional
        White-noise current.
    sources : inputs.Sources, optional
        Poisson spike sources: the last ``len(sources.rate)`` neurons of the network, whose
        spikes are drawn, not integrated (synchronous scheme only).
    """

    model: NeuronModel
    neurons: Neurons
    synapse: Synapse
    network: object
    dt: float
    n_samples: int
    delay_steps: int
    scheme: str
    v0: np.ndarray
    x0: np.ndarray
    g0: np.ndarray
    I_ext: np.ndarray
    types: tuple = ()
    poisson: Poisson = None
    noise: Noise = None
    sources: Sources = None

    @property
    def n_sources(self):
        """Number of spike sources."""
        return 0 if self.sources is None else len(self.sources.rate)

    @property
    def n(self):
        """Number of integrated neurons (the network's neurons but its spike sources)."""
        return self.network.n - self.n_sources

    @property
    def n_types(self):
        """Number of synapse types (rows of g)."""
        return max(1, len(self.types))

    @property
    def variables(self):
        """Names of the variables that can be recorded."""
        return recordable(self.types, self.model)

    def __post_init__(self):
        if self.scheme not in SCHEMES:
            raise ValueError(f"unknown scheme {self.scheme!r}; choose one of {SCHEMES}")
        if self.delay_steps < 1:
            raise ValueError(
                f"a delay of {self.delay_steps} steps would never be delivered: it must be at "
                "least one time step"
            )
        if self.n_samples < 1:
            raise ValueError("a simulation needs at least one sample")
        if self.sources is not None and (
            self.scheme != "synchronous" or self.sources.offset != self.n
        ):
            raise ValueError("spike sources need the synchronous scheme and come after the neurons")
        bounds = np.asarray(self.neurons.bounds)
        if bounds[0] != 0 or bounds[-1] != self.n or np.any(np.diff(bounds) < 0):
            raise ValueError(f"the parameters' segments must cover the {self.n} neurons")
        if len(self.neurons.params) != len(bounds) - 1 or any(
            type(p) is not self.model.Parameters for p in self.neurons.params
        ):
            raise ValueError(f"give one {self.model.Parameters.__name__} per segment")
        for name in ("v0", "x0", "I_ext"):
            if np.shape(getattr(self, name)) != (self.n,):
                raise ValueError(f"{name} must have one value per neuron ({self.n})")
        if np.shape(self.g0) not in ((self.n,), (self.n_types, self.n)):
            raise ValueError(f"g0 must have shape ({self.n},) or ({self.n_types}, {self.n})")
        if np.shape(self.synapse.v_syn) not in ((), (self.n_types,)):
            raise ValueError(f"v_syn and tau need one value per synapse type ({self.n_types})")


@dataclass
class Chunk:
    """What one stretch of the run recorded.

    ``traces[var]`` has shape (samples, recorded neurons) for samples ``start .. stop - 1``;
    ``spike_step``/``spike_neuron`` hold the spikes found since the previous chunk, sorted
    by (step, neuron).
    """

    start: int
    stop: int
    traces: dict
    spike_step: np.ndarray
    spike_neuron: np.ndarray


@dataclass
class Result:
    """A whole run: traces (samples x recorded neurons) and the spike list."""

    neurons: np.ndarray
    traces: dict = field(default_factory=dict)
    spike_step: np.ndarray = None
    spike_neuron: np.ndarray = None


def recorded_neurons(n, neurons):
    """Resolve ``neurons`` ("all", None or a list of indices) to a sorted index array."""
    if neurons is None or (isinstance(neurons, str) and neurons == "all"):
        return np.arange(n, dtype=np.int64)
    idx = np.asarray(neurons, dtype=np.int64).reshape(-1)
    if idx.size and (idx.min() < 0 or idx.max() >= n):
        raise ValueError(f"recorded neuron indices must lie in [0, {n}); got {idx.tolist()}")
    if len(np.unique(idx)) != len(idx):
        raise ValueError(f"recorded neuron indices must not repeat; got {idx.tolist()}")
    return np.sort(idx)
