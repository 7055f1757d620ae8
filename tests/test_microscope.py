"""The simulated microscope (issue 30, item 5): indicator kinetics, exposure, shot and read
noise, bleaching, a camera's clock, the per-frame SNR as labs state it; its frames exported
in the NWB ophys layout and read back give the inference of the simulation imaged directly.

References: the step response of the kernel, written out; plain loops; the Poisson law
(mean = variance); the SNR equation solved by hand; the reader of lab files
(tests/test_imaging_files.py holds it to files written by pynwb directly).
"""

import json
import re

import numpy as np
import pytest
import yaml

from voltage_to_wiring import cli, config
from voltage_to_wiring.config.imaging import n_frames, resolve_imaging
from voltage_to_wiring.config.inference import resolve_inference, resolve_recording_inference
from voltage_to_wiring.data import dataset
from voltage_to_wiring.engine.driver import simulate
from voltage_to_wiring.errors import ConfigError
from voltage_to_wiring.inference import evaluate, microscope, output, recording_files
from voltage_to_wiring.inference.recording import Recording
from voltage_to_wiring.inference.run import infer
from voltage_to_wiring.model import build

from conftest import TEST_CONFIG, assert_bits_equal
from workflow import copy_workflow, planned_jobs, snakemake

DT = 1e-4
SPEC = {"neurons": [0], "trains": "top_rate", "per_type": 20, "unconnected": 20, "seed": 5}


def imaging(**given):
    return resolve_imaging(given, DT, 30.0)


def test_the_indicator_is_the_recurrence_of_its_docstring_bit_for_bit():
    rng = np.random.default_rng(5)
    v = -0.065 + 0.005 * rng.normal(size=5000)
    settings = imaging(rise="1 ms", decay="5 ms", sensitivity="-0.5 %/mV")
    u = v - np.median(v)
    rise, decay = 1e-3, 5e-3
    x = (decay * _low_pass(u, decay) - rise * _low_pass(u, rise)) / (decay - rise)
    assert_bits_equal(microscope.indicator(v, DT, settings), np.maximum(1 - 5.0 * x, 0.0))


def _low_pass(u, tau):
    """The recurrence ``L[n] = a L[n - 1] + (1 - a) u[n]``, in plain Python."""
    a, out, state = np.exp(-DT / tau), np.empty(len(u)), 0.0
    for n, value in enumerate(u.tolist()):
        state = a * state + (1 - a) * value
        out[n] = state
    return out


def test_a_step_in_the_membrane_potential_gives_the_kernels_step_response():
    """The unit-area kernel's step response ``1 - (decay e^-t/decay - rise e^-t/rise) /
    (decay - rise)``, written out, at the samples after the step (to within the
    discretisation: the exponential-Euler low-pass is the exact one a step later)."""
    v = np.r_[np.zeros(2000), np.full(2001, 0.01)]  # median 10 mV: the step is v - v_rest
    settings = imaging(rise="1 ms", decay="5 ms", sensitivity="10 /V")
    relative = microscope.indicator(v, DT, settings)
    x = (relative - 1) / 10.0  # V
    t = (np.arange(2001) + 1) * DT
    rise, decay = 1e-3, 5e-3
    kernel_step = 1 - (decay * np.exp(-t / decay) - rise * np.exp(-t / rise)) / (decay - rise)
    # before the step x settled at -10 mV; after it, -10 mV + 10 mV x the step response
    np.testing.assert_allclose(x[2000:], -0.01 + 0.01 * kernel_step, rtol=0, atol=1e-9)


def test_each_frame_is_the_mean_over_its_exposure():
    relative = np.linspace(1.0, 2.0, 30_000)
    settings = imaging(frame_rate="800 Hz", exposure="0.5 ms", bleaching="none")
    cam = microscope.camera(settings, 3.0, seed=1)
    mean, bleach = microscope.exposed(relative, DT, settings, cam)
    assert bleach == 1.0
    for k in (0, 17, len(mean) - 1):
        first = int(round(cam.starts[k] / DT))
        assert mean[k] == pytest.approx(np.mean(relative[first : first + 5]), rel=1e-12)


def test_photons_are_poisson_plus_read_noise_and_bleach():
    settings = imaging(photons=2000, read_noise=15, bleaching="100 s", frame_rate="1 kHz")
    cam = microscope.camera(settings, 30.0, seed=2)
    counts, _ = microscope.frames(np.zeros(300_000), DT, settings, cam, 2, 0, np.zeros(0))
    middle = cam.starts + settings["exposure"] / 2
    expected = 2000 * np.exp(-middle / 100)
    residual = counts - expected
    assert abs(residual.mean()) < 4 * np.sqrt(2000 / len(counts))  # unbiased
    variance = np.mean(residual**2 / (expected + 15**2))
    assert variance == pytest.approx(1.0, abs=0.04)  # Poisson: variance = mean, plus r^2


