"""The dataset contract and its netCDF round trip."""

import json

import netCDF4
import numpy as np
import xarray as xr

from voltage_to_wiring import build, dataset
from voltage_to_wiring.engine import simulate

from conftest import SEED_SPIKES, assert_bits_equal, spikes_per_neuron


def seed_dataset(params):
    sim = build.simulation(params)
    return dataset.build(params, simulate(sim), sim.network)


def test_layout_names_dims_and_units(seed_params):
    ds = seed_dataset(seed_params)
    assert dict(ds.sizes) == {"time": 3000, "neuron": 3, "spike": 11, "synapse": 3}
    units = {name: ds[name].attrs["units"] for name in ds.variables}
    assert units == {
        "time": "s",
        "neuron": "1",
        "v": "V",
        "u": "A",
        "g": "S",
        "I": "A",
        "spike_step": "1",
        "spike_neuron": "1",
        "spike_time": "s",
        "synapse_pre": "1",
        "synapse_post": "1",
        "synapse_weight": "S",
    }
    assert all(ds[name].attrs["long_name"] for name in ds.variables)
    assert ds["spike_step"].dtype == np.int64 and ds["spike_neuron"].dtype == np.int64
    # time is step * dt; spikes are sorted by (step, neuron)
    assert_bits_equal(ds["time"].values, np.arange(3000) * 1e-4, "time")
    order = np.lexsort((ds["spike_neuron"].values, ds["spike_step"].values))
    assert np.array_equal(order, np.arange(ds.sizes["spike"]))
    assert spikes_per_neuron(ds["spike_step"], ds["spike_neuron"], 3) == SEED_SPIKES
    # the true wiring: 0 -> 1 (12 nS), 1 -> 2 (0.8 x 12 nS), 2 -> 0 (12 nS)
    assert ds["synapse_pre"].values.tolist() == [0, 1, 2]
    assert ds["synapse_post"].values.tolist() == [1, 2, 0]
    np.testing.assert_allclose(ds["synapse_weight"].values, [12e-9, 9.6e-9, 12e-9], rtol=1e-15)
    assert ds.attrs["Conventions"].startswith("CF-")
    assert ds.attrs["experiment"] == "seed" and ds.attrs["scheme"] == "sequential"
    assert ds.attrs["n_neurons"] == 3
    assert json.loads(ds.attrs["params_json"]) == seed_params


def test_netcdf_round_trip_is_bit_identical(seed_params, tmp_path):
    ds = seed_dataset(seed_params)
    path = tmp_path / "seed.nc"
    dataset.write(ds, path)
    assert not list(tmp_path.glob(".*tmp")), "the temporary file must be renamed away"
    with netCDF4.Dataset(path) as raw:  # a real netCDF-4 file, readable without xarray
        assert raw.data_model == "NETCDF4"
        assert raw.variables["v"].units == "V"
    back = dataset.read(path)
    assert set(back.variables) == set(ds.variables)
    for name in ds.variables:
        assert back[name].dims == ds[name].dims, name
        assert back[name].attrs == ds[name].attrs, name
        assert_bits_equal(back[name].values, ds[name].values, name)
    assert back.attrs == ds.attrs
    assert dataset.params_of(back) == seed_params


def test_a_plain_xarray_user_gets_seconds_as_floats(seed_params, tmp_path):
    path = tmp_path / "seed.nc"
    dataset.write(seed_dataset(seed_params), path)
    with xr.open_dataset(path) as ds:
        assert ds["time"].dtype == np.float64
        assert ds["spike_time"].dtype == np.float64
        assert float(ds["v"].sel(neuron=0).isel(time=203)) == -0.05  # reset to c at a spike


def test_written_files_get_normal_permissions(seed_params, tmp_path):
    import os

    path = tmp_path / "seed.nc"
    dataset.write(seed_dataset(seed_params), path)
    mask = os.umask(0)
    os.umask(mask)
    assert path.stat().st_mode & 0o777 == 0o666 & ~mask
