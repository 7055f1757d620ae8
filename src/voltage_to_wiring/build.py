"""Resolved parameters -> the engine's :class:`~voltage_to_wiring.engine.Simulation`.

The one place where the params dict (``results/params/{experiment}.json``) meets the engine:
the network is rebuilt (from its edge list, or its edge file, whose hash is checked), and
per-neuron values given as one scalar are broadcast to all neurons.
"""

import math

import numpy as np

from . import populations
from . import rng as rng_module
from .config import network_from_file
from .engine import Neuron, Simulation, Synapse
from .engine.driver import Noise, Poisson
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
    if "populations" in spec:
        counts = spec["populations"]
        weights = populations.weights(pre, post, counts, weight, spec["seed"])
        return Network(n, pre, post, weights, populations.kinds(pre, counts))
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
        net = network_from_file(spec["n"], spec["file"], spec["unit"])
        if "populations" in spec:
            net = Network(
                net.n,
                net.pre,
                net.post,
                net.weight,
                populations.kinds(net.pre, spec["populations"]),
            )
        return net
    return Network.from_edges(spec["n"], spec["pre"], spec["post"], spec["weight"])


def per_neuron(value, n):
    """A float64 array of n values from a scalar, a list, or {uniform: [low, high], seed}."""
    if isinstance(value, dict):
        rng = rng_module.generator(value["seed"], "drive")
        return rng.uniform(*value["uniform"], size=n)
    return np.broadcast_to(np.asarray(value, dtype=np.float64), (n,)).copy()


def types(params):
    """Synapse type names: ("exc", "inh") for an E/I network, () for one synapse type."""
    return populations.TYPES if populations.typed(params["network"]) else ()


def synapse(params):
    """The engine's synapse parameters: one value, or one per type (exc, inh)."""
    spec = params["synapse"]
    if types(params):
        return Synapse(
            v_syn=np.array([spec[t]["v_syn"] for t in populations.TYPES]),
            tau=np.array([spec[t]["tau"] for t in populations.TYPES]),
        )
    return Synapse(v_syn=spec["v_syn"], tau=spec["tau"])


def inputs(params):
    """The engine's random inputs (Poisson, noise) of resolved parameters, or None."""
    drive, dt = params["drive"], params["sim"]["dt"]
    poisson = noise = None
    if "poisson" in drive:
        spec = drive["poisson"]
        kind = types(params).index(spec["type"]) if spec["type"] is not None else 0
        poisson = Poisson(
            rate=spec["inputs"] * spec["rate"],
            weight=spec["weight"],
            kind=kind,
            rng=rng_module.generator(spec["seed"], "poisson"),
            targets=rng_module.generator(spec["seed"], "poisson_targets"),
        )
    if "noise" in drive:
        spec = drive["noise"]
        noise = Noise(
            amplitude=spec["std"] * math.sqrt(spec["tau"] / dt),
            rng=rng_module.generator(spec["seed"], "noise"),
        )
    return poisson, noise


def simulation(params):
    """Build the engine's input from resolved parameters."""
    n = params["n"]
    poisson, noise = inputs(params)
    return Simulation(
        neuron=Neuron(**params["neuron"]),
        synapse=synapse(params),
        network=network(params),
        dt=params["sim"]["dt"],
        n_samples=params["sim"]["n_samples"],
        delay_steps=params["synapse"]["delay_steps"],
        scheme=params["sim"]["scheme"],
        v0=per_neuron(params["initial"]["v"], n),
        u0=per_neuron(params["initial"]["u"], n),
        g0=per_neuron(params["initial"]["g"], n),
        I_ext=per_neuron(params["drive"]["current"], n),
        types=types(params),
        poisson=poisson,
        noise=noise,
    )
