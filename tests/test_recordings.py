"""A recording from arrays (the Python API): postsynaptic potentials planted after the spikes
of known trains, in arbitrary units, are found with their signs; without the truth the same
statistics and only the calls; no score where it is undefined; Benjamini-Hochberg q-values
against a plain transcription."""

import os
import re
from datetime import UTC

import numpy as np
import pytest

from voltage_to_wiring.config.inference import resolve_recording_inference
from voltage_to_wiring.config.recording import resolve_recording
from voltage_to_wiring.errors import ConfigError
from voltage_to_wiring.inference import evaluate
from voltage_to_wiring.inference.api import infer_inputs

from planted import RATE, planted

SETTINGS = {"shuffles": 50, "seed": 3}


@pytest.fixture(scope="module")
def recording():
    return planted()


@pytest.fixture(scope="module")
def with_truth(recording):
    y, trains, signs = recording
    return infer_inputs(y, RATE, trains, settings=SETTINGS, truth=signs, polarity="positive")


def test_planted_inputs_are_found_with_their_signs_in_arbitrary_units(recording, with_truth):
    _, _, signs = recording
    ds = with_truth
    assert ds["pre"].values.tolist() == list(range(len(signs)))  # every train, in order
    assert ds["true_type"].values.tolist() == signs.tolist()
    # arbitrary units: taken as fluorescence, its slow baseline divided out (dF/F), and said
    assert ds["sta"].attrs["units"] == "dF/F" and ds.attrs["voltage_units"] == "dF/F"
    assert "taken out as dF/F = (F - F0) / F0" in ds.attrs["assumed"]
    for method in ("sta", "matched"):
        one = ds.sel(inference_method=method)
        predicted = one["predicted"].values
        assert predicted[signs == 1].tolist() == [1] * 6, method
        assert predicted[signs == -1].tolist() == [-1] * 6, method
        assert np.sum(predicted[signs == 0] != 0) <= 3, method  # alpha 0.05 of 12
    scores = evaluate.evaluation(ds)["methods"]
    assert scores["matched"]["auc"] > 0.9 and scores["sta"]["auc"] > 0.9


def test_without_the_truth_the_same_statistics_and_only_the_calls(recording, with_truth):
    y, trains, _ = recording
    ds = infer_inputs(y, RATE, trains, settings=SETTINGS)
    assert "true_type" not in ds and "true_weight" not in ds
    for name in ("statistic", "p_value", "q_value", "predicted", "sta"):
        assert np.array_equal(ds[name].values, with_truth[name].values), name
    result = evaluate.evaluation(ds)
    assert result["truth"] is False and "chance" not in result
    for method, scores in result["methods"].items():
        assert "auc" not in scores and "precision" not in scores
        predicted = ds["predicted"].sel(inference_method=method).values
        assert scores["called_excitatory"] == int(np.sum(predicted == 1))
        assert scores["called_inhibitory"] == int(np.sum(predicted == -1))
        assert scores["pairs"] == {"tested": len(trains)}


def test_no_score_where_it_is_undefined():
    statistic = np.array([0.9, -0.5, 0.3])
    only_connected = evaluate.method_metrics(statistic, [1, -1, 0], [1, -1, 1])
    assert only_connected["auc"] is None and only_connected["auc_detection"] is None
    assert only_connected["tpr_at_fpr_0.05"] is None
    assert only_connected["recall"] == pytest.approx(2 / 3)  # still defined
    only_unconnected = evaluate.method_metrics(statistic, [0, 0, 0], [0, 0, 0])
    assert only_unconnected["auc"] is None and only_unconnected["max_f1"] is None
    assert evaluate.method_metrics(statistic, [0, 0, 0], [1, 0, 0])["auc_inh"] is None


def plain_bh(p):
    """Benjamini-Hochberg q-values as the paper defines them: q_(i) = min over j >= i of
    p_(j) m / j, capped at 1."""
    m = len(p)
    order = sorted(range(m), key=lambda i: p[i])
    q = [0.0] * m
    running = 1.0
    for rank in range(m, 0, -1):
        i = order[rank - 1]
        running = min(running, p[i] * m / rank)
        q[i] = running
    return q


