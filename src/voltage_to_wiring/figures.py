"""Figures: one function per figure, a dataset in and a matplotlib Figure out.

Figures read datasets and never rerun simulations. Every axis carries its unit. PNG files
carry the commit, the experiment and the parameter hash in their metadata (see :func:`save`).
"""

import numpy as np
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from . import __version__
from .dataset import params_of
from .files import atomic_path

# At most this many neurons' traces are drawn in one trace figure (the first recorded).
MAX_TRACES = 10
# figure name: (variable, factor from SI, unit shown, label)
TRACES = {
    "voltage": ("v", 1e3, "mV", "membrane potential v"),
    "conductance": ("g", 1e9, "nS", "synaptic conductance g"),
    "recovery": ("u", 1e12, "pA", "recovery current u"),
}
FIGURES = (*TRACES, "raster")


def available(params):
    """Names of the figures an experiment's recording allows, in a fixed order."""
    record = params["record"]
    traced = record["neurons"] == "all" or len(record["neurons"]) > 0
    return [
        name
        for name in FIGURES
        if name == "raster" or (traced and TRACES[name][0] in record["variables"])
    ]


def _title(ds, what):
    return f"{ds.attrs['experiment']}: {what}"


def traces(ds, name):
    """Traces of one state variable against time, a dot at each spike (as in the seed).

    ``name`` is a key of :data:`TRACES`. Time is shown in ms; the variable in the unit of
    :data:`TRACES`. At most :data:`MAX_TRACES` neurons are drawn.
    """
    var, factor, unit, label = TRACES[name]
    if var not in ds:
        raise ValueError(f"the dataset of '{ds.attrs['experiment']}' has no '{var}' recorded")
    neurons = ds["neuron"].values[:MAX_TRACES]
    time_ms = ds["time"].values * 1e3
    fig = Figure(figsize=(8, 4), layout="constrained")
    ax = fig.add_subplot()
    params_v_peak = _v_peak(ds)
    for colour, i in enumerate(neurons):
        (line,) = ax.plot(
            time_ms,
            ds[var].sel(neuron=i).values * factor,
            lw=0.8,
            color=f"C{colour % 10}",
            label=f"neuron {i}",
        )
        if name == "voltage":
            spikes = ds["spike_time"].values[ds["spike_neuron"].values == i] * 1e3
            ax.plot(
                spikes,
                np.full(len(spikes), (params_v_peak + 5e-3) * 1e3),
                ".",
                color=line.get_color(),
                ms=4,
            )
    shown = (
        f" ({len(neurons)} of {ds.sizes['neuron']} recorded neurons)"
        if ds.sizes["neuron"] > len(neurons)
        else ""
    )
    ax.set(
        xlabel="time (ms)",
        ylabel=f"{label} ({unit})",
        title=_title(ds, label + shown),
        xlim=(time_ms[0], time_ms[-1]),
    )
    if len(neurons):
        ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1), fontsize="small", frameon=False)
    return fig


def _v_peak(ds):
    return params_of(ds)["neuron"]["v_peak"]


def rate_bin(duration, dt):
    """Bin width (s) for the population rate: about 1/200 of the run, a whole number of dt."""
    return max(1, int(round(duration / 200 / dt))) * dt


def population_rate(ds):
    """Population rate (Hz) in bins of :func:`rate_bin`; returns (bin starts in s, rate)."""
    dt = float(ds.attrs["dt"])
    n_samples = ds.sizes["time"]
    width = rate_bin(n_samples * dt, dt)
    steps_per_bin = int(round(width / dt))
    counts = np.bincount(
        ds["spike_step"].values // steps_per_bin, minlength=-(-n_samples // steps_per_bin)
    )
    starts = np.arange(len(counts)) * width
    return starts, counts / (int(ds.attrs["n_neurons"]) * width)


def raster(ds):
    """Spikes of all neurons (neuron index against time), the population rate beneath."""
    fig = Figure(figsize=(8, 5), layout="constrained")
    top, bottom = fig.subplots(2, 1, sharex=True, height_ratios=(3, 1))
    n = int(ds.attrs["n_neurons"])
    top.plot(
        ds["spike_time"].values * 1e3,
        ds["spike_neuron"].values,
        "|",
        color="k",
        ms=max(1.0, min(12.0, 250 / n)),
        mew=0.8 if n <= 100 else 0.4,
    )
    top.yaxis.set_major_locator(MaxNLocator(integer=True))
    top.set(
        ylabel="neuron index",
        ylim=(-0.5, n - 0.5),
        title=_title(ds, f"spikes of all {n} neurons ({ds.sizes['spike']} spikes)"),
    )
    starts, rate = population_rate(ds)
    width = starts[1] - starts[0] if len(starts) > 1 else float(ds.attrs["dt"])
    bottom.stairs(rate, np.append(starts, starts[-1] + width) * 1e3, fill=True, color="C0")
    duration_ms = ds.sizes["time"] * float(ds.attrs["dt"]) * 1e3
    bottom.set(
        xlabel="time (ms)", ylabel=f"rate (Hz)\n{width * 1e3:g} ms bins", xlim=(0, duration_ms)
    )
    return fig


def make(ds, name):
    """The figure ``name`` (one of :data:`FIGURES`) of a dataset."""
    if name == "raster":
        return raster(ds)
    if name in TRACES:
        return traces(ds, name)
    raise ValueError(f"unknown figure {name!r}; choose from {', '.join(FIGURES)}")


def save(fig, path, metadata):
    """Save a figure as PNG atomically, with text metadata (str -> str) in the file."""
    info = {"Software": f"voltage_to_wiring {__version__}", **metadata}
    with atomic_path(path) as tmp:
        fig.savefig(tmp, format="png", dpi=150, metadata=info)
