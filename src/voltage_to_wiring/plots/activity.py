"""Activity figures: the spike raster with the population rate, and the firing rates."""

import numpy as np
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.ticker import MaxNLocator

from ..analysis.spikes import (
    duration,
    n_neurons,
    n_sources,
    neuron_spikes,
    population_rate,
    populations,
    spike_counts,
)
from ..data.view import params_of
from .common import POPULATION_COLOURS, axis_title, time_unit, title

# The population rate is shown in about this many bins over the run.
RATE_BINS = 200


def raster(ds):
    """Spikes of all neurons (neuron index against time), the population rate beneath."""
    fig = Figure(figsize=(8, 5), layout="constrained")
    top, bottom = fig.subplots(2, 1, sharex=True, height_ratios=(3, 1))
    n = n_neurons(ds)
    step, neuron = neuron_spikes(ds)
    scale, unit = time_unit(duration(ds))
    time_ms = step * float(ds.attrs["dt"]) * scale  # in unit (ms, or s for a long recording)
    groups = populations(params_of(ds), n)
    for synapse_type, neurons in groups:
        mask = (neuron >= neurons.start) & (neuron < neurons.stop)
        top.plot(
            time_ms[mask],
            neuron[mask],
            "|",
            color=POPULATION_COLOURS[synapse_type.name] if synapse_type else "k",
            ms=max(1.0, min(12.0, 250 / n)),
            mew=0.8 if n <= 100 else 0.4,
            label=f"{synapse_type.long_name} neurons" if synapse_type else None,
        )
    if len(groups) > 1:  # beside the panels, not over the spikes (both panels keep one width)
        handles = [
            Patch(color=POPULATION_COLOURS[t.name], label=f"{t.long_name} neurons")
            for t, _ in groups
        ]
        fig.legend(handles=handles, loc="outside right upper", fontsize="small", frameon=False)
    top.yaxis.set_major_locator(MaxNLocator(integer=True))
    top.set(ylabel="neuron index", ylim=(-0.5, n - 0.5))
    axis_title(
        top,
        title(
            ds,
            f"spikes of all {n} neurons ({len(step)} spikes)"
            + (f"; {n_sources(ds)} spike sources not shown" if n_sources(ds) else ""),
        ),
    )
    starts, rate, width = population_rate(ds, duration(ds) / RATE_BINS)
    bottom.stairs(
        rate, np.append(starts, starts[-1] + width) * scale, fill=True, color="0.45"
    )  # all neurons: grey, not a population's colour
    bottom.set(
        xlabel=f"time ({unit})",
        ylabel=f"rate (Hz)\n{width * 1e3:g} ms bins",
        xlim=(0, duration(ds) * scale),
    )
    return fig


def rates(ds):
    """Histogram of the neurons' firing rates (Hz), per population in an E/I network."""
    fig = Figure(figsize=(6, 4), layout="constrained")
    ax = fig.add_subplot()
    counts = spike_counts(ds)
    rate = counts / duration(ds)
    bins = np.linspace(0, max(1.0, rate.max()) * 1.05, 41)
    for synapse_type, neurons in populations(params_of(ds), len(rate)):
        label = synapse_type.long_name if synapse_type else "all neurons"
        values = rate[neurons]
        colour = POPULATION_COLOURS[synapse_type.name] if synapse_type else "C0"
        ax.hist(
            values,
            bins=bins,
            alpha=0.6,
            color=colour,
            label=f"{label} (mean {values.mean():.2f} Hz)",
        )
    ax.set(xlabel="firing rate (Hz)", ylabel="neurons")
    axis_title(ax, title(ds, f"firing rates, {np.mean(counts == 0):.0%} silent"))
    ax.legend(fontsize="small", frameon=False)
    return fig
