"""The variables of a dataset: the one table of their dims, SI unit, long name and display unit.

The dataset writer copies ``units`` and ``long_name`` into every variable's attributes, the
figures read the display unit from here, and the config and the engine take the names of
the recordable state variables from :func:`recordable`.
"""

from typing import NamedTuple

from ..model.synapse_types import TYPES


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
    "u": _trace("A", "recovery current (Izhikevich u)", "pA", 1e12),
    "g": _trace("S", "synaptic conductance", "nS", 1e9),
    **{f"g_{t.name}": _trace("S", f"{t.long_name} synaptic conductance", "nS", 1e9) for t in TYPES},
    "I": _trace("A", "synaptic current, sum of g (v - v_syn) over synapse types", "pA", 1e12),
    "spike_step": Variable(("spike",), "1", "sample index at which v crossed v_peak", "1", 1),
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
}


def conductance_names(types):
    """``("g",)`` for a single synapse type, else ``("g_exc", "g_inh")`` (``types`` names)."""
    return tuple(f"g_{t}" for t in types) or ("g",)


def recordable(types):
    """The state variables a network with synapse types ``types`` can record, in order."""
    return ("v", "u", *conductance_names(types), "I")


def attrs(name):
    """The netCDF attributes of variable ``name``: its SI ``units`` and ``long_name``."""
    variable = VARIABLES[name]
    return {"units": variable.units, "long_name": variable.long_name}
