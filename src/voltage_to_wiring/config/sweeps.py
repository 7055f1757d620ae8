"""Parameter sweeps: a grid over config keys of a base experiment, one experiment per point.

A config's ``sweeps`` section maps a sweep name to ``base`` (an experiment) and ``grid``
(dotted config keys mapped to lists of values)::

    sweeps:
      delay_weight:
        base: seed_synchronous
        grid:
          synapse.delay: [2 ms, 4.5 ms]
          network.weights.scale: [8, 12, 16]

Every combination of values is an ordinary experiment, named so that the name shows the values
(``delay_weight_delay=2ms_scale=8``), with its own parameters, dataset and figures.
"""

import copy
import itertools
import re

from ..errors import ConfigError, did_you_mean
from .keys import SECTIONS
from .merge import merged_experiment

# Keys inside an array mapping that a grid may set, whether the base gives them or not.
ARRAY_FIELDS = ("unit", "values", "scale")
SWEEP_FIELDS = ("base", "grid")
_UNSAFE = re.compile(r"[^A-Za-z0-9_.,=+-]")


def _fail(sweep, problem, key=None):
    where = f"grid.{key}" if key else None
    return ConfigError(problem, key=where, experiment=sweep, kind="sweep")


def specs(config):
    """The sweeps section, each checked to have exactly ``base`` and a non-empty ``grid``."""
    sweeps = config.get("sweeps") or {}
    if not isinstance(sweeps, dict):
        raise ConfigError("must map sweep names to {base, grid}", key="sweeps")
    experiments = config.get("experiments") or {}
    for sweep, spec in sweeps.items():
        if not isinstance(spec, dict) or set(spec) != set(SWEEP_FIELDS):
            raise _fail(
                sweep,
                "a sweep needs exactly 'base' (an experiment) and 'grid' "
                "(config keys mapped to lists of values)",
            )
        if spec["base"] not in experiments:
            hint = did_you_mean(spec["base"], experiments)
            raise _fail(sweep, f"base experiment {spec['base']!r} does not exist{hint}")
        grid = spec["grid"]
        if not isinstance(grid, dict) or not grid:
            raise _fail(sweep, "the grid is empty: give at least one key and its values")
        for key, values in grid.items():
            if not isinstance(values, list) or not values:
                raise _fail(sweep, "needs a non-empty list of values", key)
    return sweeps


def check_key(sweep, key, merged):
    """Refuse a grid key that is not a config key of the base experiment ``merged``: a known
    ``section.key``, or a path through mappings the base has (``drive.poisson.rate``,
    ``network.weight.I->E``, ``network.weights.scale``)."""
    parts = str(key).split(".")
    known = SECTIONS
    for depth, part in enumerate(parts[:2]):
        if part not in known:
            prefix = "".join(f"{p}." for p in parts[:depth])
            hint = did_you_mean(part, known).replace("mean '", f"mean '{prefix}")
            raise _fail(sweep, f"no such config key{hint}", key)
        known = known[part] if depth == 0 else None
    if len(parts) == 1:
        raise _fail(sweep, "name a key inside the section, e.g. 'synapse.delay'", key)
    node = merged.get(parts[0], {}).get(parts[1])
    for depth, part in enumerate(parts[2:], start=2):
        fields = tuple(node) if isinstance(node, dict) else ()
        if isinstance(node, dict) and "values" in node:
            fields = ARRAY_FIELDS  # an array: unit, values or scale, given or not
        if part not in fields:
            where = ".".join(parts[:depth])
            has = f"has {', '.join(map(str, fields))}" if fields else "is not a mapping"
            raise _fail(sweep, f"no such config key: '{where}' of the base {has}", key)
        node = node.get(part)


def _text(value):
    text = str(value).replace(" ", "").replace("->", "to").replace("/", "per")
    return _UNSAFE.sub("", text.replace("**", "^"))


def _short_names(keys):
    """The last part of each key, or the whole key where two last parts are the same."""
    last = [_text(k.split(".")[-1]) for k in keys]
    return [
        _text(k).replace(".", "-") if last.count(s) > 1 else s
        for k, s in zip(keys, last, strict=True)
    ]


def points(sweep, spec):
    """The grid points of a sweep: a list of (experiment name, {key: value})."""
    keys = list(spec["grid"])
    short = _short_names(keys)
    result = []
    for values in itertools.product(*(spec["grid"][k] for k in keys)):
        label = "_".join(f"{s}={_text(v)}" for s, v in zip(short, values, strict=True))
        result.append((f"{sweep}_{label}", dict(zip(keys, values, strict=True))))
    return result


def apply(merged, values):
    """A copy of the merged base experiment with the grid values set."""
    point = copy.deepcopy(merged)
    for key, value in values.items():
        node = point
        *parents, leaf = key.split(".")
        for part in parents:
            node = node.setdefault(part, {})
        node[leaf] = value
    return point


def sweep_points(config):
    """Every sweep's grid points: {sweep: [(experiment name, {key: value}), ...]}."""
    return {sweep: points(sweep, spec) for sweep, spec in specs(config).items()}


def sweep_base(config, sweep):
    """The merged base experiment of a sweep, after checking the sweep's grid keys."""
    spec = specs(config)[sweep]
    merged = merged_experiment(config, spec["base"])
    for key in spec["grid"]:
        check_key(sweep, key, merged)
    return merged


def point_settings(config, name):
    """The merged settings of the grid point ``name``, or None if no sweep has it."""
    for sweep, grid in sweep_points(config).items():
        for point, values in grid:
            if point == name:
                return apply(sweep_base(config, sweep), values)
    return None
