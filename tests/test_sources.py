"""Poisson spike sources: drawn at their rates, wired like neurons, recorded in the dataset."""

import numpy as np
import pytest

from voltage_to_wiring import config
from voltage_to_wiring.data import dataset
from voltage_to_wiring.engine.driver import run, simulate
from voltage_to_wiring.errors import ConfigError
from voltage_to_wiring.model import build

from conftest import assert_bits_equal, make_config

Z = 4.0
SYNAPSE = {
    "delay": "2 ms",
    "exc": {"v_syn": "0 mV", "tau": "7 ms"},
    "inh": {"v_syn": "-80 mV", "tau": "7 ms"},
}


def n_to_1(n_sources=400, duration="20 s", rate=None, **extra):
    experiment = {
        "sim": {"duration": duration, "seed": 5},
        "network": {
            "n": 1,
            "populations": {"exc": 1, "inh": 0},
            "sources": {
                "n": n_sources,
                "populations": {"exc": 0.75, "inh": 0.25},
                "rate": rate or {"mean": "4 Hz", "std": "3.647 Hz"},
            },
            "connectivity": {"rule": "fixed_indegree", "k": n_sources},
            "weight": {"E->E": "0.15 nS", "I->E": "0.6 nS"},
        },
        "synapse": SYNAPSE,
        "record": {"variables": ["v", "g_exc", "g_inh"], "neurons": [0]},
        **extra,
    }
    return config.resolve(make_config({"x": experiment}), "x")


def test_sources_spike_at_their_rates():
    """Each source's count is Poisson(rate T): sum of (count - rT)^2 / rT is chi-square with
    one degree of freedom per source (mean S, sd sqrt(2 S))."""
    params = n_to_1(n_sources=2000, duration="50 s")
    sim = build.simulation(params)
    result = simulate(sim, [], [])
    counts = np.bincount(result.spike_neuron, minlength=2001)[1:]
    expected = sim.sources.rate * 50.0
    chi2 = np.sum((counts - expected) ** 2 / expected)
    assert abs(chi2 - 2000) < Z * np.sqrt(2 * 2000)
    # the log-normal rates have the asked mean and the variance of their log is 0.6
    rates = sim.sources.rate
    assert abs(rates.mean() - 4.0) < Z * 3.647 / np.sqrt(2000)
    assert abs(np.log(rates).var() - 0.6) < Z * 0.6 * np.sqrt(2 / 2000)
    # spikes are sorted by (step, neuron), sources after the neuron
    order = np.lexsort((result.spike_neuron, result.spike_step))
    assert np.array_equal(order, np.arange(len(order)))


def test_a_source_spike_reaches_the_neuron_after_the_delay_with_its_weight():
    params = n_to_1(n_sources=20, duration="2 s", rate="5 Hz")
    sim = build.simulation(params)
    result = simulate(sim, ["g_exc", "g_inh"], [0])
    dt, tau, delay = params["sim"]["dt"], 7e-3, params["synapse"]["delay_steps"]
    for name, code, weight in (("g_exc", 0, 0.15e-9), ("g_inh", 1, 0.6e-9)):
        g = result.traces[name][:, 0]
        jumps = (g[1:] - (g[:-1] + dt * (-g[:-1] / tau))) / weight
        arrived = np.round(jumps).astype(int)
        assert np.allclose(jumps, arrived, atol=1e-6)
        types = sim.network.type[sim.network.pre.argsort()]
        sources = 1 + np.flatnonzero(types == code)
        sent = np.isin(result.spike_neuron, sources)
        expected = np.bincount(result.spike_step[sent] + delay, minlength=len(g))[1 : len(g)]
        assert np.array_equal(arrived, expected), name


def test_sources_do_not_depend_on_the_chunk_size():
    params = n_to_1(n_sources=300, duration="3 s")
    whole = simulate(build.simulation(params), ["v"], [0])
    for chunk in (1, 777, 12_345):
        chunked = simulate(build.simulation(params), ["v"], [0], chunk_steps=chunk)
        assert_bits_equal(chunked.spike_step, whole.spike_step, "spike_step")
        assert_bits_equal(chunked.spike_neuron, whole.spike_neuron, "spike_neuron")
        assert_bits_equal(chunked.traces["v"], whole.traces["v"], "v")


def test_the_dataset_tells_sources_from_neurons(tmp_path):
    params = n_to_1(n_sources=50, duration="1 s")
    sim = build.simulation(params)
    path = tmp_path / "x.nc"
    variables = params["record"]["variables"]
    n_spikes = dataset.write_chunks(
        path,
        params,
        sim.network,
        [0],
        run(sim, variables, [0], chunk_steps=999),
        source_rate=sim.sources.rate,
    )
    ds = dataset.read(path)
    assert ds.attrs["n_neurons"] == 1 and ds.attrs["n_sources"] == 50
    assert ds["source"].values.tolist() == list(range(1, 51))
    assert ds["source_rate"].attrs["units"] == "Hz"
    assert_bits_equal(ds["source_rate"].values, sim.sources.rate, "source_rate")
    assert ds["source_type"].values.tolist() == [0] * 38 + [1] * 12  # 0.75 of 50, rounded
    assert ds.sizes["spike"] == n_spikes and ds["spike_neuron"].values.max() <= 50
    assert np.array_equal(ds["synapse_pre"].values, np.arange(1, 51))
    # the same file as the in-memory writer gives
    whole = tmp_path / "whole.nc"
    result = simulate(build.simulation(params), variables, [0])
    dataset.write(dataset.build(params, result, sim.network, sim.sources.rate), whole)
    a, b = dataset.read(path), dataset.read(whole)
    assert set(a.variables) == set(b.variables)
    for name in a.variables:
        assert_bits_equal(a[name].values, b[name].values, name)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            {"sim": {"duration": "1 s", "seed": 1, "scheme": "sequential"}},
            "key 'sim.scheme': spike sources (network.sources) need the synchronous scheme",
        ),
        (
            {"sources": {"n": 10, "rate": "5 Hz"}},
            "key 'network.sources.populations': give the sources 'populations' exactly when",
        ),
        (
            {"sources": {"n": 10, "rate": "5 mV", "populations": {"exc": 5, "inh": 5}}},
            "key 'network.sources.rate': '5 mV' has the wrong dimension",
        ),
        (
            {"sources": {"n": 10, "rate": {"mean": "5 Hz"}, "populations": {"exc": 5, "inh": 5}}},
            "key 'network.sources.rate': log-normal rates need 'mean' and 'std'",
        ),
        (
            {"weight": {"E->E": "1 nS", "I->E": "1 nS", "E->I": "1 nS"}},
            "key 'network.weight': this network has no E->I connections",
        ),
    ],
)
def test_bad_sources_are_refused(change, message):
    experiment = {
        "sim": {"duration": "1 s", "seed": 1},
        "network": {
            "n": 1,
            "populations": {"exc": 1, "inh": 0},
            "sources": {"n": 10, "rate": "5 Hz", "populations": {"exc": 5, "inh": 5}},
            "connectivity": {"rule": "fixed_indegree", "k": 10},
            "weight": {"E->E": "1 nS", "I->E": "1 nS"},
        },
        "synapse": SYNAPSE,
    }
    for key, value in change.items():
        (experiment if key == "sim" else experiment["network"])[key] = value
    with pytest.raises(ConfigError) as err:
        config.resolve(make_config({"x": experiment}), "x")
    assert message in str(err.value) and "experiment 'x'" in str(err.value)
