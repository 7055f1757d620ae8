"""The benchmark harness (benchmarks/, `make bench`), at N = 1,000 and without Brian2.

CI does not run the full benchmark (it needs Brian2's own environment and about 4 minutes);
these tests keep the harness working: the command line end to end, the network it hands to
Brian2, and the spike-train comparison.
"""

import json
import subprocess
import sys

import numpy as np
import pytest

from voltage_to_wiring.engine.driver import simulate
from voltage_to_wiring.model import build

from conftest import ROOT

sys.path.insert(0, str(ROOT / "benchmarks"))
import bench  # noqa: E402


@pytest.mark.slow
def test_harness_end_to_end_without_brian2(tmp_path):
    out = tmp_path / "results"
    command = [sys.executable, ROOT / "benchmarks" / "bench.py", "--sizes", "1000"]
    command += ["--repeats", "1", "--scaling-n", "1000", "--durations", "0.2", "0.4"]
    command += ["--long-duration", "0.5", "--long-neurons", "5", "--cold-n", "0"]
    command += ["--inference-duration", "5", "--output-dir", out, "--work-dir", tmp_path]
    command += ["--thread-sizes", "2000", "--thread-repeats", "1", "--pipeline-n", "1000"]
    command += ["--no-pipeline-grouped"]  # a second run of the default config: bench only
    done = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-3000:]

    size = json.loads((out / "network_1000.json").read_text())
    assert size["n"] == 1000 and size["synapses"] == 100_000 and size["steps"] == 9999
    assert size["brian2"] == {} and size["ratios"] == {} and size["identical"] == {}
    engine = size["engine"]
    assert engine["run_s"] > 0 and len(engine["runs"]) == 1
    assert engine["neuron_steps_per_s"] == pytest.approx(1000 * 9999 / engine["run_s"])
    # about 9 Hz (the network); every spike reaches at most its neuron's targets
    assert 7_000 < size["spikes"] < 12_000
    assert 0 < size["events"] <= 100_000 * size["spikes"]
    assert size["machine"]["cpu_count"] >= 1 and "numba" in size["machine"]["packages"]

    scaling = json.loads((out / "scaling.json").read_text())
    rows = scaling["against_duration"]
    assert [(r["n"], r["duration_s"]) for r in rows] == [(1000, 0.2), (1000, 0.4), (1000, 1.0)]
    assert rows[2]["run_s"] == engine["run_s"]  # the size runs, not measured again
    assert [r["n"] for r in scaling["against_n"]] == [1000]

    long = json.loads((out / "long_recording.json").read_text())
    assert long["recorded"] == 5 and long["samples"] == 5000
    assert long["file_gb"] * 1e9 > 8 * 5000 * 5  # the traces are in the file
    assert long["peak_mb"] > 0

    table = (out / "results.md").read_text()
    assert "## N = 1,000 (100,000 synapses" in table
    assert "| voltage_to_wiring |" in table and "Brian2 not run" in table
    assert "## Engine run time against duration (N = 1,000)" in table
    assert "## Engine run time against N" in table and "## Long recording" in table
    profile = json.loads((out / "profile.json").read_text())
    assert profile["spikes"]["full"] == size["spikes"]  # the same network as the benchmark's
    # without synapses it is the same neurons and drives, but excitatory coupling is gone
    assert 0 < profile["spikes"]["unconnected"] < profile["spikes"]["full"]
    assert all(seconds > 0 for seconds in profile["seconds"].values())
    assert "## Where the engine's time goes (N = 1,000, 1 s)" in table
    inference = json.loads((out / "inference.json").read_text())
    ours = inference["ours"]
    assert ours["trains"] == 300 and ours["shuffles"] == 100 and ours["window"] == 200
    assert ours["stas"] == 300 * 101 and ours["windows"] == 101 * ours["spikes"]
    assert 0 < ours["shuffles_s"] + ours["sums_s"] <= ours["total_s"]
    assert "elephant" not in inference  # no peers' environment
    assert "## Inference: N-to-1, 5 s (300 trains x (1 + 100) STAs" in table
    # joint timed with config.yaml's methods on its 300 trains and on all 6500 inputs + 1000
    variants = ours["variants"]
    assert variants["joint"]["trains"] == 300 and variants["all_inputs"]["trains"] == 7500
    for run in variants.values():
        assert set(run["methods_s"]) == {*ours["infer_methods_s"], "joint"}
        assert run["infer_2_threads_s"] > 0
    assert "Every input with `joint` (all-inputs): 7500 trains" in table

    threads = json.loads((out / "threads.json").read_text())["sizes"]
    assert [t["n"] for t in threads] == [2000]
    assert threads[0]["identical"]["voltage_to_wiring 2 threads"]["identical"]
    job = threads[0]["job"]["2"]
    assert 0 < job["network_s"] + job["engine_s"] + job["write_s"] < job["whole_s"]
    assert "## Threads: N = 2,000" in table
    pipeline = json.loads((out / "pipeline.json").read_text())
    assert set(pipeline["config_to_dataset_s"]) == {"1", "2"}
    first = pipeline["first_default"]
    # 6 figures of seed and seed_synchronous, 4 of ei_network; the sweep's points' on request
    assert first["jobs"]["plot_figure"]["jobs"] == 16
    assert first["wall_s"] > first["jobs"]["simulate"]["max_s"]
    assert first["grouped_wall_s"] is None and first["grouped_runs"] == []
    assert set(pipeline["fixed_cost_s"]) >= {"plot_figure", "compute_stats", "resolve_params"}
    assert "## Through the pipeline: config to dataset (N = 1,000" in table
    assert list(tmp_path.glob("tmp*")) == [], "the work directory is removed"


