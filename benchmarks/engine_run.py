"""Run one experiment's params in this project's engine and report timings and memory.

Run by ``benchmarks/bench.py`` in a process of its own, so that the peak memory is this
run's. Usage::

    python engine_run.py PARAMS.json SPIKES.npz [NETWORK.npz] [--threads N]

builds the network (``build_s``: ``generate_s``, its generation, and ``csr_s``, grouping it
by presynaptic neuron), runs the engine on ``N`` threads (``run_s``: the chunked kernel,
spikes only, as the pipeline runs it), saves the spikes (sample index and neuron) to
SPIKES.npz and, if asked, the network in SI units to NETWORK.npz for ``brian2_run.py``.
Prints one JSON line; memory in MB: ``baseline_mb`` (peak RSS after the imports and the
numba cache are loaded), ``peak_mb`` (peak RSS of the whole run),
``connectivity_mb`` (the network's edge list and the CSR arrays the engine reads, each array
once) and ``spikes_mb`` (the spike list);
``events``: synaptic events delivered (spikes x their neuron's synapses, within the run).
"""

import argparse
import json
import resource
import time

import numpy as np

from voltage_to_wiring.engine.driver import simulate
from voltage_to_wiring.model import build


def peak_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def warm_up(params, threads):
    """Load the compiled kernels from numba's cache (or compile them) on a 100-neuron copy."""
    small = json.loads(json.dumps(params))
    small["n"] = small["network"]["n"] = 100
    small["sim"]["n_samples"] = 100
    if "populations" in small["network"]:  # the same types, in proportion
        exc = round(100 * params["network"]["populations"]["exc"] / params["n"])
        small["network"]["populations"] = {"exc": exc, "inh": 100 - exc}
    simulate(build.simulation(small), variables=[], neurons=[], threads=threads)


def export(sim, path):
    """The network, drives and parameters, in SI units, for another simulator."""
    n_steps = sim.n_samples - 1
    np.savez(
        path,
        n=sim.n,
        pre=sim.network.pre.astype(np.int32),
        post=sim.network.post.astype(np.int32),
        weight=sim.network.weight,
        I_ext=sim.I_ext,
        v0=sim.v0,
        dt=sim.dt,
        n_steps=n_steps,
        delay=sim.delay_steps * sim.dt,
        v_syn=np.atleast_1d(sim.synapse.v_syn),
        tau=np.atleast_1d(sim.synapse.tau),
        type=sim.network.type.astype(np.int8),
        model=sim.model.name,
        **sim.neurons.params[0]._asdict(),
    )


def main(params_path, spikes_path, network_path=None, threads=1):
    with open(params_path) as file:
        params = json.load(file)
    warm_up(params, threads)
    report = {"baseline_mb": peak_mb(), "threads": threads}
    clock = time.perf_counter()
    sim = build.simulation(params)
    report["generate_s"] = time.perf_counter() - clock
    clock = time.perf_counter()
    csr = sim.network.csr()
    report["csr_s"] = time.perf_counter() - clock
    report["build_s"] = report["generate_s"] + report["csr_s"]
    clock = time.perf_counter()
    recording = params["record"]
    result = simulate(sim, recording["variables"], recording["neurons"], threads=threads)
    report["run_s"] = time.perf_counter() - clock
    report["peak_mb"] = peak_mb()
    net = sim.network
    arrays = {id(a): a for a in (net.pre, net.post, net.weight, net.type, *csr)}  # shared once
    report["connectivity_mb"] = sum(a.nbytes for a in arrays.values()) / 2**20
    report["spikes_mb"] = (result.spike_step.nbytes + result.spike_neuron.nbytes) / 2**20
    report["spikes"] = len(result.spike_step)
    delivered = result.spike_step + sim.delay_steps < sim.n_samples
    report["events"] = int(np.diff(csr[0])[result.spike_neuron[delivered]].sum())
    np.savez(spikes_path, step=result.spike_step, neuron=result.spike_neuron)
    if network_path:
        export(sim, network_path)
    print(json.dumps(report), flush=True)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(usage=__doc__)
    parser.add_argument("params")
    parser.add_argument("spikes")
    parser.add_argument("network", nargs="?")
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args()
    main(args.params, args.spikes, args.network, args.threads)
