"""Trace figures: one state variable of the recorded neurons against time."""

import numpy as np
from matplotlib.colors import to_rgb
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from ..analysis.spikes import n_neurons, populations
from ..core import neurons as neuron_models
from ..core.variables import VARIABLES
from ..data.view import params_of
from .common import POPULATION_COLOURS, axis_title, suptitle, time_unit, title

# At most this many neurons' traces are drawn in one trace figure (the first recorded);
# up to OVERLAID share one axis, more get a panel each.
MAX_TRACES = 10
OVERLAID = 3
# Conductances of E/I networks, drawn in the conductance figure with these line styles.
TYPED_CONDUCTANCES = {"g_exc": "-", "g_inh": "--"}
STYLE_NAMES = {"-": "solid", "--": "dashed"}
# A trace of more than 4 x this many samples is drawn as its envelope (see :func:`envelope`):
# a figure 8 inches wide at 150 dpi has 1200 pixel columns.
ENVELOPE_BINS = 2400


def voltage(ds):
    """Membrane potential v (mV) against time (ms), a dot at each spike (as in the seed)."""
    return traces(ds, "v", "membrane potential v")


def conductance(ds):
    """Synaptic conductance g (nS) against time (ms); g_exc and g_inh in an E/I network."""
    if "g" in ds:
        return traces(ds, "g", "synaptic conductance g")
    drawn = [x for x in TYPED_CONDUCTANCES if x in ds]
    label = " and ".join(
        f"{VARIABLES[x].long_name} {x} ({STYLE_NAMES[TYPED_CONDUCTANCES[x]]})" for x in drawn
    )
    return traces(ds, "g", label)


def second_state(ds):
    """The neuron model's second state variable (Izhikevich's recovery current u, AdEx's
    adaptation current w; in its display unit) against time (ms)."""
    state = neuron_models.of(params_of(ds)["neuron"]).x
    return traces(ds, state.name, label(state))


def label(state):
    """A state variable's label in figures: ``"recovery current u"``."""
    return f"{state.long_name.split(' (')[0]} {state.name}"


def traces(ds, var, label):
    """Traces of one state variable against time (ms), in its display unit.

    Up to :data:`OVERLAID` neurons share one axis, one colour each; more (at most
    :data:`MAX_TRACES`, the first recorded) get a panel each, so that long recordings stay
    readable. In an E/I network each neuron is named with its population ("neuron 45 (I)")
    and drawn in its colour (as in the raster).
    """
    styles = (
        {var: "-"}
        if var in ds
        else {x: style for x, style in TYPED_CONDUCTANCES.items() if var == "g" and x in ds}
    )
    if not styles:
        raise ValueError(f"the dataset of '{ds.attrs['experiment']}' has no '{var}' recorded")
    unit, factor = VARIABLES[var].display_units, VARIABLES[var].display_factor
    neurons = ds["neuron"].values[:MAX_TRACES]
    kinds = _populations(ds, neurons)
    names = [
        f"neuron {i}" + (f" ({kind.letter})" if kind else "")
        for i, kind in zip(neurons, kinds, strict=True)
    ]
    seconds = ds["time"].values
    scale, time_unit_shown = time_unit(float(seconds[-1] - seconds[0]) if len(seconds) else 0.0)
    time_ms = seconds * scale  # in time_unit_shown (ms, or s for a long recording)
    stacked = len(neurons) > OVERLAID
    height = 1.3 * len(neurons) + 1 if stacked else 4
    # stacked panels: a fixed layout (the constrained one took 0.2 s of a 10-panel figure)
    fig = Figure(figsize=(8, height), layout=None if stacked else "constrained")
    if stacked:
        fig.subplots_adjust(
            left=0.18, right=0.98, bottom=0.55 / height, top=1 - 0.75 / height, hspace=0.12
        )
    axes = (
        fig.subplots(len(neurons), 1, sharex=True, squeeze=False)[:, 0]
        if stacked
        else [fig.add_subplot()] * max(1, len(neurons))
    )
    for ax, i, name, colour in zip(axes, neurons, names, _colours(kinds, stacked), strict=False):
        for x, style in styles.items():
            ax.plot(
                *envelope(time_ms, ds[x].sel(neuron=i).values * factor),
                style,
                lw=0.6 if stacked else 0.8,
                color=colour,
                label=name + (f", {x}" if len(styles) > 1 else ""),
            )
        if var == "v":
            _spike_dots(ds, time_ms, ax, i, colour, stacked)
        if stacked:
            ax.set_ylabel(name, rotation=0, ha="right", va="center")
    shown = (
        f" ({len(neurons)} of {ds.sizes['neuron']} recorded neurons)"
        if ds.sizes["neuron"] > len(neurons)
        else ""
    )
    axes[-1].set(xlabel=f"time ({time_unit_shown})", xlim=(time_ms[0], time_ms[-1]))
    if stacked:
        suptitle(fig, title(ds, f"{label} ({unit}) of {len(neurons)} neurons{shown}"))
        handles = _key(styles, kinds)
        if handles:
            axes[0].legend(
                handles=handles,
                loc="lower left",
                bbox_to_anchor=(0, 1.02),
                ncols=len(handles),
                fontsize="small",
                frameon=False,
            )
    else:
        axes[0].set(ylabel=f"{label} ({unit})")
        axis_title(axes[0], title(ds, label + shown))
        if len(neurons):
            axes[0].legend(
                loc="upper left", bbox_to_anchor=(1.01, 1), fontsize="small", frameon=False
            )
    return fig