@pytest.mark.slow
def test_exported_network_is_the_one_the_engine_simulates(tmp_path):
    """What brian2_run.py reads: exactly K = 100 inputs per neuron, no self-synapses, the
    weights, drives and parameters of the simulation; and the engine's spikes."""
    params = bench.benchmark_params(300, 0.2)
    (tmp_path / "params.json").write_text(json.dumps(params))
    result = bench.engine(tmp_path / "params.json", tmp_path / "s.npz", tmp_path / "net.npz")
    net = np.load(tmp_path / "net.npz")
    assert int(net["n"]) == 300 and net["pre"].dtype == np.int32
    assert np.bincount(net["post"], minlength=300).tolist() == [100] * 300
    assert not np.any(net["pre"] == net["post"])
    assert np.all(net["weight"] == params["network"]["weight"])
    assert np.all((net["I_ext"] >= 30e-12) & (net["I_ext"] < 70e-12))
    assert float(net["delay"]) == pytest.approx(4.5e-3) and int(net["n_steps"]) == 1999
    assert float(net["C"]) == params["neuron"]["C"] and float(net["tau"][0]) == 7e-3
    spikes = np.load(tmp_path / "s.npz")
    reference = simulate(build.simulation(params), variables=[], neurons=[])
    assert np.array_equal(spikes["step"], reference.spike_step)
    assert np.array_equal(spikes["neuron"], reference.spike_neuron)
    assert result["spikes"] == len(reference.spike_step) > 0


def test_spike_comparison_allows_for_brian2s_stamp_and_order_only(tmp_path):
    ours = {"step": np.array([5, 5, 9, 12]), "neuron": np.array([1, 7, 0, 7])}
    np.savez(tmp_path / "ours.npz", **ours)
    # Brian2: one index earlier, and in its own order within a step
    np.savez(tmp_path / "b.npz", step=np.array([4, 4, 8, 11]), neuron=np.array([7, 1, 0, 7]))
    assert bench.same_spikes(tmp_path / "ours.npz", tmp_path / "b.npz")["identical"]
    np.savez(tmp_path / "c.npz", step=np.array([4, 4, 8, 12]), neuron=np.array([7, 1, 0, 7]))
    assert not bench.same_spikes(tmp_path / "ours.npz", tmp_path / "c.npz")["identical"]
    np.savez(tmp_path / "d.npz", step=np.array([4, 4, 8]), neuron=np.array([7, 1, 0]))
    different = bench.same_spikes(tmp_path / "ours.npz", tmp_path / "d.npz")
    assert not different["identical"] and different["brian2_spikes"] == 3


def test_readme_shows_the_committed_benchmark_results():
    """The documentation's Performance page carries benchmarks/results/results.md's tables
    (rerun `make bench` and paste them when the engine changes)."""
    results = (ROOT / "benchmarks" / "results" / "results.md").read_text()
    readme = (ROOT / "docs" / "performance.md").read_text()
    rows = [line for line in results.splitlines() if line.startswith("| ")]
    assert len(rows) > 20
    missing = [line for line in rows if line not in readme]
    assert not missing, f"docs/performance.md lacks these rows of results.md: {missing[:3]}"
    machine = next(line for line in results.splitlines() if line.startswith("Machine:"))
    assert machine in readme
