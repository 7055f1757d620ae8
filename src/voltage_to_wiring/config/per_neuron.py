"""Values of one per neuron (``drive.current``, ``initial.*``): a quantity shared by all, an
array written in the config, or an array read from a file (a CSV column or an NPZ array, as
edge files are), which large networks need: a job's settings cannot hold 40,000 values."""

import numpy as np

from .. import units
from ..errors import ConfigError, did_you_mean, located
from ..model.edges import one_column, read_columns
from .checks import refuse_unknown
from .network import check_file_size


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


FILE_FIELDS = ("file", "unit", "column", "scale")


def array_file(spec, key):
    """``{file: PATH, unit: U}`` (and ``column: NAME``, ``scale: S``) as the array mapping
    ``{unit, values, scale}``: the values are a column of a CSV file (a header naming its
    columns) or an array of an NPZ file, as edge files are written; ``column`` picks one
    where the file holds several. Large per-neuron arrays belong there, not in the config."""
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
