"""The keys a config knows: sections, their keys and each quantity's SI unit; experiment names.

The JSON schema (``workflow/schemas/config.schema.yaml``) is tested against this table.
"""

import re

from ..errors import ConfigError
from ..units import AMPERE, FARAD, PER_SECOND, SECOND, SIEMENS, SIEMENS_PER_VOLT, VOLT

TOP_LEVEL = ("defaults", "experiments", "sweeps")
# Every key the config knows, by section, with the SI unit of its value (None: not a quantity).
SECTIONS = {
    "neuron": {
        "C": FARAD,
        "k": SIEMENS_PER_VOLT,
        "b": SIEMENS,
        "v_r": VOLT,
        "v_t": VOLT,
        "v_peak": VOLT,
        "c": VOLT,
        "a": PER_SECOND,
        "d": AMPERE,
    },
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
    "initial": {"v": VOLT, "u": AMPERE, "g": SIEMENS},
    "drive": {"current": AMPERE, "poisson": None, "noise": None},
    # Checked by config/inference.py; kept out of the simulation's parameters.
    "inference": {
        key: None
        for key in (
            "neurons",
            "trains",
            "top",
            "unconnected",
            "methods",
            "window",
            "shuffles",
            "alpha",
            "clip",
            "snr",
            "duration",
            "seed",
        )
    },
}
# Sections whose settings are not the simulation's (they reach their own rules only).
NOT_SIMULATION = ("inference",)
# Keys that say how to run a simulation, not what it is (results do not depend on them): kept
# out of its parameters, so that changing them reruns nothing.
HOW_TO_RUN = {"sim": ("threads",)}
NAME_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.,=+-]*$")


def check_name(name):
    """Refuse experiment names that are unsafe as a file name (``../x``, spaces, slashes)."""
    if not isinstance(name, str) or not NAME_PATTERN.match(name):
        raise ConfigError(
            "this name cannot be used in file names: use letters, digits and "
            "'_ . , = + -', starting with a letter or digit",
            experiment=name,
        )


def required(merged, section, key):
    """Refuse a missing required key."""
    if key not in merged[section]:
        raise ConfigError(
            "is required but missing (give it in 'defaults' or in the experiment)",
            key=f"{section}.{key}",
        )
