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

A sweep may also have ``replicates``: keys (usually ``sim.seed``) whose values repeat every
grid point, so that its table and figure give the mean and a 95 % interval per point::

    sweeps:
      thesis_snr:
        base: thesis_nto1
        grid: {inference.snr: [inf, 40]}
        replicates: {sim.seed: [1, 2, 3]}

Points that differ only in keys outside the simulation (``inference.*``) share one: a sweep
over such keys alone infers from its base's simulation; a sweep over both kinds has one
simulation per combination of its simulation keys (``thesis_snr_seed=1``, ...).
"""

import copy
import itertools
import json
import re

from ..errors import ConfigError, did_you_mean
from .keys import NOT_SIMULATION, SECTIONS
from .merge import merged_experiment

# Keys inside an array mapping that a grid may set, whether the base gives them or not.
ARRAY_FIELDS = ("unit", "values", "scale")
SWEEP_FIELDS = ("base", "grid")
OPTIONAL_FIELDS = ("replicates",)
_UNSAFE = re.compile(r"[^A-Za-z0-9_.,=+-]")


def _fail(sweep, problem, key=None, where="grid"):
    return ConfigError(
        problem, key=f"{where}.{key}" if key else None, experiment=sweep, kind="sweep"
    )


def specs(config):
    """The sweeps section, each checked to have exactly ``base`` and a non-empty ``grid``."""
    sweeps = config.get("sweeps") or {}
    if not isinstance(sweeps, dict):
        raise ConfigError("must map sweep names to {base, grid}", key="sweeps")
    experiments = config.get("experiments") or {}
    for sweep, spec in sweeps.items():
        fields = set(spec) if isinstance(spec, dict) else set()
        if not set(SWEEP_FIELDS) <= fields <= {*SWEEP_FIELDS, *OPTIONAL_FIELDS}:
            raise _fail(
                sweep,
                "a sweep needs exactly 'base' (an experiment) and 'grid' "
                "(config keys mapped to lists of values), and may have 'replicates' (keys "
                "whose values repeat every grid point, e.g. sim.seed)",
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
        _check_replicates(sweep, spec)
    return sweeps


def _check_replicates(sweep, spec):
    replicates = spec.get("replicates")
    if replicates is None:
        return
    if not isinstance(replicates, dict) or not replicates:
        raise ConfigError(
            "must map keys to lists of values, e.g. {sim.seed: [1, 2, 3]}",
            key="replicates",
            experiment=sweep,
            kind="sweep",
        )
    for key, values in replicates.items():
        where = f"replicates.{key}"
        if key in spec["grid"]:
            raise ConfigError(
                "is also a key of the grid", key=where, experiment=sweep, kind="sweep"
            )
        if (
            not isinstance(values, list)
            or len(values) < 2
            or len(set(map(str, values))) != len(values)
        ):
            raise ConfigError(
                "needs a list of at least two different values (an interval needs replicates)",
                key=where,
                experiment=sweep,
                kind="sweep",
            )


def axes(spec):
    """Every swept key and its values: the grid's, then the replicates'."""
    return {**spec["grid"], **(spec.get("replicates") or {})}


def replicate_keys(spec):
    """The keys whose values are a sweep's replicates (aggregated per grid point)."""
    return list(spec.get("replicates") or {})


def is_simulation_key(key):
    """True if ``key`` changes the simulation (not an ``inference.*`` key)."""
    return str(key).split(".")[0] not in NOT_SIMULATION


