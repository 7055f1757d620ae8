"""``joint``: every tested train fitted at once, so that a train whose link to the voltage
another train explains (a neighbour that shares some of a true input's spikes) gets no
amplitude.

The model: the trace ``y`` (the clipped voltage without the neuron's own spikes, as the
projection methods see it, mean removed) is the sum over the tested trains i of an
amplitude ``a_i`` times a PSP kernel ``k_i`` (peak 1) at each of its spikes, plus noise.
Each train is seen through ``kernel``'s own filter ``f_i`` (the PSP fitted to the other
half of the trains, whitened by the voltage's covariance over a window: cross-fitted, so
that no train's own STA shapes its test), whose projection of the trace at a step t is
``P_i(t) = sum_l f_i[l] y[t + l]``, and ``k_i`` is that filter's PSP. The fit asks every
train's projections to be explained, ``F^T (y - X a) = 0`` (a Galerkin, or instrumental
variable, estimate: with one train it is ``kernel``'s projection, rescaled), which is the
system ``G a = b``:

- ``b_i`` = the sum of ``P_i`` over train i's spikes;
- ``G_ij`` = the sum over pairs of spikes (s of train i, u of train j) closer than the
  window of ``H_ij[s - u]``, ``H_ij[d] = sum_l f_i[l] k_j[l + d]``: the trains'
  cross-correlograms within the window, weighted. Its cost grows with the spikes and their
  neighbours, not with trains squared times samples.

with a ridge of ``RIDGE`` times its diagonal, and an intercept: each PSP column is centred,
which takes from ``G_ij`` a constant's share, ``(n_i sum f_i)(n_j sum k_j) / N`` (without
it, where most inputs share a sign, every amplitude takes a share of their PSPs' mean, and a
shadow of an input gets a negative one). The residual ``y - X a`` (its PSPs summed by
kernel, one correlation each) has its mean taken out and is projected on each filter: ``R``.

The test of train j holds the others' fit fixed. Its refit is its projection of the residual
of the fit without it (leave one out), which by the block inverse is ``a_j / ((G~^-1)_jj
G_jj)`` (``G~`` ridged; the ratio is its variance inflation by the other trains, near 1 for
a train independent of them): no second fit. Each surrogate (ISI shuffles or jitters, as for
every method) is refitted alone on the same residual, to first order, that is the residual
with train j's fit put back: ``c = (sum_s R(s) + a_j G_sj) / G_ss`` (what it leaves out,
the surrogate's Gram entries with every other train, is a product of two terms of chance).
Under the null the train is then, to that order, exchangeable with its surrogates; a train
that another one explains (a neighbour sharing an input's spikes) is refitted on what that
one leaves. The p-value is the permutation p, the rank of ``|c|`` among the surrogates'
``|c|`` (:func:`.methods.permutation_p`), with no centre estimated from the surrogates:
with 300 unconnected trains of 40 spikes in one fit, P(p <= 0.05) = 0.049 over 4500
(tested; 0.059 when the real refit was the full fit's amplitude over the square root of
its inflation). The statistic is the real refit's z against the surrogates'.
"""

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numba
import numpy as np

from ..core.jit import JIT
from .methods import permutation_p, z_against
from .sta import window_projection

RIDGE = 1e-2  # of each train's own Gram entry, added to it


def lags(filters, kernels):
    """``H[g, h, d + L - 1] = sum_l filters[g][l] kernels[h][l + d]`` for |d| < L (each
    filter and kernel L samples): filter g's projection, at a step d after it, of kernel
    h's PSP."""
    length = len(filters[0])
    out = np.zeros((len(filters), len(kernels), 2 * length - 1))
    for g, f in enumerate(filters):
        for h, k in enumerate(kernels):
            out[g, h] = np.correlate(np.pad(k, (length - 1, length - 1)), f, mode="valid")
    return out


def gram(steps, owner, which, n_trains, h, threads=1):
    """:func:`_gram_rows` of every train, the trains shared among ``threads`` in runs of
    about equal spikes. Each row is written by one thread, in the same order whatever their
    number: the same bits for any number of threads."""
    g, transposed = np.zeros((n_trains, n_trains)), np.zeros((n_trains, n_trains))
    by_train = np.argsort(owner, kind="stable")  # each train's spikes, in time order
    starts = np.searchsorted(owner[by_train], np.arange(n_trains + 1))
    parts = max(1, min(threads, n_trains))
    cuts = np.searchsorted(starts, np.linspace(0, len(steps), parts + 1), side="left")
    cuts[0], cuts[-1] = 0, n_trains

    def rows(c):
        _gram_rows(steps, owner, which, h, by_train, starts, cuts[c], cuts[c + 1], g, transposed)

    if parts > 1:
        with ThreadPoolExecutor(parts) as pool:
            list(pool.map(rows, range(parts)))
    else:
        rows(0)
    g += transposed.T
    return g