def test_a_per_frame_snr_sets_the_photons_by_the_snr_equation():
    k, snr, r = 0.04, 10.0, 12.0
    f0 = microscope.photons_for(snr, k, r)
    assert f0 * k / np.sqrt(f0 + r * r) == pytest.approx(snr, rel=1e-12)


def test_a_spikes_df_is_looked_for_from_the_frame_exposed_at_it():
    # a fast indicator's whole excursion lies in the frame that holds the spike
    settings = imaging(frame_rate="1 kHz", rise="0 ms", decay="0.1 ms", bleaching="none")
    cam = microscope.camera(settings, 1.0, seed=3)
    mean = np.ones(len(cam.starts))
    spikes = np.array([0.1005, 0.3002, 0.5009])  # each inside frames 100, 300, 500
    mean[[100, 300, 500]] = 1 - np.array([0.2, 0.3, 0.25])  # dims: sensitivity < 0
    mean[[101, 301, 501]] = 1.05  # the reset after each: brighter, not a spike's dF
    mean[[99, 299, 499]] = 0.5  # before each spike: not its dF either
    assert microscope.spike_amplitude(mean, settings, cam, spikes) == pytest.approx(0.25)


def test_the_camera_clock_jitters_and_drops_as_asked():
    settings = imaging(frame_rate="1 kHz", jitter="20 us", dropped=0.01)
    cam = microscope.camera(settings, 30.0, seed=3)
    n = n_frames(settings, 30.0)
    assert len(cam.starts) == n == 30_000  # the last exposure ends at 30 s
    deviation = cam.starts - np.arange(n) * 1e-3
    assert np.std(deviation) == pytest.approx(20e-6, rel=0.03)
    assert np.mean(~cam.kept) == pytest.approx(0.01, abs=0.002)
    assert cam.kept[0] and cam.kept[-1]


@pytest.mark.parametrize("n_trains", [5, 70_000])  # 16-bit train ids, and wider ones
def test_spikes_grouped_by_train_are_each_trains_in_time_order(n_trains):
    rng = np.random.default_rng(3)
    steps = np.sort(rng.integers(0, 10_000, 5_000))  # a simulation's spikes: in time order
    owners = rng.integers(0, n_trains, len(steps))
    recording = Recording("x", DT, {0: np.zeros(10_000)}, "V", steps, owners, n_trains)
    grouped = recording.spike_times()
    assert sorted(grouped) == list(range(n_trains))
    for j in set(owners.tolist()) | {0, n_trains - 1}:  # a plain loop's grouping
        expected = [s * DT for s, o in zip(steps.tolist(), owners.tolist(), strict=True) if o == j]
        assert grouped[j].tolist() == expected


@pytest.mark.parametrize(
    ("given", "message"),
    [
        ({"photons": 100, "snr": 5}, "give photons or snr, not both"),
        ({"frame_rate": "0.2 Hz"}, "a tenth of its 30 s at most"),
        ({"frame_rate": "100 kHz"}, "at least one step of the simulation"),
        ({"exposure": "2 ms"}, "must last from one simulation step (0.1 ms) to one frame (1 ms)"),
        ({"rise": "6 ms"}, "the rise must be faster than the decay"),
        ({"sensitivity": "0 /V"}, "an indicator of no sensitivity records nothing"),
        ({"sensitivity": "1 mV"}, "wrong dimension"),
        ({"jitter": "1 ms"}, "is not a camera's"),
        ({"dropped": 0.7}, "a fraction of the frames in [0, 0.5)"),
        ({"framerate": "1 kHz"}, "did you mean 'frame_rate'"),
    ],
)
def test_bad_imaging_settings_are_refused_naming_the_key(given, message):
    with pytest.raises(ConfigError, match=re_escape(message)):
        imaging(**given)


def re_escape(text):
    return re.escape(text)


@pytest.fixture(scope="module")
def simulated(tmp_path_factory, tests_config):
    folder = tmp_path_factory.mktemp("microscope")
    params = config.resolve(tests_config, "nto1_small")
    sim = build.simulation(params)
    result = simulate(sim, ["v"], [0])
    path = folder / "nto1_small.nc"
    dataset.write(dataset.build(params, result, sim.network, sim.sources.rate), path)
    return {"path": path, "ds": dataset.read(path), "params": params, "folder": folder}


