"""Voltage imaging as labs record and store it (issue 30, reading): the NWB ophys layout, camera
clocks, an indicator that dims with depolarisation, bleaching, (frames x ROIs) data, icephys
int16, trains longer than the voltage, obs_intervals. Files written with pynwb directly
(tests/imaged.py, tests/planted.py) from a simulation whose wiring is known: from
``recording: {file, voltage: NAME, units: all}`` and nothing else the planted inputs are
found with their signs, and what was assumed is said.
"""

import json
import subprocess
import sys
from datetime import UTC, datetime

import numpy as np
import pytest
from imaged import image, write_imaged_nwb

from voltage_to_wiring import config
from voltage_to_wiring.config.inference import resolve_recording_inference
from voltage_to_wiring.engine.driver import simulate
from voltage_to_wiring.errors import ConfigError
from voltage_to_wiring.inference import clocks, evaluate, output, recording_files, surrogates
from voltage_to_wiring.inference.run import infer
from voltage_to_wiring.model import build

from workflow import copy_workflow, snakemake

SETTINGS = {"trains": "top_rate", "per_type": 20, "unconnected": 20, "seed": 5, "shuffles": 100}
KINDS = {0: "excitatory", 1: "inhibitory"}


@pytest.fixture(scope="module")
def simulated(tests_config):
    """The tests' N-to-1 neuron (300 sources, 30 s): its v, spikes and wiring."""
    params = config.resolve(tests_config, "nto1_small")
    sim = build.simulation(params)
    result = simulate(sim, ["v"], [0])
    dt = params["sim"]["dt"]
    net = sim.network
    step, neuron = result.spike_step, result.spike_neuron
    return {
        "dt": dt,
        "v": result.traces["v"][:, 0],
        "spikes": {int(i): step[neuron == i] * dt for i in np.unique(neuron)},
        "truth": [
            (int(p), int(q), KINDS[int(c)])
            for p, q, c in zip(net.pre, net.post, net.type, strict=False)
        ],
        "signs": {int(p): 1 - 2 * int(c) for p, c in zip(net.pre, net.type, strict=False)},
    }


def spec(path, **extra):
    base = {"name": "mine", "file": str(path), "format": "nwb", "voltage": None, "neuron": None}
    reading = {"units": "all", "truth": True, "rois": "all", "polarity": "auto"}
    return {**base, **reading, "baseline": "auto", **extra}


def inferred(recording):
    settings = resolve_recording_inference(SETTINGS, recording)
    return output.build("mine", infer(recording, settings), recording, settings)


def assert_found_with_signs(ds, method="kernel"):
    """The method separates the inputs from the rest (AUC over 0.9), calls most of the
    tested inputs, and calls none with the wrong sign."""
    scores = evaluate.evaluation(ds)["methods"][method]
    assert scores["auc"] > 0.9, scores
    one = ds.sel(inference_method=method)
    truth, called = one["true_type"].values, one["predicted"].values
    assert np.sum(called[truth != 0] == truth[truth != 0]) >= 0.8 * np.sum(truth != 0)
    assert not np.any(called[truth != 0] == -truth[truth != 0])  # no sign flipped


def session(simulated, start=5.0):
    """The units on the session's clock (which covers the whole simulation)."""
    return {u: t + start for u, t in simulated["spikes"].items()}


@pytest.mark.slow
def test_an_ophys_file_of_a_dimming_indicator_with_a_camera_clock_and_bleaching(
    simulated, tmp_path
):
    # imaged from 4 s to 26 s of the 30 s: the trains run before and after the imaging
    imaged = image(simulated["v"], simulated["dt"], span=(4.0, 26.0))
    path = tmp_path / "imaged.nwb"
    write_imaged_nwb(path, imaged, session(simulated), simulated["truth"])
    recording = recording_files.read(spec(path, neuron=[0]))
    assert recording.dt == pytest.approx(1 / 800, rel=1e-6) and recording.units == "dF/F"
    said = "\n".join(recording.assumed)
    assert "3 dropped frame(s) in 2 gap(s) filled by linear interpolation" in said
    assert "negated: it falls with depolarisation" in said
    assert "photobleaching" in said and "taken out as dF/F" in said
    assert "before its first sample" in said and "are not tested" in said
    assert any("was negated" in w for w in recording.warnings)
    ds = inferred(recording)
    assert_found_with_signs(ds)
    assert ds.attrs["assumed"] == said


