"""The tests: from what an experimenter has (a recorded voltage, spike trains, and statistics
of their surrogate trains) to, per tested train, a signed statistic (> 0: excitatory), a
p-value and a classification at ``alpha`` (1 excitatory, -1 inhibitory, 0 none). No
function here sees the true wiring.

- :func:`sta_test`, the published baseline (Fiers 2024): the height (max - min) of the
  spike-triggered average of the clipped voltage, against that of 100 shuffled trains;
  sign from the STA's area above its first sample; statistic ``sign (1 - p)``.
- :func:`template_test`, the thesis's two-pass template correlation (Fiers 2024, ch. 5; the
  thesis code's ``TemplateCorr``), on the voltage unclipped, as the thesis ran it: pass 1
  is the STA test; the template is the mean STA of
  the trains it finds excitatory with no surrogate as high (:func:`template_of`); pass 2
  correlates each train's STA with it (Pearson), against its surrogates' correlations
  (two-sided here, see :func:`template_test`); a negative correlation is inhibitory. As
  published, the template includes the tested train's own STA.
- :func:`line_fit_t`, the thesis's line fit (``FitUpstroke``): one least-squares line
  through the first ``LINE_FIT_WINDOW`` of every window after the train's spikes, pooled;
  its statistic is the slope's t (ranked as is, as published); its p-value here is the
  surrogates' (the voltage's samples are not independent, so t is not N(0, 1)).
- :func:`matched_filter` and :func:`projection_test`, ours: a matched filter for the
  postsynaptic potential, whitened by the voltage's own covariance, on the clipped voltage
  from which the neuron's own spikes' average waveform is removed; its projection is
  z-scored against the same surrogate trains. ``kernel`` (ours) whitens a parametric PSP
  (:func:`psp_template`) fitted to the z-weighted STAs of every train of the pool instead,
  so that it needs no strong inputs among the tested trains. See docs/inference.md.
- ``xcorr``, a spike-only peer: the same projection test on the count of the recorded
  neuron's own spikes in the window after each spike (a cross-correlogram), to show what
  the voltage adds.
"""

import numpy as np

from .sta import spike_triggered_sums