def envelope(t, y, bins=ENVELOPE_BINS):
    """The points of a long trace that its figure shows: in each of ``bins`` equal stretches,
    the lowest and the highest sample, in time order (and the last few samples as they are).
    Every spike and trough is kept; drawing 1,000,000 samples took 0.4 s, the envelope
    0.03 s, and at 1200 pixel columns the two look the same. Short traces are returned
    whole."""
    n = len(y)
    if n <= 4 * bins:
        return t, y
    per_bin = n // bins
    stretches = y[: bins * per_bin].reshape(bins, per_bin)
    lowest, highest = stretches.argmin(axis=1), stretches.argmax(axis=1)
    start = np.arange(bins) * per_bin
    kept = np.stack([np.minimum(lowest, highest), np.maximum(lowest, highest)], axis=1)
    index = np.concatenate([(kept + start[:, None]).ravel(), np.arange(bins * per_bin, n)])
    return t[index], y[index]


def _key(styles, kinds):
    """The legend of stacked panels: the line style of each variable (where there are two)
    and the colour of each population drawn (in an E/I network)."""
    handles = [Line2D([], [], ls=style, color="k", lw=0.8, label=x) for x, style in styles.items()]
    populations_drawn = dict.fromkeys(kind for kind in kinds if kind)
    return (handles if len(handles) > 1 else []) + [
        Line2D(
            [],
            [],
            color=POPULATION_COLOURS[kind.name],
            label=f"{kind.long_name} neuron ({kind.letter})",
        )
        for kind in populations_drawn
    ]


def _populations(ds, neurons):
    """The synapse type of each of ``neurons`` in an E/I network (see
    :func:`voltage_to_wiring.analysis.spikes.populations`), else None each."""
    groups = populations(params_of(ds), n_neurons(ds))
    return [next((t for t, s in groups if t and s.start <= i < s.stop), None) for i in neurons]


def _colours(kinds, stacked):
    """A colour per neuron: one each (C0, C1, ...) in a network of one population; in an E/I
    network its population's, a shade darker for each further neuron of the population on a
    shared axis."""
    if not any(kinds):
        return [f"C{k % 10}" for k in range(len(kinds))]
    colours, seen = [], {}
    for kind in kinds:
        shade = 0 if stacked else seen.get(kind.name, 0)
        seen[kind.name] = shade + 1
        darker = max(0.3, 1 - 0.3 * shade)
        colours.append(tuple(np.array(to_rgb(POPULATION_COLOURS[kind.name])) * darker))
    return colours


def _spike_dots(ds, time_ms, ax, i, colour, stacked):
    """A dot above the trace at each spike of neuron i (5 mV above the model's spike peak, at
    the time of its sample: the int32 sample indices read faster than the float64 spike
    times, the same values)."""
    spikes = time_ms[ds["spike_step"].values[ds["spike_neuron"].values == i]]
    params = params_of(ds)
    peak = neuron_models.values_of(params, int(i))[neuron_models.of(params["neuron"]).peak]
    ax.plot(
        spikes,
        np.full(len(spikes), (peak + 5e-3) * 1e3),
        ".",
        color=colour,
        ms=2 if stacked else 4,
    )
