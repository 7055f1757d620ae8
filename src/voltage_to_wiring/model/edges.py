"""Edge files: a CSV or NPZ file of ``pre``, ``post``, ``weight`` (and ``type``) -> a Network."""

from pathlib import Path

import numpy as np

from .. import units
from ..core.synapse_types import TYPES
from ..errors import ConfigError
from ..files import not_a_file
from ..units import SIEMENS
from .network import Network


def read_edge_file(path):
    """Read ``pre``, ``post``, the raw ``weight`` numbers and ``type`` from an edge file.

    CSV files need a header naming the columns ``pre,post,weight`` (in any order); NPZ files
    need arrays with those names. An optional column ``type`` gives each synapse's type code
    (0 excitatory, 1 inhibitory, see :mod:`.synapse_types`); it is None when absent. Weights
    are returned as written, without units.
    """
    path = Path(path)
    problem = not_a_file(path)
    if problem:
        raise ConfigError(f"edge file '{path}' {problem}")
    if path.suffix == ".npz":
        columns = _read_npz(path)
    elif path.suffix == ".csv":
        columns = _read_csv(path)
    else:
        raise ConfigError(f"edge file '{path}' must end in .csv or .npz")
    missing = [c for c in ("pre", "post", "weight") if c not in columns]
    if missing:
        raise ConfigError(
            f"edge file '{path}' lacks the column(s) {missing}; it has {sorted(columns)}"
        )
    codes = columns.get("type")
    if codes is not None:
        codes = np.asarray(codes).reshape(-1)
        if not np.all(np.isin(codes, [t.code for t in TYPES])):
            meanings = " or ".join(f"{t.code} ({t.long_name})" for t in TYPES)
            raise ConfigError(f"edge file '{path}': 'type' must be {meanings}")
        codes = codes.astype(np.int64)
    return columns["pre"], columns["post"], columns["weight"], codes


def _read_npz(path):
    try:
        with np.load(path) as data:
            columns = {name: data[name] for name in data.files}
    except (OSError, ValueError) as err:
        raise ConfigError(f"edge file '{path}' is not a readable NPZ file ({err})") from None
    for name, values in columns.items():
        if name in COLUMNS and values.ndim != 1:
            raise ConfigError(
                f"edge file '{path}': array '{name}' has shape {values.shape}; it must be "
                "1-D, one value per synapse"
            )
    return columns


COLUMNS = ("pre", "post", "weight", "type")


def _read_csv(path):
    try:
        with open(path) as file:
            header = [h.strip() for h in file.readline().strip().split(",")]
    except UnicodeDecodeError:
        raise ConfigError(
            f"edge file '{path}' is not a text CSV file (not UTF-8): write it as text with "
            "the header pre,post,weight"
        ) from None
    repeated = sorted({h for h in header if header.count(h) > 1})
    if repeated:
        raise ConfigError(f"edge file '{path}': the header names {repeated} more than once")
    try:
        data = np.loadtxt(path, delimiter=",", skiprows=1, ndmin=2, dtype=np.float64)
    except (ValueError, UnicodeDecodeError) as err:
        raise ConfigError(f"edge file '{path}' has a value that is not a number ({err})") from None
    if data.size == 0:
        data = np.zeros((0, len(header)))
    if data.shape[1] != len(header):
        raise ConfigError(f"edge file '{path}': rows have {data.shape[1]} values, header {header}")
    return {name: data[:, i] for i, name in enumerate(header)}


def network_from_file(n, path, unit, n_sources=0):
    """Read and check an edge file of ``n`` neurons (and ``n_sources`` spike sources, neurons
    ``n ..``, which receive no synapses); weights are converted from ``unit`` (e.g. ``"nS"``)
    to siemens. Problems are ConfigErrors located at the config key."""
    pre, post, raw, codes = _located(read_edge_file, "network.edges.file", path)
    weight = _located(
        units.parse_array, "network.edges.unit", {"unit": unit, "values": raw}, SIEMENS
    )
    net = _located(
        Network.from_edges, "network.edges.file", n + n_sources, pre, post, weight, codes
    )
    if n_sources and net.n_synapses and net.post.max() >= n:
        raise ConfigError(
            f"edge file '{path}': neuron {int(net.post.max())} is a spike source (neurons "
            f"{n} to {n + n_sources - 1}): sources receive no synapses",
            key="network.edges.file",
        )
    return net


def _located(function, key, *args):
    try:
        return function(*args)
    except ConfigError as err:
        raise err.located(key=key) from None
