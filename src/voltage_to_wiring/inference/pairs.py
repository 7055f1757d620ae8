"""Which spike trains to test against which recorded neuron: the benchmark's design.

This module reads the true wiring where it is known (to pick inputs and unconnected trains,
and to label each pair with the truth); the methods (:mod:`.methods`) never see it. A pair's
``pre`` is the number of its train in the recording (a simulation's neuron or spike
source), or -1 for a Poisson train generated here (when the network has too few neurons that
are not inputs of the recorded one, as in the N-to-1 experiment, where every source is an
input). Without the truth every train is tested (``trains: all``), in the trains' order.
"""

from dataclasses import dataclass

import numba
import numpy as np

from .. import rng as rng_module
from ..core.jit import JIT
from ..core.synapse_types import TYPES

GENERATED = -1


@dataclass
class Pairs:
    """The tested trains of one recorded neuron ``post``."""

    post: int
    pre: np.ndarray  # int64: the train's number in the recording, -1 for a generated train
    trains: list  # spike steps of each pre, ascending, within the analysed duration
    true_type: np.ndarray | None  # int8: +1 excitatory, -1 inhibitory, 0 not; None: unknown
    true_weight: np.ndarray | None  # S (sum over the pair's synapses), 0 if not connected
    keys: np.ndarray  # int64: each pair's own key for its random streams
    segments: list | None = None  # per pair: the (k, 2) sample ranges its train is observed
    #   in (its surrogates stay in them), or None: observed throughout
    shadow_of: np.ndarray | None = None  # int64 per pair: the train a shadow shares spikes
    #   with, -1 for the others; None: no shadows
    shared_inputs: np.ndarray | None = None  # int64 per pair: the presynaptic trains the
    #   train's neuron shares with ``post`` (0 for a generated train); None: unknown

    def segments_of(self, j):
        return None if self.segments is None else self.segments[j]


class SpikeIndex:
    """Every train's spike steps before ``n_steps``: their counts, and the steps of chosen
    trains, each gathered in one pass over the recording's spikes (kept in time order), with
    no copy of them (15.7 million spikes of the N-to-1 experiment, 200 trains: 0.05 s, against
    0.76 s by masks, ``bincount`` and a counting sort)."""

    def __init__(self, recording, n_steps):
        self.n_steps = n_steps
        self.n = recording.n_trains
        self.step = recording.spike_step
        self.owner = recording.spike_train
        self._counts = _counts(self.step, self.owner, n_steps, self.n)

    def trains(self, chosen):
        """The spike steps (int64, ascending) of each train of ``chosen`` (train numbers)."""
        chosen = np.asarray(chosen, dtype=np.int64)
        if len(chosen) == 0:
            return []
        slot = np.full(self.n, -1, dtype=np.int64)
        slot[chosen] = np.arange(len(chosen))
        counts = self._counts[chosen]
        ends = np.cumsum(counts)
        steps = np.empty(ends[-1], dtype=np.int64)
        _gather(self.step, self.owner, self.n_steps, slot, ends - counts, steps)
        return np.split(steps, ends[:-1])

    def counts(self):
        return self._counts


def choose(recording, settings, post, spikes):
    """The pairs of recorded neuron ``post`` for resolved inference ``settings``."""
    inputs = recording.inputs_of(post)
    known = inputs is not None
    inputs = inputs or {}
    counts = spikes.counts()
    own = recording.own_train.get(post)
    connected = _connected(inputs, counts, settings, post)
    others = [i for i in range(spikes.n) if i != own and i not in inputs]
    n_generated = settings["unconnected"]
    if settings["trains"] == "all":
        unconnected = others
    elif len(others) >= settings["unconnected"]:
        n_generated = 0
        rng = rng_module.generator(settings["seed"], "unconnected_choice", post)
        unconnected = sorted(rng.choice(others, settings["unconnected"], replace=False).tolist())
    else:
        unconnected = []
    pre = [*connected, *unconnected]
    if settings["trains"] == "all":  # in the trains' order, whether the truth is known or not
        pre = sorted(pre)
    trains = spikes.trains(pre)
    if n_generated:
        rates = counts[connected] if connected else counts[others]
        trains += _generated(rates, n_generated, settings, post, spikes.n_steps)
        pre += [GENERATED] * n_generated
    shadow_of = None
    if settings.get("shadows"):
        position = {train: k for k, train in enumerate(pre)}
        shadowed, shadows = shadow_trains(
            [(i, trains[position[i]]) for i in connected], settings, post, spikes.n_steps
        )
        shadow_of = np.array([-1] * len(pre) + shadowed, dtype=np.int64)
        trains += shadows
        pre += [GENERATED] * len(shadows)
    pre = np.array(pre, dtype=np.int64)
    truth = [inputs.get(i, (0, 0.0)) if i >= 0 else (0, 0.0) for i in pre.tolist()]
    ids = recording.ids
    first_free = int(ids.max()) + 1 if len(ids) else 0
    keys = np.where(pre >= 0, ids[np.maximum(pre, 0)], first_free + np.arange(len(pre)))
    common = recording.common_inputs.get(post)
    shared = None if common is None else np.where(pre >= 0, common[np.maximum(pre, 0)], 0)
    observed = recording.observed
    segments = [observed.get(i) if i >= 0 else None for i in pre.tolist()] if observed else None
    return Pairs(
        post=post,
        pre=pre,
        segments=segments,
        trains=trains,
        true_type=np.array([t for t, _ in truth], dtype=np.int8) if known else None,
        true_weight=np.array([w for _, w in truth], dtype=np.float64) if known else None,
        keys=keys,
        shadow_of=shadow_of,
        shared_inputs=shared,
    )


