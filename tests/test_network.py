"""Network generators and random drives, checked against the statistical laws they follow.

Every draw is seeded, so each test is deterministic; the bounds are z = 4 intervals of the
law the generator must follow (a wrong generator fails them, a right one passes by a margin).
"""

import numpy as np
import pytest

from voltage_to_wiring import config, rng
from voltage_to_wiring.errors import ConfigError
from voltage_to_wiring.model import build
from voltage_to_wiring.model.generators import erdos_renyi, fixed_indegree
from voltage_to_wiring.model.weights import lognormal

from conftest import make_config

Z = 4.0


def generated(connectivity, n=2000, weight="0.1 nS", seed=7, **sim):
    experiment = {
        "network": {"n": n, "connectivity": connectivity, "weight": weight},
        "sim": {"seed": seed, **sim},
    }
    params = config.resolve(make_config({"net": experiment}), "net")
    return build.network(params), params


@pytest.mark.parametrize("allow_multiple", [False, True])
def test_fixed_indegree_gives_every_neuron_exactly_k_inputs(allow_multiple):
    net, _ = generated({"rule": "fixed_indegree", "k": 50, "allow_multiple": allow_multiple})
    assert np.all(np.bincount(net.post, minlength=net.n) == 50)
    assert not np.any(net.pre == net.post), "self-connections are off by default"
    pairs = net.pre * net.n + net.post
    repeats = len(pairs) - len(np.unique(pairs))
    if allow_multiple:
        # sources uniform with replacement: repeats per neuron ~ k (k - 1) / (2 (n - 1))
        expected = net.n * 50 * 49 / (2 * (net.n - 1))
        assert abs(repeats - expected) < Z * np.sqrt(expected)
    else:
        assert repeats == 0
    # out-degrees of uniform sources: mean k, variance ~ k (1 - 1/(n-1))
    out = np.bincount(net.pre, minlength=net.n)
    assert abs(out.mean() - 50) < 1e-9 and abs(out.var() - 50) < Z * 50 * np.sqrt(2 / net.n)


def test_self_connections_when_allowed():
    net, _ = generated(
        {"rule": "fixed_indegree", "k": 100, "allow_self": True, "allow_multiple": True}, n=200
    )
    # each of the n k sources is the target itself with probability 1/n
    assert abs(np.sum(net.pre == net.post) - 100) < Z * 10


def test_erdos_renyi_edge_count_is_binomial():
    n, p = 2000, 0.05
    net, _ = generated({"rule": "erdos_renyi", "p": p}, n=n)
    pairs = n * (n - 1)
    assert abs(net.n_synapses - pairs * p) < Z * np.sqrt(pairs * p * (1 - p))
    assert not np.any(net.pre == net.post)
    assert len(np.unique(net.pre * n + net.post)) == net.n_synapses
    indegree = np.bincount(net.post, minlength=n)
    assert abs(indegree.var() - (n - 1) * p * (1 - p)) < Z * indegree.var() * np.sqrt(2 / n)


def test_same_seed_same_network_and_another_seed_another():
    spec = {"rule": "erdos_renyi", "p": 0.1}
    first, _ = generated(spec, n=300)
    again, _ = generated(spec, n=300)
    other, _ = generated(spec, n=300, seed=8)
    assert np.array_equal(first.pre, again.pre) and np.array_equal(first.post, again.post)
    assert not np.array_equal(first.post[:100], other.post[:100])


def test_lognormal_have_the_asked_mean_and_spread():
    net, params = generated(
        {"rule": "fixed_indegree", "k": 100}, weight={"mean": "0.5 nS", "std": "0.25 nS"}, n=5000
    )
    w = net.weight
    assert params["network"]["weight"] == {"mean": 0.5e-9, "std": 0.25e-9}
    assert abs(w.mean() - 0.5e-9) < Z * 0.25e-9 / np.sqrt(len(w))
    # the sample std of a log-normal: loose bound from its kurtosis (sigma^2 = ln 1.25)
    assert abs(w.std() - 0.25e-9) < 0.01 * 0.25e-9 * Z
    assert np.all(w > 0)


