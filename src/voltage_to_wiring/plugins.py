"""Plug-in packages: folders whose every module is imported when the package is.

A neuron model is one module in ``core/neurons/``: dropping a file there adds the model, no
other file is edited. The package's ``__init__.py`` calls :func:`import_modules`, which
imports each of its modules (in name order, leaving out names starting with ``_``).

The workflow's code dependencies are read from import statements
(:mod:`voltage_to_wiring.core.code`); it knows this function, and counts every module
of such a package as imported by it, so that editing a model reruns what runs it.
"""

import importlib
import pkgutil


def import_modules(package, path):
    """Import every module of ``package`` (its ``__name__``) found in ``path`` (its
    ``__path__``) whose name does not start with ``_``; returns {name: module}, by name."""
    names = sorted(
        info.name for info in pkgutil.iter_modules(path) if not info.name.startswith("_")
    )
    return {name: importlib.import_module(f"{package}.{name}") for name in names}
