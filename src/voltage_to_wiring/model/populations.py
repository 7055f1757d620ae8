"""Excitatory and inhibitory populations and Dale's law.

With populations ``{exc: N_E, inh: N_I}`` (resolved counts) the first ``N_E`` neurons are
excitatory and the rest inhibitory. Every synapse takes the type of its presynaptic neuron
(Dale's law) and so acts on that type's conductance.
"""

import numpy as np

from .synapse_types import EXC, INH


def type_codes(neurons, counts):
    """The type code of each neuron's population; for presynaptic neurons, that is the
    type of their synapses (Dale's law)."""
    return np.where(np.asarray(neurons) >= counts[EXC.name], INH.code, EXC.code).astype(np.int64)
