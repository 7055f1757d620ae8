"""Surrogate spike trains for the significance tests: the train's inter-spike intervals
shuffled (Fiers 2024; a null in which the train keeps its count and interval statistics but
loses its timing relative to the voltage).

Each tested pair draws from a stream of its own (``surrogates`` of the inference seed, keyed
by the recorded neuron and the pair), so that a pair's surrogates do not depend on which
other pairs are tested.
"""

import numpy as np

from .. import rng as rng_module
from .sta import shuffled_trains


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
