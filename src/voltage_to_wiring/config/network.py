"""The ``network`` section, in one of three forms: a dense weight matrix, an edge file, or a
generator (connectivity rule and weights); E/I populations with the last two."""

import zipfile
from pathlib import Path

import numpy as np

from .. import units
from ..errors import ConfigError, located
from ..files import sha256
from ..model.edges import network_from_file
from ..model.network import Network
from ..model.populations import type_codes
from ..units import SIEMENS
from .checks import count, quantity, refuse_unknown, seed_of
from .populations import possible_connections, resolve_counts, resolve_weights_by_connection
from .resources import available_memory
from .sources import resolve_sources

FORMS = {
    "weights": "'weights' (a square matrix [from, to])",
    "edges": "'n' and 'edges' (an edge file)",
    "connectivity": "'n', 'connectivity' (a generator) and 'weight'",
}
RULES = {"fixed_indegree": {"k"}, "erdos_renyi": {"p"}}
RULE_FLAGS = {"fixed_indegree": {"allow_self", "allow_multiple"}, "erdos_renyi": {"allow_self"}}


def resolve_network(network, sim):
    """The resolved network: its edge list, its edge file (and hash), or its generator."""
    forms = [form for form in FORMS if form in network]
    if len(forms) != 1:
        raise ConfigError(f"give exactly one of: {'; '.join(FORMS.values())}", key="network")
    if forms[0] == "weights":
        return _dense(network)
    if forms[0] == "edges":
        return _edge_file(network, sim)
    return _generator(network, sim)


def _populations_and_sources(network, n, sim, resolved):
    """Add the resolved populations and spike sources (if any) to ``resolved``."""
    typed = "populations" in network
    if typed:
        resolved["populations"] = resolve_counts(network["populations"], n)
    if "sources" in network:
        resolved["sources"] = resolve_sources(network["sources"], sim, typed)
    return resolved


def _dense(network):
    if set(network) != {"weights"}:
        raise ConfigError(
            f"a weight matrix gives the network whole: remove {sorted(set(network) - {'weights'})}",
            key="network",
        )
    weights = located(units.parse_array, "network.weights", network["weights"], SIEMENS)
    if weights.size == 0:
        raise ConfigError("the network is empty: give at least one neuron", key="network.weights")
    net = located(Network.from_dense, "network.weights", weights)
    return {
        "n": net.n,
        "pre": net.pre.tolist(),
        "post": net.post.tolist(),
        "weight": net.weight.tolist(),
    }


def _generator(network, sim):
    """A generated network: {rule, its parameter, flags}, weights constant or log-normal."""
    n = count(network.get("n"), "network.n")
    spec = network["connectivity"]
    rule = spec.get("rule") if isinstance(spec, dict) else None
    if rule not in RULES:
        raise ConfigError(
            f"needs a rule, one of {', '.join(RULES)}; got {spec!r}", key="network.connectivity"
        )
    refuse_unknown(spec, sorted({"rule"} | RULES[rule] | RULE_FLAGS[rule]), "network.connectivity")
    missing = RULES[rule] - set(spec)
    if missing:
        raise ConfigError(f"the {rule} rule needs {sorted(missing)}", key="network.connectivity")
    resolved = {"n": n, "rule": rule, "seed": seed_of(sim)}
    for flag in sorted(RULE_FLAGS[rule]):
        value = spec.get(flag, False)
        if not isinstance(value, bool):
            raise ConfigError(
                f"must be true or false, got {value!r}", key=f"network.connectivity.{flag}"
            )
        resolved[flag] = value
    _populations_and_sources(network, n, sim, resolved)
    if rule == "fixed_indegree":
        resolved["k"] = _in_degree(spec["k"], n, resolved)
    else:
        resolved["p"] = _probability(spec["p"])
    if "populations" in network:
        possible = possible_connections(resolved)
        resolved["weight"] = resolve_weights_by_connection(network.get("weight"), possible, _weight)
    else:
        resolved["weight"] = _weight(network.get("weight"), "network.weight")
    return resolved


def _in_degree(k, n, resolved):
    k = count(k, "network.connectivity.k")
    n += resolved["sources"]["n"] if "sources" in resolved else 0
    pool = n if resolved["allow_self"] else n - 1
    if k > pool and not resolved["allow_multiple"]:
        raise ConfigError(
            f"an in-degree of {k} needs {k} distinct sources, but there are {pool}",
            key="network.connectivity.k",
        )
    return k


