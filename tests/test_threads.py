"""The threaded synchronous kernel against the one-thread kernel: the same bits.

The reference is the one-thread kernel, itself checked bit for bit against a plain-numpy
transcription (test_engine.py) and Brian2 (the benchmark). Runs two threads: the machines
this suite runs on (CI included) have two cores.
"""

import json
import subprocess
import sys

import numpy as np
import pytest

from voltage_to_wiring import config
from voltage_to_wiring.data import dataset
from voltage_to_wiring.engine.driver import simulate, usable_threads
from voltage_to_wiring.engine.parts import part_bounds, row_splits
from voltage_to_wiring.model import build

from conftest import assert_bits_equal, make_config

# Both synapse types, a delay of several steps, Poisson spike sources wired onto the
# neurons, Poisson input and a noise current: every path of the step.
EXPERIMENT = """
mixed:
  sim: {duration: 300 ms, seed: 3}
  network:
    n: 300
    populations: {exc: 0.8, inh: 0.2}
    sources:
      n: 100
      populations: {exc: 0.8, inh: 0.2}
      rate: {mean: 20 Hz, std: 10 Hz}
    connectivity: {rule: fixed_indegree, k: 40, allow_multiple: true}
    weight: {E->E: 1.5 nS, E->I: 1.5 nS, I->E: 6 nS, I->I: 6 nS}
  synapse:
    delay: 1.3 ms
    exc: {v_syn: 0 mV, tau: 5 ms}
    inh: {v_syn: -80 mV, tau: 10 ms}
  drive:
    poisson: {inputs: 50, rate: 20 Hz, weight: 0.8 nS, type: exc}
    noise: {std: 20 pA, tau: 1 ms}
  record: {variables: [v, u, I, g_exc, g_inh], neurons: all}
"""


@pytest.fixture(scope="module")
def params():
    return config.resolve(make_config(EXPERIMENT), "mixed")


def test_this_machine_runs_two_threads():
    assert usable_threads(2) == 2, "these tests compare one thread with two"


@pytest.mark.parametrize("chunk_steps", [None, pytest.param(7, marks=pytest.mark.slow)])
def test_two_threads_give_the_bits_of_one(params, chunk_steps):
    one = simulate(build.simulation(params), chunk_steps=chunk_steps, threads=1)
    two = simulate(build.simulation(params), chunk_steps=chunk_steps, threads=2)
    assert len(one.spike_step) > 300, "the case should spike"
    assert set(one.spike_neuron[one.spike_neuron >= params["n"]].tolist()), "and its sources"
    np.testing.assert_array_equal(two.spike_step, one.spike_step)
    np.testing.assert_array_equal(two.spike_neuron, one.spike_neuron)
    for name, values in one.traces.items():
        assert_bits_equal(two.traces[name], values, name)


def test_parts_cut_at_multiples_of_64_and_cover_every_neuron():
    for n in (1, 63, 64, 65, 300, 10_000):
        for parts in (1, 2, 3):
            bounds = part_bounds(n, parts)
            assert bounds[0] == 0 and bounds[-1] == n and len(bounds) == parts + 1
            assert np.all(np.diff(bounds) >= 0)
            assert np.all(bounds[:-1] % 64 == 0)


def test_row_splits_find_each_parts_synapses():
    rng = np.random.default_rng(0)
    n = 500
    lengths = rng.integers(0, 30, n)
    indptr = np.concatenate([[0], np.cumsum(lengths)])
    post = np.concatenate([np.sort(rng.integers(0, n, k)) for k in lengths]).astype(np.int32)
    bounds = np.array([0, 128, 320, n])
    split = row_splits(indptr, post, bounds)
    for i in range(n):
        for p in range(3):
            mine = post[split[p, i] : split[p + 1, i]]
            expected = [
                x for x in post[indptr[i] : indptr[i + 1]] if bounds[p] <= x < bounds[p + 1]
            ]
            assert mine.tolist() == expected
    with pytest.raises(ValueError, match="sorted by target"):
        row_splits(np.array([0, 2]), np.array([5, 3], dtype=np.int32), np.array([0, 6]))


@pytest.mark.slow
def test_the_simulate_step_writes_the_same_dataset_with_two_threads(tmp_path):
    # 2,000 neurons: the step runs fewer than 1,000 neurons a thread on one thread
    bigger = (
        EXPERIMENT.replace("n: 300", "n: 2000")
        .replace("duration: 300 ms", "duration: 20 ms")
        .replace("neurons: all", "neurons: [0, 1, 1000, 1999]")
    )
    params_file = tmp_path / "params.json"
    params_file.write_text(json.dumps(config.resolve(make_config(bigger), "mixed")))
    outputs = {}
    for threads in (1, 2):
        outputs[threads] = tmp_path / f"threads{threads}.nc"
        done = subprocess.run(
            [sys.executable, "-m", "voltage_to_wiring", "simulate", "--params", params_file,
             "--output", outputs[threads], "--threads", str(threads), "--no-progress"],
            check=True, capture_output=True, text=True,
        )  # fmt: skip
        assert f"{threads} thread(s)" in done.stderr
    one, two = (dataset.read(outputs[t]) for t in (1, 2))
    assert sorted(one.variables) == sorted(two.variables)
    for name in one.variables:
        assert_bits_equal(two[name].values, one[name].values, name)
        assert plain(two[name].attrs) == plain(one[name].attrs), name
    differ = {k for k, v in plain(one.attrs).items() if v != plain(two.attrs).get(k)}
    assert differ <= {"history", "created"}, differ  # the command line and the time


def plain(attrs):
    return {k: np.asarray(v).tolist() for k, v in attrs.items()}


def test_a_small_network_runs_on_one_thread_when_two_are_asked(tmp_path):
    # Issue 21 (23): an explicit 2 threads made a 1-neuron run 370 x slower on a busy machine.
    params_file = tmp_path / "params.json"
    params_file.write_text(json.dumps(config.resolve(make_config(EXPERIMENT), "mixed")))
    done = subprocess.run(
        [sys.executable, "-m", "voltage_to_wiring", "simulate", "--params", params_file,
         "--output", tmp_path / "small.nc", "--threads", "2", "--no-progress"],
        check=True, capture_output=True, text=True,
    )  # fmt: skip
    assert "300 neurons: 1 thread(s), not 2 (threads of fewer than 1000 neurons" in done.stderr
