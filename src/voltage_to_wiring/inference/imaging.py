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


def robust_spread(y):
    """The median of ``y`` and its robust standard deviation (1.4826 x the median absolute
    deviation: the standard deviation of a normal distribution, unmoved by spikes)."""
    y = np.asarray(y, dtype=np.float64)
    median = float(np.median(y))
    return median, 1.4826 * float(np.median(np.abs(y - median)))


def clip_level(y, clip, smooth_steps=1, spread=None):
    """The level (in ``y``'s units) resolved ``clip`` settings cut ``y`` at, or None (no
    clipping): ``{level: x}``, ``{percentile: P}`` (the thesis clipped at the 99.9th
    percentile) or ``{sd: k}`` (the median plus k robust standard deviations of ``y``
    smoothed over ``smooth_steps``, so that imaging noise does not raise the level; that
    ``spread`` if the caller has it)."""
    if clip is None:
        return None
    if "level" in clip:
        return clip["level"]
    if "sd" in clip:
        median, sd = spread or robust_spread(smoothed(y, smooth_steps))
        return median + clip["sd"] * sd
    return float(np.percentile(y, clip["percentile"]))


def clipped(y, level):
    """``y`` with everything above ``level`` (V) set to it (None: unchanged)."""
    return np.asarray(y) if level is None else np.minimum(y, level)


def smoothed(y, smooth_steps):
    """``y`` averaged over a centred window of ``smooth_steps`` samples."""
    y = np.asarray(y, dtype=np.float64)
    if smooth_steps <= 1:
        return y
    return np.convolve(y, np.full(smooth_steps, 1 / smooth_steps), mode="same")


def own_spikes(y, sds, dead_steps, smooth_steps, spread=None):
    """The recorded neuron's own spikes, found from the data alone: upward crossings, through
    its median plus ``sds`` of its robust standard deviations, of the trace smoothed over
    ``smooth_steps`` (a wide spike under imaging noise, Izhikevich's) or of the trace itself
    (a spike of one sample, AdEx's, which smoothing flattens), whichever finds more; at least
    ``dead_steps`` apart. ``spread``: the smoothed trace's (:func:`robust_spread`), if the
    caller has it."""
    found = []
    for trace, given in ((smoothed(y, smooth_steps), spread), (np.asarray(y, np.float64), None)):
        median, sd = given or robust_spread(trace)
        found.append(_crossings(trace, median + sds * sd, dead_steps))
    return max(found, key=len)  # the smoothed trace's on a tie


def _crossings(y, threshold, dead_steps):
    above = y >= threshold
    return _crossings_merged(np.flatnonzero(above[1:] & ~above[:-1]) + 1, dead_steps)


def _crossings_merged(crossings, dead_steps):
    """Ascending ``crossings`` with those within ``dead_steps`` of a kept one dropped."""
    kept, last = [], -dead_steps - 1
    for step in crossings:
        if step - last > dead_steps:
            kept.append(step)
            last = step
    return np.array(kept, dtype=np.int64)
