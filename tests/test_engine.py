"""The engine against the notebook's printed result, plain-Python references and itself."""

import numpy as np
import pytest

from voltage_to_wiring import config
from voltage_to_wiring.engine.driver import simulate
from voltage_to_wiring.engine.simulation import Simulation
from voltage_to_wiring.errors import ConfigError, SimulationError
from voltage_to_wiring.model import build

from conftest import (
    SEED_SPIKES,
    SEED_SPIKES_SYNCHRONOUS,
    assert_bits_equal,
    make_config,
    spikes_per_neuron,
)
from naive import notebook_loop, synchronous_loop


def run(params, **kwargs):
    return simulate(build.simulation(params), **kwargs)


def with_scheme(params, scheme):
    return {**params, "sim": {**params["sim"], "scheme": scheme}}


def random_params(n=12, p=0.3, seed=1, scheme="synchronous", duration="0.2 s", drive=True):
    """A small random network with a heterogeneous drive, as resolved parameters."""
    rng = np.random.default_rng(seed)
    weights = np.where(rng.random((n, n)) < p, rng.uniform(0.5, 3.0, (n, n)), 0.0)
    np.fill_diagonal(weights, 0.0)
    experiment = {
        "sim": {"scheme": scheme, "duration": duration},
        "network": {"weights": {"unit": "nS", "values": weights.tolist()}},
        "synapse": {"delay": "2 ms"},
    }
    if drive:
        experiment["drive"] = {
            "current": {"unit": "pA", "values": rng.uniform(70, 150, n).tolist()}
        }
    return config.resolve(make_config({"net": experiment}), "net")


def test_seed_reproduces_the_notebooks_printed_spikes(seed_params):
    result = run(seed_params)
    assert spikes_per_neuron(result.spike_step, result.spike_neuron, 3) == SEED_SPIKES


def test_the_transcription_itself_gives_the_printed_spikes(seed_params):
    _, spikes = notebook_loop(seed_params)
    assert spikes == SEED_SPIKES


@pytest.mark.parametrize("case", ["seed", "random"])
def test_sequential_is_bit_identical_to_the_notebook_loop(seed_params, case):
    params = seed_params if case == "seed" else random_params(scheme="sequential")
    expected, spikes = notebook_loop(params)
    result = run(params)
    for x in ("v", "u", "g", "I"):
        assert_bits_equal(result.traces[x], expected[x], x)
    assert spikes_per_neuron(result.spike_step, result.spike_neuron, params["n"]) == spikes


def test_synchronous_seed_spikes(seed_params):
    result = run(with_scheme(seed_params, "synchronous"))
    assert spikes_per_neuron(result.spike_step, result.spike_neuron, 3) == SEED_SPIKES_SYNCHRONOUS


@pytest.mark.parametrize("case", ["seed", "random"])
def test_synchronous_is_bit_identical_to_a_numpy_reference(seed_params, case):
    params = with_scheme(seed_params, "synchronous") if case == "seed" else random_params()
    expected, spikes = synchronous_loop(params)
    result = run(params)
    for x in ("v", "u", "g", "I"):
        assert_bits_equal(result.traces[x], expected[x], x)
    assert spikes_per_neuron(result.spike_step, result.spike_neuron, params["n"]) == spikes
    assert sum(map(len, spikes)) >= 3 * params["n"], "the reference case should spike"


@pytest.mark.parametrize("scheme", ["sequential", "synchronous"])
def test_sparse_edge_file_and_dense_matrix_agree(tmp_path, scheme):
    dense = random_params(scheme=scheme)
    rows = zip(
        dense["network"]["pre"], dense["network"]["post"], dense["network"]["weight"], strict=True
    )
    edge_file = tmp_path / "edges.csv"
    # Reverse the rows: the file's order must not matter across presynaptic neurons.
    edge_file.write_text(
        "post,pre,weight\n"
        + "".join(f"{post},{pre},{w / 1e-9!r}\n" for pre, post, w in reversed(list(rows)))
    )
    experiment = {
        "sim": {"scheme": scheme, "duration": "0.2 s"},
        "synapse": {"delay": "2 ms"},
        "drive": {"current": {"unit": "A", "values": dense["drive"]["current"]}},
        "network": {"n": dense["n"], "edges": {"file": str(edge_file), "unit": "nS"}},
    }
    sparse = config.resolve(make_config({"net": experiment}), "net")
    assert "pre" not in sparse["network"] and sparse["network"]["sha256"]
    expected, actual = run(dense), run(sparse)
    for x in ("v", "u", "g", "I"):
        # The file's weights went through text: compare with the matrix within rounding.
        np.testing.assert_allclose(actual.traces[x], expected.traces[x], rtol=1e-9, atol=0)
    assert_bits_equal(actual.spike_step, expected.spike_step, "spike_step")


