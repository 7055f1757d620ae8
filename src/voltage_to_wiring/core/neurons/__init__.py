"""Neuron models, one module each (see :mod:`._declaration` for what a module declares).

Adding a model is adding a module here (``MODEL = NeuronModel(...)``): this package imports
every module of its folder (:func:`voltage_to_wiring.plugins.import_modules`), and the
config, the engine, the datasets, the figures and the docs read :data:`MODELS`.

A resolved ``neuron`` section (``results/params/{experiment}.json``) holds the model's
parameters in SI, and ``model`` unless it is the default (so that the parameters of configs
written before models existed are unchanged); with per-population parameters it holds one
such set per population (``exc``, ``inh``) instead.
"""

from ...plugins import import_modules
from ..synapse_types import NAMES as POPULATIONS
from . import _reference
from ._declaration import Below, NeuronModel, Parameter, StateVariable

__all__ = [
    "DEFAULT",
    "MODELS",
    "POPULATIONS",
    "Below",
    "NeuronModel",
    "Parameter",
    "StateVariable",
    "get",
    "of",
    "parameter_sets",
    "reference",
    "rest_of",
    "taking",
    "taking_state",
    "values_of",
]

DEFAULT = "izhikevich"
MODELS = {module.MODEL.name: module.MODEL for module in import_modules(__name__, __path__).values()}


def get(name):
    """The model called ``name`` (KeyError if there is none)."""
    return MODELS[name]


def of(neuron):
    """The model of a resolved ``neuron`` section."""
    return MODELS[neuron.get("model", DEFAULT)]


def parameter_sets(neuron):
    """The parameter sets of a resolved ``neuron`` section: {None: {name: SI}} for one set
    shared by all neurons, else {population: {name: SI}} in population order."""
    if any(p in neuron for p in POPULATIONS):
        return {p: neuron[p] for p in POPULATIONS}
    return {None: {k: v for k, v in neuron.items() if k != "model"}}


def taking(key):
    """The names of the models that have a parameter ``key``."""
    return [name for name, model in MODELS.items() if key in model.keys]


def taking_state(name):
    """The names of the models that have a state variable ``name`` (v: all of them)."""
    return [m for m, model in MODELS.items() if name in (s.name for s in model.state)]


def values_of(params, i):
    """The parameters (SI) of neuron ``i`` of resolved ``params`` (those of its population,
    with per-population parameters)."""
    sets = parameter_sets(params["neuron"])
    if None in sets:
        return sets[None]
    counts = params["network"]["populations"]
    first = 0
    for population, values in sets.items():
        first += counts[population]
        if i < first:
            return values
    raise IndexError(f"neuron {i} is not in the network's populations")


def rest_of(params, i):
    """The resting potential (V) of neuron ``i`` of resolved ``params``: its model's rest
    parameter (v_r, E_L)."""
    return values_of(params, i)[of(params["neuron"]).rest]


def reference():
    """Every model's reference (equations, parameters, state), as Markdown."""
    return _reference.markdown(MODELS, DEFAULT)
