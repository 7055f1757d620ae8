"""numba kernels: one per update scheme, working in place on flat float64/int arrays.

Kernels know nothing of units, files or config: every number is SI (volt, ampere, siemens,
farad, second) and every argument is an array, a scalar or a namedtuple of those. Each kernel
advances the network from sample ``t`` to ``t_stop`` and returns the sample it reached; it
returns early, before a step, when its spike buffers might not hold one more step's spikes,
or after a step in which a membrane potential stopped being finite (a non-finite ``v`` is a
blow-up, never a spike). The driver
(:mod:`voltage_to_wiring.engine.driver`) then makes room, or reports the blow-up, and calls
again.

Notes
-----
Model (Izhikevich 2007, *Dynamical Systems in Neuroscience*, ch. 8, eq. 8.5-8.6), forward
Euler, sample ``t`` from sample ``t - 1``::

    I = g (v - v_syn)
    v' = v + dt (k (v - v_r)(v - v_t) - u - I + I_ext) / C
    u' = u + dt a (b (v - v_r) - u)
    g' = g + dt (-g / tau)
    if v' >= v_peak:  v' = c,  u' = u' + d,  spike at sample t

and a spike of neuron ``i`` at sample ``s`` adds ``weight`` to ``g`` of each of its targets
at sample ``s + delay_steps``. The expressions keep the 2021 notebook's order of operations
so that results agree with it bit for bit; ``fastmath`` is off because it would not.

The spike queue is a ring buffer of neuron ids (FIFO) with one count per delay slot: the
spikes of sample ``s`` sit in slot ``s % (delay_steps + 1)`` until sample
``s + delay_steps`` delivers them. Its memory grows with the spikes in flight, not with
``n x delay``.
"""

from collections import namedtuple

import numba
import numpy as np

# numba flags, in one place. No fastmath: it reorders float arithmetic and changes results.
JIT = {"cache": True, "nogil": True}

Neuron = namedtuple("Neuron", "C k b v_r v_t v_peak c a d")
Neuron.__doc__ = "Izhikevich (2007) parameters, SI: F, S/V, S, V, V, V, V, 1/s, A."
Synapse = namedtuple("Synapse", "v_syn tau")
Synapse.__doc__ = "Synapse reversal potential (V) and decay time constant (s)."
State = namedtuple("State", "v u g I g_next I_ext")
State.__doc__ = "Per-neuron state (V, A, S, A), a work array for g (S) and the drive (A)."
Csr = namedtuple("Csr", "indptr post weight")
Queue = namedtuple("Queue", "ids count pos")
Queue.__doc__ = "Spike ring buffer: ids (FIFO), count per delay slot, pos = [head, size]."
Recorder = namedtuple("Recorder", "idx pos slot traces spike_step spike_neuron counters")
Recorder.__doc__ = """Where recorded samples go.

idx: recorded neuron indices; pos: for each neuron its column in traces, or -1;
slot: traces' first index for v, u, g, I, or -1 if not recorded;
traces: (variables, rows, recorded neurons), row r holds sample counters[BASE] + r;
spike_step, spike_neuron: spike buffers; counters: see N_SPIKES, BASE, BLOWUP.
"""

# Indices into Recorder.counters.
N_SPIKES, BASE, BLOWUP = 0, 1, 2
# Indices into Recorder.slot.
V, U, G, I = 0, 1, 2, 3


@numba.njit(**JIT)
def _room_for_a_step(n, queue, rec):
    """True if the queue and the spike buffer can take one spike of every neuron."""
    return (
        queue.pos[1] + n <= queue.ids.shape[0]
        and rec.counters[N_SPIKES] + n <= rec.spike_step.shape[0]
    )


@numba.njit(**JIT)
def _push_spike(t, i, delay_steps, queue, rec):
    """Record a spike of neuron i at sample t and queue it for delivery."""
    k = rec.counters[N_SPIKES]
    rec.spike_step[k] = t
    rec.spike_neuron[k] = i
    rec.counters[N_SPIKES] = k + 1
    capacity = queue.ids.shape[0]
    queue.ids[(queue.pos[0] + queue.pos[1]) % capacity] = i
    queue.pos[1] += 1
    queue.count[t % (delay_steps + 1)] += 1


@numba.njit(**JIT)
def _blowup(i, rec):
    """Note the first neuron whose v stopped being finite (the kernel stops after the step)."""
    if rec.counters[BLOWUP] < 0:
        rec.counters[BLOWUP] = i


@numba.njit(**JIT)
def _due(t, delay_steps, queue):
    """Return (first position, count) of the queued spikes that arrive at sample t."""
    if t < delay_steps:
        return queue.pos[0], 0
    return queue.pos[0], queue.count[(t - delay_steps) % (delay_steps + 1)]


@numba.njit(**JIT)
def _drop_due(t, delay_steps, queue):
    """Remove the spikes delivered at sample t from the queue."""
    head, count = _due(t, delay_steps, queue)
    if count > 0:
        queue.pos[0] = (head + count) % queue.ids.shape[0]
        queue.pos[1] -= count
        queue.count[(t - delay_steps) % (delay_steps + 1)] = 0


