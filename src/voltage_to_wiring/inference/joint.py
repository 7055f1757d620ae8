"""``joint``: every tested train fitted at once, so that a train whose link to the voltage
another train explains (a neighbour that shares some of a true input's spikes) gets no
amplitude.

The model: the trace ``y`` (the clipped voltage without the neuron's own spikes, as the
projection methods see it, mean removed) is the sum over the tested trains j of an
amplitude ``a_j`` times the PSP kernel ``k`` (``kernel``'s fitted shape, peak 1) at each of
its spikes, plus noise. The noise is taken as autoregressive of order ``p`` (its
autocovariance over the STA window; Yule-Walker, by Levinson-Durbin), so whitening is one
causal filter ``w`` of ``p + 1`` taps: ``y_w = w * y`` and each spike's whitened regressor
is ``k_w = w * k``. Least squares on the whitened model (generalised least squares under
that noise) has the normal equations ``G a = b``:

- ``b_j`` = the sum over train j's spikes s of ``sum_l k_w[l] y_w[s + l]``;
- ``G_ij`` = the sum over pairs of spikes (s of train i, u of train j) closer than the
  whitened kernel's length of ``R[|u - s|]``, ``R`` the autocorrelation of ``k_w``: the
  trains' cross-correlograms within the window, weighted. Its cost grows with the spikes
  and their neighbours, not with trains squared times samples.

with a ridge of ``RIDGE`` times its diagonal. The test of train j holds the others' fit
fixed: its amplitude is refitted alone on the partial residual ``r + a_j x_j`` (``r`` the
whitened residual of the joint fit), and so is each of its surrogates' (ISI shuffles or
jitters, as for every method):
``c = (x^T r + a_j x^T x_j) / x^T x``. The statistic is the real refit's z against the
surrogates'; the p-value is exact, the rank of ``|c|`` among the surrogates' ``|c|``
(:func:`.methods.permutation_p`), so no centre estimated from the surrogates enters it.
"""

from dataclasses import dataclass

import numba
import numpy as np

from ..core.jit import JIT
from .methods import RIDGE as NOISE_RIDGE
from .methods import autocovariance, permutation_p, z_against
from .sta import window_projection

RIDGE = 1e-2  # of each train's own Gram entry, added to it


def levinson(c, order):
    """The whitening filter ``[1, -phi_1, ..., -phi_p]`` of the AR(``order``) process of
    autocovariance ``c[0 .. order]`` (the Yule-Walker equations, by Levinson-Durbin)."""
    a = np.zeros(order + 1)
    a[0], error = 1.0, c[0]
    for k in range(1, order + 1):
        if error <= 0:
            break
        reflection = -(c[k] + a[1:k] @ c[k - 1 : 0 : -1]) / error
        a[: k + 1] = a[: k + 1] + reflection * a[k::-1]
        error *= 1.0 - reflection * reflection
    return a


@numba.njit(**JIT)
def _gram(steps, owner, n_trains, r):
    """``G[i, j]`` = the sum over spike pairs (one of train i, one of j, ``steps`` in time
    order) closer than ``len(r)`` of ``r[lag]``; each spike with itself once."""
    g = np.zeros((n_trains, n_trains))
    length = r.shape[0]
    for i in range(steps.shape[0]):
        oi = owner[i]
        g[oi, oi] += r[0]
        k = i + 1
        while k < steps.shape[0] and steps[k] - steps[i] < length:
            v = r[steps[k] - steps[i]]
            ok = owner[k]
            g[oi, ok] += v
            g[ok, oi] += v
            k += 1
    return g


@numba.njit(**JIT)
def _cross(a, b, r):
    """The sum over pairs (s of ``a``, u of ``b``, both ascending) with ``|u - s| <
    len(r)`` of ``r[|u - s|]``."""
    length, total, first = r.shape[0], 0.0, 0
    for i in range(a.shape[0]):
        s = a[i]
        while first < b.shape[0] and b[first] <= s - length:
            first += 1
        k = first
        while k < b.shape[0] and b[k] < s + length:
            total += r[abs(b[k] - s)]
            k += 1
    return total


