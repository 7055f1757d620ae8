"""The driver around the kernels: allocates, runs chunk by chunk, hands on what was recorded.

:func:`run` yields :class:`~.simulation.Chunk` objects, so a writer can stream long
recordings to disk; :func:`simulate` collects them into whole arrays.
"""

import sys
from contextlib import contextmanager

import numpy as np
from tqdm import tqdm

from ..core.variables import conductance_names
from ..cpus import usable_threads
from ..errors import SimulationError
from . import kernels, memory
from .inputs import Draws, bytes_per_neuron_step
from .kernels import BASE, BLOWUP, N_SPIKES, Synapse
from .parts import make_parts
from .simulation import Chunk, Result, recorded_neurons
from .threads import Team

# Default chunk length: at most this many bytes of recorded traces per chunk, and about this
# many neuron-steps of work, so that progress is reported a few times a second.
CHUNK_BYTES = 32 * 2**20
CHUNK_WORK = 20_000_000


def default_chunk_steps(n, n_traced_values, n_samples, input_bytes=0):
    """Chunk length bounding memory (CHUNK_BYTES for traces, and for random inputs of
    ``input_bytes`` per neuron and step) and work per chunk (CHUNK_WORK)."""
    by_memory = CHUNK_BYTES // max(1, 8 * n_traced_values, input_bytes * n)
    by_work = CHUNK_WORK // max(1, n)
    return int(max(1, min(by_memory, by_work, n_samples)))