def _probability(p):
    if isinstance(p, bool) or not isinstance(p, (int, float)) or not 0 <= p <= 1:
        raise ConfigError(
            f"must be a probability in [0, 1], got {p!r}", key="network.connectivity.p"
        )
    return float(p)


def _weight(weight, key):
    """A constant weight ("0.1 nS") or log-normal ({mean: 0.1 nS, std: 0.05 nS})."""
    if weight is None:
        raise ConfigError(
            "a generated network needs a weight, e.g. '0.1 nS' or "
            "{mean: 0.1 nS, std: 0.05 nS} (log-normal)",
            key=key,
        )
    if not isinstance(weight, dict):
        return quantity(weight, SIEMENS, key, positive=True)
    refuse_unknown(weight, ("mean", "std"), key)
    if set(weight) != {"mean", "std"}:
        raise ConfigError("a log-normal weight needs 'mean' and 'std'", key=key)
    mean = quantity(weight["mean"], SIEMENS, f"{key}.mean")
    std = quantity(weight["std"], SIEMENS, f"{key}.std")
    if not (mean > 0 and std > 0):
        raise ConfigError("mean and std must be positive", key=key)
    return {"mean": mean, "std": std}


def _edge_file(network, sim):
    n = count(network.get("n"), "network.n")
    refuse_unknown(network, ("n", "edges", "populations", "sources"), "network")
    edges = network["edges"]
    if not isinstance(edges, dict) or set(edges) != {"file", "unit"}:
        raise ConfigError(
            "must be {file: PATH, unit: UNIT}, e.g. {file: edges.csv, unit: nS}",
            key="network.edges",
        )
    resolved = _populations_and_sources(network, n, sim, {"n": n})
    n_sources = resolved["sources"]["n"] if "sources" in resolved else 0
    check_edge_file_size(edges["file"])
    net = network_from_file(n, edges["file"], edges["unit"], n_sources)
    resolved.update(
        file=str(edges["file"]),
        unit=edges["unit"],
        sha256=sha256(edges["file"]),
        typed=net.typed,
        synapses=net.n_synapses,
    )
    if "populations" in network:
        if net.typed and not np.array_equal(net.type, type_codes(net.pre, resolved)):
            raise ConfigError(
                "the edge file's 'type' column breaks Dale's law: a synapse's "
                "type must be its presynaptic population's",
                key="network.edges.file",
            )
    return resolved


MAX_CSV_BYTES = 1 << 30  # a CSV edge file above this is refused: NPZ holds the same in 1/3


def check_edge_file_size(path):
    """Refuse, before reading it, an edge file too large to read here (see
    :func:`check_file_size`)."""
    check_file_size(path, "edge file", "network.edges.file")


def check_file_size(path, what, key):
    """Refuse, before reading it, a file of columns (an edge or array file) too large to
    read here: a CSV file over ``MAX_CSV_BYTES``, or an NPZ file whose arrays unpack to more
    than half of this machine's available memory (a 3.5 MB NPZ of zeros can expand to
    3.6 GB). ``what`` names it, ``key`` is its config key."""
    path = Path(path)
    if not path.is_file():
        return  # the reader says so
    if path.suffix == ".csv" and path.stat().st_size > MAX_CSV_BYTES:
        raise ConfigError(
            f"{what} '{path}' is {path.stat().st_size / 1e9:.1f} GB; CSV {what}s are "
            f"limited to {MAX_CSV_BYTES / 1e9:.1f} GB: write the columns as NPZ "
            "(numpy.savez(path, name=values, ...))",
            key=key,
        )
    if path.suffix == ".npz":
        try:
            with zipfile.ZipFile(path) as archive:
                unpacked = sum(member.file_size for member in archive.infolist())
        except (OSError, zipfile.BadZipFile):
            return  # not a readable NPZ: the reader says so
        budget = available_memory() / 2
        if unpacked > budget:
            raise ConfigError(
                f"{what} '{path}' unpacks to {unpacked / 1e9:.1f} GB, more than half of the "
                f"{2 * budget / 1e9:.1f} GB of memory available here",
                key=key,
            )
