"""The ``neuron`` section: Izhikevich (2007) parameters in SI, checked for a neuron that can
exist: a threshold between rest and peak, a reset below the peak, positive C, k and a."""

from ..errors import ConfigError
from .checks import quantity
from .keys import SECTIONS, required

# Parameters that must be positive: the capacitance, the upstroke's gain, the recovery rate.
POSITIVE = ("C", "k", "a")


def resolve_neuron(merged):
    """{C, k, b, v_r, v_t, v_peak, c, a, d} in SI (F, S/V, S, V, V, V, V, 1/s, A).

    Notes
    -----
    Izhikevich (2007), *Dynamical Systems in Neuroscience*, ch. 8, eq. 8.5-8.6:
    ``C dv/dt = k (v - v_r)(v - v_t) - u + I``, ``du/dt = a (b (v - v_r) - u)``, and at
    ``v >= v_peak``: ``v = c``, ``u += d``. With k, C > 0 the upstroke needs ``v_t`` below
    ``v_peak`` and the rest ``v_r`` below ``v_t``; a reset ``c`` at or above ``v_peak``
    would spike again at once, every step; ``a`` <= 0 makes the recovery grow without bound.
    """
    neuron = {}
    for key, unit in SECTIONS["neuron"].items():
        required(merged, "neuron", key)
        neuron[key] = quantity(merged["neuron"][key], unit, f"neuron.{key}", key in POSITIVE)
    written = merged["neuron"]
    _below(neuron, written, "v_r", "v_t", "the rest potential must lie below the threshold")
    _below(neuron, written, "v_t", "v_peak", "the threshold must lie below the spike peak")
    _below(
        neuron,
        written,
        "c",
        "v_peak",
        "the reset must lie below the spike peak, or the neuron spikes again at every step",
    )
    return neuron


def _below(neuron, written, low, high, why):
    if not neuron[low] < neuron[high]:
        raise ConfigError(
            f"{low} = {written[low]} is not below {high} = {written[high]}: {why}",
            key=f"neuron.{low}",
        )
