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
Forward Euler, sample ``t`` from sample ``t - 1``, for the neuron model of the parameters
(:mod:`voltage_to_wiring.core.neurons`; its functions are compiled into the kernels, see
:mod:`.neuron_model`), with state ``v`` and one more variable ``x`` per neuron::

    I = sum over synapse types s of g_s (v - v_syn_s)
    dv, dx = derivatives(v, x, I, I_ext + I_noise, dt, p)
    v' = v + dt dv,  x' = x + dt dx
    g_s' = g_s + dt (-g_s / tau_s)
    if spiked(v', x', p):  v', x' = reset(v', x', p),  spike at sample t

(for Izhikevich's model, ``x`` is u and this is the 2021 notebook's
``v' = v + dt (k (v - v_r)(v - v_t) - u - I + I_ext) / C``, ``u' = u + dt a (b (v - v_r) - u)``,
at ``v' >= v_peak``: ``v' = c``, ``u' = u' + d``). The neurons may be cut into segments
(populations) with parameters of their own, ``neurons.params[s]`` for neurons
``neurons.bounds[s] .. neurons.bounds[s + 1] - 1``.

and a spike of neuron ``i`` at sample ``s`` adds ``weight`` to the ``g`` of its synapse's
type in each of its targets at sample ``s + delay_steps``. Poisson input adds
``count x weight`` to ``g`` of its type at each sample; ``I_noise`` is white noise, one
Gaussian draw per neuron and step (see :class:`Drive`). The expressions keep the 2021
notebook's order of operations so that results agree with it bit for bit; ``fastmath`` is off
because it would not.

The spike queue is a ring buffer of neuron ids (FIFO) with one count per delay slot: the
spikes of sample ``s`` sit in slot ``s % (delay_steps + 1)`` until sample
``s + delay_steps`` delivers them. Its memory grows with the spikes in flight, not with
``n x delay``.

Speed (synchronous scheme; numbers in docs/performance.md): each step is one
branch-free pass over the neurons (current, Euler, decay of g, threshold test) that LLVM
compiles to AVX-512/AVX2 code; the few neurons that crossed are found 64 at a time and
reset after it; the synapse rows of the spikes due at the step are prefetched before it, so
that the delivery's memory accesses overlap the update. The pass is bound by its two IEEE
divisions (``/ C`` and ``/ tau``), which are kept because multiplying by reciprocals would
change the results' last bits.
"""

import math
from collections import namedtuple

import numba
import numpy as np
from llvmlite import ir
from numba.core import cgutils, types
from numba.extending import intrinsic

from ..core.jit import INLINE, KERNEL
from . import neuron_model as model

Neurons = namedtuple("Neurons", "params bounds")
Neurons.__doc__ = """The neuron model's parameters: ``params[s]`` (the model's Parameters
namedtuple, SI) for neurons ``bounds[s] .. bounds[s + 1] - 1`` (int64; one segment, or one
per population)."""
Synapse = namedtuple("Synapse", "v_syn tau")
Synapse.__doc__ = "Per synapse type: reversal potentials (V) and decay time constants (s)."
State = namedtuple("State", "v x g I g_next I_ext crossed")
State.__doc__ = """Per-neuron state: v (V), x (the model's second state variable, e.g.
Izhikevich's u in A), g (types x neurons, S), I (A: the synaptic
current, kept up to date for all neurons by the sequential scheme and for the recorded ones by
the synchronous scheme, which computes it within its update pass); g_next is work space of
g's shape for the sequential scheme; I_ext the constant drive (A); crossed (uint8, neurons
padded to a multiple of 64): work space of the synchronous scheme."""
Csr = namedtuple("Csr", "indptr post weight type")
Csr.__doc__ = """Synapses grouped by presynaptic neuron; type is each synapse's type code (its
row of g), or empty when there is one type."""
Drive = namedtuple(
    "Drive", "counts weight type noise source_ptr source_ids source_offset source_room"
)
Drive.__doc__ = """Random drive of this chunk, row r for sample counters[BASE] + 1 + r:
counts (rows x neurons, or 0 x 0): Poisson input spikes, each adding weight (S) to g[type];
noise (rows x neurons, or 0 x 0): noise current (A) added to the constant drive;
source_ptr (rows + 1, or empty), source_ids: the spike sources that spike at row r are
source_offset + source_ids[source_ptr[r]:source_ptr[r + 1]]; source_room: the most of them
in one row."""
Queue = namedtuple("Queue", "ids count pos")
Queue.__doc__ = "Spike ring buffer: ids (FIFO), count per delay slot, pos = [head, size]."
Recorder = namedtuple("Recorder", "idx pos slot traces spike_step spike_neuron counters")
Recorder.__doc__ = """Where recorded samples go.

