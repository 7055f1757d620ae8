"""The adaptive exponential integrate-and-fire neuron (AdEx): the thesis's N-to-1 neuron.

Notes
-----
Brette and Gerstner (2005), J. Neurophysiol. 94: 3637-3642, eq. 1-2, with conductance
synapses as everywhere in this package; the order of operations of Fiers (2024)'s code
(``tfiers/phd``, ``pkg/Nto1AdEx``), whose spike sample shows the cut-off V_s. A spike is
cut off at ``v > V_s`` (the exponential term diverges); V_T at or above V_s would leave no
room for the upstroke, a reset V_r at or above V_s would spike at every step.
"""

import math

from ...units import AMPERE, FARAD, SECOND, SIEMENS, VOLT
from ._declaration import Below, NeuronModel, Parameter, StateVariable


def derivatives(v, w, current, drive, dt, p):
    """dv/dt (V/s) and dw/dt (A/s); ``current``: synaptic (A), ``drive``: external (A)."""
    spike = p.g_L * p.Delta_T * math.exp((v - p.V_T) / p.Delta_T)
    dv = (-p.g_L * (v - p.E_L) + spike - current - w + drive) / p.C
    return dv, (p.a * (v - p.E_L) - w) / p.tau_w


def spiked(v, w, p):
    return v > p.V_s


def reset(v, w, p):
    return p.V_r, w + p.b


MODEL = NeuronModel(
    name="adex",
    title="AdEx",
    summary="adaptive exponential integrate-and-fire (Brette and Gerstner 2005); the "
    "thesis's cortical RS values in workflow/configs/thesis.yaml",
    reference="Brette and Gerstner (2005), J. Neurophysiol. 94: 3637-3642",
    equations=(
        "C dv/dt = -g_L (v - E_L) + g_L Delta_T exp((v - V_T) / Delta_T) - I - w + I_ext",
        "tau_w dw/dt = a (v - E_L) - w",
        "spike when v > V_s: v = V_r, w = w + b (the spike's sample shows V_s)",
    ),
    parameters=(
        Parameter("C", FARAD, "membrane capacitance", positive=True),
        Parameter("g_L", SIEMENS, "leak conductance", positive=True),
        Parameter("E_L", VOLT, "leak reversal potential"),
        Parameter("V_T", VOLT, "threshold of the exponential upstroke"),
        Parameter("Delta_T", VOLT, "slope factor of the upstroke", positive=True),
        Parameter("V_s", VOLT, "spike cut-off"),
        Parameter("V_r", VOLT, "reset potential"),
        Parameter("a", SIEMENS, "subthreshold adaptation conductance"),
        Parameter("b", AMPERE, "increase of the adaptation current at a spike"),
        Parameter("tau_w", SECOND, "adaptation time constant", positive=True),
    ),
    state=(
        StateVariable("v", VOLT, "membrane potential", "mV", 1e3, initial="E_L"),
        StateVariable(
            "w", AMPERE, "adaptation current (AdEx w)", "pA", 1e12, 0.0, figure="adaptation"
        ),
    ),
    rules=(
        Below("V_T", "V_s", "the upstroke's threshold must lie below the spike cut-off"),
        Below("V_r", "V_s", "the reset must lie below the cut-off, or it spikes at every step"),
    ),
    rest="E_L",
    threshold="V_T",
    peak="V_s",
    spike_height=("V_s", "E_L"),
    spike_sample="V_s",
    derivatives=derivatives,
    spiked=spiked,
    reset=reset,
)