def test_generators_alone():
    g = np.random.default_rng(3)
    pre, post = fixed_indegree(10, 9, g)
    assert sorted(zip(pre.tolist(), post.tolist(), strict=True)) == [
        (i, j) for i in range(10) for j in range(10) if i != j
    ]  # k = n - 1: all pairs
    pre, post = erdos_renyi(10, 1.0, g)
    assert len(pre) == 90 and not np.any(pre == post)
    assert len(erdos_renyi(10, 0.0, g)[0]) == 0
    w = lognormal(1.0, 0.1, 10, g)
    assert w.shape == (10,)


def test_uniform_drive_is_drawn_per_neuron_within_its_bounds():
    experiment = {
        "network": {"n": 4000, "connectivity": {"rule": "erdos_renyi", "p": 0.0}, "weight": "1 nS"},
        "drive": {"current": {"uniform": ["30 pA", "70 pA"]}},
        "sim": {"seed": 2},
    }
    params = config.resolve(make_config({"x": experiment}), "x")
    current = build.simulation(params).I_ext
    assert current.min() >= 30e-12 and current.max() <= 70e-12
    assert abs(current.mean() - 50e-12) < Z * (40e-12 / np.sqrt(12)) / np.sqrt(4000)
    # the drive has its own stream: it does not change when the network's rule does
    experiment["network"]["connectivity"] = {"rule": "fixed_indegree", "k": 3}
    params = config.resolve(make_config({"x": experiment}), "x")
    assert np.array_equal(build.simulation(params).I_ext, current)


def test_streams_differ_by_purpose():
    a = rng.generator(1, "connectivity").random(5)
    b = rng.generator(1, "drive").random(5)
    assert not np.array_equal(a, b)


@pytest.mark.parametrize(
    ("network", "sim", "message"),
    [
        (
            {"n": 10, "connectivity": {"rule": "fixed_indegree", "k": 3}, "weight": "1 nS"},
            {},
            "key 'sim.seed': this experiment draws random numbers: set an integer seed",
        ),
        (
            {"n": 10, "connectivity": {"rule": "fixed_indegree", "k": 10}, "weight": "1 nS"},
            {"seed": 1},
            "key 'network.connectivity.k': an in-degree of 10 needs 10 distinct",
        ),
        (
            {"n": 10, "connectivity": {"rule": "erdos_renyi", "p": 1.5}, "weight": "1 nS"},
            {"seed": 1},
            "key 'network.connectivity.p': must be a probability in [0, 1]",
        ),
        (
            {"n": 10, "connectivity": {"rule": "small_world"}, "weight": "1 nS"},
            {"seed": 1},
            "key 'network.connectivity': needs a rule, one of fixed_indegree, erdos_renyi",
        ),
        (
            {
                "n": 10,
                "connectivity": {"rule": "erdos_renyi", "p": 0.1, "allow_multiple": True},
                "weight": "1 nS",
            },
            {"seed": 1},
            "key 'network.connectivity.allow_multiple': unknown key",
        ),
        (
            {"n": 10, "connectivity": {"rule": "erdos_renyi", "p": 0.1}},
            {"seed": 1},
            "key 'network.weight': a generated network needs a weight",
        ),
        (
            {
                "n": 10,
                "connectivity": {"rule": "erdos_renyi", "p": 0.1},
                "weight": "1 nS",
                "edges": {"file": "x.csv", "unit": "nS"},
            },
            {"seed": 1},
            "key 'network': give exactly one of",
        ),
    ],
)
def test_bad_generator_settings_are_refused(network, sim, message):
    with pytest.raises(ConfigError) as err:
        config.resolve(make_config({"x": {"network": network, "sim": sim}}), "x")
    assert message in str(err.value) and "experiment 'x'" in str(err.value)


def test_csr_rows_are_sorted_by_target_keeping_the_edge_lists_order_per_target():
    from voltage_to_wiring.model.network import Network

    # two synapses 2 -> 1 with different weights, listed after 2 -> 3: their order must stay
    pre, post = [2, 0, 2, 2, 0, 1], [3, 2, 1, 1, 1, 0]
    weight = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0]
    indptr, csr_post, csr_weight, _ = Network.from_edges(4, pre, post, weight).csr()
    rows = [
        list(zip(csr_post[a:b].tolist(), csr_weight[a:b].tolist(), strict=True))
        for a, b in zip(indptr[:-1], indptr[1:], strict=True)
    ]
    assert rows == [[(1, 5.0), (2, 2.0)], [(0, 6.0)], [(1, 3.0), (1, 4.0), (3, 1.0)], []]
