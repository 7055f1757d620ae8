"""Per-experiment statistics of a dataset: firing rates, irregularity, synchrony, degrees.

All rates in Hz, times in s. ``results/stats/{experiment}.json`` holds :func:`summary`;
a sweep's table (``results/sweeps/{sweep}.csv``) has one row of :data:`COLUMNS` per point.
"""

import numpy as np

from .spikes import (
    duration,
    n_neurons,
    n_sources,
    neuron_spikes,
    population_counts,
    populations,
    spike_bins,
    spike_counts,
)

# Bin width of the population rate for synchrony measures (s).
SYNCHRONY_BIN = 5e-3
PERCENTILES = (5, 25, 50, 75, 95)
# The statistics a sweep table shows, in order.
COLUMNS = ("mean_rate_hz", "cv_isi_mean", "synchrony_chi", "fraction_silent", "n_spikes")


def _distribution(values):
    values = np.asarray(values, dtype=float)
    if values.size == 0:
        return {"mean": None, "std": None, "min": None, "max": None, "percentiles": {}}
    return {
        "mean": float(values.mean()),
        "std": float(values.std()),
        "min": float(values.min()),
        "max": float(values.max()),
        "percentiles": {
            str(p): float(v)
            for p, v in zip(PERCENTILES, np.percentile(values, PERCENTILES), strict=True)
        },
    }


def isi_cvs(ds):
    """Coefficient of variation of the inter-spike intervals of every neuron with >= 3 spikes."""
    step, neuron = neuron_spikes(ds)
    order = np.lexsort((step, neuron))
    neuron, step = neuron[order], step[order]
    cvs = []
    for steps in np.split(step, np.flatnonzero(np.diff(neuron)) + 1):
        if len(steps) >= 3:
            isi = np.diff(steps)
            cvs.append(isi.std() / isi.mean())
    return np.array(cvs)


def synchrony_chi(ds, bin_width=SYNCHRONY_BIN):
    """Synchrony chi of spike counts in bins (Golomb 2007, Scholarpedia 2(1):1347).

    chi^2 = Var_t(mean_i c_i(t)) / mean_i Var_t(c_i(t)), with c_i(t) neuron i's spike count
    in bin t: about 1/sqrt(N) for independent neurons, 1 for fully synchronous ones.
    """
    n = n_neurons(ds)
    b, bins, _ = spike_bins(ds, bin_width)
    i = neuron_spikes(ds)[1].astype(np.int64)
    if len(b) == 0:
        return None
    population = np.bincount(b, minlength=bins) / n
    cells, per_cell = np.unique(i * bins + b, return_counts=True)  # c_i(t) where > 0
    sum_of_squares = np.bincount(cells // bins, weights=per_cell**2, minlength=n)
    single_var = sum_of_squares / bins - (spike_counts(ds) / bins) ** 2
    mean_var = single_var.mean()
    return float(np.sqrt(population.var() / mean_var)) if mean_var > 0 else None


def degrees(ds):
    """In-degree distribution of the neurons and out-degree distribution of the neurons and
    spike sources (which receive no synapses)."""
    n = n_neurons(ds)
    return {
        "in": _distribution(np.bincount(ds["synapse_post"].values, minlength=n)),
        "out": _distribution(np.bincount(ds["synapse_pre"].values, minlength=n + n_sources(ds))),
    }


def _rates(ds, counts, neurons=slice(None)):
    rates = counts[neurons] / duration(ds)
    return {
        "mean_hz": float(rates.mean()) if rates.size else None,
        "distribution_hz": _distribution(rates),
        "fraction_silent": float(np.mean(counts[neurons] == 0)) if rates.size else None,
    }


def summary(ds, params):
    """Statistics of one dataset, as a JSON-ready dict."""
    counts = spike_counts(ds)
    rates = counts / duration(ds)
    cvs = isi_cvs(ds)
    population, _ = population_counts(ds, SYNCHRONY_BIN)
    result = {
        "experiment": ds.attrs["experiment"],
        "n_neurons": n_neurons(ds),
        "duration_s": duration(ds),
        "n_spikes": int(counts.sum()),
        "mean_rate_hz": float(rates.mean()),
        "rate_distribution_hz": _distribution(rates),
        "fraction_silent": float(np.mean(counts == 0)),
        "cv_isi_mean": float(cvs.mean()) if cvs.size else None,
        "cv_isi_distribution": _distribution(cvs),
        "cv_isi_neurons": int(cvs.size),
        "synchrony_chi": synchrony_chi(ds),
        "population_rate_cv": float(population.std() / population.mean())
        if population.mean() > 0
        else None,
        "synchrony_bin_s": SYNCHRONY_BIN,
        "degrees": degrees(ds),
    }
    if params["network"].get("populations"):
        result["populations"] = {
            synapse_type.name: _rates(ds, counts, neurons)
            for synapse_type, neurons in populations(params, result["n_neurons"])
        }
    return result
