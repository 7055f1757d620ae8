"""Spike-triggered averages, computed by a numba kernel.

The spike-triggered average (STA) of a signal ``y`` for a spike train is the mean, over its
spikes at steps ``s``, of the window ``y[s : s + window]``. Spikes whose window would run
past the end of ``y`` are left out (and not counted). :func:`spike_triggered_sums` sums the
windows of many trains at once: it walks through ``y`` in blocks that stay in the CPU's
cache and, for each train, adds the windows of its spikes in that block, in time order, so
that each train's sums are those of a plain loop over its spikes, bit for bit.
"""

import numba
import numpy as np

from ..core.jit import JIT, prefetch

# Samples of y per block: with 101 sums of a 200-sample window (160 kB), a block (256 kB)
# and its windows stay in a 1 MB L2 cache.
BLOCK = 1 << 15


@numba.njit(**JIT)
def _sums(y, steps, ptr, window, sums, counts):
    """Add to ``sums[j]`` the windows of y after the spikes of train j: steps
    ``steps[ptr[j]:ptr[j + 1]]`` (ascending); ``counts[j]`` += the spikes used.

    A train's spikes in a block are added eight at a time into a local row,
    ``acc = ((acc + a) + b) + ... + h``: the additions of a plain loop, in its order, with an
    eighth of its loads and stores of the sums (four at a time: 1.65 x faster than one at a
    time; eight: 1.15 x faster again, 26.5 against 30.7 ms for 101 trains of 10,000 spikes
    and a 200-sample window, medians of 7, on this project's 2-core machine)."""
    n_trains = ptr.shape[0] - 1
    last = y.shape[0] - window  # the last step whose window fits
    position = ptr[:-1].copy()
    acc = np.empty(window)
    for block_start in range(0, last + 1, BLOCK):
        block_stop = min(block_start + BLOCK, last + 1)
        for j in range(n_trains):
            p, stop = position[j], ptr[j + 1]
            while p < stop and steps[p] < 0:  # before the signal: never used
                p += 1
            end = p
            while end < stop and steps[end] < block_stop:
                end += 1
            position[j] = end
            if end == p:
                continue
            counts[j] += end - p
            acc[:] = sums[j]
            while p + 8 <= end:
                a = y[steps[p] : steps[p] + window]
                b = y[steps[p + 1] : steps[p + 1] + window]
                c = y[steps[p + 2] : steps[p + 2] + window]
                d = y[steps[p + 3] : steps[p + 3] + window]
                e = y[steps[p + 4] : steps[p + 4] + window]
                f = y[steps[p + 5] : steps[p + 5] + window]
                g = y[steps[p + 6] : steps[p + 6] + window]
                h = y[steps[p + 7] : steps[p + 7] + window]
                for k in range(window):
                    acc[k] = acc[k] + a[k] + b[k] + c[k] + d[k] + e[k] + f[k] + g[k] + h[k]
                p += 8
            while p < end:
                a = y[steps[p] : steps[p] + window]
                for k in range(window):
                    acc[k] += a[k]
                p += 1
            sums[j, :] = acc


def _flattened(trains):
    """(Every train's steps one after the other, int64; where each train starts, and the end)
    from a sequence of trains or a 2-D array of them (one per row)."""
    ptr = np.zeros(len(trains) + 1, dtype=np.int64)
    if isinstance(trains, np.ndarray) and trains.ndim == 2:
        ptr[1:] = np.arange(1, len(trains) + 1) * trains.shape[1]
        return np.ascontiguousarray(trains, dtype=np.int64).reshape(-1), ptr
    np.cumsum([len(t) for t in trains], out=ptr[1:])
    if not len(trains):
        return ptr[:0], ptr
    return np.concatenate([np.asarray(t, dtype=np.int64) for t in trains]), ptr