@numba.njit(**JIT)
def _subtract_fitted(projection, steps, amplitude, r):
    """``projection`` minus, around each spike s, its amplitude times ``r`` at ``|t - s|``:
    the whitened fit's share of ``sum_l k_w[l] y_w[t + l]``, so that what is left is the
    residual's."""
    length, n = r.shape[0], projection.shape[0]
    for i in range(steps.shape[0]):
        s, a = steps[i], amplitude[i]
        for t in range(max(0, s - length + 1), min(n, s + length)):
            projection[t] -= a * r[abs(t - s)]


@dataclass
class JointFit:
    """The joint fit of one neuron's tested trains."""

    amplitude: np.ndarray  # a_j per train (units of the trace)
    own: np.ndarray  # G_jj: each train's Gram entry with itself
    residual: np.ndarray  # sum_l k_w[l] r[t + l] per step t: its sums at a train's spikes
    autocorrelation: np.ndarray  # R: of the whitened kernel, lags 0 .. its length - 1
    usable: int  # steps at which a spike's whole regressor fits


def fit(trace, trains, template, order):
    """The :class:`JointFit` of ``trains`` (spike steps, ascending) to ``trace`` with the
    PSP ``template`` (one sample per step) and AR(``order``) noise."""
    y = np.asarray(trace, dtype=np.float64) - np.mean(trace)
    c = autocovariance(y, order + 1)
    c[0] *= 1.0 + NOISE_RIDGE  # the matched filters' ridge: white noise added to the model
    w = levinson(c, order)
    kernel = np.convolve(template / max(np.abs(template).max(), 1e-300), w)
    r = np.array([kernel[: len(kernel) - lag] @ kernel[lag:] for lag in range(len(kernel))])
    projection = window_projection(np.convolve(y, w)[: len(y)], kernel)
    usable = len(projection)
    kept = [np.asarray(t, dtype=np.int64)[np.asarray(t) < usable] for t in trains]
    steps = np.concatenate([np.zeros(0, np.int64), *kept])
    owner = np.concatenate(
        [np.zeros(0, np.int64)] + [np.full(len(t), j, dtype=np.int64) for j, t in enumerate(kept)]
    )
    order_in_time = np.argsort(steps, kind="stable")
    steps, owner = steps[order_in_time], owner[order_in_time]
    g = _gram(steps, owner, len(kept), r)
    b = np.array([projection[t].sum() for t in kept])
    own = np.diag(g).copy()
    ridged = g + np.diag(RIDGE * np.where(own > 0, own, 1.0))
    amplitude = np.linalg.solve(ridged, b)
    _subtract_fitted(projection, steps, amplitude[owner], r)
    return JointFit(amplitude, own, projection, r, usable)


def refits(joint, j, train, null, residual_sums):
    """Train j's amplitude refitted alone on the partial residual, then each surrogate's
    (rows of ``null``): ``(x^T r + a_j x^T x_j) / x^T x``. ``residual_sums``: the sums of
    ``joint.residual`` at the train's spikes, then at each surrogate's."""
    r, a = joint.autocorrelation, joint.amplitude[j]
    real = np.asarray(train, dtype=np.int64)
    real = real[real < joint.usable]
    out = np.zeros(1 + len(null))
    if joint.own[j] > 0:
        out[0] = (residual_sums[0] + a * joint.own[j]) / joint.own[j]
    for i, row in enumerate(null):
        row = row[row < joint.usable]
        self_gram = _cross(row, row, r)
        if self_gram > 0:
            out[1 + i] = (residual_sums[1 + i] + a * _cross(row, real, r)) / self_gram
    return out


def joint_test(amplitudes, alpha):
    """``amplitudes`` (pairs, 1 + shuffles): each train's refitted amplitude, then its
    surrogates'. Returns (z against the surrogates, the exact permutation p of ``|c|``
    among theirs, the sign of z where p <= alpha, else 0)."""
    real, surrogate = amplitudes[:, 0], amplitudes[:, 1:]
    z, _ = z_against(real, surrogate)
    p = permutation_p(np.abs(surrogate) >= np.abs(real)[:, None])
    p = np.where(real == 0, 1.0, p)
    return z, p, np.where(p <= alpha, np.sign(real), 0).astype(np.int8)
