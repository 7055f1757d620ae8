"""Run a 100,000-neuron network with 10 million synapses; print spikes and peak memory (MB).

Used by tests/test_scale.py in a subprocess of its own, so that the peak is this run's.
"""

import json
import resource
import sys

import numpy as np

from voltage_to_wiring.core import neurons
from voltage_to_wiring.engine.driver import simulate
from voltage_to_wiring.engine.kernels import Neurons, Synapse
from voltage_to_wiring.engine.simulation import Simulation
from voltage_to_wiring.model.network import Network

nS, mV, ms, pF, pA = 1e-9, 1e-3, 1e-3, 1e-12, 1e-12


def main(n, k, samples):
    rng = np.random.default_rng(0)
    post = np.repeat(np.arange(n), k)
    pre = rng.integers(0, n - 1, size=n * k)
    pre += pre >= post  # no self-connections
    network = Network.from_edges(n, pre, post, np.full(n * k, 0.1 * nS))
    del pre, post
    model = neurons.get("izhikevich")
    neuron = model.Parameters(
        C=100 * pF,
        k=0.7 * (nS / mV),
        b=-2 * nS,
        v_r=-60 * mV,
        v_t=-40 * mV,
        v_peak=35 * mV,
        c=-50 * mV,
        a=0.03 / ms,
        d=100 * pA,
    )
    sim = Simulation(
        model,
        Neurons((neuron,), np.array([0, n])),
        Synapse(v_syn=0.0, tau=7 * ms),
        network,
        0.1 * ms,
        samples,
        45,
        "synchronous",
        np.full(n, -60 * mV),
        np.zeros(n),
        np.zeros(n),
        rng.uniform(30, 70, n) * pA,
    )
    result = simulate(sim, variables=["v"], neurons=[0, n - 1])
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        json.dumps(
            {
                "spikes": len(result.spike_step),
                "peak_mb": peak,
                "synapses": network.n_synapses,
                "finite": bool(np.isfinite(result.traces["v"]).all()),
            }
        )
    )


if __name__ == "__main__":
    main(*map(int, sys.argv[1:]))
