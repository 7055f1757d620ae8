"""Resolved parameters -> the engine's :class:`~voltage_to_wiring.engine.Simulation`.

The one place where the params dict (``results/params/{experiment}.json``) meets the engine:
the network is rebuilt (from its edge list, or its edge file, whose hash is checked), and
per-neuron values given as one scalar are broadcast to all neurons.
"""

import numpy as np

from . import rng as rng_module
from .config import network_from_file
from .engine import Neuron, Simulation, Synapse
from .errors import ConfigError
from .files import sha256
from .network import Network, erdos_renyi, fixed_indegree, lognormal_weights


def generated_network(spec):
    """A network drawn by a connectivity rule, from its own seeded random streams."""
    n, rng = spec["n"], rng_module.generator(spec["seed"], "connectivity")
    if spec["rule"] == "fixed_indegree":
        pre, post = fixed_indegree(n, spec["k"], rng, spec["allow_self"], spec["allow_multiple"])
    else:
        pre, post = erdos_renyi(n, spec["p"], rng, spec["allow_self"])
    weight = spec["weight"]
    if isinstance(weight, dict):
        rng = rng_module.generator(spec["seed"], "weights")
        weights = lognormal_weights(weight["mean"], weight["std"], len(pre), rng)
    else:
        weights = np.full(len(pre), weight)
    return Network(n, pre, post, weights)


def network(params):
    """The network of resolved parameters (weights in S)."""
    spec = params["network"]
    if "rule" in spec:
        return generated_network(spec)
    if "file" in spec:
        digest = sha256(spec["file"])
        if digest != spec["sha256"]:
            raise ConfigError(
                f"edge file '{spec['file']}' changed since its parameters were resolved "
                "(sha256 differs): rerun the params step",
                key="network.edges.file",
                experiment=params["experiment"],
            )
        return network_from_file(spec["n"], spec["file"], spec["unit"])
    return Network.from_edges(spec["n"], spec["pre"], spec["post"], spec["weight"])


def per_neuron(value, n):
    """A float64 array of n values from a scalar, a list, or {uniform: [low, high], seed}."""
    if isinstance(value, dict):
        rng = rng_module.generator(value["seed"], "drive")
        return rng.uniform(*value["uniform"], size=n)
    return np.broadcast_to(np.asarray(value, dtype=np.float64), (n,)).copy()


def simulation(params):
    """Build the engine's input from resolved parameters."""
    n = params["n"]
    synapse = params["synapse"]
    return Simulation(
        neuron=Neuron(**params["neuron"]),
        synapse=Synapse(v_syn=synapse["v_syn"], tau=synapse["tau"]),
        network=network(params),
        dt=params["sim"]["dt"],
        n_samples=params["sim"]["n_samples"],
        delay_steps=synapse["delay_steps"],
        scheme=params["sim"]["scheme"],
        v0=per_neuron(params["initial"]["v"], n),
        u0=per_neuron(params["initial"]["u"], n),
        g0=per_neuron(params["initial"]["g"], n),
        I_ext=per_neuron(params["drive"]["current"], n),
    )