@numba.njit(**JIT)
def _gram_rows(steps, owner, which, h, by_train, starts, first, last, g, transposed):
    """Rows ``first .. last - 1`` of ``G[i, j]`` = the sum over spike pairs (s of train i,
    u of train j; ``steps`` in time order) closer than the window of ``h[which[i],
    which[j], s - u + L - 1]``; each spike with itself once. Both of a pair's terms go to
    the row of its earlier spike (in ``steps``' order), the later's into ``transposed``
    (``G = g + transposed.T``). Train by train (``by_train[starts[i]:starts[i + 1]]``: the
    indices of train i's spikes), so that the two rows the inner loop scatters into stay in
    the cache (spike by spike, every spike was another row: a cache miss per neighbour)."""
    length = (h.shape[2] + 1) // 2
    n_kernels = h.shape[0]
    ahead = np.empty((n_kernels, n_kernels, length))  # the later spike's PSP, seen earlier
    behind = np.empty((n_kernels, n_kernels, length))  # the earlier one's, seen later
    for a in range(n_kernels):
        for b in range(n_kernels):
            for gap in range(length):
                ahead[a, b, gap] = h[a, b, length - 1 - gap]
                behind[a, b, gap] = h[b, a, length - 1 + gap]
    n = steps.shape[0]
    for oi in range(first, last):
        wi = which[oi]
        row, back = g[oi], transposed[oi]
        for p in range(starts[oi], starts[oi + 1]):
            i = by_train[p]
            s = steps[i]
            row[oi] += h[wi, wi, length - 1]
            k = i + 1
            while k < n and steps[k] - s < length:
                ok = owner[k]
                gap = steps[k] - s
                row[ok] += ahead[wi, which[ok], gap]
                back[ok] += behind[wi, which[ok], gap]
                k += 1


def fitted_psps(n_steps, steps, amplitude, kernel_of, kernels):
    """``X a``: each spike's amplitude times its train's PSP, summed, one sample per step
    (per kernel, its impulses correlated with the kernel reversed: the bits of a plain sum
    over its taps)."""
    length, out = len(kernels[0]), np.zeros(n_steps)
    for h, kernel in enumerate(kernels):
        impulses = np.zeros(n_steps + length - 1)
        mine = kernel_of == h
        np.add.at(impulses, steps[mine] + length - 1, amplitude[mine])
        out += window_projection(impulses, np.ascontiguousarray(kernel[::-1]))
    return out


@dataclass
class JointFit:
    """The joint fit of one neuron's tested trains."""

    amplitude: np.ndarray  # a_j per train (units of the trace: the kernels peak at 1)
    own: np.ndarray  # G_jj: each train's Gram entry with itself (centred)
    inflation: np.ndarray  # (G~^-1)_jj G_jj, G~ ridged: a_j over it is train j's refit on the
    #   residual of the fit without it (its variance inflation by the others, over 1 + ridge)
    residual: np.ndarray  # (steps, filters): each filter's projection of the residual
    lags: np.ndarray  # H (filters, kernels, 2 L - 1)
    which: np.ndarray  # the filter (and kernel) of each train
    usable: int  # steps at which a spike's whole window fits
    area: np.ndarray  # (filters, kernels): sum f_g sum k_h, a constant's share of H_gh
    n_samples: int  # of the trace (the intercept's)


