"""Engine output <-> labeled xarray.Dataset <-> netCDF file.

The layout is the contract every later stage reads:

- dims ``time`` (samples), ``neuron`` (recorded neurons), ``spike``, ``synapse`` (and
  ``source`` with spike sources);
- coords ``time`` (s, ``step * dt``) and ``neuron`` (neuron indices);
- ``v``, the model's second state variable (``u``, ``w``), ``g``, ``I`` on (time, neuron),
  whichever were recorded;
- spikes as a flat event list sorted by (step, neuron): ``spike_step``, ``spike_neuron``,
  ``spike_time``; indices are int32 where they fit, and spikes and wiring are compressed;
- the true wiring as an edge list: ``synapse_pre``, ``synapse_post``, ``synapse_weight``
  (and ``synapse_type`` in an E/I network);
- Poisson spike sources, if any, are neurons ``n_neurons .. n_neurons + n_sources - 1``:
  their spikes are in the spike list, the coordinate ``source`` lists their indices, and
  ``source_rate`` (Hz) and ``source_type`` describe them;
- global attrs ``Conventions``, ``title``, ``experiment``, ``scheme``, ``n_neurons`` (the
  integrated neurons), ``n_sources``, ``dt`` and the resolved parameters as JSON in
  ``params_json``.

Every variable's dims, units and long name are declared once, in
:data:`voltage_to_wiring.core.variables.VARIABLES`.
"""

import json
import zlib

import netCDF4
import numpy as np

from .. import __version__
from ..core import neurons as neuron_models
from ..core.synapse_types import TYPES, typed
from ..core.variables import COMPRESSED, COMPRESSED_DIMS, VARIABLES, attrs, index_dtype
from ..files import atomic_path
from .view import (
    netcdf_errors,
    params_of,  # noqa: F401  (part of this module's API)
)

COMPRESSION = {"zlib": True, "complevel": 1, "shuffle": True}
SPIKE_CHUNK = 1 << 16  # elements per stored chunk of the (growing) spike variables
SAMPLE = 1 << 20  # values tried to decide whether a variable is worth compressing
WRITE_BLOCK = 1 << 24  # values written at once (no copy of a whole large array)

CONVENTIONS = "CF-1.10"


def _spec(name, values, extra=None, model=None):
    """A variable as (values, attributes); its dims are in VARIABLES."""
    return values, {**attrs(name, model), **(extra or {})}


def _xarray():
    """xarray, imported where a dataset is built or read (the simulate step streams into the
    file with netCDF4 alone and does not load it: 0.2 s of a job's start)."""
    import xarray

    return xarray


def _variables(specs):
    xr = _xarray()
    return {name: xr.Variable(VARIABLES[name].dims, v, a) for name, (v, a) in specs.items()}


def build(params, result, network, source_rate=None):
    """Assemble the dataset of one simulation in memory.

    Parameters
    ----------
    params : dict
        Resolved parameters (see :func:`voltage_to_wiring.config.resolve`).
    result : voltage_to_wiring.engine.simulation.Result
        Recorded traces and spikes.
    network : voltage_to_wiring.model.network.Network
        The wiring that was simulated (weights in S).
    source_rate : numpy.ndarray, optional
        The rate (Hz) of each Poisson spike source, if the network has them.

    Returns
    -------
    xarray.Dataset
    """
    coords, wiring, global_ = _without_recordings(params, network, result.neurons, source_rate)
    data = {name: _spec(name, values) for name, values in result.traces.items()}
    spikes = _spikes(params, result.spike_step, result.spike_neuron)
    model = neuron_models.of(params["neuron"])
    data.update({name: _spec(name, values, model=model) for name, values in spikes.items()})
    data.update(wiring)  # the wiring, after the recordings
    return _xarray().Dataset(_variables(data), _variables(coords), attrs=global_)


def _without_recordings(params, network, neurons, source_rate=None):
    """Everything but traces and spikes: the coordinates and the data variables (the wiring,
    the spike sources), each {name: (values, attributes)}, and the global attributes."""
    dt = params["sim"]["dt"]
    index = index_dtype(network.n)
    data = {
        "synapse_pre": _spec("synapse_pre", network.pre.astype(index, copy=False)),
        "synapse_post": _spec("synapse_post", network.post.astype(index, copy=False)),
        "synapse_weight": _spec("synapse_weight", network.weight),
    }
    if typed(params["network"]):
        data["synapse_type"] = _spec("synapse_type", network.type.astype(np.int8), FLAGS)
    coords = {
        "time": _spec("time", np.arange(params["sim"]["n_samples"], dtype=np.int64) * dt),
        "neuron": _spec("neuron", np.asarray(neurons, dtype=np.int64)),
    }
    sources = params["network"].get("sources")
    if sources:
        coords["source"] = _spec("source", np.arange(params["n"], network.n, dtype=index))
        data["source_rate"] = _spec("source_rate", np.asarray(source_rate, dtype=float))
        if typed(params["network"]):
            data["source_type"] = _spec("source_type", _source_codes(sources), FLAGS)
    return coords, data, global_attrs(params)


def _source_codes(sources):
    counts = sources["populations"]
    return np.repeat([t.code for t in TYPES], [counts[t.name] for t in TYPES]).astype(np.int8)


# CF flag attributes of a type-code variable.
FLAGS = {
    "flag_values": np.array([t.code for t in TYPES], dtype=np.int8),
    "flag_meanings": " ".join(t.long_name for t in TYPES),
}


