"""Engine output <-> labeled xarray.Dataset <-> netCDF file.

The layout is the contract every later stage reads:

- dims ``time`` (samples), ``neuron`` (recorded neurons), ``spike``, ``synapse``;
- coords ``time`` (s, ``step * dt``) and ``neuron`` (neuron indices);
- ``v``, ``u``, ``g``, ``I`` on (time, neuron), whichever were recorded;
- spikes as a flat event list sorted by (step, neuron): ``spike_step``, ``spike_neuron``,
  ``spike_time``;
- the true wiring as an edge list: ``synapse_pre``, ``synapse_post``, ``synapse_weight``;
- global attrs ``Conventions``, ``title``, ``experiment``, ``scheme``, ``n_neurons``, ``dt``
  and the resolved parameters as JSON in ``params_json``.

Every variable's dims, units and long name are declared once, in
:data:`voltage_to_wiring.data.variables.VARIABLES`.
"""

import json

import netCDF4
import numpy as np
import xarray as xr

from .. import __version__
from ..files import atomic_path
from ..model.synapse_types import TYPES, typed
from .variables import VARIABLES, attrs

CONVENTIONS = "CF-1.10"


def _variable(name, values):
    return xr.Variable(VARIABLES[name].dims, values, attrs(name))


def build(params, result, network):
    """Assemble the dataset of one simulation in memory.

    Parameters
    ----------
    params : dict
        Resolved parameters (see :func:`voltage_to_wiring.config.resolve`).
    result : voltage_to_wiring.engine.simulation.Result
        Recorded traces and spikes.
    network : voltage_to_wiring.model.network.Network
        The wiring that was simulated (weights in S).

    Returns
    -------
    xarray.Dataset
    """
    base = _without_recordings(params, network, result.neurons)
    data = {name: _variable(name, values) for name, values in result.traces.items()}
    spikes = _spikes(params, result.spike_step, result.spike_neuron)
    data.update({name: _variable(name, values) for name, values in spikes.items()})
    data.update(base.data_vars)  # the wiring, after the recordings
    return xr.Dataset(data, base.coords, attrs=base.attrs)


def _without_recordings(params, network, neurons):
    """Everything but traces and spikes: coordinates, the wiring, global attributes."""
    dt = params["sim"]["dt"]
    data = {
        "synapse_pre": _variable("synapse_pre", network.pre.astype(np.int64)),
        "synapse_post": _variable("synapse_post", network.post.astype(np.int64)),
        "synapse_weight": _variable("synapse_weight", network.weight),
    }
    if typed(params["network"]):
        data["synapse_type"] = _variable("synapse_type", network.type.astype(np.int8))
        data["synapse_type"].attrs.update(
            flag_values=np.array([t.code for t in TYPES], dtype=np.int8),
            flag_meanings=" ".join(t.long_name for t in TYPES),
        )
    coords = {
        "time": _variable("time", np.arange(params["sim"]["n_samples"], dtype=np.int64) * dt),
        "neuron": _variable("neuron", np.asarray(neurons, dtype=np.int64)),
    }
    return xr.Dataset(data, coords, attrs=global_attrs(params))


def _spikes(params, step, neuron):
    """The spike variables' values (int64 steps and neurons, times in s)."""
    step = np.asarray(step, dtype=np.int64)
    return {
        "spike_step": step,
        "spike_neuron": np.asarray(neuron, dtype=np.int64),
        "spike_time": step * params["sim"]["dt"],
    }


def write_chunks(path, params, network, neurons, chunks, final_attrs=dict):
    """Write a dataset whose traces and spikes arrive chunk by chunk, atomically.

    Memory stays that of one chunk, whatever the length of the run: the file is created with
    everything but the recordings, then each :class:`~voltage_to_wiring.engine.simulation.Chunk` of
    ``chunks`` is written into it. ``final_attrs()`` (called after the last chunk) gives further
    global attributes, e.g. provenance. The file holds the same as :func:`write` of
    :func:`build` would give. Returns the number of spikes.
    """
    ds = _without_recordings(params, network, neurons)
    variables = params["record"]["variables"]
    expected = ds.nbytes + 8 * params["sim"]["n_samples"] * len(variables) * len(neurons)
    with atomic_path(path, expected_bytes=expected) as tmp:
        coords = xr.Dataset(coords=ds.coords, attrs=ds.attrs)
        coords.to_netcdf(tmp, engine="netcdf4", format="NETCDF4", encoding=_no_fill(coords))
        with netCDF4.Dataset(tmp, "a") as nc:  # variables in the order build() gives them
            for name in variables:
                _create(nc, name, np.float64)
            nc.createDimension("spike", None)
            for name, values in _spikes(params, [], []).items():
                _create(nc, name, values.dtype)
            nc.createDimension("synapse", ds.sizes["synapse"])
            for name, variable in ds.data_vars.items():
                _create(nc, name, variable.dtype, variable.attrs)[:] = variable.values
            n_spikes = 0
            for chunk in chunks:
                for name, values in chunk.traces.items():
                    nc[name][chunk.start : chunk.stop] = values
                spikes = _spikes(params, chunk.spike_step, chunk.spike_neuron)
                for name, values in spikes.items():
                    nc[name][n_spikes : n_spikes + len(values)] = values
                n_spikes += len(chunk.spike_step)
            nc.setncatts(final_attrs())
    return n_spikes


def _create(nc, name, dtype, variable_attrs=None):
    variable = nc.createVariable(name, dtype, VARIABLES[name].dims, fill_value=False)
    variable.setncatts(variable_attrs or attrs(name))
    return variable


def _no_fill(ds):
    return {name: {"_FillValue": None} for name in ds.variables}


def global_attrs(params):
    """The dataset's global attributes (netCDF-safe: strings and numbers only)."""
    name = params["experiment"]
    return {
        "Conventions": CONVENTIONS,
        "title": f"voltage_to_wiring simulation '{name}': {params['n']} Izhikevich neurons, "
        f"{params['sim']['scheme']} scheme",
        "experiment": name,
        "scheme": params["sim"]["scheme"],
        "n_neurons": np.int64(params["n"]),
        "dt": params["sim"]["dt"],
        "source": f"voltage_to_wiring {__version__}",
        "params_json": json.dumps(params, sort_keys=True, allow_nan=False),
    }


def params_of(ds):
    """The resolved parameters stored in a dataset."""
    return json.loads(ds.attrs["params_json"])


def write(ds, path):
    """Write a dataset to netCDF-4 (engine netcdf4) atomically."""
    with atomic_path(path, expected_bytes=ds.nbytes) as tmp:
        ds.to_netcdf(tmp, engine="netcdf4", format="NETCDF4", encoding=_no_fill(ds))


def read(path):
    """Read a dataset written by :func:`write`, fully into memory (the file is closed)."""
    with xr.open_dataset(path, engine="netcdf4", decode_timedelta=False) as ds:
        return ds.load()
