"""Random drives of a simulation: Poisson input spikes and white-noise current.

Both are drawn chunk by chunk from their own seeded streams, in step order, so results do
not depend on the chunk size (see :func:`chunk_drive`).
"""

from dataclasses import dataclass

import numpy as np

from . import kernels


@dataclass(frozen=True)
class Poisson:
    """Poisson input: per neuron, independent trains of summed ``rate`` (Hz) through synapses
    of ``weight`` (S) onto the conductance of synapse type code ``type``.

    Each step's total count over all neurons is drawn from ``rng`` and spread uniformly over
    the neurons with ``targets`` (see :meth:`counts`)."""

    rate: float
    weight: float
    type: int
    rng: np.random.Generator
    targets: np.random.Generator

    def counts(self, rows, n, dt):
        """Input spikes of the next ``rows`` steps, per step and neuron ((rows, n) int64).

        Independent Poisson(rate dt) counts per neuron are drawn as they can be sampled
        (Poisson splitting): a step's total is Poisson(n rate dt), and each of its input
        spikes goes to a uniformly drawn neuron. That takes about ``rate dt`` random numbers
        per neuron and step instead of one or more. Both streams are consumed in order, so
        chunking changes nothing.
        """
        totals = self.rng.poisson(n * self.rate * dt, size=rows)
        neuron = (self.targets.random(int(totals.sum())) * n).astype(np.int64)
        np.minimum(neuron, n - 1, out=neuron)  # u * n rounds up to n for u near 1, large n
        cells = np.repeat(np.arange(rows, dtype=np.int64) * n, totals) + neuron
        return np.bincount(cells, minlength=rows * n).reshape(rows, n)


@dataclass(frozen=True)
class Noise:
    """White-noise current: each step, ``amplitude`` (A) x a standard normal draw per neuron.

    ``amplitude = std * sqrt(tau / dt)`` makes the noise's average over ``tau`` have standard
    deviation ``std`` whatever dt is (Euler-Maruyama), so v's statistics do not depend on dt.
    """

    amplitude: float
    rng: np.random.Generator


NO_COUNTS, NO_NOISE = np.zeros((0, 0), dtype=np.int64), np.zeros((0, 0))


def chunk_drive(poisson, noise, rows, n, dt):
    """The random drive of the next ``rows`` steps for the kernels (drawn in order: chunking
    changes nothing). ``poisson`` and ``noise`` may be None."""
    counts, weight, synapse_type, current = NO_COUNTS, 0.0, 0, NO_NOISE
    if poisson is not None:
        counts = poisson.counts(rows, n, dt)
        weight, synapse_type = poisson.weight, poisson.type
    if noise is not None:
        current = noise.amplitude * noise.rng.standard_normal(size=(rows, n))
    return kernels.Drive(counts=counts, weight=weight, type=synapse_type, noise=current)


def bytes_per_neuron_step(poisson, noise):
    """Memory the random drive takes per neuron and step of a chunk (bytes)."""
    return 8 * ((poisson is not None) + (noise is not None))
