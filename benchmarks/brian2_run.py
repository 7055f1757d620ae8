"""Run a benchmark network in Brian2 and report its timings and spikes.

Runs in the benchmark's own environment (``.venv-bench``: Brian2 2.9.0 needs numpy < 2.4,
see ``benchmarks/requirements-brian2.lock``), never in the pipeline's. It imports nothing of
voltage_to_wiring: the network (edges, weights, drives, parameters in SI units) comes from
the ``.npz`` file that ``benchmarks/bench.py`` exported from this project's engine, so both
simulators run the same synapses.

The neuron model (``izhikevich`` or ``adex``) and the synapse types (one, or excitatory
and inhibitory conductances with a ``type`` per synapse) are the exported network's. Each
model's equations are written here in the order of operations of this project's kernels,
so that with exact arithmetic the two would compute the same numbers.

Usage::

    python brian2_run.py NETWORK.npz {cpp_standalone,cython} WORKDIR [THREADS] [exact]

writes ``WORKDIR/spikes.npz`` (Brian2's time-step index and neuron of each spike) and prints
one JSON line: ``build_s`` (code generation and compilation), ``run_s`` (the simulation
loop, as Brian2 measures it), ``peak_mb`` (peak RSS of the process that ran the loop).
THREADS (cpp_standalone only): ``prefs.devices.cpp_standalone.openmp_threads``; 0 (the
default) compiles without OpenMP, one thread. ``exact`` compiles without Brian2's default
``-ffast-math`` (cpp_standalone only).
"""

import json
import os
import resource
import sys
import time
from pathlib import Path

import brian2 as b2
import numpy as np

# Per model: equations of v and its second state variable, threshold, reset, and each
# parameter's Brian2 unit. The values are the engine's SI floats, multiplied by a unit of
# value 1, so Brian2 computes with the very same numbers.
MODELS = {
    "izhikevich": (
        """
dv/dt = (k * (v - v_r) * (v - v_t) - u - I_syn + I_ext) / C : volt
du/dt = a * (b * (v - v_r) - u) : amp
""",
        "u",
        "v >= v_peak",
        "v = c; u += d",
        {
            "C": b2.farad,
            "k": b2.siemens / b2.volt,
            "b": b2.siemens,
            "v_r": b2.volt,
            "v_t": b2.volt,
            "v_peak": b2.volt,
            "c": b2.volt,
            "a": b2.hertz,
            "d": b2.amp,
        },
    ),
    "adex": (  # Brette and Gerstner (2005), as voltage_to_wiring/core/neurons/adex.py
        """
dv/dt = (-g_L * (v - E_L) + g_L * Delta_T * exp((v - V_T) / Delta_T) - I_syn - w + I_ext) / C : volt
dw/dt = (a * (v - E_L) - w) / tau_w : amp
""",
        "w",
        "v > V_s",
        "v = V_r; w += b",
        {
            "C": b2.farad,
            "g_L": b2.siemens,
            "E_L": b2.volt,
            "V_T": b2.volt,
            "Delta_T": b2.volt,
            "V_s": b2.volt,
            "V_r": b2.volt,
            "a": b2.siemens,
            "b": b2.amp,
            "tau_w": b2.second,
        },
    ),
}
ONE_TYPE = """
dg/dt = -g / tau : siemens
I_syn = g * (v - v_syn) : amp
I_ext : amp (constant)
"""
TWO_TYPES = """
dg_exc/dt = -g_exc / tau_exc : siemens
dg_inh/dt = -g_inh / tau_inh : siemens
I_syn = g_exc * (v - v_syn_exc) + g_inh * (v - v_syn_inh) : amp
I_ext : amp (constant)
"""
# Brian2's default flags without -ffast-math (and -fno-finite-math-only, which it relaxes).
EXACT_FLAGS = ["-w", "-O3", "-march=native", "-std=c++11"]

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
    model = str(net["model"]) if "model" in net else "izhikevich"
    equations, x, threshold, reset, units = MODELS[model]
    namespace = {name: float(net[name]) * unit for name, unit in units.items()}
    v_syn, tau = np.atleast_1d(net["v_syn"]), np.atleast_1d(net["tau"])
    typed = len(v_syn) == 2
    if typed:
        for code, name in enumerate(("exc", "inh")):
            namespace[f"v_syn_{name}"] = float(v_syn[code]) * b2.volt
            namespace[f"tau_{name}"] = float(tau[code]) * b2.second
    else:
        namespace.update(v_syn=float(v_syn[0]) * b2.volt, tau=float(tau[0]) * b2.second)
    group = b2.NeuronGroup(
        int(net["n"]),
        equations + (TWO_TYPES if typed else ONE_TYPE),
        threshold=threshold,
        reset=reset,
        method="euler",
        namespace=namespace,
        name="neurons",
    )
    group.v = net["v0"] * b2.volt
    setattr(group, x, 0 * b2.amp)
    group.I_ext = net["I_ext"] * b2.amp
    conductances = ("g_exc", "g_inh") if typed else ("g",)
    types = np.asarray(net["type"]) if typed else np.zeros(len(net["pre"]), dtype=np.int8)
    objects = [group]
    for code, g in enumerate(conductances):
        mine = types == code
        synapses = b2.Synapses(
            group,
            group,
            "weight : siemens (constant)",
            on_pre=f"{g} += weight",
            name=f"synapses_{g}",
        )
        synapses.connect(i=net["pre"][mine], j=net["post"][mine])
        synapses.weight = net["weight"][mine] * b2.siemens
        synapses.delay = float(net["delay"]) * b2.second
        objects.append(synapses)
    monitor = b2.SpikeMonitor(group, name="spikes")
    return b2.Network(*objects, monitor), monitor


def main(path, device, workdir, threads="0", arithmetic="fast"):
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
        if arithmetic == "exact":
            b2.prefs.codegen.cpp.extra_compile_args_gcc = EXACT_FLAGS
    elif device == "cython":
        b2.prefs.codegen.target = "cython"
    else:
        raise SystemExit(f"unknown device {device!r}: choose cpp_standalone or cython")
    b2.defaultclock.dt = float(net["dt"]) * b2.second
    network, monitor = build_network(net, device)
    duration = int(net["n_steps"]) * float(net["dt"]) * b2.second
    report = {"device": device, "brian2": b2.__version__, "threads": max(1, int(threads))}
    report["arithmetic"] = arithmetic
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
    if len(sys.argv) not in (4, 5, 6):
        raise SystemExit(__doc__)
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    main(*sys.argv[1:])
