"""Random numbers: one seeded numpy Generator per purpose, derived from the experiment's seed.

Each purpose (connectivity, weights, drive, ...) draws from its own stream,
``numpy.random.default_rng([seed, purpose])``, so that adding randomness to one part of an
experiment never changes another part, and the same seed gives the same draws on any machine
(numpy's PCG64 and SeedSequence are platform-independent). Inference draws (imaging noise,
surrogate trains, unconnected trains) come from streams of the inference's own seed.
"""

import numpy as np

PURPOSES = {
    "connectivity": 1,
    "weights": 2,
    "drive": 3,
    "poisson": 4,
    "noise": 5,
    "poisson_targets": 6,
    "source_rates": 7,
    "sources": 8,
    "imaging_noise": 9,
    "surrogates": 10,
    "unconnected_trains": 11,
    "unconnected_choice": 12,
    "bootstrap": 13,
    "input_choice": 14,
    "microscope_clock": 15,
    "microscope_noise": 16,
    "shadows": 17,
}


def generator(seed, purpose, *keys):
    """The Generator for ``purpose`` (a key of :data:`PURPOSES`) of an experiment's ``seed``;
    ``keys`` (whole numbers >= 0) give a stream of its own to each of several things, e.g.
    each recorded neuron's imaging noise."""
    return np.random.default_rng([int(seed), PURPOSES[purpose], *(int(k) for k in keys)])
