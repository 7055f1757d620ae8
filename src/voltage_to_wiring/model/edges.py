"""Edge files: a CSV or NPZ file of ``pre``, ``post``, ``weight`` (and ``type``) -> a Network."""

from pathlib import Path

import numpy as np

from .. import units
from ..core.synapse_types import TYPES
from ..errors import ConfigError, located
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
    columns = read_columns(path, "edge file")
    missing = [c for c in ("pre", "post", "weight") if c not in columns]
    if missing:
        raise ConfigError(
            f"edge file '{path}' lacks the column(s) {missing}; it has {sorted(columns)}"
        )
    pre, post, weight = (
        one_column(columns, c, path, "edge file") for c in ("pre", "post", "weight")
    )
    codes = columns.get("type")
    if codes is not None:
        codes = one_column(columns, "type", path, "edge file")
        if not np.all(np.isin(codes, [t.code for t in TYPES])):
            meanings = " or ".join(f"{t.code} ({t.long_name})" for t in TYPES)
            raise ConfigError(f"edge file '{path}': 'type' must be {meanings}")
        codes = codes.astype(np.int64)
    return pre, post, weight, codes


def read_columns(path, what):
    """{name: 1-D float64 column} of a CSV file (a header naming the columns, then numbers)
    or an NPZ file (1-D numeric arrays by name); ``what`` names the file in refusals
    ("edge file", ...)."""
    path = Path(path)
    problem = not_a_file(path)
    if problem:
        raise ConfigError(f"{what} '{path}' {problem}")
    if path.suffix == ".npz":
        return _read_npz(path, what)
    if path.suffix == ".csv":
        return _read_csv(path, what)
    raise ConfigError(f"{what} '{path}' must end in .csv or .npz")


def _read_npz(path, what):
    try:
        with np.load(path, allow_pickle=False) as data:
            columns = {name: data[name] for name in data.files}
    except (OSError, ValueError, AttributeError) as err:  # AttributeError: a .npy array
        raise ConfigError(f"{what} '{path}' is not a readable NPZ file ({err})") from None
    return columns


def one_column(columns, name, path, what):
    """Column ``name`` of :func:`read_columns`' result, checked to be 1-D numbers."""
    values = np.asarray(columns[name])
    if values.ndim != 1 or values.dtype.kind not in "biuf":
        raise ConfigError(
            f"{what} '{path}': array '{name}' has shape {values.shape}; it must be 1-D, "
            f"one number per row (it holds {values.dtype})"
        )
    return values


def _read_csv(path, what):
    try:
        with open(path) as file:
            header = [h.strip() for h in file.readline().strip().split(",")]
    except UnicodeDecodeError:
        raise ConfigError(
            f"{what} '{path}' is not a text CSV file (not UTF-8): write it as text with a "
            "header naming its columns"
        ) from None
    repeated = sorted({h for h in header if header.count(h) > 1})
    if repeated:
        raise ConfigError(f"{what} '{path}': the header names {repeated} more than once")
    try:
        data = np.loadtxt(path, delimiter=",", skiprows=1, ndmin=2, dtype=np.float64)
    except (ValueError, UnicodeDecodeError) as err:
        raise ConfigError(f"{what} '{path}' has a value that is not a number ({err})") from None
    if data.size == 0:
        data = np.zeros((0, len(header)))
    if data.shape[1] != len(header):
        raise ConfigError(f"{what} '{path}': rows have {data.shape[1]} values, header {header}")
    return {name: data[:, i] for i, name in enumerate(header)}


def network_from_file(n, path, unit, n_sources=0):
    """Read and check an edge file of ``n`` neurons (and ``n_sources`` spike sources, neurons
    ``n ..``, which receive no synapses); weights are converted from ``unit`` (e.g. ``"nS"``)
    to siemens. Problems are ConfigErrors located at the config key."""
    pre, post, raw, codes = located(read_edge_file, "network.edges.file", path)
    weight = located(
        units.parse_array, "network.edges.unit", {"unit": unit, "values": raw}, SIEMENS
    )
    net = located(Network.from_edges, "network.edges.file", n + n_sources, pre, post, weight, codes)
    if n_sources and net.n_synapses and net.post.max() >= n:
        raise ConfigError(
            f"edge file '{path}': neuron {int(net.post.max())} is a spike source (neurons "
            f"{n} to {n + n_sources - 1}): sources receive no synapses",
            key="network.edges.file",
        )
    return net
