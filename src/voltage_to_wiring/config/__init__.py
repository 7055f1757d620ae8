"""config.yaml -> resolved parameters: defaults merged into each experiment, checked, in SI.

- :mod:`.merge`: YAML files -> one config; an experiment merged into the defaults;
- :mod:`.keys`: the sections, their keys and units; experiment names;
- one module per section's checks: :mod:`.neuron`, :mod:`.synapse`, :mod:`.sim`,
  :mod:`.network`, :mod:`.drive`, :mod:`.record` (``initial`` and ``record``);
- :mod:`.sweeps`: grids over config keys, one experiment per point;
- :mod:`.resolve`: an experiment -> its resolved parameters.

The names below are the config API.
"""

from .keys import MAX_NAME, NAME_PATTERN, SECTIONS, TOP_LEVEL, check_name
from .merge import load, merge_configs, read_yaml
from .plan import Plan, plan
from .resolve import (
    experiment_config,
    experiment_names,
    input_files,
    resolve,
    resolve_inference_settings,
    resolve_settings,
    simulation_settings,
)
from .sim import SCHEMES
from .sweeps import sweep_points

__all__ = [
    "MAX_NAME",
    "NAME_PATTERN",
    "Plan",
    "SCHEMES",
    "SECTIONS",
    "TOP_LEVEL",
    "check_name",
    "experiment_config",
    "experiment_names",
    "input_files",
    "load",
    "merge_configs",
    "plan",
    "read_yaml",
    "resolve",
    "resolve_inference_settings",
    "resolve_settings",
    "simulation_settings",
    "sweep_points",
]
