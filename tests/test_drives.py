"""Random drives (Poisson input, white noise) and E/I populations, against the laws they obey."""

import numpy as np
import pytest

from voltage_to_wiring import config
from voltage_to_wiring.engine.driver import simulate
from voltage_to_wiring.errors import ConfigError
from voltage_to_wiring.model import build

from conftest import assert_bits_equal, make_config

Z = 4.0


def unconnected(n=200, duration="1 s", dt="0.1 ms", scheme="synchronous", **drive):
    """n neurons without synapses between them, driven only by ``drive``."""
    experiment = {
        "network": {"n": n, "connectivity": {"rule": "erdos_renyi", "p": 0.0}, "weight": "1 nS"},
        "sim": {"seed": 3, "duration": duration, "dt": dt, "scheme": scheme},
        "drive": drive,
    }
    return config.resolve(make_config({"x": experiment}), "x")


def test_poisson_input_arrives_at_its_rate():
    """Counts recovered from g: g[t] = g[t-1] + dt (-g[t-1] / tau) + count x weight."""
    params = unconnected(
        poisson={"inputs": 50, "rate": "8 Hz", "weight": "0.1 nS"}, current="-200 pA"
    )  # hyperpolarised: no spikes, g alone
    result = simulate(build.simulation(params), ["g"])
    g, dt, tau = result.traces["g"], params["sim"]["dt"], params["synapse"]["tau"]
    counts = (g[1:] - (g[:-1] + dt * (-g[:-1] / tau))) / 0.1e-9
    assert np.allclose(counts, np.round(counts), atol=1e-6)
    total = np.round(counts).sum()
    expected = 50 * 8 * (params["sim"]["n_samples"] - 1) * dt * params["n"]  # Poisson mean
    assert abs(total - expected) < Z * np.sqrt(expected)
    # each neuron's own count is Poisson too: its variance equals its mean
    per_neuron = np.round(counts).sum(axis=0)
    assert abs(per_neuron.var() / per_neuron.mean() - 1) < Z * np.sqrt(2 / params["n"])


