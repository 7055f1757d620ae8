"""The figures: the one registry of their names, what draws them, which experiments get them,
and their captions.

The command line's choices, the workflow's rules (which figures an experiment gets, the
wildcard constraints) and the report's captions all read :data:`FIGURES`. This module
imports no plotting library, so that reading it is cheap; :mod:`.draw` maps names to the
functions.
"""

from collections.abc import Callable
from typing import NamedTuple

from ..core import neurons
from ..core.variables import VARIABLES
from ..errors import ConfigError


class FigureKind(NamedTuple):
    """One kind of figure."""

    name: str  # file name without .png, and the CLI's --figure
    draw: str  # "module.function" in voltage_to_wiring.plots, called with a dataset (or table)
    scope: str  # one per "experiment" (its dataset), per "inference" (its inference), per "sweep"
    applies: Callable  # resolved parameters (inference: settings) -> whether it is drawn
    caption: str  # report caption; {experiment} or {sweep} is filled in


def _traced(params):
    neurons = params["record"]["neurons"]
    return neurons == "all" or len(neurons) > 0


def _records(*names):
    """True for experiments that record one of ``names`` for at least one neuron."""
    return lambda params: _traced(params) and bool(set(names) & set(params["record"]["variables"]))


def _always(params):
    return True


def _population(params):
    """A network of at least two neurons: a raster, a rate histogram and degree
    distributions of one neuron say nothing ("all 1 neurons", a histogram of one rate)."""
    return params["n"] >= 2


def _truth(settings):
    """True for an inference whose true wiring is known (a simulation, or a recording with
    its truth): the figures that compare with it."""
    recording = settings.get("recording")
    return recording is None or bool(recording.get("truth"))


def _trace_caption(variable, what):
    unit = VARIABLES[variable].display_units
    return (
        f"{what} ({unit}) of the recorded neurons of experiment {{experiment}} against time "
        "(ms; s for a recording over 10 s), at most 10 neurons (the first recorded ones); in "
        "an E/I network each neuron is marked E or I and drawn in its population's colour"
    )


def _state_figures():
    """One trace figure per neuron model's recordable second state variable (Izhikevich's
    recovery current u: "recovery"; AdEx's adaptation current w: "adaptation")."""
    figures = {}
    for model in neurons.MODELS.values():
        for state in model.state[1:]:
            if state.recordable and state.figure:
                label = f"{state.long_name.split(' (')[0]} {state.name}"
                caption = _trace_caption(state.name, label[0].upper() + label[1:]) + "."
                kind = FigureKind(
                    state.figure, "traces.second_state", "experiment", _records(state.name), caption
                )
                if figures.setdefault(state.figure, kind) != kind:
                    raise ValueError(f"two models declare the figure {state.figure!r}")
    return [figures[name] for name in sorted(figures, key=lambda f: f != "recovery")]


FIGURES = {
    figure.name: figure
    for figure in (
        FigureKind(
            "voltage",
            "traces.voltage",
            "experiment",
            _records("v"),
            _trace_caption("v", "Membrane potential v")
            + "; a dot above the traces marks each spike, as in the 2021 notebook.",
        ),
        FigureKind(
            "conductance",
            "traces.conductance",
            "experiment",
            _records("g", "g_exc", "g_inh"),
            _trace_caption("g", "Synaptic conductance g (g_exc and g_inh in an E/I network)") + ".",
        ),
        *_state_figures(),
        FigureKind(
            "raster",
            "activity.raster",
            "experiment",
            _population,
            "Spikes of all neurons of experiment {experiment} (neuron index against time in "
            "ms, in s for a recording over 10 s), with the population rate (Hz) beneath.",
        ),
        FigureKind(
            "rates",
            "activity.rates",
            "experiment",
            _population,
            "Histogram of the firing rates (Hz) of the neurons of experiment {experiment}, "
            "per population in an E/I network.",
        ),
        FigureKind(
            "degrees",
            "wiring.degrees",
            "experiment",
            _population,
            "In- and out-degree distributions (synapses per neuron) of the wiring of "
            "experiment {experiment}.",
        ),
        FigureKind(
            "sta",
            "inference.sta",
            "inference",
            _always,
            "Spike-triggered averages of the recorded voltage of experiment {experiment} "
            "(mV, or the recording's units, minus the level of their shuffled trains' "
            "averages, against ms after the presynaptic spike) for the excitatory, inhibitory "
            "and unconnected tested trains with the most spikes (without the true wiring: the "
            "trains with the strongest statistic called excitatory, inhibitory, and not "
            "called); the band holds 95 % of the averages of the first train's ISI-shuffled "
            "surrogates.",
        ),
        FigureKind(
            "roc",
            "inference.roc_curves",
            "inference",
            _truth,
            "ROC curve of each inference method of experiment {experiment}: true positive "
            "rate over the connected trains (with the right sign) against false positive rate "
            "over the unconnected ones, with the AUC and the chance line (AUC 0.25).",
        ),
        FigureKind(
            "connections",
            "inference.connections",
            "inference",
            _truth,
            "Each method's signed statistic against the true weight of the tested connection "
            "(nS or pS: pS where every weight is below 1 nS; inhibitory negative, unconnected "
            "trains at 0) in experiment {experiment}.",
        ),
        FigureKind(
            "summary",
            "sweep.summary",
            "sweep",
            _always,
            "Statistics of every grid point of sweep {sweep} (mean firing rate, mean CV of "
            "inter-spike intervals, synchrony chi, fraction of silent neurons), or the AUCs "
            "of the inference methods, against the first swept key (named, with the unit its "
            "values are written in; inf, no imaging noise, drawn past a break in the axis), "
            "one line per value of the others. The numbers are in results/sweeps/{sweep}.csv.",
        ),
    )
}


def names(scope):
    """Names of the figures of a scope ("experiment", "inference" or "sweep"), in order."""
    return [f.name for f in FIGURES.values() if f.scope == scope]


def available(params):
    """Names of the figures an experiment's resolved parameters allow, in registry order."""
    return [f.name for f in FIGURES.values() if f.scope == "experiment" and f.applies(params)]


def available_inference(settings):
    """Names of the inference figures of resolved inference ``settings``, in order."""
    return [f.name for f in FIGURES.values() if f.scope == "inference" and f.applies(settings)]


def require(name, params):
    """Refuse an experiment figure that the experiment's recording does not allow."""
    allowed = available(params)
    if name not in allowed:
        raise ConfigError(
            f"has no {name} figure: it does not record what the figure shows "
            f"(record.variables, record.neurons); its figures: {', '.join(allowed)}",
            experiment=params["experiment"],
        )


def module_of(name):
    """The dotted name of the module that draws figure ``name`` (imported by name when the
    figure is drawn: it is the figure's own code input, see :func:`.draw.function`)."""
    return f"{__package__}.{FIGURES[name].draw.split('.')[0]}"


def caption(name, **where):
    """The report caption of figure ``name``, for ``experiment=...`` or ``sweep=...``."""
    return FIGURES[name].caption.format(**where)