@pytest.mark.slow
def test_an_imaged_simulation_states_its_snr_per_frame_and_finds_its_inputs(simulated):
    ds, params = simulated["ds"], simulated["params"]
    settings = resolve_inference({**SPEC, "imaging": {"frame_rate": "1 kHz", "snr": 8}}, params)
    recording = microscope.through(Recording.of_simulation(ds, params, [0]), settings)
    assert recording.dt == pytest.approx(1e-3, rel=1e-9) and recording.units == "dF/F"
    said = "\n".join(recording.assumed)
    assert "per-frame SNR 8\n" in said + "\n" and "negated (polarity: negative, as set)" in said
    # the SNR as labs measure it: the spike-triggered mean of the frames over the noise SD
    frames = recording.voltages[0]  # dF/F, negated: spikes up
    # the frame exposed at each spike (no jitter, 10 steps of 0.1 ms a frame): its dF from there
    own = ds["spike_step"].values[ds["spike_neuron"].values == 0] // 10
    own = own[(own > 50) & (own < len(frames) - 20)]
    peak = np.mean([frames[s : s + 10].max() - np.median(frames[s - 50 : s - 10]) for s in own])
    quiet = np.concatenate([frames[s - 50 : s - 20] for s in own])
    assert peak / np.std(quiet) == pytest.approx(8, rel=0.35)
    done = output.build("x", infer(recording, settings), recording, settings)
    assert evaluate.evaluation(done)["methods"]["kernel"]["auc"] > 0.85
    again = microscope.through(Recording.of_simulation(ds, params, [0]), settings)
    assert_bits_equal(again.voltages[0], recording.voltages[0], "same seed, same frames")


@pytest.mark.slow
def test_the_exported_frames_read_back_give_the_direct_inference_bit_for_bit(simulated):
    ds, params = simulated["ds"], simulated["params"]
    imaging_spec = {"frame_rate": "800 Hz", "photons": 3000, "jitter": "20 us", "dropped": 0.002}
    settings = resolve_inference({**SPEC, "imaging": imaging_spec}, params)
    direct = microscope.through(Recording.of_simulation(ds, params, [0]), settings)
    settings_file = simulated["folder"] / "settings.json"
    settings_file.write_text(json.dumps(settings))
    exported = simulated["folder"] / "imaged.nwb"
    command = ["export_nwb", "--dataset", str(simulated["path"]), "--output", str(exported)]
    assert cli.main([*command, "--inference", str(settings_file)]) == 0
    spec = {
        "name": "mine",
        "file": str(exported),
        "format": "nwb",
        "voltage": ["processing/ophys/Fluorescence/RoiResponseSeries"],
        "neuron": [0],
        "units": "all",
        "truth": True,
        "rois": "all",
        "polarity": "negative",
        "baseline": "auto",
    }
    read = recording_files.read(spec)
    assert read.dt == direct.dt and read.units == direct.units == "dF/F"
    assert_bits_equal(read.voltages[0], direct.voltages[0], "frames")
    assert_bits_equal(read.spike_step, direct.spike_step, "spikes")
    one = output.build("a", infer(direct, settings), direct, settings)
    as_file = resolve_recording_inference(SPEC, read)
    other = output.build("b", infer(read, as_file), read, as_file)
    for name in (v for v in one.data_vars if v not in ("seconds",)):
        assert_bits_equal(other[name].values, one[name].values, name)


@pytest.mark.workflow
def test_a_sweep_over_the_frame_rate_images_one_simulation(tmp_path):
    workdir = copy_workflow(tmp_path / "wf")
    base = yaml.safe_load(TEST_CONFIG.read_text())["experiments"]["nto1_small"]
    imaged = {**base, "inference": {**base["inference"], "imaging": {"frame_rate": "1 kHz"}}}
    sweep = {"base": "imaged", "grid": {"inference.imaging.frame_rate": ["500 Hz", "1 kHz"]}}
    (workdir / "mine.yaml").write_text(
        yaml.safe_dump({"experiments": {"imaged": imaged}, "sweeps": {"frames": sweep}})
    )
    jobs = planned_jobs(workdir, "frames", extra=("--configfile", "mine.yaml"))
    assert jobs["simulate"] == 1 and jobs["infer"] == 3  # the base, and its two points
    snakemake(workdir, "results/sweeps/frames.csv", "--cores", "2", "--configfile", "mine.yaml")
    table = (workdir / "results/sweeps/frames.csv").read_text()
    assert "500 Hz" in table and "1 kHz" in table