def _v_std(dt):
    params = unconnected(
        n=400, duration="2 s", dt=dt, current="-20 pA", noise={"std": "50 pA", "tau": "1 ms"}
    )
    v = simulate(build.simulation(params), ["v"]).traces["v"]
    assert not np.any(v >= params["neuron"]["v_peak"])
    return v[len(v) // 2 :].std()  # the second second: stationary


def test_white_noise_is_scaled_so_that_v_does_not_depend_on_dt():
    """Halving dt doubles the draws per unit time; each must shrink by sqrt(2) for the
    membrane's variance to stay put. Unscaled noise would change v's std by sqrt(2)."""
    coarse, fine = _v_std("0.1 ms"), _v_std("0.05 ms")
    assert coarse > 0.5e-3  # the noise does move v (by more than half a millivolt)
    assert abs(coarse / fine - 1) < 0.05, (coarse, fine)


@pytest.mark.parametrize("chunk_steps", [1, 7, 333])
def test_random_drives_do_not_depend_on_chunk_size(chunk_steps):
    params = unconnected(
        n=50,
        duration="0.2 s",
        current="60 pA",
        poisson={"inputs": 20, "rate": "10 Hz", "weight": "0.5 nS"},
        noise={"std": "10 pA", "tau": "1 ms"},
    )
    whole = simulate(build.simulation(params), chunk_steps=params["sim"]["n_samples"])
    chunked = simulate(build.simulation(params), chunk_steps=chunk_steps)
    for x in ("v", "g", "I"):
        assert_bits_equal(chunked.traces[x], whole.traces[x], x)
    assert_bits_equal(chunked.spike_step, whole.spike_step, "spike_step")
    assert len(whole.spike_step) > 50


def test_a_simulation_run_twice_draws_the_same_random_drives():
    """Each run starts the Poisson, noise and spike-source streams afresh: a second run of
    the same Simulation object gives the bits of the first (it once drew where the first
    had stopped, and silently differed)."""
    experiment = {
        "network": {
            "n": 30,
            "connectivity": {"rule": "erdos_renyi", "p": 0.1},
            "weight": "1 nS",
            "sources": {"n": 20, "rate": "30 Hz"},
        },
        "sim": {"seed": 3, "duration": "0.3 s"},
        "drive": {
            "current": "40 pA",
            "poisson": {"inputs": 20, "rate": "10 Hz", "weight": "0.5 nS"},
            "noise": {"std": "10 pA", "tau": "1 ms"},
        },
    }
    params = config.resolve(make_config({"x": experiment}), "x")
    sim = build.simulation(params)
    first, second = simulate(sim, chunk_steps=700), simulate(sim, chunk_steps=1000)
    for x in ("v", "g", "I"):
        assert_bits_equal(second.traces[x], first.traces[x], x)
    assert_bits_equal(second.spike_neuron, first.spike_neuron, "spike_neuron")
    assert_bits_equal(second.spike_step, first.spike_step, "spike_step")
    assert np.sum(first.spike_neuron >= params["n"]) > 50  # the sources did spike


def test_random_drives_do_not_depend_on_the_scheme():
    """Without synapses between them the schemes agree but for the spike padding of v, so the
    same random input must reach both."""
    runs = [
        simulate(
            build.simulation(
                unconnected(
                    n=50,
                    duration="0.2 s",
                    scheme=scheme,
                    current="60 pA",
                    poisson={"inputs": 20, "rate": "10 Hz", "weight": "0.5 nS"},
                    noise={"std": "10 pA", "tau": "1 ms"},
                )
            )
        )
        for scheme in ("synchronous", "sequential")
    ]
    for x in ("g", "u"):
        assert_bits_equal(runs[1].traces[x], runs[0].traces[x], x)
    assert_bits_equal(runs[1].spike_step, runs[0].spike_step, "spike_step")


def ei_params(duration="2 s"):
    merged = config.load(config_path())
    merged["experiments"]["ei_network"]["sim"]["duration"] = duration
    return config.resolve(merged, "ei_network")


def config_path():
    from conftest import ROOT

    return ROOT / "config.yaml"


def test_the_ei_network_obeys_dales_law_with_two_conductances():
    params = ei_params()
    net = build.network(params)
    n_exc = params["network"]["populations"]["exc"]
    assert (n_exc, params["n"]) == (800, 1000)
    assert np.array_equal(net.type, (net.pre >= n_exc).astype(int))
    for kind in (0, 1):  # every neuron's outgoing synapses share its type
        pre = net.pre[net.type == kind]
        assert np.all((pre >= n_exc) == bool(kind))
    sim = build.simulation(params)
    assert sim.variables == ("v", "u", "g_exc", "g_inh", "I")
    assert sim.synapse.v_syn.tolist() == [0.0, -0.08]


def test_the_ei_network_is_asynchronous_and_irregular_at_1_to_20_hz():
    params = ei_params("4 s")
    result = simulate(build.simulation(params), ["v"], list(range(10)))
    n, seconds = params["n"], 4.0
    rates = np.bincount(result.spike_neuron, minlength=n) / seconds
    assert 1 <= rates.mean() <= 20, rates.mean()
    assert rates.max() < 100  # no runaway
    late = result.spike_step >= params["sim"]["n_samples"] // 2  # no dying out either
    assert late.sum() > 0.4 * len(result.spike_step)
    cvs = [
        np.std(d) / np.mean(d)
        for i in range(n)
        if len(d := np.diff(result.spike_step[result.spike_neuron == i])) > 4
    ]
    assert 0.7 < np.mean(cvs) < 1.5  # irregular (a Poisson process has CV 1)


EI = {
    "n": 10,
    "populations": {"exc": 8, "inh": 2},
    "connectivity": {"rule": "erdos_renyi", "p": 0.5},
    "weight": {"E->E": "1 nS", "E->I": "1 nS", "I->E": "4 nS", "I->I": "4 nS"},
}
EI_SYNAPSE = {"exc": {"v_syn": "0 mV", "tau": "5 ms"}, "inh": {"v_syn": "-80 mV", "tau": "10 ms"}}


@pytest.mark.parametrize(
    ("experiment", "message"),
    [
        (
            {"network": {**EI, "populations": {"exc": 0.8, "inh": 0.3}}, "synapse": EI_SYNAPSE},
            "key 'network.populations': fractions must lie in [0, 1] and add up to 1",
        ),
        (
            {"network": {**EI, "populations": {"exc": 8, "inh": 3}}, "synapse": EI_SYNAPSE},
            "key 'network.populations': counts must be >= 0 and add up to n = 10",
        ),
        (
            {"network": {**EI, "weight": {"E->E": "1 nS"}}, "synapse": EI_SYNAPSE},
            "key 'network.weight': an E/I network needs a weight for each of E->E, E->I,",
        ),
        (
            {"network": {**EI, "weight": {**EI["weight"], "I->E": "4 mV"}}, "synapse": EI_SYNAPSE},
            "key 'network.weight.I->E': '4 mV' has the wrong dimension",
        ),
        (
            {"network": EI, "synapse": {"exc": EI_SYNAPSE["exc"]}},
            "key 'synapse.inh': an E/I network needs {v_syn: ..., tau: ...}",
        ),
        (
            {
                "network": EI,
                "synapse": EI_SYNAPSE,
                "drive": {"poisson": {"inputs": 10, "rate": "5 Hz", "weight": "1 nS"}},
            },
            "key 'drive.poisson.type': must name the synapse type the input acts on",
        ),
        (
            {"network": EI, "synapse": EI_SYNAPSE, "drive": {"noise": {"std": "5 pA"}}},
            "key 'drive.noise': must be {std: 20 pA, tau: 1 ms}",
        ),
        (
            {"network": EI, "synapse": EI_SYNAPSE, "record": {"variables": ["g"]}},
            "key 'record.variables': cannot record 'g' (choose from v, u, g_exc, g_inh, I)",
        ),
    ],
)
def test_bad_ei_and_drive_settings_are_refused(experiment, message):
    experiment = {"sim": {"seed": 1}, **experiment}
    with pytest.raises(ConfigError) as err:
        config.resolve(make_config({"x": experiment}), "x")
    assert message in str(err.value) and "experiment 'x'" in str(err.value)


def small_ei(network, duration="0.5 s"):
    experiment = {
        "network": network,
        "synapse": {"delay": "1.5 ms", **EI_SYNAPSE},
        "sim": {"seed": 4, "duration": duration},
        "drive": {"poisson": {"inputs": 100, "rate": "20 Hz", "weight": "0.8 nS", "type": "exc"}},
        "record": {"variables": ["v", "g_exc", "g_inh"], "neurons": [0]},
    }
    return config.resolve(make_config({"x": experiment}), "x")


def test_an_edge_file_with_a_type_column_gives_the_same_ei_network(tmp_path):
    generated = small_ei(
        {
            **EI,
            "n": 200,
            "populations": {"exc": 160, "inh": 40},
            "connectivity": {"rule": "erdos_renyi", "p": 0.1},
            "weight": {"E->E": "1.5 nS", "E->I": "1.5 nS", "I->E": "15 nS", "I->I": "15 nS"},
        }
    )
    net = build.network(generated)
    path = tmp_path / "edges.csv"
    path.write_text(
        "pre,post,weight,type\n"
        + "".join(  # weights in S: exact through text
            f"{a},{b},{float(w)!r},{k}\n"
            for a, b, w, k in zip(net.pre, net.post, net.weight, net.type, strict=True)
        )
    )
    from_file = small_ei({"n": 200, "edges": {"file": str(path), "unit": "S"}})
    assert from_file["network"]["typed"] and "populations" not in from_file["network"]
    a, b = (simulate(build.simulation(p), ["g_inh"], [0, 199]) for p in (generated, from_file))
    assert len(a.spike_step) > 200
    assert_bits_equal(b.spike_step, a.spike_step, "spike_step")
    assert_bits_equal(b.traces["g_inh"], a.traces["g_inh"], "g_inh")


def test_an_edge_file_type_column_must_follow_dales_law(tmp_path):
    path = tmp_path / "edges.csv"
    path.write_text("pre,post,weight,type\n0,1,1,0\n9,1,1,0\n")  # 9 is inhibitory
    with pytest.raises(ConfigError, match="breaks Dale's law"):
        small_ei(
            {
                "n": 10,
                "populations": {"exc": 8, "inh": 2},
                "edges": {"file": str(path), "unit": "nS"},
            }
        )
    path.write_text("pre,post,weight,type\n0,1,1,2\n")
    with pytest.raises(ConfigError, match="'type' must be 0 .excitatory. or 1"):
        small_ei({"n": 10, "edges": {"file": str(path), "unit": "nS"}})
