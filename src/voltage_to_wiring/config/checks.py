"""Small checks shared by the config modules: each raises a ConfigError naming the key."""

import numpy as np

from .. import units
from ..errors import ConfigError, did_you_mean


def refuse_unknown(mapping, known, where):
    """Refuse a key of ``mapping`` that is not in ``known`` (``where`` prefixes the key)."""
    for key in mapping:
        if key not in known:
            full = f"{where}.{key}" if where else str(key)
            raise ConfigError(
                f"unknown key{did_you_mean(key, known)} (known here: {', '.join(known)})",
                key=full,
            )


def located(function, key, *args):
    """``function(*args)``, its ConfigError located at ``key``."""
    try:
        return function(*args)
    except ConfigError as err:
        raise err.located(key=key) from None


def count(value, key):
    """A whole number >= 1."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ConfigError(f"must be a positive whole number, got {value!r}", key=key)
    return value


def seed_of(section, key="sim.seed"):
    """The random seed at ``key`` (``section["seed"]``), required once anything is random."""
    seed = section.get("seed")
    if seed is None:
        raise ConfigError("this experiment draws random numbers: set an integer seed", key=key)
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise ConfigError(f"must be a whole number >= 0, got {seed!r}", key=key)
    return seed


def quantity(value, unit, key, positive=False):
    """Parse a quantity at ``key`` to SI (see :func:`voltage_to_wiring.units.parse_quantity`)."""
    result = located(units.parse_quantity, key, value, unit)
    if positive and not result > 0:
        raise ConfigError(f"must be positive, got '{value}'", key=key)
    return result


def per_neuron(value, unit, key, n):
    """A value per neuron: a quantity (shared by all, a float), an array of exactly n, or
    the same from a file (:func:`array_file`)."""
    if isinstance(value, dict) and "file" in value:
        value = array_file(value, key)
    values = located(units.parse_array, key, value, unit)
    if values.ndim == 0:
        return float(values)
    if values.shape != (n,):
        raise ConfigError(f"needs one value per neuron ({n}), got shape {values.shape}", key=key)
    if not np.all(np.isfinite(values)):
        raise ConfigError("values must be finite", key=key)
    return values.tolist()


def choice(value, choices, key, what):
    """``value`` if it is one of ``choices``, else a ConfigError with a hint."""
    if value not in choices:
        raise ConfigError(
            f"unknown {what} {value!r}{did_you_mean(value, choices)} "
            f"(choose from {', '.join(choices)})",
            key=key,
        )
    return value


FILE_FIELDS = ("file", "unit", "column", "scale")


def array_file(spec, key):
    """``{file: PATH, unit: U}`` (and ``column: NAME``, ``scale: S``) as the array mapping
    ``{unit, values, scale}``: the values are a column of a CSV file (a header naming its
    columns) or an array of an NPZ file, as edge files are written; ``column`` picks one
    where the file holds several. Large per-neuron arrays belong there, not in the config."""
    from ..model.edges import one_column, read_columns
    from .network import check_file_size

    refuse_unknown(spec, FILE_FIELDS, key)
    path = spec["file"]
    if not isinstance(path, str) or not path.strip():
        raise ConfigError(f"must name a CSV or NPZ file, got {path!r}", key=f"{key}.file")
    if "unit" not in spec:
        raise ConfigError("give the unit of the file's values, e.g. unit: pA", key=f"{key}.unit")
    what = "array file"
    check_file_size(path, what, f"{key}.file")
    columns = located(read_columns, f"{key}.file", path, what)
    name = spec.get("column")
    if name is None:
        if len(columns) != 1:
            raise ConfigError(
                f"'{path}' holds {sorted(columns)}: name the one to use (column: NAME)",
                key=f"{key}.column",
            )
        name = next(iter(columns))
    elif name not in columns:
        raise ConfigError(
            f"'{path}' has no column {name!r}{did_you_mean(name, columns)} (it has "
            f"{sorted(columns)})",
            key=f"{key}.column",
        )
    values = located(one_column, f"{key}.file", columns, name, path, what)
    array = {"unit": spec["unit"], "values": values}
    return {**array, "scale": spec["scale"]} if "scale" in spec else array