def _spikes(params, step, neuron):
    """The spike variables' values (steps and neurons as int32 where they fit, times in s)."""
    step = np.asarray(step, dtype=np.int64)
    n_total = params["n"] + (params["network"].get("sources") or {}).get("n", 0)
    return {
        "spike_step": step.astype(index_dtype(params["sim"]["n_samples"])),
        "spike_neuron": np.asarray(neuron).astype(index_dtype(n_total)),
        "spike_time": step * params["sim"]["dt"],
    }


def write_chunks(path, params, network, neurons, chunks, final_attrs=dict, source_rate=None):
    """Write a dataset whose traces and spikes arrive chunk by chunk, atomically.

    Memory stays that of one chunk, whatever the length of the run: the file is created with
    everything but the recordings, then each :class:`~voltage_to_wiring.engine.simulation.Chunk` of
    ``chunks`` is written into it. ``final_attrs()`` (called after the last chunk) gives further
    global attributes, e.g. provenance. The file holds the same as :func:`write` of
    :func:`build` would give. Returns the number of spikes.
    """
    coords, data, global_ = _without_recordings(params, network, neurons, source_rate)
    variables = params["record"]["variables"]
    fixed = sum(values.nbytes for values, _ in (*coords.values(), *data.values()))
    expected = fixed + 8 * params["sim"]["n_samples"] * len(variables) * len(neurons)
    with atomic_path(path, expected_bytes=expected) as tmp:
        with netCDF4.Dataset(tmp, "w", format="NETCDF4") as nc:  # in the order build() gives
            for name, (values, variable_attrs) in coords.items():
                nc.createDimension(name, len(values))
                _create(nc, name, values.dtype, variable_attrs, values.size, values)[:] = values
            nc.setncatts(global_)
            for name in variables:
                _create(nc, name, np.float64)
            nc.createDimension("spike", None)
            model = neuron_models.of(params["neuron"])
            for name, values in _spikes(params, [], []).items():
                _create(nc, name, values.dtype, attrs(name, model), chunk=SPIKE_CHUNK)
            nc.createDimension("synapse", len(data["synapse_pre"][0]))
            for name, (values, variable_attrs) in data.items():
                created = _create(nc, name, values.dtype, variable_attrs, values.size, values)
                for start in range(0, values.size, WRITE_BLOCK):  # no whole-array copies
                    created[start : start + WRITE_BLOCK] = values[start : start + WRITE_BLOCK]
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


def _create(nc, name, dtype, variable_attrs=None, chunk=None, values=None):
    """A netCDF variable, compressed where it pays (see :func:`_compressed`; ``chunk``:
    elements per stored chunk, 0 for an empty variable; ``values``: its data, if known)."""
    dims = VARIABLES[name].dims
    options = {}
    if chunk and _compressed(name, dims, values):
        options = {**COMPRESSION, "chunksizes": (min(chunk, SPIKE_CHUNK * 16),)}
    variable = nc.createVariable(name, dtype, dims, fill_value=False, **options)
    variable.setncatts(variable_attrs or attrs(name))
    return variable


def _compressed(name, dims, values=None):
    """Whether to store a variable compressed: spike, synapse and source variables and time
    (:data:`~voltage_to_wiring.core.variables.COMPRESSED`), unless a sample of their values
    shows zlib would not halve them (random indices: slow to compress for a small gain)."""
    if not (name in COMPRESSED or (dims and dims[0] in COMPRESSED_DIMS)):
        return False
    if values is None or values.size == 0:
        return values is None
    sample = np.ascontiguousarray(values[:SAMPLE])
    shuffled = sample.view(np.uint8).reshape(-1, sample.itemsize).T.tobytes()
    return len(zlib.compress(shuffled, 1)) <= 0.5 * len(shuffled)


def _encoding(ds):
    """No fill values; compressed where it pays (see :func:`_compressed`)."""
    encoding = {name: {"_FillValue": None} for name in ds.variables}
    for name, variable in ds.variables.items():
        if variable.size and _compressed(name, variable.dims, variable.values):
            chunk = min(variable.size, SPIKE_CHUNK * 16)
            encoding[name].update(COMPRESSION, chunksizes=(chunk,))
    return encoding


def global_attrs(params):
    """The dataset's global attributes (netCDF-safe: strings and numbers only)."""
    name, sources = params["experiment"], params["network"].get("sources")
    model = neuron_models.of(params["neuron"])
    return {
        "Conventions": CONVENTIONS,
        "title": f"voltage_to_wiring simulation '{name}': {params['n']} {model.title} neurons"
        + (f" and {sources['n']} Poisson spike sources" if sources else "")
        + f", {params['sim']['scheme']} scheme",
        "experiment": name,
        "scheme": params["sim"]["scheme"],
        "n_neurons": np.int64(params["n"]),
        "n_sources": np.int64((params["network"].get("sources") or {}).get("n", 0)),
        "dt": params["sim"]["dt"],
        "source": f"voltage_to_wiring {__version__}",
        "params_json": json.dumps(params, sort_keys=True, allow_nan=False),
    }


def write(ds, path):
    """Write a dataset to netCDF-4 (engine netcdf4) atomically."""
    with atomic_path(path, expected_bytes=ds.nbytes) as tmp:
        ds.to_netcdf(tmp, engine="netcdf4", format="NETCDF4", encoding=_encoding(ds))


def read(path, skip=()):
    """Read a dataset written by :func:`write`, fully into memory (the file is closed),
    without the variables named in ``skip`` (a reader that needs the voltage and the spike
    steps, not the spike times or the time axis, saves most of the decompression)."""
    with (
        netcdf_errors(path),
        _xarray().open_dataset(
            path, engine="netcdf4", decode_timedelta=False, drop_variables=list(skip)
        ) as ds,
    ):
        return ds.load()
