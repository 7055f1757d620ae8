"""Excitatory and inhibitory populations and Dale's law.

With populations ``{exc: N_E, inh: N_I}`` (resolved counts) the first ``N_E`` neurons are
excitatory and the rest inhibitory; spike sources (neurons ``n ..``) have populations of
their own, excitatory first too. Every synapse takes the type of its presynaptic neuron
(Dale's law) and so acts on that type's conductance.
"""

import numpy as np

from ..core.synapse_types import TYPES


def boundaries(network):
    """The populations of resolved network parameters as consecutive index ranges:
    (stops, codes), population i being neurons ``stops[i - 1] .. stops[i] - 1``."""
    stops, codes, start = [], [], 0
    groups = [network["populations"]]
    if "sources" in network:
        groups.append(network["sources"]["populations"])
    for counts in groups:
        for synapse_type in TYPES:
            start += counts[synapse_type.name]
            stops.append(start)
            codes.append(synapse_type.code)
    return np.array(stops), np.array(codes)


def type_codes(nodes, network):
    """The type code of each neuron's (or spike source's) population, for resolved network
    parameters with populations; for presynaptic neurons, that is the type of their synapses
    (Dale's law)."""
    stops, codes = boundaries(network)
    return codes[np.searchsorted(stops, np.asarray(nodes), side="right")].astype(np.int64)