def spike_triggered_sums(y, trains, window):
    """Sums and counts of the windows of ``y`` after the spikes of each train.

    Parameters
    ----------
    y : numpy.ndarray of float64
        The signal, one sample per time step.
    trains : sequence of numpy.ndarray of int, or a 2-D array (one train per row)
        Spike steps of each train, ascending.
    window : int
        Samples per window (>= 1).

    Returns
    -------
    sums : numpy.ndarray, shape (len(trains), window)
        Sum of the windows of each train, added in time order.
    counts : numpy.ndarray of int64
        Spikes whose window fits in ``y``, per train.
    """
    steps, ptr = _flattened(trains)
    sums = np.zeros((len(trains), window))
    counts = np.zeros(len(trains), dtype=np.int64)
    _sums(np.ascontiguousarray(y, dtype=np.float64), steps, ptr, window, sums, counts)
    return sums, counts


AHEAD = 64  # spikes: how far ahead _point_sums prefetches (32: 10 ns a spike, 64: 8, 128: 8)


@numba.njit(**JIT)
def _point_sums(signals, steps, ptr, sums, counts):
    """``sums[j, c]`` = the sum of ``signals[s, c]`` over the steps s of train j (in time
    order, from 0, in a local accumulator); ``counts[j]`` = those steps. The row of the
    step ``AHEAD`` spikes on is prefetched (its first and last column)."""
    n, m = signals.shape
    flat = signals.reshape(-1)
    acc = np.empty(m)
    total = steps.shape[0]
    for j in range(ptr.shape[0] - 1):
        acc[:] = 0.0
        used = 0
        for p in range(ptr[j], ptr[j + 1]):
            if p + AHEAD < total:
                later = steps[p + AHEAD]
                if 0 <= later < n:
                    prefetch(flat, later * m)
                    prefetch(flat, later * m + m - 1)
            s = steps[p]
            if 0 <= s < n:
                for c in range(m):
                    acc[c] += signals[s, c]
                used += 1
        sums[j, :] = acc
        counts[j] = used


def point_sums(signals, trains):
    """Sums of several signals at the spikes of each train: ``spike_triggered_sums`` with a
    window of one sample, for the columns of ``signals`` (shape (steps, columns)) at once.

    A train's spikes are spread over the whole signal, so each one costs a cache miss: the
    columns of a step share it, the trains are walked one after the other (blocks of the
    signal help a window's neighbouring samples, not single ones) and the rows needed next
    are prefetched, so that the misses overlap: 8 ns a spike for 5 columns of 6 million
    steps against 28-46 ns without the prefetch, and 23 ns a column for the blocked
    ``spike_triggered_sums`` with a window of 1 (measured on this project's machine).
    Rows of whole cache lines (:func:`point_signals`) cost one miss each, not up to two:
    14 against 24 ns a spike for 5 columns (medians of 5, 101 trains of 10,000 uniformly
    drawn spikes, on a slower day of the same machine; 12 against 18 ns for the N-to-1
    experiment's tested trains and their shuffles). Time-blocked sums over many trains at once, as
    ``spike_triggered_sums`` does, measured slower (32 ns: each train's next spikes are a
    miss of their own in every block).
    The sums are those of a plain loop in time order, bit for bit.

    Returns (sums of shape (len(trains), columns), counts per train).
    """
    signals = np.ascontiguousarray(signals, dtype=np.float64)
    steps, ptr = _flattened(trains)
    sums = np.zeros((len(trains), signals.shape[1]))
    counts = np.zeros(len(trains), dtype=np.int64)
    _point_sums(signals, steps, ptr, sums, counts)
    return sums, counts


CACHE_LINE = 64  # bytes
LINE = CACHE_LINE // 8  # float64 samples in a cache line


