"""Which spike trains to test against which recorded neuron: the benchmark's design.

This module reads the true wiring where it is known (to pick inputs and unconnected trains,
and to label each pair with the truth); the methods (:mod:`.methods`) never see it. A pair's
``pre`` is the number of its train in the recording (a simulation's neuron or spike
source), or -1 for a Poisson train generated here (when the network has too few neurons that
are not inputs of the recorded one, as in the N-to-1 experiment, where every source is an
input). Without the truth every train is tested (``trains: all``), in the trains' order.
"""

from dataclasses import dataclass

import numpy as np

from .. import rng as rng_module
from ..core.sorting import group_by_pre
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


class SpikeIndex:
    """Every train's spike steps before ``n_steps``: their counts, and the steps of chosen
    trains (grouped by one counting sort of their spikes only: a pool of 300 trains out of
    6,500 sorts 5 % of the spikes)."""

    def __init__(self, recording, n_steps):
        keep = recording.spike_step < n_steps
        self.n_steps = n_steps
        self.n = recording.n_trains
        self.step = recording.spike_step[keep]
        self.owner = recording.spike_train[keep]
        self._counts = np.bincount(self.owner, minlength=self.n)

    def trains(self, chosen):
        """The spike steps (int64, ascending) of each train of ``chosen`` (train numbers)."""
        chosen = np.asarray(chosen, dtype=np.int64)
        if len(chosen) == 0:
            return []
        slot = np.full(self.n, -1, dtype=np.int32)
        slot[chosen] = np.arange(len(chosen), dtype=np.int32)
        mine = slot[self.owner]
        taken = mine >= 0
        _, steps = group_by_pre(len(chosen), mine[taken], self.step[taken].astype(np.int32))
        ends = np.cumsum(self._counts[chosen])
        return [part.astype(np.int64) for part in np.split(steps, ends[:-1])]

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
    pre = np.array(pre, dtype=np.int64)
    truth = [inputs.get(i, (0, 0.0)) if i >= 0 else (0, 0.0) for i in pre.tolist()]
    ids = recording.ids
    first_free = int(ids.max()) + 1 if len(ids) else 0
    keys = np.where(pre >= 0, ids[np.maximum(pre, 0)], first_free + np.arange(len(pre)))
    return Pairs(
        post=post,
        pre=pre,
        trains=trains,
        true_type=np.array([t for t, _ in truth], dtype=np.int8) if known else None,
        true_weight=np.array([w for _, w in truth], dtype=np.float64) if known else None,
        keys=keys,
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