@numba.njit(**JIT)
def _deliver(i, g, csr):
    """Add the weights of neuron i's synapses to their targets' conductance."""
    for s in range(csr.indptr[i], csr.indptr[i + 1]):
        g[csr.post[s]] += csr.weight[s]


@numba.njit(**JIT)
def _record(t, state, rec):
    """Copy the recorded neurons' state at sample t into the trace buffer."""
    row = t - rec.counters[BASE]
    for col in range(rec.idx.shape[0]):
        i = rec.idx[col]
        if rec.slot[V] >= 0:
            rec.traces[rec.slot[V], row, col] = state.v[i]
        if rec.slot[U] >= 0:
            rec.traces[rec.slot[U], row, col] = state.u[i]
        if rec.slot[G] >= 0:
            rec.traces[rec.slot[G], row, col] = state.g[i]
        if rec.slot[I] >= 0:
            rec.traces[rec.slot[I], row, col] = state.I[i]


@numba.njit(**JIT)
def run_synchronous(t, t_stop, dt, delay_steps, neuron, synapse, state, csr, queue, rec):
    """Advance samples ``t .. t_stop - 1`` with every neuron stepping from the previous sample.

    Brian2's schedule: all neurons update from sample t - 1, then spikes and resets, then all
    arrivals due at sample t are added to ``g`` before any current of sample t is computed.
    ``state.I`` is filled for recorded neurons only (``I = g (v - v_syn)``).
    """
    n = state.v.shape[0]
    v, u, g = state.v, state.u, state.g
    while t < t_stop:
        if not _room_for_a_step(n, queue, rec):
            return t
        for i in range(n):
            v_old, u_old, g_old = v[i], u[i], g[i]
            current = g_old * (v_old - synapse.v_syn)
            dv = (
                neuron.k * (v_old - neuron.v_r) * (v_old - neuron.v_t)
                - u_old
                - current
                + state.I_ext[i]
            ) / neuron.C
            v[i] = v_old + dt * dv
            u[i] = u_old + dt * (neuron.a * (neuron.b * (v_old - neuron.v_r) - u_old))
            g[i] = g_old + dt * (-g_old / synapse.tau)
        for i in range(n):
            if not np.isfinite(v[i]):
                _blowup(i, rec)
            elif v[i] >= neuron.v_peak:
                v[i] = neuron.c
                u[i] += neuron.d
                _push_spike(t, i, delay_steps, queue, rec)
        head, count = _due(t, delay_steps, queue)
        for j in range(count):
            _deliver(queue.ids[(head + j) % queue.ids.shape[0]], g, csr)
        _drop_due(t, delay_steps, queue)
        for col in range(rec.idx.shape[0]):
            i = rec.idx[col]
            state.I[i] = g[i] * (v[i] - synapse.v_syn)
        _record(t, state, rec)
        t += 1
        if rec.counters[BLOWUP] >= 0:
            return t
    return t


@numba.njit(**JIT)
def run_sequential(t, t_stop, dt, delay_steps, neuron, synapse, state, csr, queue, rec):
    """Advance samples ``t .. t_stop - 1`` exactly as the 2021 notebook's loop did.

    Neurons update one after another in index order. Neuron i's arrivals are added to
    ``g`` of all its targets while i is updated, so they reach the current ``I`` of targets
    ``>= i`` in the same sample and of targets ``< i`` one sample later; ``I`` is a state
    variable computed after each neuron's update from the ``g`` it has then. A spike
    rewrites the previous recorded sample of ``v`` to ``v_peak``, as the notebook did.
    """
    n = state.v.shape[0]
    v, u, g, g_new = state.v, state.u, state.g, state.g_next
    while t < t_stop:
        if not _room_for_a_step(n, queue, rec):
            return t
        head, count = _due(t, delay_steps, queue)
        j = 0
        g_new[:] = 0.0
        for i in range(n):
            g_old = g[i]
            g_new[i] += g_old + dt * (-g_old / synapse.tau)
            if j < count and queue.ids[(head + j) % queue.ids.shape[0]] == i:
                _deliver(i, g_new, csr)
                j += 1
            v_old, u_old = v[i], u[i]
            dv = (
                neuron.k * (v_old - neuron.v_r) * (v_old - neuron.v_t)
                - u_old
                - state.I[i]
                + state.I_ext[i]
            ) / neuron.C
            v[i] = v_old + dt * dv
            u[i] = u_old + dt * (neuron.a * (neuron.b * (v_old - neuron.v_r) - u_old))
            if not np.isfinite(v[i]):
                _blowup(i, rec)
            elif v[i] >= neuron.v_peak:
                col = rec.pos[i]
                if col >= 0 and rec.slot[V] >= 0:
                    rec.traces[rec.slot[V], t - 1 - rec.counters[BASE], col] = neuron.v_peak
                v[i] = neuron.c
                u[i] += neuron.d
                _push_spike(t, i, delay_steps, queue, rec)
            state.I[i] = g_new[i] * (v[i] - synapse.v_syn)
        _drop_due(t, delay_steps, queue)
        g[:] = g_new
        _record(t, state, rec)
        t += 1
        if rec.counters[BLOWUP] >= 0:
            return t
    return t


KERNELS = {"synchronous": run_synchronous, "sequential": run_sequential}