def check_key(sweep, key, merged, where="grid"):
    """Refuse a grid key that is not a config key of the base experiment ``merged``: a known
    ``section.key``, or a path through mappings the base has (``drive.poisson.rate``,
    ``network.weight.I->E``, ``network.weights.scale``)."""
    parts = str(key).split(".")
    known = SECTIONS
    for depth, part in enumerate(parts[:2]):
        if part not in known:
            prefix = "".join(f"{p}." for p in parts[:depth])
            hint = did_you_mean(part, known).replace("mean '", f"mean '{prefix}")
            raise _fail(sweep, f"no such config key{hint}", key, where)
        known = known[part] if depth == 0 else None
    if len(parts) == 1:
        raise _fail(sweep, "name a key inside the section, e.g. 'synapse.delay'", key, where)
    node = merged.get(parts[0], {}).get(parts[1])
    for depth, part in enumerate(parts[2:], start=2):
        fields = tuple(node) if isinstance(node, dict) else ()
        if isinstance(node, dict) and "values" in node:
            fields = ARRAY_FIELDS  # an array: unit, values or scale, given or not
        if part not in fields:
            inside = ".".join(parts[:depth])
            has = f"has {', '.join(map(str, fields))}" if fields else "is not a mapping"
            raise _fail(sweep, f"no such config key: '{inside}' of the base {has}", key, where)
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
    """The grid points of a sweep (with its replicates): a list of (experiment name,
    {key: value})."""
    swept = axes(spec)
    keys = list(swept)
    short = dict(zip(keys, _short_names(keys), strict=True))
    return [
        (
            _name(sweep, short, dict(zip(keys, values, strict=True))),
            dict(zip(keys, values, strict=True)),
        )
        for values in itertools.product(*(swept[k] for k in keys))
    ]


def _name(sweep, short, values):
    return f"{sweep}_" + "_".join(f"{short[k]}={_text(v)}" for k, v in values.items())


def simulations(sweep, spec):
    """The simulations of a sweep over keys of both kinds (see the module docstring): a list
    of (experiment name, {simulation key: value}), one per combination; [] for a sweep whose
    points share its base's simulation, or have one each."""
    keys = list(axes(spec))
    mine = [k for k in keys if is_simulation_key(k)]
    if not mine or len(mine) == len(keys):
        return []
    short = dict(zip(keys, _short_names(keys), strict=True))
    found = {}
    for _, values in points(sweep, spec):
        own = {k: values[k] for k in mine}
        found.setdefault(_name(sweep, short, own), own)
    return list(found.items())


def simulation_of_point(sweep, spec, values):
    """The experiment whose simulation a grid point with ``values`` uses: the base's, its
    own (None), or one shared with the points of the same simulation keys."""
    keys = list(axes(spec))
    mine = [k for k in keys if is_simulation_key(k)]
    if not mine:
        return spec["base"]
    if len(mine) == len(keys):
        return None
    short = dict(zip(keys, _short_names(keys), strict=True))
    return _name(sweep, short, {k: values[k] for k in mine})


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


# Grid points, shared simulations and their index, kept per sweeps section (its JSON text):
# planning asks for a point's settings once per point, and each scan of every point made
# planning quadratic (1,000 points: 28 s; 10,000: without end).
_KEPT = {}


def _kept(kind, config, make):
    """``make()``, computed once per ``kind`` and sweeps section of ``config``. Callers must
    not change what it returns."""
    key = (kind, json.dumps(specs(config), sort_keys=True, default=str))
    if key not in _KEPT:
        if len(_KEPT) > 32:
            _KEPT.clear()
        _KEPT[key] = make()
    return _KEPT[key]


def sweep_points(config):
    """Every sweep's grid points: {sweep: [(experiment name, {key: value}), ...]}."""
    return _kept(
        "points",
        config,
        lambda: {sweep: points(sweep, spec) for sweep, spec in specs(config).items()},
    )


def sweep_simulations(config):
    """Every sweep's shared simulations (see :func:`simulations`): {sweep: [(name, values)]}."""
    return _kept(
        "simulations",
        config,
        lambda: {sweep: simulations(sweep, spec) for sweep, spec in specs(config).items()},
    )


def _point_index(config):
    """{grid point or shared simulation: (its sweep, its values)}, the first of each name."""

    def make():
        index = {}
        for table in (sweep_points(config), sweep_simulations(config)):
            for sweep, grid in table.items():
                for point, values in grid:
                    index.setdefault(point, (sweep, values))
        return index

    return _kept("index", config, make)


def sweep_base(config, sweep):
    """The merged base experiment of a sweep, after checking the sweep's keys."""
    spec = specs(config)[sweep]
    merged = merged_experiment(config, spec["base"])
    for key in spec["grid"]:
        check_key(sweep, key, merged)
    for key in replicate_keys(spec):
        check_key(sweep, key, merged, "replicates")
    return merged


def point_settings(config, name):
    """The merged settings of the grid point (or shared simulation) ``name``, or None if no
    sweep has it."""
    found = _point_index(config).get(name)
    return None if found is None else apply(sweep_base(config, found[0]), found[1])
