"""Slow, obviously-correct references for the engine, in plain Python and numpy.

``notebook_loop`` is the 2021-01-02 notebook's loop transcribed line by line (with the
indentation the seed README restores), fed resolved parameters instead of the notebook's
globals. The only addition is the model's constant drive ``+ I_ext[n]`` in ``dv_dt``, which
is 0 in the seed. ``synchronous_loop`` is the synchronous scheme written the same way:
every neuron steps from the previous sample, then resets, then the arrivals of the sample.
"""

import math

import numpy as np


def _inputs(params):
    n = params["n"]
    weights = np.zeros((n, n))  # [from, to]
    for pre, post, w in zip(
        params["network"]["pre"],
        params["network"]["post"],
        params["network"]["weight"],
        strict=True,
    ):
        weights[pre, post] += w
    per_neuron = {
        name: np.broadcast_to(np.asarray(value, dtype=float), (n,))
        for name, value in [
            ("v_0", params["initial"]["v"]),
            ("u_0", params["initial"]["u"]),
            ("g_0", params["initial"]["g"]),
            ("I_ext", params["drive"]["current"]),
        ]
    }
    return weights, per_neuron


def notebook_loop(params):
    """Return v, u, g, I (samples x neurons) and the spikes per neuron, as the notebook."""
    p, s = params["neuron"], params["synapse"]
    C, k, b, v_r, v_t = p["C"], p["k"], p["b"], p["v_r"], p["v_t"]
    v_peak, c, a, d = p["v_peak"], p["c"], p["a"], p["d"]
    v_syn, τ_syn = s["v_syn"], s["tau"]
    dt = params["sim"]["dt"]
    num_sim_timesteps = params["sim"]["n_samples"]
    spike_delay_timesteps = s["delay_steps"]
    connection_strengths, x = _inputs(params)
    g_0, v_0, u_0, I_ext = x["g_0"], x["v_0"], x["u_0"], x["I_ext"]

    num_neurons = connection_strengths.shape[0]
    signals_shape = (num_sim_timesteps, num_neurons)
    v = np.zeros(signals_shape)
    u = np.zeros(signals_shape)
    g = np.zeros(signals_shape)
    I = np.zeros(signals_shape)  # noqa: E741 (the notebook's name)
    spikes = [[] for _ in range(num_neurons)]
    num_processed_spikes = [0 for _ in range(num_neurons)]

    def dg_dt(t, n):
        return -g[t, n] / τ_syn

    def dv_dt(t, n):
        return (k * (v[t, n] - v_r) * (v[t, n] - v_t) - u[t, n] - I[t, n] + I_ext[n]) / C

    def du_dt(t, n):
        return a * (b * (v[t, n] - v_r) - u[t, n])

    for t in range(num_sim_timesteps):
        for n in range(num_neurons):
            if t == 0:
                g[t, n] = g_0[n]
                v[t, n] = v_0[n]
                u[t, n] = u_0[n]
            else:
                g[t, n] += g[t - 1, n] + dt * dg_dt(t - 1, n)
                if (
                    num_processed_spikes[n] < len(spikes[n])
                    and spikes[n][num_processed_spikes[n]] + spike_delay_timesteps == t
                ):
                    for m in range(num_neurons):
                        g[t, m] += connection_strengths[n, m]
                    num_processed_spikes[n] += 1
                v[t, n] = v[t - 1, n] + dt * dv_dt(t - 1, n)
                u[t, n] = u[t - 1, n] + dt * du_dt(t - 1, n)
                if v[t, n] >= v_peak:
                    v[t - 1, n] = v_peak
                    v[t, n] = c
                    u[t, n] += d
                    spikes[n].append(t)
                I[t, n] = g[t, n] * (v[t, n] - v_syn)
    return {"v": v, "u": u, "g": g, "I": I}, spikes


