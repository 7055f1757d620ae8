"""The light netCDF view the fast steps read against xarray, the readers' reference: the same
variables, values, dtypes and attributes, and the same figures, pixel for pixel."""

import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg

from voltage_to_wiring import config
from voltage_to_wiring.data import dataset, view
from voltage_to_wiring.inference import output
from voltage_to_wiring.inference.recording import Recording
from voltage_to_wiring.inference.run import infer
from voltage_to_wiring.plots import draw
from voltage_to_wiring.plots.registry import available, names

from conftest import EI_EXPERIMENT, make_config, simulated

# Both synapse types, spike sources, every variable recorded: every kind of variable a
# simulation dataset has; with an inference of two neurons' inputs.
EXPERIMENT = {
    **EI_EXPERIMENT,  # conftest's E/I network, with spike sources, 2 s, every variable
    "sim": {"duration": "2 s", "seed": 5},
    "network": {
        **EI_EXPERIMENT["network"],
        "n": 40,
        "populations": {"exc": 32, "inh": 8},
        "sources": {"n": 30, "populations": {"exc": 0.8, "inh": 0.2}, "rate": "15 Hz"},
    },
    "record": {"variables": ["v", "u", "I", "g_exc", "g_inh"], "neurons": [0, 1, 33]},
    "inference": {"neurons": [0, 33], "trains": "inputs", "unconnected": 5, "shuffles": 10},
}


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("view")
    params, built = simulated(EXPERIMENT, "ei")
    simulation = folder / "ei.nc"
    dataset.write(built, simulation)
    settings = config.resolve_inference_settings(make_config({"ei": EXPERIMENT}), "ei", params)
    ds = dataset.read(simulation)
    inferred = folder / "ei_inference.nc"
    recording = Recording.of_simulation(ds, params, settings["neurons"])
    dataset.write(output.build("ei", infer(recording, settings), recording, settings), inferred)
    return {"simulation": simulation, "inference": inferred, "params": params}


@pytest.mark.parametrize("kind", ["simulation", "inference"])
def test_the_view_reads_what_xarray_reads(files, kind):
    reference, light = dataset.read(files[kind]), view.open_view(files[kind])
    assert set(light.variables) == set(reference.variables)
    assert light.sizes == dict(reference.sizes)
    assert set(light.data_vars) == set(reference.data_vars)
    assert plain(light.attrs) == plain(reference.attrs)
    for name, expected in reference.variables.items():
        got = light[name]
        assert got.dims == expected.dims, name
        assert got.values.dtype == expected.values.dtype, name
        np.testing.assert_array_equal(got.values, expected.values, err_msg=name)
        assert plain(got.attrs) == plain(expected.attrs), name


def test_selections_by_value_and_position_agree_with_xarray(files):
    sim, light = dataset.read(files["simulation"]), view.open_view(files["simulation"])
    np.testing.assert_array_equal(light["v"].sel(neuron=33).values, sim["v"].sel(neuron=33).values)
    inferred = dataset.read(files["inference"])
    lighter = view.open_view(files["inference"])
    one, expected = (
        lighter.sel(inference_method="matched"),
        inferred.sel(inference_method="matched"),
    )
    assert float(one["seconds"]) == float(expected["seconds"])
    np.testing.assert_array_equal(one["statistic"].values, expected["statistic"].values)
    pair, expected = lighter.isel(pair=3), inferred.isel(pair=3)
    assert pair.sizes == dict(expected.sizes)
    np.testing.assert_array_equal(pair["sta"].values, expected["sta"].values)
    with pytest.raises(KeyError, match="not a value of coordinate 'neuron'"):
        light["v"].sel(neuron=2)


def test_the_view_reads_a_variable_only_when_it_is_used(files, tmp_path):
    # the file is read again for each variable: one replaced after opening the view shows
    # which variables were read before
    path = tmp_path / "ei.nc"
    path.write_bytes(files["simulation"].read_bytes())
    light = view.open_view(path)
    before = light["synapse_pre"].values.copy()
    assert set(light.data_vars) >= {"v", "spike_step", "synapse_pre"}  # names, not values
    sim = dataset.read(files["simulation"])
    changed = sim.assign(v=sim["v"] + 1.0, synapse_pre=sim["synapse_pre"] * 0)
    path.unlink()
    dataset.write(changed, path)
    np.testing.assert_array_equal(light["synapse_pre"].values, before)  # kept from before
    np.testing.assert_array_equal(light["v"].values, sim["v"].values + 1.0)  # read now
    np.testing.assert_array_equal(
        light.sel(neuron=33)["v"].values, sim["v"].sel(neuron=33).values + 1.0
    )


def test_every_figure_is_the_same_pixels_from_either_reader(files):
    params = files["params"]
    experiment_figures = available(params)
    assert len(experiment_figures) >= 5
    pairs = [(f, draw.function(f), "simulation") for f in experiment_figures]
    pairs += [(f, draw.function(f), "inference") for f in names("inference")]
    for figure, function, kind in pairs:
        expected = pixels(function(dataset.read(files[kind])))
        assert np.array_equal(pixels(function(view.open_view(files[kind]))), expected), figure


def pixels(fig):
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    return np.asarray(canvas.buffer_rgba()).copy()


def plain(attrs):
    return {k: np.asarray(v).tolist() for k, v in attrs.items()}