# The matched filter's fixed settings (measured on the N-to-1 experiment, see docs/inference.md).
OWN_SPIKE_WINDOW = 0.1  # s of waveform removed after each of the neuron's own spikes
DEAD_TIME = 2e-3  # s: own-spike crossings closer than this are one spike
SMOOTHING = 2e-3  # s: moving average before finding own spikes (imaging noise)
OWN_SPIKE_SDS = 7.0  # own spikes cross the (smoothed) trace's median + this many robust SDs
RIDGE = 0.1  # of the voltage's variance, added to the covariance's diagonal
PASS_ONE_Z = 3.0  # trains with |z| above this (at least PASS_ONE_MIN of them) make the template
PASS_ONE_MIN = 3
LINE_FIT_WINDOW = 10e-3  # s: the thesis's line fit (FitUpstroke: 100 samples at 0.1 ms)


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
        ``sign x (1 - p)``; p the exact permutation p-value (:func:`permutation_p`); the
        sign (+1, -1 or 0) where p <= alpha, else 0.
    """
    height = np.nanmax(sta, axis=1) - np.nanmin(sta, axis=1)
    p = permutation_p(surrogate_heights >= height[:, None])
    sign = np.sign(np.nansum(sta - sta[:, :1], axis=1))  # area above the first sample
    p = np.where(np.isfinite(height), p, 1.0)
    return sign * (1 - p), p, np.where(p <= alpha, sign, 0).astype(np.int8)


def permutation_p(as_extreme):
    """The exact permutation p-value per row of ``as_extreme`` (surrogates at least as
    extreme as the real train): (count + 1) / (surrogates + 1), the real train counted as
    one of the equally likely arrangements, so that P(p <= alpha) <= alpha under the null
    (Phipson & Smyth 2010, doi:10.2202/1544-6115.1585). Never 0; 1 / (n + 1) at least."""
    as_extreme = np.asarray(as_extreme)
    return (as_extreme.sum(axis=1) + 1) / (as_extreme.shape[1] + 1)


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
    """The autocovariance of ``y`` at lags ``0 .. lags - 1`` (V^2), by direct sums: for the
    few lags of a window this is faster than by FFT (0.25 s against 2.2 s for 200 lags of
    6 million samples, measured on this project's 2-core machine)."""
    centred = np.asarray(y, dtype=np.float64) - np.mean(y)
    n = len(centred)
    return np.array([np.dot(centred[: n - k], centred[k:]) / (n - k) for k in range(lags)])


def noise_of(y, window):
    """What the filters need of the voltage ``y`` (computed once per neuron): its mean, its
    covariance over a window (a Toeplitz matrix of its autocovariance, with the ridge
    added) and the variance of a window's mean (without the ridge)."""
    c = autocovariance(y, window)
    lag = np.abs(np.subtract.outer(np.arange(window), np.arange(window)))
    covariance = c[lag]
    window_mean_var = covariance.sum() / window**2
    covariance += RIDGE * c[0] * np.eye(window)
    return {"mean": float(np.mean(y)), "covariance": covariance, "window_mean_var": window_mean_var}


def matched_filter(noise, sta, counts):
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
    deviation, z = _pass_one(noise, sta, counts)
    chosen = np.abs(z) >= PASS_ONE_Z
    if chosen.sum() < PASS_ONE_MIN:
        chosen = np.argsort(-np.abs(z), kind="stable")[:PASS_ONE_MIN]
    template = (deviation[chosen] * np.sign(z[chosen])[:, None]).mean(axis=0)
    return np.linalg.solve(noise["covariance"], np.nan_to_num(template)), z


def kernel_template(noise, sta, counts, dt):
    """Ours, for pools of mostly unconnected trains: the PSP that ``kernel`` whitens into its
    filter (and ``joint`` models the trains with), :func:`psp_template` fitted to the average
    of every train's sign-corrected STA deviation weighted by its pass-1 z squared (so no
    train is chosen or left out: an unconnected train's z is small and its STA noise averages
    out; zeros if no train has a z)."""
    deviation, z = _pass_one(noise, sta, counts)
    weight = z * z
    if weight.sum() == 0:
        return np.zeros(sta.shape[1])
    pooled = (np.nan_to_num(deviation) * (np.sign(z) * weight)[:, None]).sum(axis=0)
    return psp_template(pooled / weight.sum(), dt)


def _pass_one(noise, sta, counts):
    """Each train's STA minus the mean voltage, and its pass-1 z (0 where undefined)."""
    deviation = sta - noise["mean"]
    with np.errstate(invalid="ignore", divide="ignore"):
        z = deviation.mean(axis=1) / np.sqrt(noise["window_mean_var"] / counts)
    return deviation, np.where(np.isfinite(z), z, 0.0)


def projection_test(projections, alpha):
    """z-score of each train's projection against its surrogates'.

    ``projections`` has shape (pairs, 1 + shuffles): the train's, then its surrogates'.
    Returns (z, p, predicted): p from the surrogates at least as far as the train from the
    mean of all of them, the train's included (:func:`permutation_p`); the sign of z where
    p <= alpha, else 0. That centre is a function of the set, not of which one is the real
    train, so under the null the ranks stay exchangeable and p is exact; centred on the
    surrogates' own mean, P(p <= 0.05) was 0.052 with 100 Gaussian surrogates.
    """
    real, surrogate = projections[:, 0], projections[:, 1:]
    z, _ = z_against(real, surrogate)
    mean = projections.mean(axis=1)
    far = np.abs(surrogate - mean[:, None]) >= np.abs(real - mean)[:, None]
    p = np.where(z == 0, 1.0, permutation_p(far))
    return z, p, np.where(p <= alpha, np.sign(z), 0).astype(np.int8)


def z_against(real, surrogate):
    """Each train's ``real`` value z-scored against its row of ``surrogate`` values (0 where
    they do not vary or z is undefined), and the surrogates' means."""
    mean, spread = surrogate.mean(axis=1), surrogate.std(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        z = np.where(spread > 0, (real - mean) / spread, 0.0)
    return np.where(np.isfinite(z), z, 0.0), mean


def cross_fitted_halves(n_trains):
    """Two halves of the trains (even and odd positions): each half is tested with the
    filter made from the other, so that no train's own STA shapes its test."""
    index = np.arange(n_trains)
    return [index % 2 == 0, index % 2 == 1]


def template_of(sta, statistic, p_value):
    """The thesis's template (pass 1 to 2): the mean STA of the trains the STA test finds
    excitatory with no surrogate as high (the smallest p-value there is); if there are none,
    of the positive trains with the smallest p-value (the thesis code lowers its threshold
    until one train is chosen). None if no train has a positive sign."""
    positive = statistic > 0
    if not positive.any():
        return None
    chosen = positive & (p_value == p_value[positive].min())
    return np.nanmean(sta[chosen], axis=0)


def correlation(rows, template):
    """Pearson's correlation of each row of ``rows`` with ``template`` (0 where undefined)."""
    a = rows - np.nanmean(rows, axis=-1, keepdims=True)
    b = template - template.mean()
    with np.errstate(invalid="ignore", divide="ignore"):
        r = (a @ b) / np.sqrt((a * a).sum(axis=-1) * (b @ b))
    return np.where(np.isfinite(r), r, 0.0)


def template_test(rho, surrogate_rho, alpha):
    """Pass 2: ``rho`` (pairs) against ``surrogate_rho`` (pairs, shuffles), two-sided;
    statistic ``sign(rho) (1 - p)``. (The thesis code compared the surrogates in the
    direction of ``rho`` only, a direction chosen after seeing it, which doubles the rate
    of false positives at alpha; two-sided, the p-value is exact.)"""
    sign = np.sign(rho)
    p = permutation_p(np.abs(surrogate_rho) >= np.abs(rho)[:, None])
    p = np.where(sign == 0, 1.0, p)
    return sign * (1 - p), p, np.where(p <= alpha, sign, 0).astype(np.int8)


def line_fit_t(sums, counts, square_sums, fit_steps):
    """The slope's t of one least-squares line ``y = b0 + b1 j`` (j = 0 .. fit_steps - 1)
    through the first ``fit_steps`` samples of every window after a train's spikes.

    From the windows' sums per lag ``sums[..., :fit_steps]``, their number ``counts`` and
    the sum of their squared samples ``square_sums`` (of a signal whose mean is near 0, so
    that nothing cancels): ``b1 = S_jy / S_jj``, residual variance ``RSS / (n - 2)``, t =
    ``b1 / sqrt(s^2 / S_jj)`` (the thesis code's). 0 where undefined."""
    sums = np.asarray(sums, dtype=np.float64)[..., :fit_steps]
    counts = np.asarray(counts, dtype=np.float64)
    lag = np.arange(fit_steps) - (fit_steps - 1) / 2
    n = counts * fit_steps
    with np.errstate(invalid="ignore", divide="ignore"):
        s_jj = counts * (lag @ lag)
        slope = (sums @ lag) / s_jj
        rss = square_sums - sums.sum(axis=-1) ** 2 / n - slope**2 * s_jj
        t = slope / np.sqrt(rss / (n - 2) / s_jj)
    return np.where(np.isfinite(t), t, 0.0)


def line_fit_test(t, surrogate_t, alpha):
    """The line fit's t (ranked as is) with p from its surrogates' |t| (two-sided)."""
    p = permutation_p(np.abs(surrogate_t) >= np.abs(t)[:, None])
    p = np.where(t == 0, 1.0, p)
    return t, p, np.where(p <= alpha, np.sign(t), 0).astype(np.int8)


def psp_template(pooled, dt):
    """The PSP shape that fits ``pooled`` (a sign-corrected average STA deviation, one
    sample per step) best, by least squares: ``a (exp(-s / tau_decay) - exp(-s / tau_rise))``
    with ``s`` the time since ``delay`` (0 before it), plus a constant; ``delay``,
    ``tau_rise`` and ``tau_decay`` searched on a grid (``a`` and the constant solved for).
    Returns the fitted kernel (the constant left out), one sample per step."""
    pooled = np.nan_to_num(np.asarray(pooled, dtype=np.float64))
    target = pooled - pooled.mean()
    time = np.arange(len(pooled)) * dt
    best, kernel = np.inf, np.zeros(len(pooled))
    for delay in time[: max(1, len(pooled) // 2)]:
        s = np.clip(time - delay, 0.0, None)
        decay = {tau: np.exp(-s / tau) for tau in (*PSP_RISES, *PSP_DECAYS)}  # once a delay
        for tau_rise in PSP_RISES:
            for tau_decay in PSP_DECAYS:
                if tau_decay <= tau_rise:
                    continue
                shape = decay[tau_decay] - decay[tau_rise]
                centred = shape - shape.mean()
                norm = centred @ centred
                if norm == 0:
                    continue
                a = (centred @ target) / norm
                residual = target - a * centred
                error = residual @ residual
                if error < best and a > 0:
                    best, kernel = error, a * shape
    return kernel


PSP_RISES = (0.25e-3, 0.5e-3, 1e-3, 2e-3, 4e-3)  # s
PSP_DECAYS = tuple(np.geomspace(1e-3, 100e-3, 21))  # s