def point_signals(steps, columns):
    """Zeros for ``columns`` signals of ``steps`` samples, to be summed at spikes by
    :func:`point_sums`: each step's row padded to whole cache lines and the first aligned
    on one, so that a spike's samples are one cache line (the padding columns stay 0)."""
    width = -(-columns // LINE) * LINE
    buffer = np.zeros(steps * width + LINE)
    start = (-buffer.ctypes.data % CACHE_LINE) // buffer.itemsize
    return buffer[start : start + steps * width].reshape(steps, width)


def spike_triggered_averages(y, trains, window):
    """The STA of each train: sums / counts (NaN for a train with no spike that fits)."""
    sums, counts = spike_triggered_sums(y, trains, window)
    with np.errstate(invalid="ignore", divide="ignore"):
        return sums / counts[:, None], counts


@numba.njit(**JIT)
def _shuffled_intervals(first, intervals, uniforms, out):
    """Each row of ``out``: ``first``, then ``first`` + the cumulative sum of ``intervals``
    permuted by a Fisher-Yates shuffle driven by that row of ``uniforms`` (in [0, 1))."""
    n = intervals.shape[0]
    order = np.empty(n, dtype=np.int64)
    for row in range(out.shape[0]):
        for i in range(n):
            order[i] = intervals[i]
        for i in range(n - 1, 0, -1):
            j = int(uniforms[row, i] * (i + 1))
            order[i], order[j] = order[j], order[i]
        step = first
        out[row, 0] = step
        for i in range(n):
            step += order[i]
            out[row, i + 1] = step


def shuffled_trains(steps, uniforms):
    """Surrogates of a spike train (ascending ``steps``, at least 2 spikes): its inter-spike
    intervals in another order, one surrogate per row of ``uniforms`` (shape (surrogates,
    len(steps) - 1), uniform in [0, 1)). Each keeps the first spike, the count and the
    intervals, so its last spike is the train's."""
    steps = np.asarray(steps, dtype=np.int64)
    out = np.empty((uniforms.shape[0], len(steps)), dtype=np.int64)
    _shuffled_intervals(steps[0], np.diff(steps), uniforms, out)
    return out


@numba.njit(**JIT)
def _correlate(y, f, out):
    """``out[t] = sum_k f[k] y[t + k]``, each sum taken in the order k = 0, 1, ... (the bits
    of a plain loop); in blocks of t with k outside and a local accumulator, so that a
    block's t's are summed side by side in SIMD registers (4x faster, measured)."""
    block = 2048
    acc = np.empty(block)
    for start in range(0, out.shape[0], block):
        m = min(block, out.shape[0] - start)
        acc[:] = 0.0
        for k in range(f.shape[0]):
            fk = f[k]
            segment = y[start + k : start + k + m]
            for i in range(m):
                acc[i] += fk * segment[i]
        out[start : start + m] = acc[:m]


def window_projection(y, f, out=None):
    """``z[t] = sum_k f[k] y[t + k]`` for every t whose window fits: the projection on ``f``
    of the window after t, so that the STA's projection is the mean of z over the spikes.
    Written into ``out`` if given (a view of the right length: a column of a larger array)."""
    if out is None:
        out = np.empty(len(y) - len(f) + 1)
    elif out.shape != (len(y) - len(f) + 1,):
        raise ValueError(f"out has shape {out.shape}, not ({len(y) - len(f) + 1},)")
    _correlate(np.ascontiguousarray(y, dtype=np.float64), np.asarray(f, dtype=np.float64), out)
    return out


def window_sums(signal, length, window):
    """``q[s]`` = the sum of ``signal[s : s + length]``, for every s whose STA window (of
    ``window`` samples) fits: a signal whose mean over a train's spikes gives the sum over
    its windows (the same spikes as the STA's)."""
    total = np.concatenate([[0.0], np.cumsum(signal)])
    starts = len(signal) - window + 1
    return total[length : length + starts] - total[:starts]


@numba.njit(**JIT)
def _low_pass(u, a, out):
    state = 0.0
    for n in range(u.shape[0]):
        state = a * state + (1.0 - a) * u[n]
        out[n] = state


def low_pass(u, a):
    """``L[n] = a L[n - 1] + (1 - a) u[n]`` from ``L[-1] = 0``: a first-order low-pass (the
    simulated microscope's indicator kinetics)."""
    u = np.ascontiguousarray(u, dtype=np.float64)
    out = np.empty_like(u)
    _low_pass(u, a, out)
    return out
