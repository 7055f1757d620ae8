"""A light read-only view of this project's netCDF files, for the steps that must start fast.

The figure, statistics and evaluation steps read a dataset and draw or count; a pipeline
runs dozens of them. Importing xarray (and pandas with it) takes about 0.2 s, and its
teardown at exit about as long, of jobs that otherwise take half a second. :func:`open_view`
reads a file with netCDF4 alone into a :class:`View`, which offers the part of
``xarray.Dataset`` those steps use: ``attrs``, ``sizes``, ``view[name]`` (a
:class:`ViewArray` with ``dims``, ``values``, ``attrs``), and ``sel``/``isel`` along a
dimension (by coordinate value / by position). The values are the file's, as xarray reads
them (no fill values, no scaling: the files have none); a test keeps the two in step.

Users, and every other step, read files with xarray (:func:`.dataset.read`).
"""

import json
from dataclasses import dataclass, field

import netCDF4
import numpy as np


@dataclass(frozen=True)
class ViewArray:
    """One variable: its dimension names, its values (numpy) and its attributes."""

    dims: tuple
    values: np.ndarray
    attrs: dict = field(default_factory=dict)
    coords: dict = field(default_factory=dict, repr=False)  # dim -> coordinate values

    def isel(self, indexers=None, **more):
        """The values at these positions along these dimensions (an int drops the dim)."""
        indexers = {**(indexers or {}), **more}
        index, dims = [], []
        for dim in self.dims:
            position = indexers.get(dim, slice(None))
            index.append(position)
            if not np.isscalar(position):
                dims.append(dim)
        coords = {d: c for d, c in self.coords.items() if d in dims}
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
    """A whole file: global attributes, dimension sizes and variables (see the module)."""

    attrs: dict
    sizes: dict
    variables: dict  # name -> ViewArray

    def __getitem__(self, name):
        return self.variables[name]

    def __contains__(self, name):
        return name in self.variables

    @property
    def data_vars(self):
        """The variables that are not coordinates (a coordinate is named as its dimension)."""
        return {k: v for k, v in self.variables.items() if v.dims != (k,)}

    def isel(self, indexers=None, **more):
        """Every variable at these positions (see :meth:`ViewArray.isel`)."""
        indexers = {**(indexers or {}), **more}
        variables = {
            name: array.isel({d: i for d, i in indexers.items() if d in array.dims})
            for name, array in self.variables.items()
        }
        sizes = {d: n for d, n in self.sizes.items() if not np.isscalar(indexers.get(d, ()))}
        for dim, position in indexers.items():
            if dim in sizes:
                sizes[dim] = len(np.arange(self.sizes[dim])[position])
        return View(self.attrs, sizes, variables)

    def sel(self, indexers=None, **more):
        """Every variable at these coordinate values (see :meth:`ViewArray.sel`)."""
        indexers = {**(indexers or {}), **more}
        coords = {d: a.values for d, a in self.variables.items() if a.dims == (d,)}
        return self.isel({dim: _position(coords, dim, v) for dim, v in indexers.items()})


def _position(coords, dim, value):
    """Position of ``value`` in the coordinate of ``dim``."""
    if dim not in coords:
        raise KeyError(f"no coordinate '{dim}' to select from")
    where = np.flatnonzero(np.asarray(coords[dim]) == value)
    if len(where) != 1:
        raise KeyError(f"{value!r} is not a value of coordinate '{dim}'")
    return int(where[0])


def open_view(path):
    """Read a netCDF file written by this project into a :class:`View` (the file is closed)."""
    with netCDF4.Dataset(path) as nc:
        nc.set_auto_mask(False)
        sizes = {name: len(dim) for name, dim in nc.dimensions.items()}
        raw = {}
        for name, variable in nc.variables.items():
            values = variable[...]
            if variable.dtype is str:
                values = np.asarray(values, dtype=str)
            raw[name] = (variable.dimensions, np.asarray(values), _attrs(variable))
        attrs = _attrs(nc)
    coords = {name: values for name, (dims, values, _) in raw.items() if dims == (name,)}
    variables = {
        name: ViewArray(dims, values, variable_attrs, {d: coords[d] for d in dims if d in coords})
        for name, (dims, values, variable_attrs) in raw.items()
    }
    return View(attrs, sizes, variables)


def _attrs(item):
    return {key: item.getncattr(key) for key in item.ncattrs()}


def params_of(ds):
    """The resolved parameters stored in a simulation dataset (a View or an xarray.Dataset)."""
    return json.loads(ds.attrs["params_json"])


def settings_of(ds):
    """The resolved inference settings stored in an inference dataset (either kind)."""
    return json.loads(ds.attrs["settings_json"])