def test_q_values_are_benjamini_hochberg(with_truth):
    for method in ("sta", "matched"):
        one = with_truth.sel(inference_method=method)
        expected = plain_bh(one["p_value"].values.tolist())
        assert one["q_value"].values == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"rate": 0}, "sampling rate"),
        ({"trains": []}, "no spike trains"),
        ({"trains": [[0.1, -0.2]]}, "no spike of any train falls within the voltage's 0.1 s"),
        ({"trains": [[0.1, np.nan]]}, "unit 0: spike times must be finite"),
        ({"voltage": [[1.0, 2.0]]}, "1-D array"),
        ({"voltage": [1.0, np.nan, 2.0]}, "NaN"),
        ({"truth": [1, 0]}, "2 signs for 1 trains"),
        ({"settings": {"snr": 10}}, "simulations only"),
        ({"settings": {"imaging": {"frame_rate": "1 kHz"}}}, "images simulations"),
        ({"settings": {"clip": "v_t"}}, "no model threshold"),
        ({"settings": {"unconnected": 5}}, "every train is tested"),
        ({"settings": {"window": "2 s"}}, "not shorter than the recording"),
    ],
)
def test_bad_arrays_and_settings_are_refused(kwargs, message):
    given = {"voltage": np.sin(np.arange(1000)), "rate": RATE, "trains": [[0.01, 0.02]], **kwargs}
    with pytest.raises(ConfigError, match=message):
        infer_inputs(**given)


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ({"file": "rec.txt"}, "an NWB (.nwb) or NPZ (.npz) file"),
        ({"file": "absent.nwb", "voltage": "v"}, "absent.nwb does not exist"),
        ({"file": "folder.nwb", "voltage": "v"}, "folder.nwb is a folder, not a file"),
        ({"file": "fifo.nwb", "voltage": "v"}, "fifo.nwb is not a regular file (a FIFO"),
        ({"file": "rec.nwb", "voltage": 3}, "name the voltage series of the NWB file"),
        ({"file": "rec.nwb", "rois": [1, 1]}, "a list of distinct ROI ids"),
        ({"file": "rec.nwb", "polarity": "down"}, "must be one of auto, positive, negative"),
        ({"file": "rec.nwb", "baseline": "2 mV"}, "wrong dimension"),
        ({"file": "rec.nwb", "baseline": "0 s"}, "must be auto, none or a window"),
        ({"file": "rec.npz", "voltage": "v"}, "its array 'voltage'"),
        ({"file": "rec.nwb", "voltage": "v", "units": [1, 1]}, "distinct unit ids"),
        ({"file": "rec.nwb", "voltage": "v", "truth": "yes"}, "true or false"),
        ({"file": "rec.nwb", "voltage": "v", "channel": 2}, "channel"),
    ],
)
def test_bad_recording_sections_are_refused(tmp_path, monkeypatch, spec, message):
    monkeypatch.chdir(tmp_path)
    for name in ("rec.txt", "rec.nwb", "rec.npz"):
        (tmp_path / name).write_bytes(b"")
    (tmp_path / "folder.nwb").mkdir()
    os.mkfifo(tmp_path / "fifo.nwb")
    with pytest.raises(ConfigError, match=re.escape(message)):
        resolve_recording(spec, "mine")


def test_a_sweep_over_a_recording_without_truth_plots_the_calls():
    """No AUC is drawn where there is none: the summary shows the trains called."""
    from voltage_to_wiring.plots import sweep

    table = [
        {
            "experiment": f"p{i}",
            "inference.duration": d,
            "inference.duration (SI)": float(d.split()[0]),
            "matched auc": None,
            "matched auc_detection": None,
            "matched called_excitatory": e,
            "matched called_inhibitory": n,
        }
        for i, (d, e, n) in enumerate([("10 s", 5, 3), ("30 s", 7, 8)])
    ]
    fig = sweep.summary("s", ["inference.duration"], table)
    axes = fig.get_axes()
    assert [ax.get_ylabel() for ax in axes] == [label for _, label, _ in sweep.CALLS]
    assert axes[0].get_lines()[0].get_ydata().tolist() == [5, 7]
    assert "no true wiring" in fig._suptitle.get_text()


def _npz(path, **changes):
    arrays = {
        "voltage": np.sin(np.arange(1000)),
        "rate": 1000.0,
        "spike_times": np.array([0.1, 0.2, 0.5]),
        "spike_units": np.array([3, 3, 4]),
        **changes,
    }
    np.savez(path, **arrays)


def _spec(path, **extra):
    fmt = "nwb" if str(path).endswith(".nwb") else "npz"
    voltage = ["ImagingVoltage"] if fmt == "nwb" else None
    spec = {"name": "mine", "file": str(path), "format": fmt, "voltage": voltage}
    return {**spec, "neuron": None, "units": "all", "truth": False, **extra}


def _irregular_nwb(path):
    from datetime import datetime

    from pynwb import NWBHDF5IO, NWBFile, TimeSeries

    nwb = NWBFile(session_description="x", identifier="x", session_start_time=datetime.now(UTC))
    stamps = np.cumsum(np.random.default_rng(1).uniform(5e-4, 1.5e-3, 200))  # no clock
    nwb.add_acquisition(
        TimeSeries(
            name="ImagingVoltage", data=np.sin(np.arange(200)), unit="a.u.", timestamps=stamps
        )
    )
    nwb.add_unit(spike_times=[0.01], id=0)
    with NWBHDF5IO(str(path), "w") as io:
        io.write(nwb)


