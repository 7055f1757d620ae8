"""What the parts of ``make bench`` share: the benchmark network, running and timing a command
in a process of its own, this project's engine and simulate step, Brian2, and comparing
spike trains."""

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from voltage_to_wiring import config

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
K = 100


def benchmark_experiment(n, duration_s, seed=1):
    """The config experiment of the benchmark network, named ``bench_{n}``."""
    return f"bench_{n}", {
        "sim": {"duration": f"{duration_s} s", "seed": seed, "scheme": "synchronous"},
        "network": {
            "n": n,
            "connectivity": {"rule": "fixed_indegree", "k": K, "allow_multiple": True},
            "weight": "0.1 nS",
        },
        "synapse": {"v_syn": "0 mV", "tau": "7 ms", "delay": "4.5 ms"},
        "drive": {"current": {"uniform": ["30 pA", "70 pA"]}},
        "initial": {"v": "-60 mV", "u": "0 pA", "g": "0 nS"},
        "record": {"variables": [], "neurons": []},
    }


def benchmark_params(n, duration_s, seed=1):
    """Resolved parameters of the benchmark network (config.yaml's neuron and synapse)."""
    merged = config.load([ROOT / "config.yaml"])
    name, experiment = benchmark_experiment(n, duration_s, seed)
    merged["experiments"] = {name: experiment}
    return config.resolve(merged, name)


def timed(command, env=None):
    """Run a command; return (wall time in s, its peak RSS in MB, its stdout)."""
    clock = time.perf_counter()
    with tempfile.TemporaryFile() as out:
        process = subprocess.Popen(command, stdout=out, env=env, cwd=ROOT)
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - clock
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        stdout = out.read().decode()
    if process.returncode:
        raise RuntimeError(f"{' '.join(map(str, command))} failed ({process.returncode})")
    return wall, usage.ru_maxrss / 1024, stdout


def last_json(stdout):
    return json.loads(stdout.strip().splitlines()[-1])


def engine(params_path, spikes_path, network_path=None, threads=1):
    """One engine run in a process of its own (benchmarks/engine_run.py), on ``threads``."""
    command = [sys.executable, HERE / "engine_run.py", params_path, spikes_path]
    command += ([network_path] if network_path else []) + ["--threads", str(threads)]
    wall, peak, stdout = timed(command)
    return last_json(stdout)


def simulate_step(params_path, output, *options):
    """The command of the pipeline's simulate step, from params JSON to the netCDF file."""
    command = [sys.executable, "-m", "voltage_to_wiring", "simulate", "--params", params_path]
    return [*command, "--output", output, *options]


def whole_process(params_path, output, cache_dir=None, threads=1):
    """The pipeline's simulate step, timed (numba's cache in ``cache_dir`` if given): its
    wall time, peak memory, and from its provenance record the seconds it spent building
    the network, in the engine and writing the file."""
    env = dict(os.environ)
    if cache_dir:
        env["NUMBA_CACHE_DIR"] = str(cache_dir)
    record = Path(f"{output}.json")
    options = ("--no-progress", "--threads", str(threads), "--record", record)
    wall, peak, _ = timed(simulate_step(params_path, output, *options), env)
    seconds = json.loads(record.read_text())["seconds"]
    return {"whole_s": wall, "whole_peak_mb": peak, **{f"{k}_s": v for k, v in seconds.items()}}


def brian2(python, network_path, device, workdir, threads=0, arithmetic="fast"):
    """One Brian2 run (benchmarks/brian2_run.py) in the benchmark's environment; ``threads``:
    cpp_standalone's OpenMP threads (0: compiled without OpenMP); ``arithmetic``: "exact"
    compiles without -ffast-math."""
    env = dict(os.environ, OMP_NUM_THREADS=str(max(1, threads)))
    command = [python, HERE / "brian2_run.py", network_path, device, workdir, str(threads)]
    command += [arithmetic]
    wall, _, stdout = timed(command, env)
    return {**last_json(stdout), "whole_s": wall}


def same_spikes(ours_path, brian2_path, shift=1):
    """Compare spike trains; Brian2's step index + 1 is this project's sample index (give
    ``shift=0`` to compare two of this project's)."""
    ours, theirs = np.load(ours_path), np.load(brian2_path)
    order = np.lexsort((theirs["neuron"], theirs["step"]))
    step, neuron = theirs["step"][order] + shift, theirs["neuron"][order]
    same = np.array_equal(ours["step"], step) and np.array_equal(ours["neuron"], neuron)
    return {"identical": bool(same), "spikes": len(ours["step"]), "brian2_spikes": len(step)}


def identity_summary(comparisons):
    """``"who: identical, other: DIFFERENT"`` from {who: :func:`same_spikes` result}."""
    return ", ".join(
        f"{who}: {'identical' if same['identical'] else 'DIFFERENT'}"
        for who, same in comparisons.items()
    )


def median(runs, key):
    values = [run[key] for run in runs if run.get(key) is not None]
    return statistics.median(values) if values else None


def summarise(runs, keys):
    return {key: median(runs, key) for key in keys} | {"runs": runs}


def fmt(value, digits=3):
    if value is None:
        return "-"
    if abs(value) >= 1e5:
        return f"{value:.2e}"
    return f"{value:.{digits}g}"