def fit(trace, trains, filters, kernels, which, threads=1):
    """The :class:`JointFit` of ``trains`` (spike steps, ascending) to ``trace``, train j
    seen through ``filters[which[j]]`` with the PSP ``kernels[which[j]]`` (one sample per
    step, as long as the filter; scaled to peak 1 here). ``threads`` share the Gram
    matrix's spikes; the result does not depend on their number."""
    y = np.asarray(trace, dtype=np.float64) - np.mean(trace)
    kernels = [k / max(np.abs(k).max(), 1e-300) for k in kernels]
    h = lags(filters, kernels)
    usable = len(y) - len(filters[0]) + 1
    projections = np.empty((usable, len(filters)))
    for g, f in enumerate(filters):
        window_projection(y, f, out=projections[:, g])
    kept = [np.asarray(t, dtype=np.int64)[np.asarray(t) < usable] for t in trains]
    steps = np.concatenate([np.zeros(0, np.int64), *kept])
    owner = np.concatenate(
        [np.zeros(0, np.int64)] + [np.full(len(t), j, dtype=np.int64) for j, t in enumerate(kept)]
    )
    order_in_time = np.argsort(steps, kind="stable")
    steps, owner = steps[order_in_time], owner[order_in_time]
    which = np.asarray(which, dtype=np.int64)
    g = gram(steps, owner, which, len(kept), h, threads)
    # The intercept: each PSP column centred, which takes from G_ij the share of a constant,
    # (n_i sum f_i)(n_j sum k_j) / N (a whole window of each kept spike is in the trace)
    sum_f, sum_k = (np.array([x.sum() for x in xs]) for xs in (filters, kernels))
    area = np.outer(sum_f, sum_k)
    counts = np.array([len(t) for t in kept], dtype=np.float64)
    g -= np.outer(counts * sum_f[which], counts * sum_k[which]) / len(y)
    b = np.array([projections[t, which[j]].sum() for j, t in enumerate(kept)])
    own = np.diag(g).copy()
    ridged = g + np.diag(RIDGE * np.where(own > 0, own, 1.0))
    inverse = np.linalg.inv(ridged)
    amplitude = inverse @ b
    inflation = np.diag(inverse) * own
    # The residual, its mean out (else every surrogate would see the PSPs' areas), projected
    residual = y - fitted_psps(len(y), steps, amplitude[owner], which[owner], kernels)
    residual -= residual.mean()
    for g, f in enumerate(filters):
        window_projection(residual, f, out=projections[:, g])
    return JointFit(amplitude, own, inflation, projections, h, which, usable, area, len(y))


@numba.njit(**JIT)
def _surrogate_grams(null, real, h, usable):
    """Per row of ``null`` (ascending spike steps; those from ``usable`` on left out): its
    Gram entry with itself and with ``real``, the sums over spike pairs closer than the window
    of ``h[s - u + L - 1]`` (``h`` one kernel's lags), in one pass over the row; and how many
    of its spikes it kept."""
    length = (h.shape[0] + 1) // 2
    own, shared = np.zeros(null.shape[0]), np.zeros(null.shape[0])
    kept = np.zeros(null.shape[0])
    for r in range(null.shape[0]):
        row = null[r]
        n = row.shape[0]
        while n > 0 and row[n - 1] >= usable:
            n -= 1
        kept[r] = n
        total, cross, first = 0.0, 0.0, 0
        for i in range(n):
            s = row[i]
            total += h[length - 1]
            k = i + 1
            while k < n and row[k] - s < length:
                gap = row[k] - s
                total += h[length - 1 - gap] + h[length - 1 + gap]
                k += 1
            while first < real.shape[0] and real[first] <= s - length:
                first += 1
            k = first
            while k < real.shape[0] and real[k] < s + length:
                cross += h[s - real[k] + length - 1]
                k += 1
        own[r], shared[r] = total, cross
    return own, shared, kept


def refits(joint, j, train, null, residual_sums):
    """Train j's amplitude refitted alone on the residual of the fit without it, then each
    surrogate's (rows of ``null``) on the residual with train j's fit put back: ``(sum R +
    a_j G_sj) / G_ss``, the Gram entries centred as the fit's. ``residual_sums``: the sums
    of ``joint.residual[:, joint.which[j]]`` at the train's spikes, then at each
    surrogate's (the train's own is not needed: its refit is ``a_j`` over its inflation)."""
    g = joint.which[j]
    h, a = joint.lags[g, g], joint.amplitude[j]
    real = np.asarray(train, dtype=np.int64)
    real = real[real < joint.usable]
    null = np.asarray(null, dtype=np.int64)
    out = np.zeros(1 + len(null))
    if joint.own[j] > 0:
        out[0] = a / joint.inflation[j]
    own, shared, n = _surrogate_grams(null, real, h, joint.usable)
    constant = joint.area[g, g] / joint.n_samples
    own -= n * n * constant
    shared -= n * len(real) * constant
    fitted = own > 0
    out[1:][fitted] = (residual_sums[1:][fitted] + a * shared[fitted]) / own[fitted]
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