@pytest.mark.slow
def test_the_same_trace_read_as_positive_flips_every_sign(simulated, tmp_path):
    """The reference for the sign: telling the reader the wrong polarity calls the same
    inputs with the other sign."""
    imaged = image(simulated["v"], simulated["dt"], span=(4.0, 26.0))
    path = tmp_path / "imaged.nwb"
    write_imaged_nwb(path, imaged, session(simulated), simulated["truth"])
    ds = inferred(recording_files.read(spec(path, neuron=[0], polarity="positive")))
    one = ds.sel(inference_method="kernel")
    truth, called = one["true_type"].values, one["predicted"].values
    wrong = np.sum(called[truth != 0] == -truth[truth != 0])
    right = np.sum(called[truth != 0] == truth[truth != 0])
    assert wrong >= 10 * max(right, 1), (wrong, right)


@pytest.mark.slow
def test_frames_of_several_rois_are_several_neurons_chosen_by_id(simulated, tmp_path):
    from pynwb import NWBHDF5IO, NWBFile

    from planted import add_ophys

    imaged = image(simulated["v"], simulated["dt"], sign=1, dropped=(), span=(0.0, 30.0))
    other = image(simulated["v"], simulated["dt"], sign=1, dropped=(), span=(0.0, 30.0), seed=2)
    nwb = NWBFile(
        session_description="two ROIs",
        identifier="rois",
        session_start_time=datetime(2026, 1, 1, tzinfo=UTC),
    )
    data = np.stack([imaged.fluorescence, np.flip(other.fluorescence)], axis=1)
    series = add_ophys(nwb, data, 800.0, container="DfOverF", timestamps=imaged.timestamps)
    for unit, times in sorted(session(simulated).items()):
        nwb.add_unit(spike_times=times, id=unit)
    path = tmp_path / "rois.nwb"
    with NWBHDF5IO(str(path), "w") as io:
        io.write(nwb)
    assert series.rois.table.id[:] == [0, 1]
    two = recording_files.read(spec(path, truth=False, voltage=["RoiResponseSeries"]))
    assert two.neurons == [0, 1] and len(two.voltages[0]) == len(imaged.fluorescence)
    one = recording_files.read(spec(path, truth=False, rois=[0]))
    assert one.neurons == [0]
    np.testing.assert_array_equal(one.voltages[0], two.voltages[0])
    with pytest.raises(ConfigError, match=r"has no ROIs with ids \[7\] \(its ROIs: \[0, 1\]\)"):
        recording_files.read(spec(path, truth=False, rois=[7]))


@pytest.mark.slow
def test_an_icephys_int16_series_with_a_conversion_is_read_in_volts(simulated, tmp_path):
    from pynwb import NWBHDF5IO, NWBFile
    from pynwb.icephys import CurrentClampSeries

    nwb = NWBFile(
        session_description="patch clamp",
        identifier="patch",
        session_start_time=datetime(2026, 1, 1, tzinfo=UTC),
    )
    device = nwb.create_device(name="Amplifier")
    electrode = nwb.create_icephys_electrode(name="e0", description="patch", device=device)
    v = simulated["v"]
    counts = np.round(v / 1e-5).astype(np.int16)  # 10 uV per count, the amplifier's
    nwb.add_acquisition(
        CurrentClampSeries(
            name="Vm",
            data=counts,
            electrode=electrode,
            rate=1 / simulated["dt"],
            starting_time=5.0,
            conversion=1e-5,
            unit="volts",
            gain=1.0,
        )
    )
    for unit, times in sorted(session(simulated).items()):
        nwb.add_unit(spike_times=times, id=unit)
    from hdmf.common import DynamicTable, VectorData

    module = nwb.create_processing_module("ground_truth", "the true wiring")
    columns = [
        VectorData(name=n, description=n, data=[r[k] for r in simulated["truth"]])
        for k, n in enumerate(("pre", "post", "type"))
    ]
    module.add(DynamicTable(name="synapses", description="synapses", columns=columns))
    path = tmp_path / "patch.nwb"
    with NWBHDF5IO(str(path), "w") as io:
        io.write(nwb)
    recording = recording_files.read(spec(path, neuron=[0]))
    assert recording.units == "V"
    np.testing.assert_array_equal(recording.voltages[0], counts * 1e-5)  # the file's own rule
    assert not any("negated" in s or "dF/F" in s for s in recording.assumed)
    assert_found_with_signs(inferred(recording))


def test_a_clip_in_mv_works_on_a_recording_in_mv():
    from voltage_to_wiring.inference import from_arrays

    from planted import RATE, planted

    y, trains, _ = planted(seconds=5, n_exc=2, n_inh=2, n_other=2)
    recording = from_arrays.recording("mv", -65 + y, RATE, trains, units="mV")
    assert recording.units == "V"
    np.testing.assert_array_equal(recording.voltages[0], (-65 + y) * 1e-3)
    settings = resolve_recording_inference({"clip": "-63 mV"}, recording)
    assert settings["clip"] == {"level": pytest.approx(-0.063)}


