"""Where the engine's time goes on the benchmark network: a profile by subtraction.

numba code cannot be profiled line by line, so this times, in one process, interleaved,
the minimum of ``repeats`` runs of:

- ``full``: the benchmark network (K = 100 synapses per neuron, 0.1 nS), from its params;
- ``unconnected``: the same neurons and drives without synapses (fewer spikes: no coupling);
- ``update``: the kernel's neuron-update pass alone (current, Euler, decay, threshold test),
  as many times as the run has steps;
- ``update_reciprocal``: that pass with the two divisions (``/ C``, ``/ tau``) replaced by
  multiplications with reciprocals, as a fast-math compiler would (not used by the engine:
  it changes the results' last bits), to show what the divisions cost.

``unconnected - update`` is finding and resetting spikes and the per-step bookkeeping;
``full - unconnected`` is the synaptic delivery (and the extra spikes the coupling causes).

Usage: ``python profile_engine.py PARAMS.json REPEATS`` (the benchmark network's parameters,
as ``bench.py`` writes them); prints one JSON line.
"""

import dataclasses
import json
import sys
import time

import numba
import numpy as np

from voltage_to_wiring.core.jit import JIT
from voltage_to_wiring.engine import driver, kernels
from voltage_to_wiring.engine.driver import simulate
from voltage_to_wiring.model import build
from voltage_to_wiring.model.network import Network


def without_synapses(sim):
    """The same neurons, drives and initial state, without synapses."""
    empty = Network.from_edges(sim.n, [], [], [])
    return dataclasses.replace(sim, network=empty)


@numba.njit(**JIT)
def update_pass(steps, dt, neuron, synapse, state, crossed):
    """The engine's update pass, ``steps`` times (spikes are not reset: timing only).
    Returns the crossings and blow-ups it counted, as the engine uses them."""
    no_noise = np.zeros((0, 0))
    v, u, g, drive = state.v, state.x, state.g[0], state.I_ext
    total = 0
    for _ in range(steps):
        n_crossed, n_bad = kernels._update_one_type(
            dt, neuron, synapse, v, u, g, drive, no_noise, 0, 0, crossed
        )
        total += n_crossed + n_bad
    return total


@numba.njit(**JIT)
def update_pass_reciprocal(steps, dt, neuron, synapse, state, crossed):
    """The update pass with multiplications by 1/C and 1/tau instead of divisions."""
    v, u, g, drive = state.v, state.x, state.g[0], state.I_ext
    v_syn, v_peak = synapse.v_syn[0], neuron.v_peak
    per_C, per_tau = 1.0 / neuron.C, 1.0 / synapse.tau[0]
    total = 0
    for _ in range(steps):
        n_crossed = n_bad = 0
        for i in range(v.shape[0]):
            v_old, g_old, u_old = v[i], g[i], u[i]
            current = g_old * (v_old - v_syn)
            x = neuron.k * (v_old - neuron.v_r) * (v_old - neuron.v_t) - u_old - current
            v_new = v_old + dt * ((x + drive[i]) * per_C)
            u[i] = u_old + dt * (neuron.a * (neuron.b * (v_old - neuron.v_r) - u_old))
            g[i] = g_old + dt * (-g_old * per_tau)
            v[i] = v_new
            spike = v_new >= v_peak
            crossed[i] = spike
            n_crossed += spike
            n_bad += not abs(v_new) < np.inf
        total += n_crossed + n_bad
    return total


def time_pass(function, sim, steps):
    synapse, state, _, _ = driver._allocate(sim, (), np.zeros(0, dtype=np.int64), 1)
    crossed = np.zeros(sim.n, dtype=np.uint8)
    clock = time.perf_counter()
    function(steps, sim.dt, sim.neurons.params[0], synapse, state, crossed)
    return time.perf_counter() - clock


def main(params_path, repeats):
    with open(params_path) as file:
        params = json.load(file)
    full = build.simulation(params)
    unconnected = without_synapses(full)
    steps = full.n_samples - 1
    runs = {"full": full, "unconnected": unconnected}
    for sim in runs.values():  # compile or load, and build the CSR, before timing
        sim.network.csr()
        simulate(sim, variables=[], neurons=[])
    time_pass(update_pass, full, 1)
    time_pass(update_pass_reciprocal, full, 1)
    times = {name: [] for name in (*runs, "update", "update_reciprocal")}
    spikes = {}
    for _ in range(repeats):
        for name, sim in runs.items():
            clock = time.perf_counter()
            result = simulate(sim, variables=[], neurons=[])
            times[name].append(time.perf_counter() - clock)
            spikes[name] = len(result.spike_step)
        times["update"].append(time_pass(update_pass, full, steps))
        times["update_reciprocal"].append(time_pass(update_pass_reciprocal, full, steps))
    best = {name: min(values) for name, values in times.items()}
    report = {
        "n": full.n,
        "duration_s": params["sim"]["duration"],
        "seconds": best,
        "spikes": spikes,
        "parts": {
            "neuron update pass": best["update"],
            "spikes found and reset, per-step bookkeeping": best["unconnected"] - best["update"],
            "synaptic delivery (and the spikes coupling adds)": best["full"] - best["unconnected"],
        },
        "divisions": best["update"] - best["update_reciprocal"],
    }
    print(json.dumps(report), flush=True)


if __name__ == "__main__":
    if len(sys.argv) != 3:
        raise SystemExit(__doc__)
    main(sys.argv[1], int(sys.argv[2]))
