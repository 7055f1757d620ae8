"""What a simulation will need, estimated from its resolved parameters before any job runs:
memory and disk, refused in one line when this machine cannot give them, with the knob to
turn; and the random drives' size per step, which numpy's Poisson draws bound.

The estimates are upper bounds of what the engine allocates (measured: the benchmark's
100-million-synapse network peaks at 2.6 GB): an edge list and its CSR copy at most
``BYTES_PER_SYNAPSE``, the state at most ``BYTES_PER_NEURON``, the chunk buffers at most
``CHUNK_BYTES`` each, plus the interpreter. Spikes are streamed to the file chunk by chunk;
their number is not known in advance, so the disk estimate leaves them out.
"""

import os
import shutil
from pathlib import Path

from ..errors import ConfigError

BYTES_PER_SYNAPSE = 48
BYTES_PER_NEURON = 120
CHUNK_BYTES = 3 * 32 * 2**20  # traces, random drives, spikes of a chunk
INTERPRETER_BYTES = 300 * 2**20
# The most Poisson input spikes (or spike-source spikes) the engine draws per step.
MAX_EVENTS_PER_STEP = 10_000_000


def synapses(network):
    """Synapses of resolved network parameters (expected, for Erdos-Renyi networks)."""
    if "pre" in network:
        return len(network["pre"])
    if "synapses" in network:
        return network["synapses"]
    total = network["n"] + (network["sources"]["n"] if "sources" in network else 0)
    if network.get("rule") == "fixed_indegree":
        return network["n"] * network["k"]
    return int(total * network["n"] * network.get("p", 0))


def memory_bytes(params):
    """Peak memory of the simulate step (bytes, an upper estimate)."""
    network = params["network"]
    nodes = params["n"] + (network["sources"]["n"] if "sources" in network else 0)
    return (
        BYTES_PER_SYNAPSE * synapses(network)
        + BYTES_PER_NEURON * nodes
        + CHUNK_BYTES
        + INTERPRETER_BYTES
    )


def trace_bytes(params):
    """Bytes of the recorded traces in the dataset."""
    record = params["record"]
    neurons = params["n"] if record["neurons"] == "all" else len(record["neurons"])
    return 8 * params["sim"]["n_samples"] * len(record["variables"]) * neurons


def available_memory():
    """Memory available to a new process (bytes): /proc/meminfo's MemAvailable, else the
    physical memory."""
    try:
        with open("/proc/meminfo") as file:
            for line in file:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")


def _gb(nbytes):
    return f"{nbytes / 1e9:.1f} GB"


# Where the pipeline writes simulations (results/sims may be a link to another disk).
SIMULATIONS = "results/sims"


def written_to(folder):
    """The existing folder whose disk ``folder`` is written to: ``folder`` itself with its
    links followed, or its nearest existing parent (before the first run makes it)."""
    path = Path(folder).resolve()
    while not path.exists() and path != path.parent:
        path = path.parent
    return path


def check(params, folder=SIMULATIONS):
    """Refuse a simulation that cannot fit this machine's memory, or whose traces cannot fit
    the free disk of ``folder`` (where it is written: see :func:`written_to`); refuse random
    drives too large to draw."""
    check_events(params)
    need, have = memory_bytes(params), available_memory()
    if need > have:
        raise ConfigError(
            f"the simulation needs about {_gb(need)} of memory ({params['n']:,} neurons, "
            f"{synapses(params['network']):,} synapses) but this machine has {_gb(have)} "
            "available: lower network.n or the synapses per neuron, or run it on a bigger "
            "machine",
            key="network",
        )
    where = written_to(folder)
    traces, free = trace_bytes(params), shutil.disk_usage(where).free
    if traces > free:
        raise ConfigError(
            f"its recorded traces take {_gb(traces)} ({params['sim']['n_samples']:,} samples x "
            f"{len(params['record']['variables'])} variables x the recorded neurons) but the "
            f"disk of {where} has {_gb(free)} free: record fewer neurons or variables, or a "
            "shorter duration",
            key="record",
        )


def check_events(params):
    dt, n, drive = params["sim"]["dt"], params["n"], params["drive"]
    if "poisson" in drive:
        poisson = drive["poisson"]
        per_step = poisson["inputs"] * poisson["rate"] * n * dt
        if per_step > MAX_EVENTS_PER_STEP:
            raise ConfigError(
                f"inputs x rate x neurons x dt = {per_step:.3g} input spikes per step; the "
                f"engine draws at most {MAX_EVENTS_PER_STEP:.0e}: lower inputs or rate (the "
                "sum of M trains of rate r is one train of rate M r)",
                key="drive.poisson",
            )
    sources = params["network"].get("sources")
    if sources:
        rate = sources["rate"]["mean"] if isinstance(sources["rate"], dict) else sources["rate"]
        per_step = sources["n"] * rate * dt
        if per_step > MAX_EVENTS_PER_STEP:
            raise ConfigError(
                f"{per_step:.3g} source spikes per step on average; the engine draws at most "
                f"{MAX_EVENTS_PER_STEP:.0e}: fewer sources or lower rates",
                key="network.sources",
            )


BUSY_TRAIN = 100.0  # Hz: the rate the memory estimate assumes of a tested train (generous)


def inference_memory(settings):
    """{key: bytes} an inference of resolved ``settings`` needs at its peak, by the setting
    that drives each part: the noise covariance (``window``, window^2), one train's surrogates
    and their sums on each of 2 threads (``shuffles``), the generated unconnected trains
    (``unconnected``) and shadows (``shadows``), ``joint``'s Gram matrix and projections
    (``methods``) and the signals of the recording (``duration``)."""
    window, shuffles = settings["window"]["steps"], settings["shuffles"]
    samples = settings["duration"] * window / settings["window"]["seconds"]  # duration / dt
    spikes = BUSY_TRAIN * settings["duration"]  # of one train
    shadows = (settings.get("shadows") or {}).get("count", 0)
    joint = "joint" in settings["methods"]
    # joint's Gram matrix (three copies) where the number of tested trains is known
    trains = 2 * settings.get("per_type", 0) + settings.get("unconnected", 0) + shadows
    gram = 3 * trains**2 * 8 if joint and settings["trains"] in ("top_rate", "random") else 0
    return {
        "window": 4 * window**2 * 8,
        "shuffles": 2 * shuffles * (2 * spikes + window) * 8,
        "unconnected": settings.get("unconnected", 0) * spikes * 8,
        "shadows": shadows * spikes * 8,
        "methods": gram + (4 * samples * 8 if joint else 0),  # and its projections
        "duration": 15 * samples * 8,  # the signals, and 8 summed at spikes (sta.point_signals)
    }


def check_inference(settings):
    """Refuse an inference that cannot fit this machine's available memory, naming the
    setting that needs the most of it (the plan checks it where the jobs run here)."""
    parts = inference_memory(settings)
    need, have = sum(parts.values()), available_memory()
    if need > have:
        key = max(parts, key=parts.get)
        raise ConfigError(
            f"the inference needs about {need / 1e9:.1f} GB of memory ({parts[key] / 1e9:.1f} GB "
            f"of it for this setting) but this machine has {have / 1e9:.1f} GB available: "
            "lower it",
            key=f"inference.{key}",
        )
