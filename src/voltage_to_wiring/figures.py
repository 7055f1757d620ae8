"""Figures: one function per figure, a dataset in and a matplotlib Figure out.

Figures read datasets and never rerun simulations. Every axis carries its unit. PNG files
carry the commit, the experiment and the parameter hash in their metadata (see :func:`save`).
"""

import numpy as np
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from . import __version__, stats
from .dataset import params_of
from .files import atomic_path

# At most this many neurons' traces are drawn in one trace figure (the first recorded);
# up to OVERLAID share one axis, more get a panel each.
MAX_TRACES = 10
OVERLAID = 3
# figure name: (variable, factor from SI, unit shown, label)
TRACES = {
    "voltage": ("v", 1e3, "mV", "membrane potential v"),
    "conductance": ("g", 1e9, "nS", "synaptic conductance g"),
    "recovery": ("u", 1e12, "pA", "recovery current u"),
}
FIGURES = (*TRACES, "raster", "rates", "degrees")
# Conductances of E/I networks, drawn in the conductance figure with these line styles.
TYPED_CONDUCTANCES = {"g_exc": "-", "g_inh": "--"}


def available(params):
    """Names of the figures an experiment's recording allows, in a fixed order."""
    record = params["record"]
    traced = record["neurons"] == "all" or len(record["neurons"]) > 0
    recorded = set(record["variables"])
    if recorded & set(TYPED_CONDUCTANCES):
        recorded.add("g")
    return [
        name for name in FIGURES if name not in TRACES or (traced and TRACES[name][0] in recorded)
    ]


def _title(ds, what):
    return f"{ds.attrs['experiment']}: {what}"


def traces(ds, name):
    """Traces of one state variable against time, a dot at each spike (as in the seed).

    ``name`` is a key of :data:`TRACES`. Time is shown in ms; the variable in the unit of
    :data:`TRACES`. Up to :data:`OVERLAID` neurons share one axis, one colour each; more
    (at most :data:`MAX_TRACES`, the first recorded) get a panel each, so that long
    recordings stay readable.
    """
    var, factor, unit, label = TRACES[name]
    styles = (
        {var: "-"}
        if var in ds
        else {x: style for x, style in TYPED_CONDUCTANCES.items() if var == "g" and x in ds}
    )
    if not styles:
        raise ValueError(f"the dataset of '{ds.attrs['experiment']}' has no '{var}' recorded")
    neurons = ds["neuron"].values[:MAX_TRACES]
    time_ms = ds["time"].values * 1e3
    stacked = len(neurons) > OVERLAID
    fig = Figure(figsize=(8, 1.3 * len(neurons) + 1 if stacked else 4), layout="constrained")
    axes = (
        fig.subplots(len(neurons), 1, sharex=True, squeeze=False)[:, 0]
        if stacked
        else [fig.add_subplot()] * max(1, len(neurons))
    )
    for colour, (ax, i) in enumerate(zip(axes, neurons, strict=False)):
        for x, style in styles.items():
            ax.plot(
                time_ms,
                ds[x].sel(neuron=i).values * factor,
                style,
                lw=0.6 if stacked else 0.8,
                color=f"C{colour % 10}",
                label=f"neuron {i}" + (f", {x}" if len(styles) > 1 else ""),
            )
        if name == "voltage":
            spikes = ds["spike_time"].values[ds["spike_neuron"].values == i] * 1e3
            ax.plot(
                spikes,
                np.full(len(spikes), (_v_peak(ds) + 5e-3) * 1e3),
                ".",
                color=f"C{colour % 10}",
                ms=2 if stacked else 4,
            )
        if stacked:
            ax.set_ylabel(f"{i}", rotation=0, ha="right", va="center")
    shown = (
        f" ({len(neurons)} of {ds.sizes['neuron']} recorded neurons)"
        if ds.sizes["neuron"] > len(neurons)
        else ""
    )
    axes[-1].set(xlabel="time (ms)", xlim=(time_ms[0], time_ms[-1]))
    if stacked:
        fig.suptitle(_title(ds, f"{label} ({unit}) of {len(neurons)} neurons{shown}"))
        fig.supylabel(f"neuron; {label} ({unit})")
    else:
        axes[0].set(ylabel=f"{label} ({unit})", title=_title(ds, label + shown))
        if len(neurons):
            axes[0].legend(
                loc="upper left", bbox_to_anchor=(1.01, 1), fontsize="small", frameon=False
            )
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


def rates(ds):
    """Histogram of the neurons' firing rates (Hz), per population in an E/I network."""
    fig = Figure(figsize=(6, 4), layout="constrained")
    ax = fig.add_subplot()
    counts = stats.spike_counts(ds)
    rate = counts / stats.duration(ds)
    groups = {"all neurons": rate}
    populations = params_of(ds)["network"].get("populations")
    if populations:
        n_exc = populations["exc"]
        groups = {"excitatory": rate[:n_exc], "inhibitory": rate[n_exc:]}
    bins = np.linspace(0, max(1.0, rate.max()) * 1.05, 41)
    for label, values in groups.items():
        ax.hist(values, bins=bins, alpha=0.6, label=f"{label} (mean {values.mean():.2f} Hz)")
    ax.set(
        xlabel="firing rate (Hz)",
        ylabel="neurons",
        title=_title(ds, f"firing rates, {np.mean(counts == 0):.0%} silent"),
    )
    ax.legend(fontsize="small", frameon=False)
    return fig


def degrees(ds):
    """Histograms of the in- and out-degrees of the wiring (synapses per neuron)."""
    fig = Figure(figsize=(8, 3.5), layout="constrained")
    n = int(ds.attrs["n_neurons"])
    for ax, (name, var) in zip(
        fig.subplots(1, 2), (("in", "synapse_post"), ("out", "synapse_pre")), strict=True
    ):
        degree = np.bincount(ds[var].values, minlength=n)
        ax.hist(
            degree,
            bins=np.arange(degree.min(), degree.max() + 2) - 0.5
            if degree.max() - degree.min() < 60
            else 40,
            color="C0",
        )
        ax.set(
            xlabel=f"{name}-degree (synapses)",
            ylabel="neurons",
            title=f"{name}-degree: mean {degree.mean():.1f}, sd {degree.std():.1f}",
        )
    fig.suptitle(_title(ds, f"degree distributions ({ds.sizes['synapse']} synapses)"))
    return fig


def make(ds, name):
    """The figure ``name`` (one of :data:`FIGURES`) of a dataset."""
    if name in ("raster", "rates", "degrees"):
        return {"raster": raster, "rates": rates, "degrees": degrees}[name](ds)
    if name in TRACES:
        return traces(ds, name)
    raise ValueError(f"unknown figure {name!r}; choose from {', '.join(FIGURES)}")


def save(fig, path, metadata):
    """Save a figure as PNG atomically, with text metadata (str -> str) in the file."""
    info = {"Software": f"voltage_to_wiring {__version__}", **metadata}
    with atomic_path(path) as tmp:
        fig.savefig(tmp, format="png", dpi=150, metadata=info)