def _connected(inputs, counts, settings, post):
    """The inputs to test: all of them, or ``per_type`` of each type, the highest-rate ones
    (``top_rate``) or drawn at random (``random``, from the ``input_choice`` stream)."""
    if settings["trains"] not in ("top_rate", "random"):
        return sorted(inputs)
    chosen, k = [], settings["per_type"]
    rng = rng_module.generator(settings["seed"], "input_choice", post)
    for synapse_type in TYPES:
        same = sorted(i for i, (sign, _) in inputs.items() if sign == synapse_type.sign)
        if settings["trains"] == "top_rate":
            chosen += sorted(same, key=lambda i: (-counts[i], i))[:k]
        elif len(same) > k:
            chosen += sorted(rng.choice(same, k, replace=False).tolist())
        else:
            chosen += same
    return chosen


def _generated(rates_from, n, settings, post, n_steps):
    """``n`` Poisson trains not connected to anything, with the spike counts of the tested
    trains (evenly spaced quantiles of them), generated from the ``unconnected_trains``
    stream."""
    counts = np.sort(np.asarray(rates_from))
    if len(counts) == 0:
        counts = np.zeros(1)
    counts = counts[np.linspace(0, len(counts) - 1, n).round().astype(int)]
    rng = rng_module.generator(settings["seed"], "unconnected_trains", post)
    return [np.sort(rng.integers(0, n_steps, rng.poisson(c))) for c in counts]


def shadow_trains(inputs, settings, post, n_steps):
    """(The inputs shadowed, their shadows): ``count`` of the tested ``inputs`` ((train,
    spike steps) pairs) drawn from the ``shadows`` stream (with replacement if there are
    fewer), and for each a train that keeps each of the input's spikes with probability
    ``share``, moves it by a whole number of steps uniform in +-``jitter_steps``, and adds
    independent uniform spikes, Poisson in number with mean ``(1 - share)`` times the
    input's: its rate is the input's, its link to the voltage only through the input."""
    shadows = settings["shadows"]
    if not inputs:
        return [], []
    rng = rng_module.generator(settings["seed"], "shadows", post)
    n, jitter, share = shadows["count"], shadows["jitter_steps"], shadows["share"]
    chosen = rng.choice(len(inputs), n, replace=n > len(inputs))
    shadowed, trains = [], []
    for i in chosen.tolist():
        train, steps = inputs[i]
        kept = steps[rng.random(len(steps)) < share]
        moved = kept + rng.integers(-jitter, jitter + 1, len(kept))
        own = rng.integers(0, n_steps, rng.poisson((1 - share) * len(steps)))
        both = np.sort(np.concatenate([moved, own]))
        trains.append(both[(both >= 0) & (both < n_steps)])
        shadowed.append(train)
    return shadowed, trains


@numba.njit(**JIT)
def _counts(step, train, n_steps, n_trains):
    """The spikes of each train before ``n_steps``."""
    counts = np.zeros(n_trains, dtype=np.int64)
    for i in range(step.shape[0]):
        if step[i] < n_steps:
            counts[train[i]] += 1
    return counts


@numba.njit(**JIT)
def _gather(step, train, n_steps, slot, starts, out):
    """The steps before ``n_steps`` of every train with a ``slot`` (>= 0), in the order they
    come, written from ``out[starts[slot]]`` on."""
    position = starts.copy()
    for i in range(step.shape[0]):
        k = slot[train[i]]
        if k >= 0 and step[i] < n_steps:
            out[position[k]] = step[i]
            position[k] += 1
