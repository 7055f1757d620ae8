"""From the name of an experiment's figure (see :mod:`.registry`) to the function that draws it.

Only the experiments' figures: a sweep's summary figure is drawn by :mod:`.sweep` alone, so
that its step does not load the dataset readers.
"""

from . import activity, traces, wiring
from .registry import FIGURES

MODULES = {"activity": activity, "traces": traces, "wiring": wiring}


def function(name):
    """The function that draws the experiment figure ``name`` from a dataset."""
    module, function_name = FIGURES[name].draw.split(".")
    return getattr(MODULES[module], function_name)


def draw(name, ds):
    """Draw the experiment figure ``name`` of dataset ``ds`` (a matplotlib Figure)."""
    return function(name)(ds)
