"""Config files -> one config; an experiment merged into the defaults (before units are read).

The config has ``defaults`` (applied to every experiment), ``experiments`` (a mapping from
name to overrides) and ``sweeps``. Each experiment is merged key by key into the defaults
(``neuron.C`` of an experiment replaces ``neuron.C`` of the defaults; the ``network``
section is replaced whole, and so is the ``neuron`` section of an experiment that names
another neuron model than the defaults: parameters of two models do not mix).
"""

from pathlib import Path

from ..core import neurons
from ..errors import ConfigError
from . import yaml_file
from .checks import refuse_unknown
from .keys import BY_MODEL, SECTIONS, TOP_LEVEL


def load(paths):
    """Read and merge one or more YAML config files, later files adding to earlier ones.

    ``defaults`` are merged key by key, as Snakemake does with several ``--configfile``
    options; experiments and sweeps are added. An experiment (or sweep) that two files both
    define is refused, naming them: merging them key by key would silently make a third.
    """
    config, origin = {}, {}
    for path in [paths] if isinstance(paths, (str, Path)) else paths:
        data = read_yaml(path)
        for section in ("experiments", "sweeps"):
            for name in data.get(section) or {} if isinstance(data.get(section), dict) else {}:
                if (section, name) in origin:
                    raise ConfigError(
                        f"is defined in both '{origin[section, name]}' and '{path}': rename "
                        "one (the experiments and sweeps of several config files are added "
                        "together, never merged)",
                        experiment=name,
                        kind=section[:-1],
                    )
                origin[section, name] = path
        config = merge_configs(config, data)
    return config


def read_yaml(path):
    """Parse one YAML config file strictly (see :mod:`.yaml_file`)."""
    return yaml_file.read(path)


def merge_configs(base, extra):
    """Merge two whole configs (recursively, mappings only; ``extra`` wins)."""
    merged = dict(base)
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = merge_configs(merged[key], value)
        else:
            merged[key] = value
    return merged


def check_top_level(config):
    """A config is a mapping of the known top-level keys; experiments a mapping."""
    if not isinstance(config, dict):
        raise ConfigError("the config must be a mapping with 'defaults' and 'experiments'")
    refuse_unknown(config, TOP_LEVEL, "")
    experiments = config.get("experiments")
    if experiments is not None and not isinstance(experiments, dict):
        raise ConfigError("must map experiment names to their settings", key="experiments")


def merged_experiment(config, name):
    """The experiment ``name`` of ``config['experiments']`` merged into the defaults."""
    defaults = config.get("defaults") or {}
    overrides = config["experiments"][name] or {}
    for where, part in (("defaults", defaults), (None, overrides)):
        _check_sections(part, where, name)
    merged = {}
    for section in SECTIONS:
        base, over = defaults.get(section), overrides.get(section)
        if section == "network" or (section == "neuron" and _other_model(base, over)):
            merged[section] = dict(over if over is not None else base or {})
        else:
            merged[section] = {**(base or {}), **(over or {})}
    return merged


def _other_model(base, over):
    """True if the experiment's neuron section names another model than the defaults'."""
    if not isinstance(over, dict) or "model" not in over:
        return False
    return over["model"] != (base or {}).get("model", neurons.DEFAULT)


def _check_sections(part, where, name):
    """Sections are mappings of known keys; ``where`` is "defaults" or None (the experiment)."""
    try:
        if not isinstance(part, dict):
            raise ConfigError("must be a mapping of sections", key=where)
        refuse_unknown(part, SECTIONS, where)
        for section, keys in part.items():
            key = f"{where}.{section}" if where else section
            if keys is not None and not isinstance(keys, dict):
                raise ConfigError(f"must be a mapping, got {keys!r}", key=key)
            if section not in BY_MODEL:  # checked against the model when resolved
                refuse_unknown(keys or {}, SECTIONS[section], key)
    except ConfigError as err:
        raise err.located(experiment=name) from None


def given_keys(config, name):
    """The dotted keys ``section.key`` that experiment ``name`` sets itself (not through the
    defaults); None if it is not one of ``config``'s experiments."""
    experiment = (config.get("experiments") or {}).get(name, None)
    if name not in (config.get("experiments") or {}):
        return None
    return {
        f"{section}.{key}"
        for section, keys in (experiment or {}).items()
        if isinstance(keys, dict)
        for key in keys
    }
