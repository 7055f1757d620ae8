"""From the name of a figure (see :mod:`.registry`) to the function that draws it: the one
dispatch path of every figure, an experiment's, an inference's or a sweep's.

The figure's module is imported by name when the figure is drawn, so that a figure job loads
(and depends on) its own module only: the workflow makes that module, with the step's, the
figure's code input (``voltage_to_wiring.core.code.step_sources(..., modules=...)``).
"""

import importlib

from .registry import FIGURES, module_of


def function(name):
    """The function that draws figure ``name``: it takes a dataset (an experiment's figure),
    an inference (an inference's), or a sweep's name, swept keys and table (a sweep's), and
    returns a matplotlib Figure."""
    module = importlib.import_module(module_of(name))
    return getattr(module, FIGURES[name].draw.split(".")[1])


def draw(name, *source):
    """Draw figure ``name`` of ``source`` (what :func:`function` says it takes)."""
    return function(name)(*source)