def synchronous_loop(params):
    """The synchronous scheme in numpy: same return value as :func:`notebook_loop`."""
    p, s = params["neuron"], params["synapse"]
    dt, n_samples, delay = params["sim"]["dt"], params["sim"]["n_samples"], s["delay_steps"]
    n = params["n"]
    _, x = _inputs(params)
    outgoing = [[] for _ in range(n)]  # (post, weight) per presynaptic neuron, in edge order
    for pre, post, w in zip(
        params["network"]["pre"],
        params["network"]["post"],
        params["network"]["weight"],
        strict=True,
    ):
        outgoing[pre].append((post, w))
    v, u, g = (np.zeros((n_samples, n)) for _ in range(3))
    v[0], u[0], g[0] = x["v_0"], x["u_0"], x["g_0"]
    spikes = [[] for _ in range(n)]
    for t in range(1, n_samples):
        current = g[t - 1] * (v[t - 1] - s["v_syn"])
        dv = (
            p["k"] * (v[t - 1] - p["v_r"]) * (v[t - 1] - p["v_t"]) - u[t - 1] - current + x["I_ext"]
        ) / p["C"]
        v[t] = v[t - 1] + dt * dv
        u[t] = u[t - 1] + dt * (p["a"] * (p["b"] * (v[t - 1] - p["v_r"]) - u[t - 1]))
        g[t] = g[t - 1] + dt * (-g[t - 1] / s["tau"])
        for i in np.flatnonzero(v[t] >= p["v_peak"]):
            v[t, i] = p["c"]
            u[t, i] += p["d"]
            spikes[i].append(t)
        for pre in range(n):
            if spikes[pre] and t - delay in spikes[pre][-delay - 1 :]:
                for post, w in outgoing[pre]:
                    g[t, post] += w
    current = g * (v - s["v_syn"])
    return {"v": v, "u": u, "g": g, "I": current}, spikes


# --- Other neuron models: the synchronous scheme in plain Python floats -------------------
# Each model's equations are transcribed here from their papers (and, for AdEx, from the
# thesis's code, tfiers/phd pkg/Nto1AdEx: f!, eulerstep!, has_spiked, on_self_spike!,
# ceil_spikes), not from the package's model modules; the scheme is that of
# ``synchronous_loop`` with one or two synapse types. ``math.exp`` is the C library's, as in
# the compiled kernels (numpy's vectorised exp may differ in the last bit).


def adex_step(v, w, I_syn, I_ext, dt, p):
    """Brette and Gerstner (2005), forward Euler, the thesis's order of operations."""
    DtV = (
        -p["g_L"] * (v - p["E_L"])
        + p["g_L"] * p["Delta_T"] * math.exp((v - p["V_T"]) / p["Delta_T"])
        - I_syn
        - w
        + I_ext
    ) / p["C"]
    Dtw = (p["a"] * (v - p["E_L"]) - w) / p["tau_w"]
    return v + DtV * dt, w + Dtw * dt


def adex_spike(v, w, p):
    """(spiked, state after the reset, value the recorded sample shows)."""
    if v > p["V_s"]:
        return True, (p["V_r"], w + p["b"]), p["V_s"]
    return False, (v, w), v


def lif_run(params, edges, I_ext):
    """The LIF neuron (Gerstner et al. 2014, ch. 1.3) with conductance synapses: v is held at
    V_reset for round(t_ref / dt) steps after a spike, counted here in whole steps."""
    p = params["neuron"]
    held = [0] * params["n"]

    def step(i, v, x, I_syn, I_ext, dt):
        if held[i] > 0:
            held[i] -= 1
            return v, x
        return v + dt * ((-p["g_L"] * (v - p["E_L"]) - I_syn + I_ext) / p["C"]), x

    def spike(i, v, x):
        if v > p["V_th"]:
            held[i] = round(p["t_ref"] / params["sim"]["dt"])
            return True, (p["V_reset"], x), p["V_reset"]
        return False, (v, x), v

    return synchronous_model_loop(params, edges, I_ext, step, spike, "refractory")


def adex_run(params, edges, I_ext):
    """The AdEx neuron in the synchronous scheme (``adex_step``, ``adex_spike``)."""
    p = params["neuron"]
    dt = params["sim"]["dt"]

    def step(i, v, w, I_syn, I_ext, _):
        return adex_step(v, w, I_syn, I_ext, dt, p)

    def spike(i, v, w):
        return adex_spike(v, w, p)

    return synchronous_model_loop(params, edges, I_ext, step, spike, "w")


