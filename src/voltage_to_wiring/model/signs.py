"""Whether each synapse of a network is excitatory or inhibitory: the truth the inference is
scored against."""

import numpy as np

from ..core import neurons
from ..core.synapse_types import TYPES


def synapse_signs(ds, params):
    """+1 (excitatory) or -1 (inhibitory) per synapse of dataset ``ds`` (resolved ``params``):
    its type, or with one synapse type, whether the reversal potential lies above the
    postsynaptic neuron's rest."""
    if "synapse_type" in ds:
        return np.array([t.sign for t in TYPES])[np.asarray(ds["synapse_type"].values)]
    post = np.asarray(ds["synapse_post"].values)
    v_syn = params["synapse"]["v_syn"]
    signs = {int(i): 1 if v_syn > neurons.rest_of(params, int(i)) else -1 for i in np.unique(post)}
    return np.array([signs[int(i)] for i in post], dtype=np.int64)
