"""What an experimenter records: the membrane potential through voltage imaging, with noise,
and what is done to it before averaging (clipping spikes, finding the neuron's own spikes).

Imaging noise (Fiers 2024): ``y = v + Normal(0, sigma^2)``, ``sigma = spike height / SNR``,
the spike height being the neuron model's (``v_peak - v_r`` for Izhikevich's, ``V_s - E_L``
for AdEx). Each recorded neuron draws its noise from a stream of its own (``imaging_noise``
of the inference seed, keyed by the neuron).
"""

import numpy as np

from .. import rng as rng_module


def noisy_voltage(v, noise_std, seed, neuron):
    """``v`` (V) plus white Gaussian noise of standard deviation ``noise_std`` (V; 0: none)."""
    v = np.asarray(v, dtype=np.float64)
    if noise_std == 0:
        return v.copy()
    rng = rng_module.generator(seed, "imaging_noise", neuron)
    return v + rng.normal(0.0, noise_std, size=v.shape)


def clip_level(y, clip):
    """The level (V) resolved ``clip`` settings cut ``y`` at, or None (no clipping):
    ``{level: V}`` or ``{percentile: P}`` (the thesis clipped at the 99.9th percentile)."""
    if clip is None:
        return None
    if "level" in clip:
        return clip["level"]
    return float(np.percentile(y, clip["percentile"]))


def clipped(y, level):
    """``y`` with everything above ``level`` (V) set to it (None: unchanged)."""
    return np.asarray(y) if level is None else np.minimum(y, level)


def detect_spikes(y, threshold, dead_steps, smooth_steps=1):
    """Steps at which ``y``, smoothed by a centred moving average of ``smooth_steps`` samples,
    crosses ``threshold`` (V) upwards, at least ``dead_steps`` apart: the recorded neuron's
    own spikes as an experimenter finds them in the (noisy) voltage."""
    y = np.asarray(y, dtype=np.float64)
    if smooth_steps > 1:
        y = np.convolve(y, np.full(smooth_steps, 1 / smooth_steps), mode="same")
    above = y >= threshold
    crossings = np.flatnonzero(above[1:] & ~above[:-1]) + 1
    kept, last = [], -dead_steps - 1
    for step in crossings:
        if step - last > dead_steps:
            kept.append(step)
            last = step
    return np.array(kept, dtype=np.int64)