idx: recorded neuron indices; pos: for each neuron its column in traces, or -1;
slot: traces' first index for v, x, I, then g of each synapse type, or -1 if not recorded;
traces: (variables, rows, recorded neurons), row r holds sample counters[BASE] + r;
spike_step, spike_neuron: spike buffers; counters: see N_SPIKES, BASE, BLOWUP.
"""

# Indices into Recorder.counters.
N_SPIKES, BASE, BLOWUP = 0, 1, 2
# Indices into Recorder.slot (g of synapse type s is at G + s).
V, X, I, G = 0, 1, 2, 3


@numba.njit(**INLINE)
def _room_for_a_step(room, queue, rec):
    """True if the queue and the spike buffer can take ``room`` more spikes (one of every
    neuron, and the spike sources' of a step)."""
    return (
        queue.pos[1] + room <= queue.ids.shape[0]
        and rec.counters[N_SPIKES] + room <= rec.spike_step.shape[0]
    )


@numba.njit(**INLINE)
def _source_spikes(t, row, delay_steps, drive, queue, rec):
    """Record and queue the spikes of the spike sources at sample t (after the neurons': the
    spike list stays sorted by neuron index within a sample)."""
    if drive.source_ptr.shape[0] > 0:
        for j in range(drive.source_ptr[row], drive.source_ptr[row + 1]):
            _push_spike(t, drive.source_offset + drive.source_ids[j], delay_steps, queue, rec)


@numba.njit(**INLINE)
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


@numba.njit(**INLINE)
def _blowup(i, rec):
    """Note the first neuron whose v stopped being finite (the kernel stops after the step)."""
    if rec.counters[BLOWUP] < 0:
        rec.counters[BLOWUP] = i


@numba.njit(**INLINE)
def _due(t, delay_steps, queue):
    """Return (first position, count) of the queued spikes that arrive at sample t."""
    if t < delay_steps:
        return queue.pos[0], 0
    return queue.pos[0], queue.count[(t - delay_steps) % (delay_steps + 1)]


@numba.njit(**INLINE)
def _drop_due(t, delay_steps, queue):
    """Remove the spikes delivered at sample t from the queue."""
    head, count = _due(t, delay_steps, queue)
    if count > 0:
        queue.pos[0] = (head + count) % queue.ids.shape[0]
        queue.pos[1] -= count
        queue.count[(t - delay_steps) % (delay_steps + 1)] = 0


@intrinsic
def _prefetch(typingctx, array, index):
    """Ask the CPU to fetch ``array[index]`` into its caches (LLVM's prefetch; no effect on
    results)."""

    def codegen(context, builder, signature, args):
        array_type = signature.args[0]
        data = context.make_array(array_type)(context, builder, args[0])
        pointer = cgutils.get_item_pointer(context, builder, array_type, data, [args[1]])
        byte_pointer = builder.bitcast(pointer, ir.IntType(8).as_pointer())
        i32 = ir.IntType(32)
        prefetch = builder.module.declare_intrinsic(
            "llvm.prefetch", fnty=ir.FunctionType(ir.VoidType(), [byte_pointer.type, i32, i32, i32])
        )
        # read, into L2 but not L1 (which the neuron update needs; measured faster), data
        builder.call(prefetch, [byte_pointer, i32(0), i32(2), i32(1)])
        return context.get_dummy_value()

    return types.void(array, index), codegen


@numba.njit(**INLINE)
def _deliver(i, g, csr):
    """Add the weights of neuron i's synapses to their targets' conductance of their type."""
    if csr.type.shape[0] == 0:  # one synapse type
        for s in range(csr.indptr[i], csr.indptr[i + 1]):
            g[0, csr.post[s]] += csr.weight[s]
    else:
        for s in range(csr.indptr[i], csr.indptr[i + 1]):
            g[csr.type[s], csr.post[s]] += csr.weight[s]


@numba.njit(**INLINE)
def _poisson(row, i, g, drive):
    """Add neuron i's Poisson input of this step to g of the input's type."""
    if drive.counts.shape[0] > 0 and drive.counts[row, i] > 0:
        g[drive.type, i] += drive.counts[row, i] * drive.weight


@numba.njit(**INLINE)
def _external_current(row, i, state, drive):
    """The external current of neuron i at this step: constant drive plus noise."""
    if drive.noise.shape[0] > 0:
        return state.I_ext[i] + drive.noise[row, i]
    return state.I_ext[i]


@numba.njit(**INLINE)
def _synaptic_current(g, i, v, synapse):
    """Sum over synapse types of g_s (v - v_syn_s)."""
    current = g[0, i] * (v - synapse.v_syn[0])
    for s in range(1, g.shape[0]):
        current += g[s, i] * (v - synapse.v_syn[s])
    return current


@numba.njit(**INLINE)
def _record(t, state, rec):
    """Copy the recorded neurons' state at sample t into the trace buffer."""
    row = t - rec.counters[BASE]
    for col in range(rec.idx.shape[0]):
        i = rec.idx[col]
        if rec.slot[V] >= 0:
            rec.traces[rec.slot[V], row, col] = state.v[i]
        if rec.slot[X] >= 0:
            rec.traces[rec.slot[X], row, col] = state.x[i]
        if rec.slot[I] >= 0:
            rec.traces[rec.slot[I], row, col] = state.I[i]
        for s in range(state.g.shape[0]):
            if rec.slot[G + s] >= 0:
                rec.traces[rec.slot[G + s], row, col] = state.g[s, i]


@numba.njit(**INLINE)
def _euler(v_old, x_old, current, drive, dt, p):
    """One forward-Euler step of v and x (the model's derivatives; for Izhikevich's, the
    notebook's order of operations)."""
    dv, dx = model.derivatives(v_old, x_old, current, drive, dt, p)
    return v_old + dt * dv, x_old + dt * dx


@numba.njit(**INLINE)
def _update_one_type(dt, p, synapse, v, x, g, drive, noise, row, first, crossed):
    """Step every neuron with one synapse type: current of the previous sample, Euler, decay
    of g; ``crossed[i]`` = the model's spike condition (the reset comes after, for the few
    that spiked). ``noise[row, first:]`` is this step's noise current (if ``noise`` has rows).

    One branch-free loop that LLVM vectorises. Returns (crossings, non-finite v's)."""
    v_syn, tau = synapse.v_syn[0], synapse.tau[0]
    noisy = noise.shape[0] > 0
    n_crossed = n_bad = 0
    for i in range(v.shape[0]):
        v_old, g_old = v[i], g[i]
        current = g_old * (v_old - v_syn)
        d = drive[i] + noise[row, first + i] if noisy else drive[i]
        v_new, x_new = _euler(v_old, x[i], current, d, dt, p)
        g[i] = g_old + dt * (-g_old / tau)
        v[i], x[i] = v_new, x_new
        spike = model.spiked(v_new, x_new, p)
        crossed[i] = spike
        n_crossed += spike
        n_bad += not abs(v_new) < np.inf  # inf or NaN
    return n_crossed, n_bad


@numba.njit(**INLINE)
def _update_two_types(dt, p, synapse, v, x, g0, g1, drive, noise, row, first, crossed):
    """:func:`_update_one_type` for two synapse types (excitatory, inhibitory).

    A copy rather than a loop over types inside the neuron loop: an inner loop of unknown
    length stops LLVM from vectorising the pass (types are at most two: exc and inh)."""
    v_syn0, v_syn1, tau0, tau1 = synapse.v_syn[0], synapse.v_syn[1], synapse.tau[0], synapse.tau[1]
    noisy = noise.shape[0] > 0
    n_crossed = n_bad = 0
    for i in range(v.shape[0]):
        v_old, a, b = v[i], g0[i], g1[i]
        current = a * (v_old - v_syn0)
        current += b * (v_old - v_syn1)
        d = drive[i] + noise[row, first + i] if noisy else drive[i]
        v_new, x_new = _euler(v_old, x[i], current, d, dt, p)
        g0[i] = a + dt * (-a / tau0)
        g1[i] = b + dt * (-b / tau1)
        v[i], x[i] = v_new, x_new
        spike = model.spiked(v_new, x_new, p)
        crossed[i] = spike
        n_crossed += spike
        n_bad += not abs(v_new) < np.inf
    return n_crossed, n_bad


@numba.njit(**INLINE)
def _update_part(lo, hi, row, dt, neurons, synapse, state, state_rows, noise):
    """The update pass over neurons ``lo .. hi - 1``, segment by segment (each with its own
    parameters). Returns (crossings, non-finite v's)."""
    g0, g1, crossed, _ = state_rows
    bounds = neurons.bounds
    n_crossed = n_bad = 0
    for s in range(bounds.shape[0] - 1):
        a, b = max(lo, bounds[s]), min(hi, bounds[s + 1])
        if a >= b:
            continue
        p = neurons.params[s]
        if state.g.shape[0] == 1:
            c, bad = _update_one_type(
                dt, p, synapse, state.v[a:b], state.x[a:b], g0[a:b], state.I_ext[a:b], noise,
                row, a, crossed[a:b],
            )  # fmt: skip
        else:
            c, bad = _update_two_types(
                dt, p, synapse, state.v[a:b], state.x[a:b], g0[a:b], g1[a:b], state.I_ext[a:b],
                noise, row, a, crossed[a:b],
            )  # fmt: skip
        n_crossed += c
        n_bad += bad
    return n_crossed, n_bad


@numba.njit(**INLINE)
def _segment(bounds, i):
    """The segment (population) of neuron i."""
    s = 0
    while i >= bounds[s + 1]:
        s += 1
    return s


@numba.njit(**INLINE)
def _reset_part(start, stop, crossed, words, neurons, state, spikes):
    """Reset the neurons of ``start .. stop - 1`` that spiked and list them in ``spikes``,
    in neuron order; a non-finite v is a blow-up, not a spike. Skips 64 quiet neurons at a
    time (``words`` is ``crossed`` seen as 64-bit words, 8 neurons each; ``start`` is a
    multiple of 64). Returns the number of spikes."""
    n_spikes = 0
    for group in range(start // 64, (stop + 63) // 64):
        any_crossed = words[8 * group]
        for w in range(8 * group + 1, 8 * group + 8):
            any_crossed |= words[w]
        if any_crossed == 0:
            continue
        for i in range(64 * group, min(64 * group + 64, stop)):
            if crossed[i] and abs(state.v[i]) < np.inf:
                p = neurons.params[_segment(neurons.bounds, i)]
                state.v[i], state.x[i] = model.reset(state.v[i], state.x[i], p)
                spikes[n_spikes] = i
                n_spikes += 1
    return n_spikes


@numba.njit(**INLINE)
def _show_spike_samples(t, first, neurons, rec):
    """For a model whose recorded v shows a value at a spike's sample (AdEx: V_s; see
    :mod:`voltage_to_wiring.core.neurons`), write it over the recorded reset state of the
    spikes of sample t: the spike list's entries from ``first`` on."""
    if rec.slot[V] < 0:
        return
    row = t - rec.counters[BASE]
    for k in range(first, rec.counters[N_SPIKES]):
        i = rec.spike_neuron[k]
        if i < rec.pos.shape[0] and rec.pos[i] >= 0:
            value = model.spike_sample(neurons.params[_segment(neurons.bounds, i)])
            if not math.isnan(value):
                rec.traces[rec.slot[V], row, rec.pos[i]] = value


@numba.njit(**INLINE)
def _first_blowup(v, rec):
    for i in range(v.shape[0]):
        if not abs(v[i]) < np.inf:
            _blowup(i, rec)
            return


@numba.njit(**INLINE)
def _deliver_part(p, head, count, g, csr, queue, split):
    """Add the due spikes' synapses onto part p's neurons (``split``: see
    :class:`~.parts.Parts`), spike after spike in queue order, each row in order."""
    for j in range(count):
        i = queue.ids[(head + j) % queue.ids.shape[0]]
        if csr.type.shape[0] == 0:  # one synapse type
            for s in range(split[p, i], split[p + 1, i]):
                g[0, csr.post[s]] += csr.weight[s]
        else:
            for s in range(split[p, i], split[p + 1, i]):
                g[csr.type[s], csr.post[s]] += csr.weight[s]


@numba.njit(**INLINE)
def _prefetch_part(p, head, count, csr, queue, split):
    """Prefetch the synapses :func:`_deliver_part` will read, so that fetching them from
    memory overlaps the neuron update instead of stalling the delivery after it."""
    for j in range(count):
        i = queue.ids[(head + j) % queue.ids.shape[0]]
        for s in range(split[p, i], split[p + 1, i], 16):  # 64-byte lines of post
            _prefetch(csr.post, s)
        for s in range(split[p, i], split[p + 1, i], 8):  # and of weight
            _prefetch(csr.weight, s)


@numba.njit(**KERNEL)
def _step_part(
    part, row, head, count, dt, neurons, synapse, state, state_rows, csr, drive, queue, parts
):
    """One synchronous step of part ``part``'s neurons (all of them on one thread; see
    :mod:`.threads`): the update pass (current, Euler, decay, spike condition), the resets
    of those that spiked, the due spikes' synapses onto them and their Poisson input.

    The part's spikes go to ``parts.spikes[part]``, their number and that of non-finite v's
    to ``parts.tally[part]``; ``head, count``: the queue's spikes due at this step."""
    _, _, crossed, words = state_rows
    lo, hi = parts.bounds[part], parts.bounds[part + 1]
    _prefetch_part(part, head, count, csr, queue, parts.split)
    n_crossed, n_bad = _update_part(
        lo, hi, row, dt, neurons, synapse, state, state_rows, drive.noise
    )
    n_spikes = 0
    if n_crossed > 0:
        n_spikes = _reset_part(lo, hi, crossed, words, neurons, state, parts.spikes[part])
    _deliver_part(part, head, count, state.g, csr, queue, parts.split)
    if drive.counts.shape[0] > 0:
        for i in range(lo, hi):
            _poisson(row, i, state.g, drive)
    parts.tally[part, 0] = n_spikes
    parts.tally[part, 1] = n_bad


@numba.njit(**INLINE)
def _finish_step(
    t, row, head, count, delay_steps, neurons, synapse, state, drive, queue, rec, parts
):
    """After every part's :func:`_step_part`: note a blow-up, record and queue the spikes
    (the parts' in order, then the spike sources'), drop the delivered spikes, record."""
    n_bad = 0
    for part in range(parts.tally.shape[0]):
        n_bad += parts.tally[part, 1]
    if n_bad > 0:
        _first_blowup(state.v, rec)
    first = rec.counters[N_SPIKES]
    for part in range(parts.tally.shape[0]):
        for k in range(parts.tally[part, 0]):
            _push_spike(t, parts.spikes[part, k], delay_steps, queue, rec)
    _source_spikes(t, row, delay_steps, drive, queue, rec)
    _drop_due(t, delay_steps, queue)
    for col in range(rec.idx.shape[0]):
        i = rec.idx[col]
        state.I[i] = _synaptic_current(state.g, i, state.v[i], synapse)
    _record(t, state, rec)
    _show_spike_samples(t, first, neurons, rec)


@numba.njit(**INLINE)
def _state_rows(state):
    """Views made once per kernel call: g of the first and last type, the crossed flags as
    bytes and as 64-bit words."""
    g, crossed = state.g, state.crossed
    return (g[0], g[g.shape[0] - 1], crossed, crossed.view(np.uint64))


@numba.njit(**KERNEL)
def run_synchronous(
    t, t_stop, dt, delay_steps, neurons, synapse, state, csr, parts, drive, queue, rec
):
    """Advance samples ``t .. t_stop - 1`` with every neuron stepping from the previous sample.

    Brian2's schedule: all neurons update from sample t - 1, then spikes and resets (and the
    spike sources' spikes), then all arrivals due at sample t (and Poisson input) are added
    to ``g``. The synaptic current of
    sample t (which drives the next step) is computed at the start of that step, from the same
    ``g`` and ``v``; ``state.I`` is filled in for the recorded neurons only. ``parts``
    (:class:`~.parts.Parts`, one part here) holds the work space of :func:`_step_part`.
    """
    n = state.v.shape[0]
    state_rows = _state_rows(state)
    while t < t_stop:
        if not _room_for_a_step(n + drive.source_room, queue, rec):
            return t
        row = t - rec.counters[BASE] - 1
        # the due spikes were sent delay_steps >= 1 ago: this step's spikes do not change them
        head, count = _due(t, delay_steps, queue)
        _step_part(
            0, row, head, count, dt, neurons, synapse, state, state_rows, csr, drive, queue, parts
        )
        _finish_step(
            t, row, head, count, delay_steps, neurons, synapse, state, drive, queue, rec, parts
        )
        t += 1
        if rec.counters[BLOWUP] >= 0:
            return t
    return t


@numba.njit(**KERNEL)
def run_sequential(t, t_stop, dt, delay_steps, neurons, synapse, state, csr, drive, queue, rec):
    """Advance samples ``t .. t_stop - 1`` exactly as the 2021 notebook's loop did.

    Neurons update one after another in index order. Neuron i's arrivals are added to
    ``g`` of all its targets while i is updated, so they reach the current ``I`` of targets
    ``>= i`` in the same sample and of targets ``< i`` one sample later; ``I`` is a state
    variable computed after each neuron's update from the ``g`` it has then. A spike
    rewrites the previous recorded sample of ``v`` to the model's peak (``v_peak``), as the
    notebook did.
    """
    n = state.v.shape[0]
    v, x, g, g_new = state.v, state.x, state.g, state.g_next
    while t < t_stop:
        if not _room_for_a_step(n, queue, rec):
            return t
        row = t - rec.counters[BASE] - 1
        head, count = _due(t, delay_steps, queue)
        first = rec.counters[N_SPIKES]
        j = 0
        for s in range(g.shape[0]):
            for i in range(n):
                g_new[s, i] = 0.0
        for i in range(n):
            for s in range(g.shape[0]):
                g_old = g[s, i]
                g_new[s, i] += g_old + dt * (-g_old / synapse.tau[s])
            if j < count and queue.ids[(head + j) % queue.ids.shape[0]] == i:
                _deliver(i, g_new, csr)
                j += 1
            _poisson(row, i, g_new, drive)
            p = neurons.params[_segment(neurons.bounds, i)]
            drive_i = _external_current(row, i, state, drive)
            v[i], x[i] = _euler(v[i], x[i], state.I[i], drive_i, dt, p)
            if not np.isfinite(v[i]):
                _blowup(i, rec)
            elif model.spiked(v[i], x[i], p):
                col = rec.pos[i]
                if col >= 0 and rec.slot[V] >= 0:
                    rec.traces[rec.slot[V], t - 1 - rec.counters[BASE], col] = model.peak(p)
                v[i], x[i] = model.reset(v[i], x[i], p)
                _push_spike(t, i, delay_steps, queue, rec)
            state.I[i] = _synaptic_current(g_new, i, v[i], synapse)
        _drop_due(t, delay_steps, queue)
        for s in range(g.shape[0]):
            for i in range(n):
                g[s, i] = g_new[s, i]
        _record(t, state, rec)
        _show_spike_samples(t, first, neurons, rec)
        t += 1
        if rec.counters[BLOWUP] >= 0:
            return t
    return t


KERNELS = {"synchronous": run_synchronous, "sequential": run_sequential}
