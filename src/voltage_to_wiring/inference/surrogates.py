"""Surrogate spike trains for the significance tests: what a train would look like if its
timing relative to the voltage carried nothing, under one of two nulls.

- ``isi_shuffle`` (Fiers 2024): the train's inter-spike intervals in another order. It keeps
  the count and the interval statistics and destroys every relation to the voltage, slow ones
  too: in a recurrent network a train that shares input with the recorded neuron (both
  driven by the same population's rate) is then "connected" to it.
- ``jitter`` (interval jitter, Date et al. 1998; Amarasingham et al. 2012,
  doi:10.1152/jn.00633.2011): time is cut into windows of a fixed width and each spike moves
  to a uniform place in its own window. Whatever varies more slowly than the window (common
  input, rate co-modulation) is kept; only the timing within a window is tested.

Each tested pair draws from a stream of its own (``surrogates`` of the inference seed, keyed
by the recorded neuron and the pair), so that a pair's surrogates do not depend on which
other pairs are tested.

A train observed only in some intervals (``segments``: an NWB unit's ``obs_intervals``) has
its surrogates drawn within them: each interval's spikes shuffled among themselves, or
jittered within their window and the interval, so that no surrogate puts a spike where the
unit was not observed.
"""

import numpy as np

from .. import rng as rng_module
from .sta import shuffled_trains


def surrogates(steps, n, seed, post, pair, null, segments=None):
    """``n`` surrogates of the spike train ``steps`` (ascending), shape (n, len(steps)), under
    the resolved ``null`` ({"kind": "isi_shuffle"} or {"kind": "jitter", "steps": width});
    ``segments``: (k, 2) half-open sample ranges the train is observed in (None: all)."""
    if segments is not None:
        return _within(steps, n, seed, post, pair, null, segments)
    if null["kind"] == "jitter":
        return interval_jitters(steps, n, null["steps"], seed, post, pair)
    return isi_shuffles(steps, n, seed, post, pair)


def _within(steps, n, seed, post, pair, null, segments):
    """Surrogates drawn segment by segment, from the pair's one stream, in segment order."""
    steps = np.asarray(steps, dtype=np.int64)
    rng = rng_module.generator(seed, "surrogates", post, pair)
    parts = []
    for a, b in np.asarray(segments, dtype=np.int64).tolist():
        part = steps[(steps >= a) & (steps < b)]
        if null["kind"] == "jitter":
            width = null["steps"]
            low = np.maximum((part // width) * width, a)
            high = np.minimum((part // width + 1) * width, b)
            moved = low + np.floor(rng.random((n, len(part))) * (high - low)).astype(np.int64)
            moved.sort(axis=1)
            parts.append(moved)
        elif len(part) < 2:
            parts.append(np.tile(part, (n, 1)))
        else:
            parts.append(shuffled_trains(part, rng.random((n, len(part) - 1))))
    return np.concatenate([np.zeros((n, 0), np.int64), *parts], axis=1)


def isi_shuffles(steps, n, seed, post, pair):
    """``n`` surrogates of the spike train ``steps`` (ascending), shape (n, len(steps)).

    Fisher-Yates shuffles driven by uniform numbers from the pair's numpy Generator: index
    ``floor(u (i + 1))`` (its bias, under ``len(steps) / 2**53``, is far below anything a
    test could see). A train of fewer than 2 spikes is its own surrogate.
    """
    steps = np.asarray(steps, dtype=np.int64)
    if len(steps) < 2:
        return np.tile(steps, (n, 1))
    uniforms = rng_module.generator(seed, "surrogates", post, pair).random((n, len(steps) - 1))
    return shuffled_trains(steps, uniforms)


def interval_jitters(steps, n, width, seed, post, pair):
    """``n`` interval-jittered surrogates of ``steps`` (ascending), shape (n, len(steps)):
    each spike moved to a uniform step of its window ``[w k, w (k + 1))`` (``w = width``
    steps), each row sorted again. Spikes stay in their window, so a window's count is kept."""
    steps = np.asarray(steps, dtype=np.int64)
    rng = rng_module.generator(seed, "surrogates", post, pair)
    moved = (steps // width) * width + rng.integers(0, width, (n, len(steps)))
    moved.sort(axis=1)
    return moved
