"""Spikes of a dataset: counts per neuron, binning, the population rate, the E/I split.

All times in s, rates in Hz. These are the building blocks of the statistics and of the
activity figures, written once. They describe the integrated neurons (``n_neurons``); the
spikes of Poisson spike sources (neurons from ``n_neurons`` on) are left out here.
"""

import numpy as np

from ..core.synapse_types import TYPES


def n_neurons(ds):
    """Number of neurons of the simulation (not only the recorded ones)."""
    return int(ds.attrs["n_neurons"])


def duration(ds):
    """Simulated time (s): samples x dt."""
    return ds.sizes["time"] * float(ds.attrs["dt"])


def n_sources(ds):
    """Number of Poisson spike sources (neurons ``n_neurons ..``)."""
    return int(ds.attrs.get("n_sources", 0))


def neuron_spikes(ds):
    """(steps, neurons) of the spikes of the integrated neurons, sorted by (step, neuron)."""
    step, neuron = ds["spike_step"].values, ds["spike_neuron"].values
    if n_sources(ds):
        keep = neuron < n_neurons(ds)
        return step[keep], neuron[keep]
    return step, neuron


def spike_counts(ds):
    """Number of spikes of every (integrated) neuron."""
    return np.bincount(neuron_spikes(ds)[1], minlength=n_neurons(ds))


def spike_bins(ds, bin_width):
    """Each spike's bin index for bins of ``bin_width`` (s, rounded to a whole number of dt,
    at least one), the number of bins, and the bin width used (s)."""
    dt = float(ds.attrs["dt"])
    steps_per_bin = max(1, int(round(bin_width / dt)))
    bins = -(-ds.sizes["time"] // steps_per_bin)
    return neuron_spikes(ds)[0] // steps_per_bin, bins, steps_per_bin * dt


def population_counts(ds, bin_width):
    """Spikes of all neurons per bin of ``bin_width`` (see :func:`spike_bins`); returns
    (counts, bin width in s)."""
    index, bins, width = spike_bins(ds, bin_width)
    return np.bincount(index, minlength=bins), width


def population_rate(ds, bin_width):
    """Population rate (Hz) in bins of ``bin_width`` (see :func:`spike_bins`).

    Returns (bin starts in s, rate in Hz, bin width in s).
    """
    counts, width = population_counts(ds, bin_width)
    return np.arange(len(counts)) * width, counts / (n_neurons(ds) * width), width


def populations(params, n):
    """The neurons of each population: [(synapse type, slice)] for an E/I network (see
    :mod:`voltage_to_wiring.core.synapse_types`), [(None, slice(0, n))] otherwise."""
    counts = params["network"].get("populations")
    if not counts:
        return [(None, slice(0, n))]
    result, start = [], 0
    for synapse_type in TYPES:
        stop = start + counts[synapse_type.name]
        result.append((synapse_type, slice(start, stop)))
        start = stop
    return result