def _allocate(sim, variables, idx, chunk_steps):
    n, types = sim.n, sim.n_types
    synapse = Synapse(
        v_syn=np.broadcast_to(np.asarray(sim.synapse.v_syn, float), (types,)),
        tau=np.broadcast_to(np.asarray(sim.synapse.tau, float), (types,)),
    )
    # the arrays the update pass streams through every step, in huge pages (see .memory)
    g = memory.copy(np.broadcast_to(np.asarray(sim.g0, float).reshape(-1, n), (types, n)))
    v = memory.copy(sim.v0, np.float64)
    state = kernels.State(
        v=v,
        x=memory.copy(sim.x0, np.float64),
        g=g,
        I=memory.zeros(n) if sim.scheme == "sequential" else memory.copy(_current(g, v, synapse)),
        g_next=memory.zeros((types, n if sim.scheme == "sequential" else 0)),
        I_ext=memory.copy(sim.I_ext, np.float64),
        crossed=memory.zeros(-(-n // 64) * 64, np.uint8),  # padded to whole 64-byte blocks
    )
    queue = kernels.Queue(
        ids=np.zeros(2 * n + 1024, dtype=np.int32),
        count=np.zeros(sim.delay_steps + 1, dtype=np.int64),
        pos=np.zeros(2, dtype=np.int64),
    )
    pos = np.full(n, -1, dtype=np.int64)
    pos[idx] = np.arange(len(idx))
    order = ("v", sim.model.x.name, "I", *conductance_names(sim.types))
    slot = np.array([variables.index(x) if x in variables else -1 for x in order])
    capacity = max(4 * n, 1 << 16)
    rec = kernels.Recorder(
        idx=idx,
        pos=pos,
        slot=slot.astype(np.int64),
        traces=np.zeros((len(variables), chunk_steps + 1, len(idx))),
        spike_step=np.zeros(capacity, dtype=np.int64),
        spike_neuron=np.zeros(capacity, dtype=np.int64),
        counters=np.array([0, 0, -1], dtype=np.int64),
    )
    return synapse, state, queue, rec


def _current(g, v, synapse):
    """Synaptic current of every neuron, summed over types in the kernels' order."""
    current = g[0] * (v - synapse.v_syn[0])
    for s in range(1, g.shape[0]):
        current = current + g[s] * (v - synapse.v_syn[s])
    return current


def _grow(queue):
    """A queue with twice the capacity, its contents moved to the front."""
    head, size = queue.pos
    capacity = len(queue.ids)
    ids = np.zeros(2 * capacity, dtype=queue.ids.dtype)
    ids[:size] = np.take(queue.ids, np.arange(head, head + size) % capacity)
    return kernels.Queue(ids=ids, count=queue.count, pos=np.array([0, size], dtype=np.int64))


def _take_spikes(rec, taken):
    """Move the spikes from the kernel's buffer to the list ``taken``."""
    k = rec.counters[N_SPIKES]
    taken.append((rec.spike_step[:k].copy(), rec.spike_neuron[:k].copy()))
    rec.counters[N_SPIKES] = 0


def _blowup_error(sim, state, i, t):
    return SimulationError(
        f"numerical blow-up: the membrane potential v of neuron {i} became {state.v[i]} at "
        f"sample {t} (t = {t * sim.dt * 1e3:g} ms). Forward Euler is unstable here: try a "
        f"smaller dt (now {sim.dt * 1e3:g} ms) or smaller weights."
    )


def run(sim, variables=None, neurons="all", chunk_steps=None, progress=False, threads=1):
    """Run a simulation, yielding what was recorded chunk by chunk.

    Parameters
    ----------
    sim : Simulation
        The network, parameters and initial state (SI units).
    variables : sequence of str, optional
        State variables to record (default: all of ``sim.variables``): ``v`` (V), the
        model's second state variable if it can be recorded (``u`` or ``w``, A), ``g`` (S;
        ``g_exc``, ``g_inh`` with two synapse types), ``I`` (A).
    neurons : "all" or sequence of int
        Neurons whose traces are recorded. Spikes are always recorded, for all neurons.
    chunk_steps : int, optional
        Samples per chunk; by default chosen to bound memory (see :func:`default_chunk_steps`).
        Results do not depend on it.
    progress : bool
        Show a tqdm progress bar on stderr (after the run has taken 2 s).
    threads : int
        Threads for the synchronous scheme (:mod:`.threads`; the sequential scheme is
        sequential by definition). Results do not depend on it.

    Yields
    ------
    Chunk
        Consecutive stretches of samples, covering ``0 .. sim.n_samples - 1``.

    Raises
    ------
    SimulationError
        If a membrane potential stops being finite (numerical blow-up).
    """
    variables = tuple(sim.variables if variables is None else variables)
    unknown = [x for x in variables if x not in sim.variables]
    if unknown:
        raise ValueError(f"cannot record {unknown}; choose from {sim.variables}")
    idx = recorded_neurons(sim.n, neurons)
    if chunk_steps is None:
        input_bytes = bytes_per_neuron_step(sim.poisson, sim.noise)
        chunk_steps = default_chunk_steps(
            sim.n, len(variables) * len(idx), sim.n_samples, input_bytes
        )
    if chunk_steps < 1:
        raise ValueError(f"chunk_steps must be at least 1, got {chunk_steps}")
    synapse, state, queue, rec = _allocate(sim, variables, idx, chunk_steps)
    csr = kernels.Csr(*sim.network.csr())
    kernel = kernels.KERNELS[sim.scheme]
    parts = team = None
    if sim.scheme == "synchronous":
        threads = usable_threads(threads)
        parts = make_parts(csr, sim.n, threads)
        if threads > 1:
            kernel = team = Team(threads)
    args = (sim.dt, sim.delay_steps, sim.neurons, synapse, state, csr)
    kernels._record(0, state, rec)
    bar = tqdm(
        total=sim.n_samples - 1,
        unit="step",
        delay=2,
        file=sys.stderr,
        disable=not progress,
        mininterval=1,
    )
    draws = Draws(sim.poisson, sim.noise, sim.sources)
    t = 1
    with bar, _closing(team):
        while True:
            t_stop = min(t + chunk_steps, sim.n_samples)
            drive = draws.next(t_stop - t, sim.n, sim.dt)
            spikes = []
            while t < t_stop:
                with_parts = () if parts is None else (parts,)
                t_next = kernel(t, t_stop, *args, *with_parts, drive, queue, rec)
                bar.update(t_next - t)
                t = t_next
                if rec.counters[BLOWUP] >= 0:
                    raise _blowup_error(sim, state, rec.counters[BLOWUP], t - 1)
                room = sim.n + drive.source_room
                while queue.pos[1] + room > len(queue.ids):
                    queue = _grow(queue)
                if rec.counters[N_SPIKES] + room > len(rec.spike_step):
                    _take_spikes(rec, spikes)
                    if room > len(rec.spike_step):
                        rec = rec._replace(
                            spike_step=np.zeros(2 * room, dtype=np.int64),
                            spike_neuron=np.zeros(2 * room, dtype=np.int64),
                        )
            _take_spikes(rec, spikes)
            yield _chunk(rec, variables, t, sim.n_samples, spikes)
            if t >= sim.n_samples:
                return
            rec.traces[:, 0] = rec.traces[:, t - 1 - rec.counters[BASE]]
            rec.counters[BASE] = t - 1


@contextmanager
def _closing(team):
    try:
        yield
    finally:
        if team is not None:
            team.close()


def _chunk(rec, variables, t, n_samples, spikes):
    """The chunk up to sample t; the last sample is held back (a spike may rewrite it)
    unless the run is over."""
    base = rec.counters[BASE]
    stop = t if t >= n_samples else t - 1
    traces = {x: rec.traces[k, : stop - base].copy() for k, x in enumerate(variables)}
    steps = np.concatenate([s for s, _ in spikes])
    neurons = np.concatenate([i for _, i in spikes])
    return Chunk(base, stop, traces, steps, neurons)


def simulate(sim, variables=None, neurons="all", chunk_steps=None, progress=False, threads=1):
    """Run a simulation and return all recorded traces and spikes at once.

    Takes the same arguments as :func:`run`. Returns a :class:`Result` whose
    ``traces[var]`` have shape ``(sim.n_samples, len(neurons))``.
    """
    idx = recorded_neurons(sim.n, neurons)
    variables = tuple(sim.variables if variables is None else variables)
    result = Result(neurons=idx)
    result.traces = {x: np.empty((sim.n_samples, len(idx))) for x in variables}
    steps, ids = [], []
    for chunk in run(sim, variables, idx, chunk_steps, progress, threads):
        for x, values in chunk.traces.items():
            result.traces[x][chunk.start : chunk.stop] = values
        steps.append(chunk.spike_step)
        ids.append(chunk.spike_neuron)
    result.spike_step = np.concatenate(steps)
    result.spike_neuron = np.concatenate(ids)
    return result
