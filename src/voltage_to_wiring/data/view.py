"""A light read-only view of this project's netCDF files, for the steps that must start fast.

The figure, statistics and evaluation steps read a dataset and draw or count; a pipeline
runs dozens of them. Importing xarray (and pandas with it) takes about 0.2 s, and its
teardown at exit about as long, of jobs that otherwise take half a second. :func:`open_view`
reads a file with netCDF4 alone into a :class:`View` (each variable read when first used),
which offers the part of
``xarray.Dataset`` those steps use: ``attrs``, ``sizes``, ``view[name]`` (a
:class:`ViewArray` with ``dims``, ``values``, ``attrs``), and ``sel``/``isel`` along a
dimension (by coordinate value / by position). The values are the file's, as xarray reads
them (no fill values, no scaling: the files have none); a test keeps the two in step.

Users, and every other step, read files with xarray (:func:`.dataset.read`).
"""

import contextlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import netCDF4
import numpy as np

from ..errors import ConfigError


class Lazy(Mapping):
    """A read-only mapping whose value for a key is made by ``make(key)`` when first asked
    for, and kept. A figure of a ten-minute recording needs two of its thirteen variables:
    reading them all took 0.6 s of a 1 s job."""

    def __init__(self, keys, make):
        self._keys, self._make, self._made = dict.fromkeys(keys), make, {}

    def __getitem__(self, key):
        if key not in self._made:
            if key not in self._keys:
                raise KeyError(key)
            self._made[key] = self._make(key)
        return self._made[key]

    def __contains__(self, key):  # without making the value (Mapping's would)
        return key in self._keys

    def __iter__(self):
        return iter(self._keys)

    def __len__(self):
        return len(self._keys)


@dataclass(frozen=True)
class ViewArray:
    """One variable: its dimension names, its values (numpy) and its attributes."""

    dims: tuple
    values: np.ndarray
    attrs: dict = field(default_factory=dict)
    coords: Mapping = field(default_factory=dict, repr=False)  # dim -> coordinate values

    def isel(self, indexers=None, **more):
        """The values at these positions along these dimensions (an int drops the dim)."""
        indexers = {**(indexers or {}), **more}
        index, dims = [], []
        for dim in self.dims:
            position = indexers.get(dim, slice(None))
            index.append(position)
            if not np.isscalar(position):
                dims.append(dim)
        coords = Lazy([d for d in self.coords if d in dims], self.coords.__getitem__)
        return ViewArray(tuple(dims), self.values[tuple(index)], self.attrs, coords)

    def sel(self, indexers=None, **more):
        """The values at these coordinate values along these dimensions."""
        indexers = {**(indexers or {}), **more}
        return self.isel({dim: _position(self.coords, dim, v) for dim, v in indexers.items()})

    def __float__(self):
        return float(self.values)

    def __len__(self):
        return len(self.values)


@dataclass(frozen=True)
class View:
    """A whole file: global attributes, dimension sizes and variables (see the module).

    ``variables`` maps each name to its :class:`ViewArray`, read when first used;
    ``dims`` gives each variable's dimension names without reading it.
    """

    attrs: dict
    sizes: dict
    variables: Mapping
    dims: dict

    def __getitem__(self, name):
        return self.variables[name]

    def __contains__(self, name):
        return name in self.variables

    @property
    def data_vars(self):
        """The variables that are not coordinates (a coordinate is named as its dimension)."""
        names = [k for k, dims in self.dims.items() if dims != (k,)]
        return Lazy(names, self.variables.__getitem__)

    @property
    def coords(self):
        """The coordinates (variables named as their one dimension): dim -> values."""
        names = [k for k, dims in self.dims.items() if dims == (k,)]
        return Lazy(names, lambda name: self.variables[name].values)

    def isel(self, indexers=None, **more):
        """Every variable at these positions (see :meth:`ViewArray.isel`)."""
        indexers = {**(indexers or {}), **more}

        def select(name):
            dims = self.dims[name]
            return self.variables[name].isel({d: i for d, i in indexers.items() if d in dims})

        dims = {
            name: tuple(d for d in dims if not np.isscalar(indexers.get(d, ())))
            for name, dims in self.dims.items()
        }
        sizes = {d: n for d, n in self.sizes.items() if not np.isscalar(indexers.get(d, ()))}
        for dim, position in indexers.items():
            if dim in sizes:
                sizes[dim] = len(np.arange(self.sizes[dim])[position])
        return View(self.attrs, sizes, Lazy(self.dims, select), dims)

    def sel(self, indexers=None, **more):
        """Every variable at these coordinate values (see :meth:`ViewArray.sel`)."""
        indexers = {**(indexers or {}), **more}
        return self.isel({dim: _position(self.coords, dim, v) for dim, v in indexers.items()})


