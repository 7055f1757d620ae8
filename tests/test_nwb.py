"""NWB out and in: a simulation exported as NWB holds its spikes, traces and wiring (read back
with pynwb itself) and passes nwbinspector; inferred as a recording it gives the simulation's
inference bit for bit; recordings written with pynwb directly, and as NPZ, go through the
pipeline and their planted inputs are found with the right sign."""

import json

import numpy as np
import pynwb
import pytest

from voltage_to_wiring import config
from voltage_to_wiring.config.inference import resolve_inference, resolve_recording_inference
from voltage_to_wiring.data import dataset, nwb
from voltage_to_wiring.engine.driver import simulate
from voltage_to_wiring.inference import output, recording_files
from voltage_to_wiring.inference.recording import Recording
from voltage_to_wiring.inference.run import infer
from voltage_to_wiring.model import build

from conftest import assert_bits_equal
from planted import planted, write_npz, write_nwb
from workflow import copy_workflow, snakemake

# The round trip's settings: the tests' N-to-1 inference with its seed given (a recording
# has no simulation seed to default to).
SPEC = {"neurons": [0], "trains": "top_rate", "per_type": 20, "unconnected": 20, "seed": 5}


@pytest.fixture(scope="module")
def exported(tmp_path_factory, tests_config):
    folder = tmp_path_factory.mktemp("nwb")
    params = config.resolve(tests_config, "nto1_small")
    sim = build.simulation(params)
    result = simulate(sim, params["record"]["variables"], params["record"]["neurons"])
    path = folder / "nto1_small.nc"
    dataset.write(dataset.build(params, result, sim.network, sim.sources.rate), path)
    ds = dataset.read(path)
    file = folder / "nto1_small.nwb"
    nwb.write(ds, file, {"git_commit": "test", "params_hash": "abc"})
    return {"ds": ds, "params": params, "file": file}


def test_the_nwb_file_holds_the_simulation(exported):
    ds, params = exported["ds"], exported["params"]
    dt = params["sim"]["dt"]
    with pynwb.NWBHDF5IO(str(exported["file"]), "r") as io:
        f = io.read()
        n = 1 + 300
        assert np.array_equal(f.units.id[:], np.arange(n))
        assert f.units.resolution == dt
        step, neuron = ds["spike_step"].values, ds["spike_neuron"].values
        for i in (0, 1, 150, 300):
            expected = np.sort(step[neuron == i]) * dt
            assert_bits_equal(f.units.get_unit_spike_times(i), expected, f"unit {i}")
        assert list(f.units["kind"][:2]) == ["neuron", "source"]
        assert f.units["population"][0] == "exc" and f.units["population"][300] == "inh"
        assert np.isnan(f.units["source_rate"][0])
        assert f.units["source_rate"][1] == pytest.approx(float(ds["source_rate"].values[0]))
        v = f.acquisition["v_neuron_0"]
        assert v.unit == "volts" and v.rate == 1 / dt and v.starting_time == 0.0
        assert_bits_equal(v.data[:], ds["v"].sel(neuron=0).values, "v")
        synapses = f.processing["ground_truth"]["synapses"]
        assert_bits_equal(synapses["pre"].data[:], ds["synapse_pre"].values.astype(np.int64))
        assert_bits_equal(synapses["post"].data[:], ds["synapse_post"].values.astype(np.int64))
        assert_bits_equal(synapses["weight"].data[:], ds["synapse_weight"].values)
        kinds = {0: "excitatory", 1: "inhibitory"}
        assert list(synapses["type"].data[:]) == [
            kinds[c] for c in ds["synapse_type"].values.tolist()
        ]
        assert synapses["delay"].data[0] == params["synapse"]["delay"]
        assert json.loads(f.notes) == json.loads(ds.attrs["params_json"])
        assert json.loads(f.data_collection)["git_commit"] == "test"


def test_nwbinspector_finds_no_critical_issue(exported):
    from nwbinspector import Importance, inspect_nwbfile

    messages = [m for m in inspect_nwbfile(nwbfile_path=str(exported["file"])) if m is not None]
    serious = [m for m in messages if m.importance in (Importance.CRITICAL, Importance.ERROR)]
    assert not serious, [f"{m.check_function_name}: {m.message}" for m in serious]


def test_the_round_trip_gives_the_simulations_inference_bit_for_bit(exported):
    ds, params = exported["ds"], exported["params"]
    simulated = Recording.of_simulation(ds, params, [0])
    settings = resolve_inference(SPEC, params)  # as the pipeline resolves a simulation's
    spec = {
        "name": "nto1_small",
        "file": str(exported["file"]),
        "format": "nwb",
        "voltage": ["v_neuron_0"],
        "neuron": [0],
        "units": "all",
        "truth": True,
    }
    recorded = recording_files.read(spec)
    assert recorded.dt == simulated.dt
    as_recording = resolve_recording_inference(SPEC, recorded)
    one = output.build("a", infer(simulated, settings), simulated, settings)
    other = output.build("b", infer(recorded, as_recording), recorded, as_recording)
    for name in (v for v in one.data_vars if v != "seconds"):  # all but computing times
        assert_bits_equal(other[name].values, one[name].values, name)
    assert (one["pre"].values == -1).sum() == 20  # every source is an input: 20 generated


