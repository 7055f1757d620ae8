"""The leaky integrate-and-fire neuron (LIF) with an absolute refractory period.

Notes
-----
Gerstner, Kistler, Naud and Paninski (2014), *Neuronal Dynamics*, ch. 1.3, with
conductance synapses. After a spike, v is held at V_reset for ``t_ref`` (rounded to whole
steps) while a refractory clock runs down; synaptic conductances go on decaying and
receiving spikes meanwhile. A reset at or above V_th would spike at every step.
"""

from ...units import FARAD, SECOND, SIEMENS, VOLT
from ._declaration import Below, NeuronModel, Parameter, StateVariable


def derivatives(v, clock, current, drive, dt, p):
    """dv/dt (V/s) and the clock's rate (-1 while refractory: it counts down in s)."""
    refractory = clock > 0.5 * dt  # v held at its reset, for round(t_ref / dt) steps
    dv = 0.0 if refractory else (-p.g_L * (v - p.E_L) - current + drive) / p.C
    return dv, -1.0 if refractory else 0.0


def spiked(v, clock, p):
    return v > p.V_th


def reset(v, clock, p):
    return p.V_reset, p.t_ref


MODEL = NeuronModel(
    name="lif",
    title="LIF",
    summary="leaky integrate-and-fire with an absolute refractory period",
    reference="Gerstner et al. (2014), Neuronal Dynamics, ch. 1.3",
    equations=(
        "C dv/dt = -g_L (v - E_L) - I + I_ext (held at V_reset for t_ref after a spike)",
        "spike when v > V_th: v = V_reset, refractory for t_ref",
    ),
    parameters=(
        Parameter("C", FARAD, "membrane capacitance", positive=True),
        Parameter("g_L", SIEMENS, "leak conductance", positive=True),
        Parameter("E_L", VOLT, "leak reversal (resting) potential"),
        Parameter("V_th", VOLT, "spike threshold"),
        Parameter("V_reset", VOLT, "reset potential"),
        Parameter("t_ref", SECOND, "absolute refractory period", positive=True),
    ),
    state=(
        StateVariable("v", VOLT, "membrane potential", "mV", 1e3, initial="E_L"),
        StateVariable(
            "refractory",
            SECOND,
            "time left of the refractory period",
            "ms",
            1e3,
            0.0,
            recordable=False,
        ),
    ),
    rules=(
        Below(
            "V_reset", "V_th", "the reset must lie below the threshold, or it spikes at every step"
        ),
    ),
    rest="E_L",
    threshold="V_th",
    peak="V_th",
    spike_height=("V_th", "E_L"),
    derivatives=derivatives,
    spiked=spiked,
    reset=reset,
)