def _position(coords, dim, value):
    """Position of ``value`` in the coordinate of ``dim``."""
    if dim not in coords:
        raise KeyError(f"no coordinate '{dim}' to select from")
    where = np.flatnonzero(np.asarray(coords[dim]) == value)
    if len(where) != 1:
        raise KeyError(f"{value!r} is not a value of coordinate '{dim}'")
    return int(where[0])


# The first bytes of a netCDF file: classic and 64-bit offset formats, CDF5, and netCDF-4
# (an HDF5 file).
NETCDF_MAGIC = (b"CDF\x01", b"CDF\x02", b"CDF\x05", b"\x89HDF\r\n\x1a\n")
KINDS = {"simulation": "params_json", "inference": "settings_json"}  # the attr each one has


def check_netcdf(path):
    """Refuse, with a sentence, a path that is not a readable netCDF file: missing, not a
    regular file (a FIFO would block the reader), empty, or of another format."""
    path = Path(path)
    if not path.exists():
        raise ConfigError(f"{path} does not exist")
    if not path.is_file():
        raise ConfigError(f"{path} is not a regular file (a netCDF file is expected)")
    with open(path, "rb") as file:
        head = file.read(8)
    if not head.startswith(NETCDF_MAGIC):
        raise ConfigError(f"{path} is not a netCDF file (it does not start as one)")


@contextlib.contextmanager
def netcdf_errors(path):
    """A context in which the netCDF library's errors on ``path`` (a truncated or damaged
    file: "NetCDF: HDF error") become a sentence that says so; ``path`` is checked first
    (:func:`check_netcdf`)."""
    check_netcdf(path)
    try:
        yield
    except OSError as error:
        if isinstance(error, FileNotFoundError):
            raise
        raise ConfigError(
            f"{path} cannot be read as netCDF ({error}): truncated or damaged? make it again"
        ) from None


def require(ds, kind, path):
    """Refuse a dataset of this project that is not a ``kind`` ("simulation" or
    "inference"): the step was given another file than it reads."""
    if KINDS[kind] not in ds.attrs:
        other = [k for k, attr in KINDS.items() if attr in ds.attrs]
        what = _a(other[0]) if other else "not a dataset of this project"
        raise ConfigError(f"{path} is {what}, not {_a(kind)} (give the {kind} dataset)")
    return ds


def _a(kind):
    return f"an {kind}" if kind[0] in "aeiou" else f"a {kind}"


def open_view(path):
    """A :class:`View` of a netCDF file written by this project: its attributes, sizes and
    variables' dimensions now, each variable's values when first used (the file is opened
    again for each; it is never left open). A file that is not netCDF, or is truncated, is
    refused with a sentence (:func:`check_netcdf`)."""
    with netcdf_errors(path), netCDF4.Dataset(path) as nc:
        sizes = {name: len(dim) for name, dim in nc.dimensions.items()}
        dims = {name: variable.dimensions for name, variable in nc.variables.items()}
        variable_attrs = {name: _attrs(variable) for name, variable in nc.variables.items()}
        attrs = _attrs(nc)
    coords = Lazy([d for d in dims if dims[d] == (d,)], lambda d: variables[d].values)

    def read(name):
        with netCDF4.Dataset(path) as nc:
            nc.set_auto_mask(False)
            variable = nc.variables[name]
            values = variable[...]
            if variable.dtype is str:
                values = np.asarray(values, dtype=str)
        in_dims = Lazy([d for d in dims[name] if d in coords], coords.__getitem__)
        return ViewArray(dims[name], np.asarray(values), variable_attrs[name], in_dims)

    variables = Lazy(dims, read)
    return View(attrs, sizes, variables, dims)


def _attrs(item):
    return {key: item.getncattr(key) for key in item.ncattrs()}


def params_of(ds):
    """The resolved parameters stored in a simulation dataset (a View or an xarray.Dataset)."""
    return json.loads(ds.attrs["params_json"])


def settings_of(ds):
    """The resolved inference settings stored in an inference dataset (either kind)."""
    return json.loads(ds.attrs["settings_json"])
