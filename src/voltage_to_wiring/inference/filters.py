"""What the projection methods (``matched``, ``kernel``, ``xcorr``) project the trace on:
the trace without the neuron's own spikes, and each method's filters (see :mod:`.methods`).
"""

import numpy as np

from . import methods as tests
from .imaging import own_spikes
from .sta import spike_triggered_averages


def shared_by_projections(y, y_clip, spread, dt, pairs, settings):
    """What the projection methods share, once per neuron: the clipped voltage without the
    neuron's own spikes' average waveform (``trace``), those spikes (``own``, found from the
    data alone), and the trace's STAs (``sta``, ``counts``) and noise (:func:`.noise_of`)."""
    dead, smooth = round(tests.DEAD_TIME / dt), max(1, round(tests.SMOOTHING / dt))
    own = own_spikes(y, tests.OWN_SPIKE_SDS, dead, smooth, spread)
    trace = tests.own_spikes_removed(y_clip, own, int(round(tests.OWN_SPIKE_WINDOW / dt)))
    window = settings["window"]["steps"]
    sta, counts = spike_triggered_averages(trace, pairs.trains, window)
    return {
        "trace": trace,
        "own": own,
        "sta": sta,
        "counts": counts,
        "noise": tests.noise_of(trace, window),
    }


def _halves(n_trains):
    """(The trains tested, the trains whose STAs make their filter) per half: each half
    learns from the other (cross-fitting), a single train from itself."""
    halves = tests.cross_fitted_halves(n_trains)
    for tested, other in zip(halves, halves[::-1], strict=True):
        yield tested, (other if other.any() else tested)


def _matched_filters(shared, pairs, dt, settings):
    """(The trace, the filters whose projections of it test the trains, the filter of each
    pair): the filter made from the other half of the trains (cross-fitting), from the
    template of the strongest trains. A train's projection is its mean over the spikes."""
    sta, counts, noise = shared["sta"], shared["counts"], shared["noise"]
    filters, which = [], np.zeros(len(pairs.trains), dtype=np.int64)
    for tested, learn in _halves(len(pairs.trains)):
        which[tested] = len(filters)
        filters.append(tests.matched_filter(noise, sta[learn], counts[learn])[0])
    return shared["trace"], filters, which


def kernel_halves(shared, pairs, dt):
    """``kernel``'s filters, their PSPs and the filter of each pair: per half of the trains,
    the PSP fitted to the z-weighted STAs of the other half (:func:`.kernel_template`) and
    its whitening by the voltage's covariance (what ``joint`` models the trains with)."""
    sta, counts, noise = shared["sta"], shared["counts"], shared["noise"]
    filters, kernels, which = [], [], np.zeros(len(pairs.trains), dtype=np.int64)
    for tested, learn in _halves(len(pairs.trains)):
        which[tested] = len(filters)
        kernels.append(tests.kernel_template(noise, sta[learn], counts[learn], dt))
        filters.append(np.linalg.solve(noise["covariance"], kernels[-1]))
    return filters, kernels, which


def _kernel_filters(shared, pairs, dt, settings):
    """The PSP fitted to the z-weighted STAs of every train of the other half, whitened."""
    filters, _, which = kernel_halves(shared, pairs, dt)
    return shared["trace"], filters, which


def _xcorr_filters(shared, pairs, dt, settings):
    """The recorded neuron's own spikes (1 at each) and one filter for every pair, a window
    of ones: its projection counts the spikes in the window that starts at each step (its
    mean over a train's spikes is the train's cross-correlogram summed over the window)."""
    indicator = np.zeros(len(shared["trace"]))
    indicator[shared["own"]] = 1.0
    ones = np.ones(settings["window"]["steps"])
    return indicator, [ones], np.zeros(len(pairs.trains), dtype=np.int64)


FILTERS = {"matched": _matched_filters, "kernel": _kernel_filters, "xcorr": _xcorr_filters}