def _per_population(params, value):
    """A value per neuron from one value, or one per population ({exc: .., inh: ..})."""
    if not isinstance(value, dict):
        return [float(value)] * params["n"]
    counts = params["network"]["populations"]
    return [float(value["exc"])] * counts["exc"] + [float(value["inh"])] * counts["inh"]


def synchronous_model_loop(params, edges, I_ext, step, spike, x_name):
    """The synchronous scheme for a model given as ``step`` and ``spike`` (see above), one or
    two synapse types, ``edges`` = (pre, post, weight, type code or None) lists, ``I_ext``
    the constant drive per neuron. Returns the recorded v, x, the conductances and I
    (samples x neurons) and the spikes per neuron."""
    n, dt = params["n"], params["sim"]["dt"]
    n_samples, delay = params["sim"]["n_samples"], params["synapse"]["delay_steps"]
    s = params["synapse"]
    types = [s["exc"], s["inh"]] if "exc" in s else [s]
    state_v = _per_population(params, params["initial"]["v"])
    state_x = _per_population(params, params["initial"][x_name])
    I_ext = [float(c) for c in I_ext]
    g = [[0.0] * n for _ in types]
    g[0] = [float(x) for x in np.broadcast_to(params["initial"]["g"], (n,))]
    outgoing = [[] for _ in range(n)]
    for pre, post, w, code in zip(*edges, strict=True):
        outgoing[pre].append((post, w, code or 0))
    rec = {"v": [list(state_v)], x_name: [list(state_x)], "I": []}
    rec.update({f"g{k}": [list(g[k])] for k in range(len(types))})
    spikes = [[] for _ in range(n)]

    def synaptic(i):
        current = g[0][i] * (state_v[i] - types[0]["v_syn"])
        for k in range(1, len(types)):
            current += g[k][i] * (state_v[i] - types[k]["v_syn"])
        return current

    rec["I"].append([synaptic(i) for i in range(n)])
    for t in range(1, n_samples):
        shown = []
        currents = [synaptic(i) for i in range(n)]
        for i in range(n):
            state_v[i], state_x[i] = step(i, state_v[i], state_x[i], currents[i], I_ext[i], dt)
        for k, spec in enumerate(types):
            g[k] = [x + dt * (-x / spec["tau"]) for x in g[k]]
        for i in range(n):
            spiked, (state_v[i], state_x[i]), value = spike(i, state_v[i], state_x[i])
            shown.append(value)
            if spiked:
                spikes[i].append(t)
        for pre in range(n):
            if spikes[pre] and t - delay in spikes[pre][-delay - 1 :]:
                for post, w, code in outgoing[pre]:
                    g[code][post] += w
        rec["v"].append(shown)
        rec[x_name].append(list(state_x))
        for k in range(len(types)):
            rec[f"g{k}"].append(list(g[k]))
        rec["I"].append([synaptic(i) for i in range(n)])
    return {name: np.array(values) for name, values in rec.items()}, spikes


def izhikevich_run(params, edges, I_ext):
    """The Izhikevich neuron (the notebook's dv_dt, du_dt, reset) in the synchronous scheme,
    each neuron with the parameters of its population when the populations have their own
    (``neuron: {exc: {...}, inh: {...}}``; excitatory neurons first)."""
    dt, neuron = params["sim"]["dt"], params["neuron"]
    if "exc" in neuron:
        n_exc = params["network"]["populations"]["exc"]
        per = [neuron["exc"] if i < n_exc else neuron["inh"] for i in range(params["n"])]
    else:
        per = [neuron] * params["n"]

    def step(i, v, u, I_syn, I_ext, _):
        p = per[i]
        dv_dt = (p["k"] * (v - p["v_r"]) * (v - p["v_t"]) - u - I_syn + I_ext) / p["C"]
        du_dt = p["a"] * (p["b"] * (v - p["v_r"]) - u)
        return v + dt * dv_dt, u + dt * du_dt

    def spike(i, v, u):
        p = per[i]
        if v >= p["v_peak"]:
            return True, (p["c"], u + p["d"]), p["c"]
        return False, (v, u), v

    return synchronous_model_loop(params, edges, I_ext, step, spike, "u")
