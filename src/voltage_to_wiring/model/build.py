"""Resolved parameters -> the engine's :class:`~voltage_to_wiring.engine.simulation.Simulation`.

The one place where the params dict (``results/params/{experiment}.json``) meets the engine:
the network is rebuilt (from its edge list, its generator and seed, or its edge file, whose
hash is checked), and per-neuron values given as one scalar are broadcast to all neurons.
"""

import math

import numpy as np

from .. import rng as rng_module
from ..core import neurons as neuron_models
from ..core.synapse_types import BY_NAME, names_of
from ..engine.inputs import Noise, Poisson, Sources
from ..engine.kernels import Neurons, Synapse
from ..engine.simulation import Simulation
from ..errors import ConfigError
from ..files import sha256
from . import populations
from .edges import network_from_file
from .generators import erdos_renyi, fixed_indegree
from .network import Network
from .weights import generated_weights, source_rates


def generated_network(spec):
    """A network drawn by a connectivity rule, from its own seeded random streams."""
    n, rng = spec["n"], rng_module.generator(spec["seed"], "connectivity")
    n_sources = n_sources_of(spec)
    if spec["rule"] == "fixed_indegree":
        flags = spec["allow_self"], spec["allow_multiple"]
        pre, post = fixed_indegree(n, spec["k"], rng, *flags, n_sources=n_sources)
    else:
        pre, post = erdos_renyi(n, spec["p"], rng, spec["allow_self"], n_sources=n_sources)
    weights = generated_weights(spec, pre, post)
    codes = populations.type_codes(pre, spec) if "populations" in spec else None
    return Network(n + n_sources, pre, post, weights, codes)


def n_sources_of(network):
    """Number of spike sources of resolved network parameters."""
    return network["sources"]["n"] if "sources" in network else 0


def _file_network(spec, experiment):
    digest = sha256(spec["file"])
    if digest != spec["sha256"]:
        raise ConfigError(
            f"edge file '{spec['file']}' changed since its parameters were resolved "
            "(sha256 differs): rerun the params step",
            key="network.edges.file",
            experiment=experiment,
        )
    net = network_from_file(spec["n"], spec["file"], spec["unit"], n_sources_of(spec))
    if "populations" in spec:
        codes = populations.type_codes(net.pre, spec)
        net = Network(net.n, net.pre, net.post, net.weight, codes)
    return net


def network(params):
    """The network of resolved parameters (weights in S)."""
    spec = params["network"]
    if "rule" in spec:
        return generated_network(spec)
    if "file" in spec:
        return _file_network(spec, params["experiment"])
    return Network.from_edges(spec["n"], spec["pre"], spec["post"], spec["weight"])


def per_neuron(value, n, counts=None):
    """A float64 array of n values from a scalar, a list, {uniform: [low, high], seed}, or
    one value per population ({exc: value, inh: value}, ``counts`` neurons each)."""
    if isinstance(value, dict) and "uniform" in value:
        rng = rng_module.generator(value["seed"], "drive")
        return rng.uniform(*value["uniform"], size=n)
    if isinstance(value, dict):
        return np.repeat([float(value[p]) for p in counts], [counts[p] for p in counts])
    return np.broadcast_to(np.asarray(value, dtype=np.float64), (n,)).copy()


def neuron_parameters(params):
    """The neuron model of resolved parameters and the engine's :class:`Neurons`: one
    parameter set, or one per population (excitatory neurons first)."""
    model = neuron_models.of(params["neuron"])
    sets = neuron_models.parameter_sets(params["neuron"])
    if None in sets:
        bounds = [0, params["n"]]
    else:
        counts = params["network"]["populations"]
        bounds = np.cumsum([0, *(counts[p] for p in sets)]).tolist()
    values = tuple(model.values(s) for s in sets.values())
    return model, Neurons(params=values, bounds=np.array(bounds, dtype=np.int64))


def synapse(params):
    """The engine's synapse parameters: one value, or one per type (exc, inh)."""
    spec, types = params["synapse"], names_of(params["network"])
    if types:
        return Synapse(
            v_syn=np.array([spec[t]["v_syn"] for t in types]),
            tau=np.array([spec[t]["tau"] for t in types]),
        )
    return Synapse(v_syn=spec["v_syn"], tau=spec["tau"])


def random_drives(params):
    """The engine's random drives (Poisson input, noise) of resolved parameters, or None."""
    drive, dt = params["drive"], params["sim"]["dt"]
    poisson = noise = None
    if "poisson" in drive:
        spec = drive["poisson"]
        poisson = Poisson(
            rate=spec["inputs"] * spec["rate"],
            weight=spec["weight"],
            type=BY_NAME[spec["type"]].code if spec["type"] is not None else 0,
            seed=spec["seed"],
        )
    if "noise" in drive:
        spec = drive["noise"]
        noise = Noise(
            amplitude=spec["std"] * math.sqrt(spec["tau"] / dt),
            seed=spec["seed"],
        )
    return poisson, noise


def spike_sources(params):
    """The engine's spike sources of resolved parameters, or None."""
    network = params["network"]
    if "sources" not in network:
        return None
    return Sources(
        rate=source_rates(network),
        offset=params["n"],
        seed=network["sources"]["seed"],
        dt=params["sim"]["dt"],
    )


def simulation(params):
    """Build the engine's input from resolved parameters."""
    n = params["n"]
    poisson, noise = random_drives(params)
    model, neurons = neuron_parameters(params)
    counts = params["network"].get("populations")
    return Simulation(
        model=model,
        neurons=neurons,
        synapse=synapse(params),
        network=network(params),
        dt=params["sim"]["dt"],
        n_samples=params["sim"]["n_samples"],
        delay_steps=params["synapse"]["delay_steps"],
        scheme=params["sim"]["scheme"],
        v0=per_neuron(params["initial"]["v"], n, counts),
        x0=per_neuron(params["initial"][model.x.name], n, counts),
        g0=per_neuron(params["initial"]["g"], n),
        I_ext=per_neuron(params["drive"]["current"], n),
        types=names_of(params["network"]),
        poisson=poisson,
        noise=noise,
        sources=spike_sources(params),
    )
