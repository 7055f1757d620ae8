"""Random drives of a simulation: Poisson input spikes, white-noise current, and the spikes
of Poisson spike sources.

They are described by their parameters and seeds (:class:`Poisson`, :class:`Noise`,
:class:`Sources`); each run draws them afresh (:class:`Draws`), chunk by chunk from their own
seeded streams in step order, so results depend neither on the chunk size nor on how often
a simulation has been run before.
"""

from dataclasses import dataclass

import numpy as np

from .. import rng as rng_module
from ..core.sorting import group_by_pre
from . import kernels


@dataclass(frozen=True)
class Poisson:
    """Poisson input: per neuron, independent trains of summed ``rate`` (Hz) through synapses
    of ``weight`` (S) onto the conductance of synapse type code ``type``.

    Each step's total count over all neurons is drawn from the ``poisson`` stream of
    ``seed`` and spread uniformly over the neurons with its ``poisson_targets`` stream (see
    :meth:`counts`)."""

    rate: float
    weight: float
    type: int
    seed: int

    def streams(self):
        """The two streams of a run, from their start: (counts, targets)."""
        return (
            rng_module.generator(self.seed, "poisson"),
            rng_module.generator(self.seed, "poisson_targets"),
        )

    def counts(self, streams, rows, n, dt):
        """Input spikes of the next ``rows`` steps, per step and neuron ((rows, n) int64),
        drawn from ``streams`` (see :meth:`streams`).

        Independent Poisson(rate dt) counts per neuron are drawn as they can be sampled
        (Poisson splitting): a step's total is Poisson(n rate dt), and each of its input
        spikes goes to a uniformly drawn neuron. That takes about ``rate dt`` random numbers
        per neuron and step instead of one or more. Both streams are consumed in order, so
        chunking changes nothing.
        """
        totals_rng, targets_rng = streams
        totals = totals_rng.poisson(n * self.rate * dt, size=rows)
        neuron = (targets_rng.random(int(totals.sum())) * n).astype(np.int64)
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
    seed: int

    def stream(self):
        """The stream of a run, from its start."""
        return rng_module.generator(self.seed, "noise")


# Spike sources are drawn in blocks of this many steps, each block from a stream of its own
# (keyed by its index): results depend on it, not on the chunk size.
SOURCE_BLOCK_STEPS = 10_000


class Sources:
    """Poisson spike sources: independent trains of rates ``rate`` (Hz, one per source), the
    sources being neurons ``offset .. offset + len(rate) - 1`` of the network, drawn from
    the ``sources`` streams of ``seed`` at time step ``dt`` (s).

    The steps are drawn in blocks of :data:`SOURCE_BLOCK_STEPS`: in a block, each source's
    number of spikes is Poisson(rate x block duration) and each spike falls on a uniformly
    drawn step, so that each source's count per step is Poisson(rate dt), independent of
    the others and of other steps. A source may so spike twice in one step (with probability
    about (rate dt)^2 / 2); both spikes are kept. :meth:`spikes` hands the steps out in
    order, whatever the chunks asked for (a run takes a :meth:`fresh` copy).
    """

    def __init__(self, rate, offset, seed, dt):
        self.rate, self.offset, self.seed, self.dt = np.asarray(rate, float), offset, seed, dt
        self._position = 0  # the next step to hand out, counted from the first step
        self._block = (-1, None, None)  # (index, ptr, ids) of the last block drawn

    def fresh(self):
        """The same sources, handing out their spikes from the first step again."""
        return Sources(self.rate, self.offset, self.seed, self.dt)

    def _draw_block(self, index):
        rng = rng_module.generator(self.seed, "sources", index)
        counts = rng.poisson(self.rate * (SOURCE_BLOCK_STEPS * self.dt))
        ids = np.repeat(np.arange(len(self.rate), dtype=np.int32), counts)
        steps = rng.integers(0, SOURCE_BLOCK_STEPS, size=len(ids)).astype(np.int32)
        steps, ids = group_by_pre(SOURCE_BLOCK_STEPS, steps, ids)  # stable: ids ascend
        ptr = np.zeros(SOURCE_BLOCK_STEPS + 1, dtype=np.int64)
        np.cumsum(np.bincount(steps, minlength=SOURCE_BLOCK_STEPS), out=ptr[1:])
        return ptr, ids

    def _block_of(self, index):
        if self._block[0] != index:
            self._block = (index, *self._draw_block(index))
        return self._block[1:]

    def spikes(self, rows):
        """The sources' spikes of the next ``rows`` steps: ``(ptr, ids)``, the spikes of row
        r being ``ids[ptr[r]:ptr[r + 1]]`` (source numbers from 0, ascending within a row)."""
        counts, pieces, stop = [], [], self._position + rows
        while self._position < stop:
            index, first = divmod(self._position, SOURCE_BLOCK_STEPS)
            last = min(SOURCE_BLOCK_STEPS, first + stop - self._position)
            ptr, ids = self._block_of(index)
            counts.append(np.diff(ptr[first : last + 1]))
            pieces.append(ids[ptr[first] : ptr[last]])
            self._position += last - first
        out = np.zeros(rows + 1, dtype=np.int64)
        np.cumsum(np.concatenate(counts), out=out[1:])
        return out, np.concatenate(pieces)


NO_COUNTS, NO_NOISE = np.zeros((0, 0), dtype=np.int64), np.zeros((0, 0))
NO_PTR, NO_IDS = np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int32)


class Draws:
    """The random drive of one run: ``poisson``, ``noise`` and ``sources`` (each may be
    None) drawn from their streams' start, :meth:`next` chunk after chunk in step order
    (chunking changes nothing; running a simulation again draws the same numbers)."""

    def __init__(self, poisson, noise, sources):
        self.poisson, self.noise = poisson, noise
        self._poisson_streams = None if poisson is None else poisson.streams()
        self._noise_stream = None if noise is None else noise.stream()
        self.sources = None if sources is None else sources.fresh()

    def next(self, rows, n, dt):
        """The drive of the next ``rows`` steps of ``n`` neurons, for the kernels."""
        counts, weight, synapse_type, current = NO_COUNTS, 0.0, 0, NO_NOISE
        ptr, ids, offset, room = NO_PTR, NO_IDS, 0, 0
        if self.poisson is not None:
            counts = self.poisson.counts(self._poisson_streams, rows, n, dt)
            weight, synapse_type = self.poisson.weight, self.poisson.type
        if self.noise is not None:
            current = self.noise.amplitude * self._noise_stream.standard_normal(size=(rows, n))
        if self.sources is not None:
            ptr, ids = self.sources.spikes(rows)
            offset, room = self.sources.offset, int(np.diff(ptr).max(initial=0))
        return kernels.Drive(
            counts=counts,
            weight=weight,
            type=synapse_type,
            noise=current,
            source_ptr=ptr,
            source_ids=ids,
            source_offset=offset,
            source_room=room,
        )


def bytes_per_neuron_step(poisson, noise):
    """Memory the random drive takes per neuron and step of a chunk (bytes); the sources'
    spikes take far less (a few per step)."""
    return 8 * ((poisson is not None) + (noise is not None))