@pytest.mark.slow
def test_obs_intervals_bound_a_units_spikes_and_its_surrogates(simulated, tmp_path):
    imaged = image(simulated["v"], simulated["dt"], span=(0.0, 30.0))
    units = session(simulated)
    observed = {1: [[5.0, 12.0], [20.0, 25.0]], 2: [[0.0, 1e3]]}  # session clock
    for unit, spans in observed.items():  # a sorter gives spikes in the observed time only
        keep = np.zeros(len(units[unit]), bool)
        for a, b in spans:
            keep |= (units[unit] >= a) & (units[unit] <= b)
        units[unit] = units[unit][keep]
    path = tmp_path / "intervals.nwb"
    write_imaged_nwb(path, imaged, units, simulated["truth"], intervals=observed)
    recording = recording_files.read(spec(path, neuron=[0]))
    j = int(np.flatnonzero(recording.ids == 1)[0])
    segments = recording.observed[j]
    dt = recording.dt
    np.testing.assert_array_equal(segments, np.round((np.array(observed[1]) - 5.0) / dt) + [0, 1])
    assert int(np.flatnonzero(recording.ids == 2)[0]) not in recording.observed  # all of it
    steps = recording.spike_step[recording.spike_train == j]
    null = surrogates.surrogates(np.sort(steps), 50, 1, 0, 1, {"kind": "isi_shuffle"}, segments)
    inside = np.zeros(null.shape, bool)
    for a, b in segments:
        inside |= (null >= a) & (null < b)
    assert inside.all() and null.shape == (50, len(steps))
    jittered = surrogates.surrogates(
        np.sort(steps), 50, 1, 0, 1, {"kind": "jitter", "steps": 80}, segments
    )
    inside = np.zeros(jittered.shape, bool)
    for a, b in segments:
        inside |= (jittered >= a) & (jittered < b)
    assert inside.all()
    assert "units 1 are observed in part of the voltage only" in "\n".join(recording.assumed)
    assert_found_with_signs(inferred(recording))


def test_a_camera_clock_is_recovered_and_a_clockless_one_refused():
    rng = np.random.default_rng(3)
    slots = np.setdiff1d(np.arange(100_000), [10, 11, 12, 5000])
    stamps = 7.0 + slots * 1.0 / 1234.5 * (1 + 3e-5) + rng.normal(0, 30e-6, len(slots))
    grid = clocks.grid(stamps, "camera")
    assert grid.dt == pytest.approx(1 / 1234.5 * (1 + 3e-5), rel=1e-7)  # a drifting clock
    assert grid.slots.tolist() == slots.tolist() and grid.n_slots == 100_000
    assert "4 dropped frame(s) in 2 gap(s)" in grid.said[0]
    filled = grid.placed(np.arange(len(slots), dtype=float))
    assert filled[10:13].tolist() == pytest.approx([9.25, 9.5, 9.75])
    with pytest.raises(ConfigError, match="are not one clock's frames"):
        clocks.grid(np.cumsum(rng.uniform(0.5e-3, 1.5e-3, 1000)), "camera")


@pytest.mark.workflow
@pytest.mark.slow
def test_the_pipeline_reads_an_ophys_file_from_its_name_alone(simulated, tmp_path):
    workdir = copy_workflow(tmp_path / "wf")
    imaged = image(simulated["v"], simulated["dt"], span=(4.0, 26.0))
    write_imaged_nwb(workdir / "imaged.nwb", imaged, session(simulated), simulated["truth"])
    (workdir / "mine.yaml").write_text(
        "experiments:\n  mine:\n    recording: {file: imaged.nwb, voltage: RoiResponseSeries,"
        " units: all, truth: true}\n    inference: {seed: 5, methods: [kernel, matched],"
        " trains: top_rate, per_type: 20, unconnected: 20}\n"
    )
    done = subprocess.run(
        [sys.executable, "-m", "voltage_to_wiring", "check_config", "mine.yaml"],
        cwd=workdir,
        capture_output=True,
        text=True,
    )
    assert "imaged.nwb: series 'processing/ophys/Fluorescence/RoiResponseSeries'" in done.stdout
    assert "negated: it falls with depolarisation" in done.stdout
    snakemake(workdir, "results/evaluation/mine.json", "--cores", "2", "--configfile", "mine.yaml")
    scores = json.loads((workdir / "results/evaluation/mine.json").read_text())
    assert scores["methods"]["kernel"]["auc"] > 0.9
    record = json.loads((workdir / "results/provenance/inference/mine.nc.json").read_text())
    assert any("dF/F" in s for s in record["assumed"])
