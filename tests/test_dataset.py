"""The dataset contract and its netCDF round trip."""

import json

import netCDF4
import numpy as np
import pytest
import xarray as xr

from voltage_to_wiring import config
from voltage_to_wiring.data import dataset
from voltage_to_wiring.engine.driver import run, simulate
from voltage_to_wiring.errors import SimulationError
from voltage_to_wiring.model import build

from conftest import SEED_SPIKES, assert_bits_equal, make_config, spikes_per_neuron


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
    # indices in int32 (they fit): half the bytes of int64
    for name in ("spike_step", "spike_neuron", "synapse_pre", "synapse_post"):
        assert ds[name].dtype == np.int32, name
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


def test_chunk_by_chunk_writer_gives_the_same_file_contents(seed_params, tmp_path):
    """The streaming writer (used by the simulate step) against build + write: same values,
    dims, units and attributes, for the sequential scheme (whose chunks hold back a sample
    that a spike may rewrite) cut into chunks of 7 samples."""
    sim = build.simulation(seed_params)
    whole = tmp_path / "whole.nc"
    dataset.write(seed_dataset(seed_params), whole)
    streamed = tmp_path / "streamed.nc"
    chunks = run(sim, chunk_steps=7)
    n = dataset.write_chunks(streamed, seed_params, sim.network, [0, 1, 2], chunks)
    assert n == sum(map(len, SEED_SPIKES)) == 11
    a, b = dataset.read(whole), dataset.read(streamed)
    xr.testing.assert_identical(a, b)
    assert list(a.data_vars) == list(b.data_vars)  # traces first, as users see them
    for name in a.variables:
        assert_bits_equal(a[name].values, b[name].values, name)
    assert not list(tmp_path.glob(".*tmp"))


def test_chunk_by_chunk_writer_with_spike_sources_and_both_synapse_types(tmp_path):
    """The same for an E/I network with spike sources: their coordinate, rates and types, the
    synapse types and the flag attributes."""
    experiment = {
        "sim": {"duration": "0.2 s", "seed": 4},
        "network": {
            "n": 20,
            "populations": {"exc": 16, "inh": 4},
            "sources": {"n": 10, "populations": {"exc": 0.8, "inh": 0.2}, "rate": "20 Hz"},
            "connectivity": {"rule": "erdos_renyi", "p": 0.3},
            "weight": {"E->E": "1 nS", "E->I": "1 nS", "I->E": "4 nS", "I->I": "4 nS"},
        },
        "synapse": {
            "delay": "1 ms",
            "exc": {"v_syn": "0 mV", "tau": "5 ms"},
            "inh": {"v_syn": "-80 mV", "tau": "10 ms"},
        },
        "drive": {"current": "80 pA"},
        "record": {"variables": ["v", "g_exc", "g_inh"], "neurons": [0, 17]},
    }
    params = config.resolve(make_config({"ei": experiment}), "ei")
    sim = build.simulation(params)  # a Simulation's random drives run once: one each
    whole, streamed = tmp_path / "whole.nc", tmp_path / "streamed.nc"
    result = simulate(sim, ["v", "g_exc", "g_inh"], [0, 17])
    dataset.write(dataset.build(params, result, sim.network, sim.sources.rate), whole)
    sim = build.simulation(params)
    chunks = run(sim, ["v", "g_exc", "g_inh"], [0, 17], chunk_steps=50)
    dataset.write_chunks(
        streamed, params, sim.network, [0, 17], chunks, source_rate=sim.sources.rate
    )
    a, b = dataset.read(whole), dataset.read(streamed)
    xr.testing.assert_identical(a, b)
    assert {"source", "source_rate", "source_type", "synapse_type"} <= set(b.variables)
    assert list(a.data_vars) == list(b.data_vars)
    for name in a.variables:
        assert_bits_equal(a[name].values, b[name].values, name)


def test_chunk_by_chunk_writer_leaves_nothing_when_the_run_fails(seed_params, tmp_path):
    sim = build.simulation(seed_params)

    def failing():
        yield from run(sim, chunk_steps=100)
        raise SimulationError("the run stopped")

    path = tmp_path / "seed.nc"
    with pytest.raises(SimulationError, match="the run stopped"):
        dataset.write_chunks(path, seed_params, sim.network, [0, 1, 2], failing())
    assert list(tmp_path.iterdir()) == []
