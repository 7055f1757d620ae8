"""The ``neuron`` section: Izhikevich (2007) parameters in SI."""

from .checks import quantity
from .keys import SECTIONS, required

# Parameters that must be positive (a capacitance).
POSITIVE = ("C",)


def resolve_neuron(merged):
    """{C, k, b, v_r, v_t, v_peak, c, a, d} in SI (F, S/V, S, V, V, V, V, 1/s, A).

    Notes
    -----
    Izhikevich (2007), *Dynamical Systems in Neuroscience*, ch. 8, eq. 8.5-8.6:
    ``C dv/dt = k (v - v_r)(v - v_t) - u + I``, ``du/dt = a (b (v - v_r) - u)``, and at
    ``v >= v_peak``: ``v = c``, ``u += d``.
    """
    neuron = {}
    for key, unit in SECTIONS["neuron"].items():
        required(merged, "neuron", key)
        neuron[key] = quantity(merged["neuron"][key], unit, f"neuron.{key}", key in POSITIVE)
    return neuron
