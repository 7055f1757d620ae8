"""The variables of a dataset: the one table of their dims, SI unit, long name and display unit.

The dataset writer copies ``units`` and ``long_name`` into every variable's attributes, the
figures read the display unit from here, and the config and the engine take the names of
the recordable state variables from :func:`recordable`. The neuron models' state variables
(``u``, ``w``, ...) come from their declarations (:mod:`voltage_to_wiring.core.neurons`).
"""

from typing import NamedTuple

import numpy as np

from . import neurons
from .synapse_types import TYPES


class Variable(NamedTuple):
    """How one dataset variable is stored (SI, CF/UDUNITS unit string) and shown."""

    dims: tuple
    units: str  # SI
    long_name: str
    display_units: str  # the unit figures use
    display_factor: float  # SI value x display_factor = value in display_units


def _trace(units, long_name, display_units, factor):
    return Variable(("time", "neuron"), units, long_name, display_units, factor)


VARIABLES = {
    "time": Variable(
        ("time",), "s", "time since the start of the simulation (sample index x dt)", "ms", 1e3
    ),
    "neuron": Variable(("neuron",), "1", "index of the recorded neuron", "1", 1),
    "v": _trace("V", "membrane potential", "mV", 1e3),
    "g": _trace("S", "synaptic conductance", "nS", 1e9),
    **{f"g_{t.name}": _trace("S", f"{t.long_name} synaptic conductance", "nS", 1e9) for t in TYPES},
    "I": _trace("A", "synaptic current, sum of g (v - v_syn) over synapse types", "pA", 1e12),
    # {peak}: the model's spike cut-off (see attrs)
    "spike_step": Variable(("spike",), "1", "sample index at which v crossed {peak}", "1", 1),
    "spike_neuron": Variable(("spike",), "1", "index of the neuron that spiked", "1", 1),
    "spike_time": Variable(("spike",), "s", "spike time (spike_step x dt)", "ms", 1e3),
    "synapse_pre": Variable(("synapse",), "1", "presynaptic neuron index", "1", 1),
    "synapse_post": Variable(("synapse",), "1", "postsynaptic neuron index", "1", 1),
    "synapse_weight": Variable(
        ("synapse",), "S", "conductance increment per presynaptic spike", "nS", 1e9
    ),
    "synapse_type": Variable(
        ("synapse",), "1", "synapse type (that of the presynaptic neuron)", "1", 1
    ),
    "source": Variable(("source",), "1", "neuron index of the Poisson spike source", "1", 1),
    "source_rate": Variable(("source",), "Hz", "firing rate of the Poisson spike source", "Hz", 1),
    "source_type": Variable(("source",), "1", "type of the spike source's synapses", "1", 1),
    # the inference dataset (results/inference/{experiment}.nc)
    "pair": Variable(("pair",), "1", "index of the tested (train, recorded neuron) pair", "1", 1),
    "lag": Variable(("lag",), "s", "time after the presynaptic spike", "ms", 1e3),
    "inference_method": Variable(("inference_method",), None, "inference method", None, 1),
    "post": Variable(("pair",), "1", "index of the recorded (postsynaptic) neuron", "1", 1),
    "pre": Variable(
        ("pair",),
        "1",
        "index of the presynaptic neuron or spike source, or of the recording's train (-1: a "
        "Poisson train generated for the test, connected to nothing)",
        "1",
        1,
    ),
    "pre_spikes": Variable(("pair",), "1", "spikes of the tested train averaged over", "1", 1),
    "true_type": Variable(
        ("pair",),
        "1",
        "true connection (from the wiring): 1 excitatory, -1 inhibitory, 0 none",
        "1",
        1,
    ),
    "true_weight": Variable(
        ("pair",), "S", "true weight (sum over the pair's synapses; 0 if unconnected)", "nS", 1e9
    ),
    "shadow_of": Variable(
        ("pair",),
        "1",
        "the input whose spikes a shadow train shares in part (inference.shadows); -1: none",
        "1",
        1,
    ),
    "shared_inputs": Variable(
        ("pair",),
        "1",
        "presynaptic neurons and sources the tested train's neuron shares with the recorded "
        "one (0 for a spike source or a generated train)",
        "1",
        1,
    ),
    "statistic": Variable(
        ("inference_method", "pair"),
        "1",
        "signed test statistic: > 0 excitatory, < 0 inhibitory; its size ranks connectedness",
        "1",
        1,
    ),
    "p_value": Variable(
        ("inference_method", "pair"), "1", "p-value against the shuffled trains", "1", 1
    ),
    "q_value": Variable(
        ("inference_method", "pair"),
        "1",
        "Benjamini-Hochberg q-value of the p-value among all the method's pairs",
        "1",
        1,
    ),
    "predicted": Variable(
        ("inference_method", "pair"),
        "1",
        "classification at alpha: 1 excitatory, -1 inhibitory, 0 none",
        "1",
        1,
    ),
    "sta": Variable(
        ("pair", "lag"), "V", "spike-triggered average of the clipped recorded voltage", "mV", 1e3
    ),
    "sta_low": Variable(
        ("pair", "lag"), "V", "2.5th percentile of the shuffled trains' STAs", "mV", 1e3
    ),
    "sta_high": Variable(
        ("pair", "lag"), "V", "97.5th percentile of the shuffled trains' STAs", "mV", 1e3
    ),
    "generated_spike_time": Variable(
        ("generated_spike",), "s", "spike time of a generated unconnected train", "s", 1
    ),
    "generated_spike_pair": Variable(
        ("generated_spike",), "1", "the pair whose generated train the spike belongs to", "1", 1
    ),
    "seconds": Variable(
        ("inference_method",),
        "s",
        "computing time of the method (shared shuffles counted for each)",
        "s",
        1,
    ),
}


def _state_variables():
    """The trace variables of every model's second state variable (one name, one meaning)."""
    found = {}
    for model in neurons.MODELS.values():
        for state in (s for s in model.state[1:] if s.recordable):
            variable = _trace(
                state.unit, state.long_name, state.display_units, state.display_factor
            )
            if found.setdefault(state.name, variable) != variable or state.name in VARIABLES:
                raise ValueError(f"state variable {state.name!r} is declared twice, differently")
    return found


VARIABLES.update(_state_variables())
# Variables stored compressed (zlib, with byte shuffling): those on these dims (spikes, the
# wiring, the sources: sorted indices, repeated weights) and the time coordinate (evenly
# spaced); traces do not pay for it.
COMPRESSED_DIMS = ("spike", "synapse", "source")
COMPRESSED = ("time",)


def conductance_names(types):
    """``("g",)`` for a single synapse type, else ``("g_exc", "g_inh")`` (``types`` names)."""
    return tuple(f"g_{t}" for t in types) or ("g",)


def recordable(types, model=None):
    """The state variables a network of neurons of ``model`` (a NeuronModel; default: the
    default model) with synapse types ``types`` can record, in order."""
    model = model or neurons.get(neurons.DEFAULT)
    return (*model.recordable(), *conductance_names(types), "I")


def index_dtype(largest):
    """int32 for indices up to ``largest`` when they fit (half the bytes of int64), else int64."""
    return np.int32 if largest < 2**31 else np.int64


def attrs(name, model=None):
    """The netCDF attributes of variable ``name``: its SI ``units`` (none for text) and
    ``long_name`` (naming ``model``'s parameters where it needs them; default: the default
    model's)."""
    variable = VARIABLES[name]
    units = {} if variable.units is None else {"units": variable.units}
    peak = (model or neurons.get(neurons.DEFAULT)).peak
    return {**units, "long_name": variable.long_name.format(peak=peak)}
