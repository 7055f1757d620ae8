"""Run the benchmark network in Brian2 and report its timings and spikes.

Runs in the benchmark's own environment (``.venv-bench``: Brian2 2.9.0 needs numpy < 2.4,
see ``benchmarks/requirements-brian2.lock``), never in the pipeline's. It imports nothing of
voltage_to_wiring: the network (edges, weights, drives, parameters in SI units) comes from
the ``.npz`` file that ``benchmarks/bench.py`` exported from this project's engine, so both
simulators run the same synapses.

Usage::

    python brian2_run.py NETWORK.npz {cpp_standalone,cython} WORKDIR [THREADS]

writes ``WORKDIR/spikes.npz`` (Brian2's time-step index and neuron of each spike) and prints
one JSON line: ``build_s`` (code generation and compilation), ``run_s`` (the simulation
loop, as Brian2 measures it), ``peak_mb`` (peak RSS of the process that ran the loop).
THREADS (cpp_standalone only): ``prefs.devices.cpp_standalone.openmp_threads``; 0 (the
default) compiles without OpenMP, one thread.
"""

import json
import os
import resource
import sys
import time
from pathlib import Path

import brian2 as b2
import numpy as np

EQUATIONS = """
dv/dt = (k * (v - v_r) * (v - v_t) - u - I_syn + I_ext) / C : volt
du/dt = a * (b * (v - v_r) - u) : amp
dg/dt = -g / tau : siemens
I_syn = g * (v - v_syn) : amp
I_ext : amp (constant)
"""

# Parameter -> Brian2 unit. The values are the engine's SI floats, multiplied by a unit of
# value 1, so Brian2 computes with the very same numbers.
UNITS = {
    "C": b2.farad,
    "k": b2.siemens / b2.volt,
    "b": b2.siemens,
    "v_r": b2.volt,
    "v_t": b2.volt,
    "v_peak": b2.volt,
    "c": b2.volt,
    "a": b2.hertz,
    "d": b2.amp,
    "v_syn": b2.volt,
    "tau": b2.second,
}

# Run the compiled binary through this, to read its own peak memory (not the compiler's).
PEAK = """
import os, resource, sys
pid = os.fork()
if pid == 0:
    os.execv(sys.argv[1], sys.argv[1:])
_, status, usage = os.wait4(pid, 0)
open("peak_kb.txt", "w").write(str(usage.ru_maxrss))
sys.exit(os.waitstatus_to_exitcode(status))
"""


def build_network(net, device):
    namespace = {name: float(net[name]) * unit for name, unit in UNITS.items()}
    group = b2.NeuronGroup(
        int(net["n"]),
        EQUATIONS,
        threshold="v >= v_peak",
        reset="v = c; u += d",
        method="euler",
        namespace=namespace,
        name="neurons",
    )
    group.v = net["v0"] * b2.volt
    group.u = 0 * b2.amp
    group.g = 0 * b2.siemens
    group.I_ext = net["I_ext"] * b2.amp
    synapses = b2.Synapses(group, group, "w : siemens (constant)", on_pre="g += w", name="synapses")
    synapses.connect(i=net["pre"], j=net["post"])
    synapses.w = net["weight"] * b2.siemens
    synapses.delay = float(net["delay"]) * b2.second
    monitor = b2.SpikeMonitor(group, name="spikes")
    return b2.Network(group, synapses, monitor), monitor


def main(path, device, workdir, threads="0"):
    workdir = Path(workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    net = np.load(path)
    b2.prefs.core.default_float_dtype = np.float64
    if device == "cpp_standalone":
        b2.set_device("cpp_standalone", build_on_run=False)
        b2.prefs.devices.cpp_standalone.openmp_threads = int(threads)
        peak = workdir / "peak.py"
        peak.write_text(PEAK)
        b2.prefs.devices.cpp_standalone.run_cmd_unix = [sys.executable, str(peak), "./main"]
    elif device == "cython":
        b2.prefs.codegen.target = "cython"
    else:
        raise SystemExit(f"unknown device {device!r}: choose cpp_standalone or cython")
    b2.defaultclock.dt = float(net["dt"]) * b2.second
    network, monitor = build_network(net, device)
    duration = int(net["n_steps"]) * float(net["dt"]) * b2.second
    report = {"device": device, "brian2": b2.__version__, "threads": max(1, int(threads))}
    if device == "cpp_standalone":
        network.run(duration)
        clock = time.perf_counter()
        b2.device.build(directory=str(workdir / "project"), run=False, with_output=False)
        report["build_s"] = time.perf_counter() - clock
        b2.device.run(str(workdir / "project"), with_output=False)
        report["run_s"] = b2.device._last_run_time
        report["peak_mb"] = int((workdir / "project" / "peak_kb.txt").read_text()) / 1024
    else:
        clock = time.perf_counter()
        network.run(0 * b2.second)  # generates and compiles (or loads) the Cython code
        report["build_s"] = time.perf_counter() - clock
        clock = time.perf_counter()
        network.run(duration)
        report["run_s"] = time.perf_counter() - clock
        report["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    steps = np.round(np.asarray(monitor.t / b2.defaultclock.dt)).astype(np.int64)
    np.savez(workdir / "spikes.npz", step=steps, neuron=np.asarray(monitor.i, dtype=np.int64))
    report["spikes"] = len(steps)
    print(json.dumps(report), flush=True)


if __name__ == "__main__":
    if len(sys.argv) not in (4, 5):
        raise SystemExit(__doc__)
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    main(*sys.argv[1:])
