"""Simulate one experiment from its params JSON and write the dataset (netCDF)."""

import logging
import time
from pathlib import Path

from ..config.sim import NEURONS_PER_THREAD, capped_threads
from ..cpus import thread_count, usable_threads
from ..data import dataset
from ..engine.driver import run as run_engine
from ..engine.simulation import recorded_neurons
from ..errors import ConfigError
from ..model import build
from ..provenance import record
from ._settings import json_of

log = logging.getLogger("voltage_to_wiring")


def add_arguments(parser):
    parser.add_argument("--params", required=True, type=Path)
    parser.add_argument("--output", required=True, type=Path)
    parser.add_argument(
        "--chunk-steps",
        type=int,
        default=None,
        help="samples per chunk (default: chosen to bound memory)",
    )
    parser.add_argument(
        "--threads",
        type=thread_count,
        default=1,
        help="threads of the synchronous scheme (results do not depend on it; default 1)",
    )
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")


def run(args):
    params = json_of(args.params.read_text(), f"--params {args.params}")
    if "sim" not in params or "experiment" not in params:
        raise ConfigError(
            f"--params {args.params}: not resolved parameters (make them with resolve_params)"
        )
    started, clock = record.now(), time.perf_counter()
    sim = build.simulation(params)
    sim.network.csr()  # here, so that building the network is timed as such
    seconds = {"network": time.perf_counter() - clock, "engine": 0.0}
    asked = usable_threads(args.threads) if sim.scheme == "synchronous" else 1
    threads = capped_threads(asked, sim.n)
    if threads < asked:
        log.info(
            "%d neurons: %d thread(s), not %d (threads of fewer than %d neurons each spend "
            "their steps waiting for each other, and far longer on a busy machine; the same "
            "bits either way)",
            sim.n,
            threads,
            asked,
            NEURONS_PER_THREAD,
        )
    log.info(
        "simulating '%s': %d neurons, %d synapses, %d samples, %s scheme, %d thread(s)",
        params["experiment"],
        sim.n,
        sim.network.n_synapses,
        sim.n_samples,
        sim.scheme,
        threads,
    )
    clock = time.perf_counter()
    recording = params["record"]
    chunks = _timed(
        seconds,
        run_engine(
            sim,
            recording["variables"],
            recording["neurons"],
            chunk_steps=args.chunk_steps,
            progress=not args.no_progress,
            threads=threads,
        ),
    )
    inputs = [args.params] + ([params["network"]["file"]] if "file" in params["network"] else [])
    n_spikes = dataset.write_chunks(
        args.output,
        params,
        sim.network,
        recorded_neurons(sim.n, recording["neurons"]),
        chunks,
        final_attrs=lambda: record.attrs(params, inputs, started),  # once the run is over
        source_rate=None if sim.sources is None else sim.sources.rate,
    )
    seconds["write"] = time.perf_counter() - clock - seconds["engine"]
    log.info(
        "wrote %s: %d spikes; network %.2f s, engine %.2f s, writing %.2f s",
        args.output,
        n_spikes,
        seconds["network"],
        seconds["engine"],
        seconds["write"],
    )
    return args.output, inputs, params, {"threads": threads, "seconds": seconds}


def _timed(seconds, chunks):
    """``chunks``, adding the time spent making each to ``seconds["engine"]``."""
    chunks = iter(chunks)
    while True:
        clock = time.perf_counter()
        chunk = next(chunks, None)
        seconds["engine"] += time.perf_counter() - clock
        if chunk is None:
            return
        yield chunk
