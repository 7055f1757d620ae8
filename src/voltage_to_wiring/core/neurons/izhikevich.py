"""The Izhikevich (2007) simple model: the 2021 notebook's neuron, and the default.

Notes
-----
Izhikevich (2007), *Dynamical Systems in Neuroscience*, ch. 8, eq. 8.5-8.6. The
expressions keep the notebook's order of operations, so that results agree with it bit for
bit. With k, C > 0 the upstroke needs v_t below v_peak and the rest v_r below v_t; a reset
c at or above v_peak would spike again at every step; a <= 0 makes u grow without bound.
"""

from ...units import AMPERE, FARAD, PER_SECOND, SIEMENS, SIEMENS_PER_VOLT, VOLT
from ._declaration import Below, NeuronModel, Parameter, StateVariable


def derivatives(v, u, current, drive, dt, p):
    """dv/dt (V/s) and du/dt (A/s); ``current``: synaptic (A), ``drive``: external (A)."""
    dv = (p.k * (v - p.v_r) * (v - p.v_t) - u - current + drive) / p.C
    return dv, p.a * (p.b * (v - p.v_r) - u)


def spiked(v, u, p):
    return v >= p.v_peak


def reset(v, u, p):
    return p.c, u + p.d


MODEL = NeuronModel(
    name="izhikevich",
    title="Izhikevich",
    summary="Izhikevich (2007) simple model; the default config's values are cortical "
    "regular spiking (RS)",
    reference="Izhikevich (2007), Dynamical Systems in Neuroscience, ch. 8, eq. 8.5-8.6",
    equations=(
        "C dv/dt = k (v - v_r)(v - v_t) - u - I + I_ext",
        "du/dt = a (b (v - v_r) - u)",
        "spike when v >= v_peak: v = c, u = u + d",
    ),
    parameters=(
        Parameter("C", FARAD, "membrane capacitance", positive=True),
        Parameter("k", SIEMENS_PER_VOLT, "gain of the quadratic upstroke", positive=True),
        Parameter("b", SIEMENS, "sensitivity of the recovery current to v"),
        Parameter("v_r", VOLT, "resting potential"),
        Parameter("v_t", VOLT, "threshold potential"),
        Parameter("v_peak", VOLT, "spike cut-off"),
        Parameter("c", VOLT, "reset potential"),
        Parameter("a", PER_SECOND, "recovery rate", positive=True),
        Parameter("d", AMPERE, "increase of the recovery current at a spike"),
    ),
    state=(
        StateVariable("v", VOLT, "membrane potential", "mV", 1e3, initial="v_r"),
        StateVariable(
            "u", AMPERE, "recovery current (Izhikevich u)", "pA", 1e12, 0.0, figure="recovery"
        ),
    ),
    rules=(
        Below("v_r", "v_t", "the rest potential must lie below the threshold"),
        Below("v_t", "v_peak", "the threshold must lie below the spike peak"),
        Below(
            "c",
            "v_peak",
            "the reset must lie below the spike peak, or the neuron spikes again at every step",
        ),
    ),
    rest="v_r",
    threshold="v_t",
    peak="v_peak",
    spike_height=("v_peak", "v_r"),
    derivatives=derivatives,
    spiked=spiked,
    reset=reset,
)
