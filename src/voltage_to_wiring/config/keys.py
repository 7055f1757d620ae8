"""The keys a config knows: sections, their keys and each quantity's SI unit; experiment names.

The ``neuron`` and ``initial`` sections depend on the neuron model: their keys come from the
models' declarations (:mod:`voltage_to_wiring.core.neurons`), and :func:`units_of` gives the
units of one model's experiment. The JSON schema (``workflow/schemas/config.schema.yaml``)
is tested against this table.
"""

import re

from ..core import neurons
from ..errors import ConfigError
from ..units import AMPERE, SECOND, SIEMENS, VOLT

TOP_LEVEL = ("defaults", "experiments", "sweeps")
# Sections whose keys depend on the neuron model (checked against it, see config/neuron.py).
BY_MODEL = ("neuron", "initial")


def _model_keys():
    """Every model's parameters (a name two models share with other units has None here),
    the model's name, and per-population parameters."""
    keys = {"model": None}
    for model in neurons.MODELS.values():
        for name, unit in model.units.items():
            keys[name] = unit if keys.get(name, unit) == unit else None
    return {**keys, **dict.fromkeys(neurons.POPULATIONS)}


def _state_keys():
    """Every model's state variables (initial values), and g."""
    keys = {}
    for model in neurons.MODELS.values():
        keys.update({s.name: s.unit for s in model.state})
    return {**keys, "g": SIEMENS}


# Every key the config knows, by section, with the SI unit of its value (None: not a quantity).
SECTIONS = {
    "neuron": _model_keys(),
    "synapse": {"v_syn": VOLT, "tau": SECOND, "delay": SECOND, "exc": None, "inh": None},
    "sim": {"dt": SECOND, "duration": SECOND, "scheme": None, "seed": None, "threads": None},
    "record": {"variables": None, "neurons": None},
    "network": {
        "weights": SIEMENS,
        "n": None,
        "edges": None,
        "connectivity": None,
        "weight": SIEMENS,
        "populations": None,
        "sources": None,
    },
    "initial": _state_keys(),
    "drive": {"current": AMPERE, "poisson": None, "noise": None},
    # Checked by config/inference.py; kept out of the simulation's parameters.
    "inference": {
        key: None
        for key in (
            "neurons",
            "trains",
            "per_type",
            "unconnected",
            "methods",
            "window",
            "shuffles",
            "alpha",
            "clip",
            "snr",
            "duration",
            "seed",
            "surrogates",
            "shadows",
            "imaging",
        )
    },
}
SECTIONS["recording"] = dict.fromkeys(
    ("file", "voltage", "rois", "neuron", "units", "truth", "polarity", "baseline")
)
# Sections whose settings are not the simulation's (they reach their own rules only).
NOT_SIMULATION = ("inference", "recording")
# Keys that say how to run a simulation, not what it is (results do not depend on them): kept
# out of its parameters, so that changing them reruns nothing.
HOW_TO_RUN = {"sim": ("threads",)}


def units_of(model):
    """{section.key: SI unit} of every quantity an experiment of ``model`` can have."""
    units = {f"neuron.{k}": u for k, u in model.units.items()}
    units.update({f"initial.{s.name}": s.unit for s in model.state})
    units["initial.g"] = SIEMENS
    for section, keys in SECTIONS.items():
        if section not in BY_MODEL:
            units.update({f"{section}.{k}": u for k, u in keys.items() if u is not None})
    return units


NAME_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.,=+-]*")
# Names are file-name components (outputs add at most ".nc.json"; a file system allows 255
# bytes), with room for the suffixes of sweep points.
MAX_NAME = 200


def check_name(name):
    """Refuse experiment names that are unsafe as a file name (``../x``, spaces, slashes, a
    line break) or too long for one."""
    if not isinstance(name, str) or not NAME_PATTERN.fullmatch(name):
        raise ConfigError(
            "this name cannot be used in file names: use letters, digits and "
            "'_ . , = + -', starting with a letter or digit",
            experiment=repr(name) if isinstance(name, str) and "\n" in name else name,
        )
    if len(name) > MAX_NAME:
        raise ConfigError(
            f"this name has {len(name)} characters; file names allow {MAX_NAME} here",
            experiment=name[:40] + "...",
        )


def required(merged, section, key):
    """Refuse a missing required key."""
    if key not in merged[section]:
        raise ConfigError(
            "is required but missing (give it in 'defaults' or in the experiment)",
            key=f"{section}.{key}",
        )