def test_the_generated_trains_are_saved_and_reproduce_their_sta(exported):
    """A generated unconnected train, stored nowhere before, is in the inference dataset:
    its STA recomputed from the saved spike times is the one tested."""
    ds, params = exported["ds"], exported["params"]
    recording = Recording.of_simulation(ds, params, [0])
    settings = resolve_recording_inference({**SPEC, "clip": "none"}, recording)
    out = output.build("a", infer(recording, settings), recording, settings)
    dt, window = params["sim"]["dt"], settings["window"]["steps"]
    v = ds["v"].sel(neuron=0).values
    for pair in np.flatnonzero(out["pre"].values == -1)[:3]:
        mine = out["generated_spike_pair"].values == pair
        steps = np.round(out["generated_spike_time"].values[mine] / dt).astype(int)
        steps = steps[steps + window <= len(v)]
        sta = np.mean([v[s : s + window] for s in steps], axis=0)
        assert int(out["pre_spikes"].values[pair]) == len(steps)
        np.testing.assert_allclose(out["sta"].values[pair], sta, rtol=0, atol=1e-15)


RECORDINGS = """
experiments:
  mine:                    # an experimenter's NWB file, no truth
    recording: {file: planted.nwb, voltage: ImagingVoltage}
    inference: {shuffles: 50, seed: 3}
  mine_npz:                # the same as NPZ, with its truth
    recording: {file: planted.npz, truth: true}
    inference: {shuffles: 50, seed: 3}
  mine_two:                # two recorded neurons (the second trace is the first negated)
    recording: {file: planted.nwb, voltage: [ImagingVoltage, ImagingVoltageFlipped]}
    inference: {shuffles: 50, seed: 3, methods: [matched]}
"""


@pytest.mark.workflow
def test_recordings_go_through_the_pipeline(tmp_path):
    y, trains, signs = planted()
    workdir = copy_workflow(tmp_path / "wf")
    write_nwb(workdir / "planted.nwb", y, trains)
    write_npz(workdir / "planted.npz", y, trains, signs)
    (workdir / "mine.yaml").write_text(RECORDINGS)
    targets = [
        "results/evaluation/mine.json",
        "results/evaluation/mine_npz.json",
        "results/figures/mine/sta.png",
        "results/figures/mine_npz/roc.png",
        "results/inference/mine_two.nc",
    ]
    snakemake(workdir, *targets, "--cores", "2", "--configfile", "mine.yaml")
    for name in ("mine", "mine_npz"):
        ds = dataset.read(workdir / f"results/inference/{name}.nc")
        assert ds["pre"].values.tolist() == list(range(100, 100 + len(trains)))
        assert ds.attrs["voltage_units"] == "dF/F"  # a.u.: fluorescence, its baseline out
        assert "unit 'a.u.'" in ds.attrs["assumed"] or name == "mine_npz"
        matched = ds["predicted"].sel(inference_method="matched").values
        assert matched[signs == 1].tolist() == [1] * 6 and matched[signs == -1].tolist() == [-1] * 6
    two = dataset.read(workdir / "results/inference/mine_two.nc")
    assert two["post"].values.tolist() == [0] * len(trains) + [1] * len(trains)
    calls = two["predicted"].sel(inference_method="matched").values.reshape(2, -1)
    assert calls[0][signs != 0].tolist() == signs[signs != 0].tolist()
    assert calls[1][signs != 0].tolist() == (-signs[signs != 0]).tolist()
    blind = json.loads((workdir / "results/evaluation/mine.json").read_text())
    assert "auc" not in blind["methods"]["matched"] and blind["truth"] is False
    assert blind["methods"]["matched"]["called_excitatory"] >= 6
    scored = json.loads((workdir / "results/evaluation/mine_npz.json").read_text())
    assert scored["methods"]["matched"]["auc"] > 0.9
    record = json.loads((workdir / "results/provenance/inference/mine.nc.json").read_text())
    assert "planted.nwb" in json.dumps(record["inputs"])
    # the ROC needs the truth: refused for the NWB recording without it, before any job
    done = snakemake(
        workdir, "results/figures/mine/roc.png", "-n", "--configfile", "mine.yaml", check=False
    )
    assert done.returncode != 0 and "no true wiring" in done.stdout + done.stderr
