"""The tests: from what an experimenter has (a recorded voltage, spike trains, and statistics
of their surrogate trains) to, per tested train, a signed statistic (> 0: excitatory), a
p-value and a classification at ``alpha`` (1 excitatory, -1 inhibitory, 0 none). No
function here sees the true wiring.

- :func:`sta_test`, the published baseline (Fiers 2024): the height (max - min) of the
  spike-triggered average of the clipped voltage, against that of 100 ISI-shuffled trains;
  sign from the STA's area above its first sample; statistic ``sign (1 - p)``.
- :func:`matched_filter` and :func:`projection_test`, ours: a matched filter for the
  postsynaptic potential, whitened by the voltage's own covariance, on the clipped voltage
  from which the neuron's own spikes' average waveform is removed; its projection is
  z-scored against the same shuffled trains. See the README (Inference) for its rationale
  and measured gain.
"""

import numpy as np

from .sta import spike_triggered_sums

# The matched filter's fixed settings (measured on the N-to-1 experiment, see the README).
OWN_SPIKE_WINDOW = 0.1  # s of waveform removed after each of the neuron's own spikes
DEAD_TIME = 2e-3  # s: own-spike crossings closer than this are one spike
SMOOTHING = 2e-3  # s: moving average before finding own spikes (imaging noise)
OWN_SPIKE_SDS = 7.0  # own spikes cross the (smoothed) trace's median + this many robust SDs
RIDGE = 0.1  # of the voltage's variance, added to the covariance's diagonal
PASS_ONE_Z = 3.0  # trains with |z| above this (at least PASS_ONE_MIN of them) make the template
PASS_ONE_MIN = 3


def sta_test(sta, surrogate_heights, alpha):
    """The STA height test of each train.

    Parameters
    ----------
    sta : numpy.ndarray, shape (pairs, window)
        Spike-triggered average of the (clipped) voltage per tested train (V).
    surrogate_heights : numpy.ndarray, shape (pairs, shuffles)
        max - min of the STA of each of the train's surrogates (V).
    alpha : float
        Significance level.

    Returns
    -------
    statistic, p_value, predicted : numpy.ndarray
        ``sign x (1 - p)``; p = the fraction of surrogates at least as high (at least
        1 / shuffles); the sign (+1, -1 or 0) where p <= alpha, else 0.
    """
    height = np.nanmax(sta, axis=1) - np.nanmin(sta, axis=1)
    n = surrogate_heights.shape[1]
    p = np.maximum((surrogate_heights >= height[:, None]).sum(axis=1), 1) / n
    sign = np.sign(np.nansum(sta - sta[:, :1], axis=1))  # area above the first sample
    p = np.where(np.isfinite(height), p, 1.0)
    return sign * (1 - p), p, np.where(p <= alpha, sign, 0).astype(np.int8)


def own_spikes_removed(y, own_spikes, length):
    """``y`` minus, after each of the neuron's own spikes (steps), the neuron's average
    waveform over the ``length`` steps that follow a spike, taken relative to its mean
    voltage away from spikes (outside those stretches)."""
    own = np.asarray(own_spikes, dtype=np.int64)
    own = own[own + length <= len(y)]
    out = np.array(y, dtype=np.float64)
    if len(own) == 0:
        return out
    sums, counts = spike_triggered_sums(out, [own], length)
    covered = np.zeros(len(out) + 1, dtype=np.int64)
    np.add.at(covered, own, 1)
    np.add.at(covered, own + length, -1)
    away = np.cumsum(covered[:-1]) == 0
    baseline = out[away].mean() if away.any() else out.mean()
    waveform = sums[0] / counts[0] - baseline
    for s in own:
        out[s : s + length] -= waveform
    return out


def autocovariance(y, lags):
    """The autocovariance of ``y`` at lags ``0 .. lags - 1`` (V^2)."""
    centred = np.asarray(y, dtype=np.float64) - np.mean(y)
    n = len(centred)
    return np.array([np.dot(centred[: n - k], centred[k:]) / (n - k) for k in range(lags)])


def matched_filter(y, sta, counts):
    """The filter whose projection tests trains (two passes, no surrogates needed).

    Pass 1: each train's STA mean, z-scored against its spread under independence (the
    variance of a window's mean of ``y``, over the train's spike count); the trains with
    ``|z| >= PASS_ONE_Z`` (at least ``PASS_ONE_MIN``) give the template: the mean of their
    STAs minus the mean voltage, sign-corrected. Pass 2: the filter is the template
    whitened by the voltage's covariance (a Toeplitz matrix of its autocovariance plus a
    ridge): the projection a Gaussian-noise matched filter would use. A train must not be
    tested with a filter made from its own STA (that would bias it away from 0): see
    :func:`cross_fitted_halves`.

    Returns the filter (per lag) and the pass-1 z of each train.
    """
    window = sta.shape[1]
    c = autocovariance(y, window)
    lag = np.abs(np.subtract.outer(np.arange(window), np.arange(window)))
    covariance = c[lag]
    window_mean_var = covariance.sum() / window**2
    deviation = sta - np.mean(y)
    with np.errstate(invalid="ignore", divide="ignore"):
        z = deviation.mean(axis=1) / np.sqrt(window_mean_var / counts)
    z = np.where(np.isfinite(z), z, 0.0)
    chosen = np.abs(z) >= PASS_ONE_Z
    if chosen.sum() < PASS_ONE_MIN:
        chosen = np.argsort(-np.abs(z), kind="stable")[:PASS_ONE_MIN]
    template = (deviation[chosen] * np.sign(z[chosen])[:, None]).mean(axis=0)
    covariance += RIDGE * c[0] * np.eye(window)
    return np.linalg.solve(covariance, np.nan_to_num(template)), z


def projection_test(projections, alpha):
    """z-score of each train's projection against its surrogates'.

    ``projections`` has shape (pairs, 1 + shuffles): the train's, then its surrogates'.
    Returns (z, p, predicted): p = the fraction of surrogates at least as far from their
    mean (at least 1 / shuffles); the sign of z where p <= alpha, else 0.
    """
    real, surrogate = projections[:, 0], projections[:, 1:]
    mean, spread = surrogate.mean(axis=1), surrogate.std(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        z = np.where(spread > 0, (real - mean) / spread, 0.0)
    z = np.where(np.isfinite(z), z, 0.0)
    far = np.abs(surrogate - mean[:, None]) >= np.abs(real - mean)[:, None]
    p = np.maximum(far.sum(axis=1), 1) / surrogate.shape[1]
    p = np.where(z == 0, 1.0, p)
    return z, p, np.where(p <= alpha, np.sign(z), 0).astype(np.int8)


def cross_fitted_halves(n_trains):
    """Two halves of the trains (even and odd positions): each half is tested with the
    filter made from the other, so that no train's own STA shapes its test."""
    index = np.arange(n_trains)
    return [index % 2 == 0, index % 2 == 1]
