"""Config files -> one config; an experiment merged into the defaults (before units are read).

The config has ``defaults`` (applied to every experiment), ``experiments`` (a mapping from
name to overrides) and ``sweeps``. Each experiment is merged key by key into the defaults
(``neuron.C`` of an experiment replaces ``neuron.C`` of the defaults; the ``network``
section is replaced whole).
"""

from pathlib import Path

import yaml

from ..errors import ConfigError
from .checks import refuse_unknown
from .keys import SECTIONS, TOP_LEVEL


def load(paths):
    """Read and merge one or more YAML config files, later files adding to earlier ones.

    Experiments are merged by name, ``defaults`` key by key, as Snakemake does with several
    ``--configfile`` options.
    """
    config = {}
    for path in [paths] if isinstance(paths, (str, Path)) else paths:
        config = merge_configs(config, read_yaml(path))
    return config


def read_yaml(path):
    """Parse one YAML file; a syntax error names the file and the line."""
    try:
        with open(path) as file:
            data = yaml.safe_load(file)
    except FileNotFoundError:
        raise ConfigError(f"config file '{path}' does not exist") from None
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        line = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(err, "problem", None) or str(err)
        raise ConfigError(f"config file '{path}' is not valid YAML{line}: {problem}") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ConfigError(
            f"config file '{path}' must hold a mapping with 'defaults' and 'experiments'"
        )
    return data


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
        if section == "network":
            merged[section] = dict(over if over is not None else base or {})
        else:
            merged[section] = {**(base or {}), **(over or {})}
    return merged


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
            refuse_unknown(keys or {}, SECTIONS[section], key)
    except ConfigError as err:
        raise err.located(experiment=name) from None