@pytest.mark.parametrize(
    ("make", "extra", "message"),
    [
        (lambda p: p.with_suffix(".nwb").write_text("not HDF5"), {}, "cannot be read as NWB"),
        (lambda p: _irregular_nwb(p.with_suffix(".nwb")), {}, "are not one clock's frames"),
        (lambda p: _npz(p, voltage=np.r_[np.zeros(999), np.nan]), {}, "NaN"),
        (
            lambda p: _npz(p, spike_times=np.array([-0.1, -0.2, 1.5])),
            {},
            "no spike of any train falls within the voltage's 1 s",
        ),
        (lambda p: _npz(p, spike_times=np.zeros(0), spike_units=np.zeros(0)), {}, "no spike"),
        (lambda p: _npz(p), {"units": [9]}, "no spikes of units [9]"),
        (
            lambda p: _npz(p, truth_pre=np.array([9]), truth_type=np.array([1])),
            {"truth": True},
            "truth_pre names units without spikes: [9]",
        ),
    ],
)
def test_bad_recordings_are_refused_when_their_facts_are_read(tmp_path, make, extra, message):
    """What the workflow's plan reads before any job (recording_files.facts)."""
    from voltage_to_wiring.inference import recording_files

    path = tmp_path / "rec.npz"
    made = make(path)
    if (tmp_path / "rec.nwb").exists():
        path = tmp_path / "rec.nwb"
    del made
    with pytest.raises(ConfigError, match=re.escape(message)):
        recording_files.facts(_spec(path, **extra))


def test_a_bad_recording_stops_the_plan_naming_the_experiment(tmp_path, monkeypatch):
    from voltage_to_wiring import config
    from voltage_to_wiring.inference import recording_files

    monkeypatch.chdir(tmp_path)
    _npz(tmp_path / "rec.npz", voltage=np.r_[np.zeros(999), np.inf])
    whole = {"experiments": {"mine": {"recording": {"file": "rec.npz"}}}}
    with pytest.raises(ConfigError, match="experiment 'mine'.*rec.npz.*NaN or infinite"):
        config.plan(whole, recording_facts=recording_files.facts)


def test_q_values_are_scipys_benjamini_hochberg():
    from scipy.stats import false_discovery_control

    from voltage_to_wiring.inference.output import q_values

    rng = np.random.default_rng(4)
    cases = [
        rng.random(300),
        np.round(rng.random(200), 2),  # ties
        (rng.integers(0, 101, 150) + 1) / 101,  # permutation p-values, up to 1
        np.array([0.03]),
        np.ones(5),
    ]
    for p in cases:
        assert np.allclose(q_values(p), false_discovery_control(p), rtol=1e-15, atol=0)


@pytest.mark.parametrize("flat", ["constant", "clipped flat"])
def test_a_flat_voltage_is_refused_not_a_singular_matrix(recording, flat):
    # Issue 21 (17): a constant or clipped-flat voltage crashed with LinAlgError.
    y, trains, _ = recording
    settings = {**SETTINGS, "methods": ["sta", "matched", "kernel"]}
    if flat == "constant":  # refused as it comes in, as a recording file's is (before any job)
        voltage, said = np.full_like(y, 0.25), "argument 'voltage' is constant (0.25 over"
    else:  # a fifth of the samples at 0, the rest above: clipped at the 10th percentile, 0
        voltage = np.where(np.arange(len(y)) % 5 == 0, 0.0, 1.0 + np.abs(y))
        settings["clip"] = {"percentile": 10}
        said = "the voltage of neuron 0 is constant after clipping (0 over"
    with pytest.raises(ConfigError, match=re.escape(said)):
        infer_inputs(voltage, RATE, trains, settings=settings, baseline="none")


def test_trains_with_too_few_spikes_and_a_quiet_neuron_are_warned_of(recording, with_truth):
    # Issue 21 (5): a recorded neuron with 2 spikes in 3 minutes passed without a word.
    from voltage_to_wiring.inference import from_arrays
    from voltage_to_wiring.inference.caveats import caveats
    from voltage_to_wiring.inference.pairs import SpikeIndex, choose

    y, trains, _ = recording
    assert with_truth.attrs["warnings"] == ""  # 4 Hz trains over 60 s: nothing to say
    sparse = [*trains[:-2], trains[-2][:3], trains[-1][:9]]
    done = infer_inputs(
        y, RATE, sparse, settings={**SETTINGS, "methods": ["sta"]}, polarity="positive"
    )
    said = done.attrs["warnings"]
    assert "neuron 0: 2 of the 24 tested trains have fewer than 10 spikes in the 60 s" in said
    # the recorded neuron's own train known (as in a simulation), with 2 spikes in 60 s
    quiet = from_arrays.recording("quiet", y, RATE, [*trains, [1.0, 30.0]])
    settings = resolve_recording_inference({"seed": 1, "trains": "all"}, quiet)
    spikes = SpikeIndex(quiet, len(y))
    pairs = choose(quiet, settings, 0, spikes)
    counts = np.array([len(t) for t in pairs.trains])
    own = len(trains)  # the last train is the neuron's own
    said = caveats(pairs, counts, spikes, own, settings)
    assert any("neuron 0 fired 2 spikes in the 60 s analysed (0.033 Hz)" in s for s in said)
    assert not any("fired" in s for s in caveats(pairs, counts, spikes, 0, settings))