@pytest.mark.parametrize("scheme", ["sequential", "synchronous"])
def test_recorded_subset_equals_the_slice_of_a_full_recording(scheme):
    params = random_params(scheme=scheme)
    full = run(params)
    subset = run(params, variables=["g", "v"], neurons=[7, 2, 11])
    assert subset.neurons.tolist() == [2, 7, 11]
    assert set(subset.traces) == {"g", "v"}
    for x in ("g", "v"):
        assert_bits_equal(subset.traces[x], full.traces[x][:, [2, 7, 11]], x)
    assert_bits_equal(subset.spike_step, full.spike_step, "spike_step")
    assert_bits_equal(subset.spike_neuron, full.spike_neuron, "spike_neuron")


def test_recording_spikes_only_gives_no_traces(seed_params):
    result = run(seed_params, variables=[], neurons=[])
    assert result.traces == {}
    assert spikes_per_neuron(result.spike_step, result.spike_neuron, 3) == SEED_SPIKES


@pytest.mark.parametrize("scheme", ["sequential", "synchronous"])
@pytest.mark.parametrize("chunk_steps", [1, 2, 45, 997])
def test_chunked_runs_equal_one_chunk(scheme, chunk_steps):
    params = random_params(scheme=scheme)
    whole = run(params, chunk_steps=params["sim"]["n_samples"])
    chunked = run(params, chunk_steps=chunk_steps)
    for x in ("v", "u", "g", "I"):
        assert_bits_equal(chunked.traces[x], whole.traces[x], x)
    assert_bits_equal(chunked.spike_step, whole.spike_step, "spike_step")
    assert_bits_equal(chunked.spike_neuron, whole.spike_neuron, "spike_neuron")


def test_spike_queue_and_buffers_grow_under_load():
    """Many spikes in flight (long delay, fast firing) overflow the initial buffers."""
    n = 300
    experiment = {
        "network": {"weights": {"unit": "pS", "values": np.full((n, n), 1.0).tolist()}},
        "synapse": {"delay": "30 ms"},
        "sim": {"duration": "0.3 s"},
        "drive": {"current": {"unit": "pA", "values": np.linspace(1500, 2500, n).tolist()}},
        "record": {"variables": ["v"], "neurons": [0, n - 1]},
    }
    params = config.resolve(make_config({"busy": experiment}), "busy")
    result = run(params, variables=["v"], neurons=[0, n - 1], chunk_steps=3000)
    expected, spikes = synchronous_loop(params)
    assert len(result.spike_step) > 2 * n + 1024 + (1 << 16) / 10
    assert spikes_per_neuron(result.spike_step, result.spike_neuron, n) == spikes
    assert_bits_equal(result.traces["v"], expected["v"][:, [0, n - 1]], "v")


@pytest.mark.parametrize("scheme", ["sequential", "synchronous"])
def test_a_single_neuron_without_synapses_matches_the_reference(scheme):
    experiment = {
        "network": {"weights": {"unit": "nS", "values": [[0]]}},
        "drive": {"current": "100 pA"},
        "sim": {"duration": "1 s", "scheme": scheme},
    }
    params = config.resolve(make_config({"one": experiment}), "one")
    assert params["network"]["pre"] == []
    result = run(params)
    expected, spikes = (notebook_loop if scheme == "sequential" else synchronous_loop)(params)
    assert spikes_per_neuron(result.spike_step, result.spike_neuron, 1) == spikes
    assert_bits_equal(result.traces["v"], expected["v"], "v")
    intervals = np.diff(spikes[0])
    assert len(spikes[0]) > 10 and np.ptp(intervals[1:]) <= 3  # tonic spiking


def test_a_delay_under_one_step_is_refused():
    experiment = {
        "synapse": {"delay": "0.05 ms"},
        "network": {"weights": {"unit": "nS", "values": [[0, 1], [1, 0]]}},
    }
    with pytest.raises(ConfigError, match="under one time step") as err:
        config.resolve(make_config({"fast": experiment}), "fast")
    assert "synapse.delay" in str(err.value) and "'fast'" in str(err.value)


def test_the_engine_refuses_a_zero_step_delay(seed_params):
    sim = build.simulation(seed_params)
    with pytest.raises(ValueError, match="never be delivered"):
        Simulation(**{**sim.__dict__, "delay_steps": 0})


def test_numerical_blow_up_is_reported_with_neuron_and_step():
    experiment = {
        "network": {"weights": {"unit": "nS", "values": [[0, 1], [1, 0]]}},
        "drive": {"current": {"unit": "nA", "values": [0, -1e300]}},
    }
    params = config.resolve(make_config({"boom": experiment}), "boom")
    # v(1) = -1e297 V; k (v - v_r)(v - v_t) overflows, so v(2) = inf: a blow-up, not a spike.
    with pytest.raises(SimulationError, match=r"neuron 1 became inf at sample 2 .*smaller dt"):
        run(params)
