"""Statistics against cases whose answers are known in closed form."""

import numpy as np
import xarray as xr

from voltage_to_wiring.analysis import stats


def spikes_dataset(steps, neurons, n, n_samples=10_000, dt=1e-4, pre=(), post=()):
    return xr.Dataset(
        {
            "spike_step": ("spike", np.asarray(steps, dtype=np.int64)),
            "spike_neuron": ("spike", np.asarray(neurons, dtype=np.int64)),
            "synapse_pre": ("synapse", np.asarray(pre, dtype=np.int64)),
            "synapse_post": ("synapse", np.asarray(post, dtype=np.int64)),
        },
        coords={"time": np.arange(n_samples) * dt},
        attrs={"n_neurons": n, "dt": dt, "experiment": "x"},
    )


def test_regular_spiking_has_its_rate_and_no_irregularity():
    # neuron 0 every 100 steps (100 Hz at dt = 0.1 ms), neuron 1 every 250 (40 Hz), 2 silent
    steps = np.r_[np.arange(0, 10_000, 100), np.arange(0, 10_000, 250)]
    neurons = np.r_[np.zeros(100), np.ones(40)]
    order = np.argsort(steps, kind="stable")
    ds = spikes_dataset(steps[order], neurons[order], n=3)
    result = stats.summary(ds, {"network": {}})
    assert result["duration_s"] == 1.0 and result["n_spikes"] == 140
    assert result["mean_rate_hz"] == (100 + 40 + 0) / 3
    assert result["fraction_silent"] == 1 / 3
    assert result["cv_isi_mean"] == 0.0 and result["cv_isi_neurons"] == 2


def test_poisson_spiking_has_cv_one_and_low_synchrony():
    rng = np.random.default_rng(0)
    n, samples = 400, 100_000  # 10 s at 0.1 ms
    spikes = rng.random((samples, n)) < 10 * 1e-4  # 10 Hz Bernoulli ~ Poisson
    steps, neurons = np.nonzero(spikes)
    ds = spikes_dataset(steps, neurons, n, n_samples=samples)
    result = stats.summary(ds, {"network": {}})
    assert abs(result["mean_rate_hz"] - 10) < 4 * np.sqrt(10 / (n * 10))
    assert abs(result["cv_isi_mean"] - 1) < 0.05
    # independent neurons: chi ~ 1/sqrt(N) = 0.05
    assert 0.5 / np.sqrt(n) < result["synchrony_chi"] < 2 / np.sqrt(n)


def test_fully_synchronous_spiking_has_chi_one():
    n = 50
    steps = np.repeat(np.arange(0, 10_000, 500), n)
    neurons = np.tile(np.arange(n), 20)
    ds = spikes_dataset(steps, neurons, n)
    assert abs(stats.synchrony_chi(ds) - 1) < 1e-12


def test_degrees_of_the_wiring():
    ds = spikes_dataset([], [], n=3, pre=[0, 0, 1], post=[1, 2, 2])
    degrees = stats.degrees(ds)
    assert degrees["in"]["mean"] == 1.0 and degrees["in"]["max"] == 2.0
    assert degrees["out"]["min"] == 0.0 and degrees["out"]["max"] == 2.0
