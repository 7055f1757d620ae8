"""Random numbers: one seeded numpy Generator per purpose, derived from the experiment's seed.

Each purpose (connectivity, weights, drive, ...) draws from its own stream,
``numpy.random.default_rng([seed, purpose])``, so that adding randomness to one part of an
experiment never changes another part, and the same seed gives the same draws on any machine
(numpy's PCG64 and SeedSequence are platform-independent).
"""

import numpy as np

PURPOSES = {
    "connectivity": 1,
    "weights": 2,
    "drive": 3,
    "poisson": 4,
    "noise": 5,
    "poisson_targets": 6,
}


def generator(seed, purpose):
    """The Generator for ``purpose`` (a key of :data:`PURPOSES`) of an experiment's ``seed``."""
    return np.random.default_rng([int(seed), PURPOSES[purpose]])
