"""A whole inference: a recording (:mod:`.recording`) and resolved settings in, per-pair
arrays out (:mod:`.output` makes them a dataset).

For each recorded neuron: its voltage over the analysed duration, with imaging noise (on
simulations only); the
pairs to test (:mod:`.pairs`); the trains' STAs; one sweep over the pairs in which each
train's ISI shuffles are drawn once and serve every method (their STAs for the ``sta``
test, their projections for the ``matched`` one); then the tests (:mod:`.methods`).
"""

import time
from concurrent.futures import ThreadPoolExecutor

import numpy as np

from ..core import methods as declared
from ..errors import ConfigError
from . import joint
from . import methods as tests
from .caveats import caveats
from .filters import FILTERS, kernel_halves, shared_by_projections
from .imaging import clip_level, clipped, noisy_voltage, robust_spread, smoothed
from .pairs import GENERATED, SpikeIndex, choose
from .sta import (
    point_signals,
    point_sums,
    spike_triggered_averages,
    spike_triggered_sums,
    window_projection,
    window_sums,
)
from .surrogates import surrogates

BAND = (2.5, 97.5)  # percentiles of the surrogates' STAs shown as the null band


def infer(recording, settings, threads=1):
    """Run the inference of resolved ``settings`` on a :class:`.recording.Recording`.

    Returns a dict of per-pair arrays (``post``, ``pre``, ``pre_spikes``, ``sta``,
    ``sta_low``, ``sta_high``, ``true_type`` and ``true_weight`` where the wiring is known,
    per method ``statistic/M``, ``p_value/M``, ``predicted/M``), ``generated_step`` and
    ``generated_pair`` (every spike of the generated unconnected trains: its sample and its
    pair), ``seconds`` (per method, summed over threads) and ``warnings`` (sentences: what
    will make the results mislead). ``threads`` share the trains;
    the results do not depend on their number.
    """
    n_steps = int(round(settings["duration"] / recording.dt))
    spikes = SpikeIndex(recording, n_steps)
    parts, seconds = [], dict.fromkeys(settings["methods"], 0.0)
    generated_steps, generated_pair, first = [], [], 0
    warnings = list(recording.warnings)  # of its reading (a negated trace, ...)
    for post in settings["neurons"]:
        v = recording.voltages[post][:n_steps]
        pairs = choose(recording, settings, post, spikes)
        part = _one_neuron(v, pairs, recording.dt, settings, seconds, threads)
        own = recording.own_train.get(post)
        warnings += caveats(pairs, part["pre_spikes"], spikes, own, settings)
        part["pre"] = np.where(pairs.pre >= 0, recording.ids[np.maximum(pairs.pre, 0)], GENERATED)
        if pairs.shadow_of is not None:  # the id of the input each shadow shares spikes with
            part["shadow_of"] = np.where(
                pairs.shadow_of >= 0, recording.ids[np.maximum(pairs.shadow_of, 0)], -1
            )
        if pairs.shared_inputs is not None:
            part["shared_inputs"] = pairs.shared_inputs
        parts.append(part)
        for j in np.flatnonzero(pairs.pre == GENERATED):
            generated_steps.append(pairs.trains[j])
            generated_pair.append(np.full(len(pairs.trains[j]), first + j, dtype=np.int64))
        first += len(pairs.pre)
    result = {key: np.concatenate([p[key] for p in parts]) for key in parts[0]}
    result["generated_step"] = np.concatenate([np.zeros(0, np.int64), *generated_steps])
    result["generated_pair"] = np.concatenate([np.zeros(0, np.int64), *generated_pair])
    result["seconds"] = seconds
    result["warnings"] = warnings
    return result


def recorded(v, settings, post, dt):
    """The voltage as the methods get it: with the imaging noise of ``settings`` (a
    simulation's), and clipped; and the median and robust SD of the voltage smoothed
    (:func:`.robust_spread`: the clipping's and the own spikes' level, computed once)."""
    y = noisy_voltage(v, settings["noise_std"], settings["seed"], post)
    smooth = max(1, round(tests.SMOOTHING / dt))
    spread = robust_spread(smoothed(y, smooth))
    return y, clipped(y, clip_level(y, settings["clip"], smooth, spread)), spread


STA_METHODS = declared.of_family("sta")  # tested on the surrogates' STAs of the clipped voltage
PROJECTIONS = declared.of_family("projection")  # tested on a signal's mean over the spikes


def _in_threads(task, n, threads):
    """``[task(0), ..., task(n - 1)]``, the tasks shared among ``threads`` threads (the
    kernels release the GIL); each result is the same whichever thread computes it."""
    if threads <= 1 or n <= 1:
        return [task(j) for j in range(n)]
    with ThreadPoolExecutor(min(threads, n)) as pool:
        return list(pool.map(task, range(n)))


def _one_neuron(v, pairs, dt, settings, seconds, threads):
    window, alpha = settings["window"]["steps"], settings["alpha"]
    methods = settings["methods"]
    y, y_clip, spread = recorded(v, settings, pairs.post, dt)
    if np.ptp(y_clip) == 0:
        raise ConfigError(
            f"the voltage of neuron {pairs.post} is constant"
            + (" after clipping" if np.ptp(y) > 0 else "")
            + f" ({y_clip[0]:g} over {len(y_clip)} samples): there is nothing to infer from "
            "(is it the membrane potential? see also inference.clip)",
            key="inference.neurons",
        )
    sta, counts = spike_triggered_averages(y_clip, pairs.trains, window)
    # The signals summed at single spikes, one column each (one step per STA window), and
    # per method the column of each pair: a train's spikes then cost one cache miss each for
    # every method at once (see sta.point_sums). The projection methods' signals are a
    # trace projected on filters (the projections shared among the threads).
    projections, column, shared = [], {}, None
    for method in (m for m in methods if m in PROJECTIONS):
        clock = time.perf_counter()
        shared = shared or shared_by_projections(
            y, y_clip, spread, dt, pairs, settings
        )  # once, for all
        trace, filters, which = FILTERS[method](shared, pairs, dt, settings)
        column[method] = len(projections) + which
        projections += [(method, trace, f) for f in filters]
        seconds[method] += time.perf_counter() - clock
    fitted = None
    if "joint" in methods:  # every train at once; its residual summed at each spike
        clock = time.perf_counter()
        shared = shared or shared_by_projections(y, y_clip, spread, dt, pairs, settings)
        filters, kernels, which = kernel_halves(shared, pairs, dt)
        fitted = joint.fit(shared["trace"], pairs.trains, filters, kernels, which, threads)
        column["joint"] = len(projections) + which
        projections += [("joint", fitted.residual[:, g], None) for g in range(len(filters))]
        seconds["joint"] += time.perf_counter() - clock
    fit = min(window, max(2, round(tests.LINE_FIT_WINDOW / dt)))
    level = np.mean(y_clip)  # once per neuron, not per pair
    if "linefit" in methods:
        column["linefit"] = np.full(len(pairs.pre), len(projections))
    points = point_signals(len(y) - window + 1, len(projections) + ("linefit" in methods))

    def project(i):
        method, trace, f = projections[i]
        clock = time.perf_counter()
        if f is None:  # a signal of its own (joint's residual), shorter: zeros after it
            points[: len(trace), i] = trace
        else:
            window_projection(trace, f, out=points[:, i])
        return method, time.perf_counter() - clock

    for method, spent in _in_threads(project, len(projections), threads):
        seconds[method] += spent
    if "linefit" in methods:  # the line fit's sums of squares, centred: nothing cancels
        points[:, len(projections)] = window_sums((y_clip - level) ** 2, fit, window)
    sta_methods = [m for m in methods if m in STA_METHODS]

    def test(j):
        """The surrogates of pair j and what each method needs of them, with the time
        each method took (the shuffling shared out)."""
        train, spent, got = pairs.trains[j], dict.fromkeys(methods, 0.0), {}
        clock = time.perf_counter()
        null = _null(pairs, j, settings)
        shuffling = time.perf_counter() - clock
        if sta_methods:
            clock = time.perf_counter()
            sums, used = spike_triggered_sums(y_clip, null, window)
            surrogate_sta = _per_spike(sums, used)
            got["height"] = surrogate_sta.max(axis=1) - surrogate_sta.min(axis=1)
            if "sta" in methods:
                got["band"] = np.percentile(surrogate_sta, BAND, axis=0)
            if "linefit" in methods:
                got["centred"], got["used"] = sums - used[:, None] * level, used
            share = (time.perf_counter() - clock + shuffling) / len(sta_methods)
            for method in sta_methods:
                spent[method] += share
        if "template" in methods:  # the thesis's pass 1, on the voltage as it is
            clock = time.perf_counter()
            sums, used = spike_triggered_sums(y, null, window)
            surrogate_sta = _per_spike(sums, used)
            got["raw_height"] = surrogate_sta.max(axis=1) - surrogate_sta.min(axis=1)
            spent["template"] += time.perf_counter() - clock + shuffling
        if column:  # the real train's sums, then its surrogates', of every point signal
            clock = time.perf_counter()
            sums, used = point_sums(points, np.vstack([train[None, :], null]))
            means = _per_spike(sums, used)
            for method, where in column.items():
                got[method] = (means if method in PROJECTIONS else sums)[:, where[j]]
            if fitted is not None:
                got["joint"] = joint.refits(fitted, j, train, null, got["joint"])
            share = (time.perf_counter() - clock) / len(column)
            for method in column:
                shuffled = method in PROJECTIONS or method == "joint"
                spent[method] += share + (shuffling if shuffled else 0.0)
        if "linefit" in methods:
            got["line_t"] = tests.line_fit_t(
                got.pop("centred"), got.pop("used"), got["linefit"][1:], fit
            )
        return got, spent

    tested = _in_threads(test, len(pairs.pre), threads)
    for _, spent in tested:
        for method, value in spent.items():
            seconds[method] += value

    def column(name):
        return [got[name] for got, _ in tested]

    out = {
        "post": np.full(len(pairs.pre), pairs.post, dtype=np.int64),
        "pre": pairs.pre,
        "pre_spikes": counts,
        "sta": sta,
    }
    if pairs.true_type is not None:
        out["true_type"], out["true_weight"] = pairs.true_type, pairs.true_weight
    results = {}
    if sta_methods:
        results["sta"] = tests.sta_test(sta, np.array(column("height")), alpha)
    if "sta" in methods:
        band = np.array(column("band")).reshape(len(pairs.pre), 2, window)
        out["sta_low"], out["sta_high"] = band[:, 0], band[:, 1]
    if "linefit" in methods:
        centred_sta_sums = np.nan_to_num(sta - level) * counts[:, None]
        real_squares = np.array([squares[0] for squares in column("linefit")])
        t = tests.line_fit_t(centred_sta_sums, counts, real_squares, fit)
        results["linefit"] = tests.line_fit_test(t, np.array(column("line_t")), alpha)
    if "template" in methods:
        clock = time.perf_counter()
        raw_sta, _ = spike_triggered_averages(y, pairs.trains, window)
        first = tests.sta_test(raw_sta, np.array(column("raw_height")), alpha)
        results["template"] = _template_pass(y, raw_sta, pairs, first, settings, threads)
        seconds["template"] += time.perf_counter() - clock
    for method in (m for m in methods if m in PROJECTIONS):
        results[method] = tests.projection_test(np.array(column(method)), alpha)
    if "joint" in methods:
        results["joint"] = joint.joint_test(np.array(column("joint")), alpha)
    for method in methods:
        statistic, p_value, predicted = results[method]
        out[f"statistic/{method}"] = statistic
        out[f"p_value/{method}"] = p_value
        out[f"predicted/{method}"] = predicted
    return out


def _template_pass(y, sta, pairs, height_test, settings, threads):
    """The template correlation's second pass: the template from the height test's
    results, then each train's correlation with it against its surrogates' (drawn again:
    the same draws as the first pass). On the voltage as it is, not clipped: as the thesis
    ran it (its AUC-against-N protocol ceiled the spikes and clipped nothing); clipped,
    the correlation of a weak input's STA with the template loses its sign (0.16-0.20 on a
    tuning seed of the thesis's neuron, against 0.41 unclipped)."""
    window = settings["window"]["steps"]
    statistic, p_value, _ = height_test
    template = tests.template_of(sta, statistic, p_value)
    if template is None:  # no train looks excitatory: nothing to correlate with
        zeros = np.zeros(len(pairs.pre))
        return zeros, np.ones(len(pairs.pre)), zeros.astype(np.int8)
    rho = tests.correlation(np.nan_to_num(sta), template)

    def correlations(j):
        null = _null(pairs, j, settings)
        sums, used = spike_triggered_sums(y, null, window)
        return tests.correlation(_per_spike(sums, used), template)

    surrogate_rho = np.array(_in_threads(correlations, len(pairs.pre), threads))
    return tests.template_test(rho, surrogate_rho, settings["alpha"])


def _per_spike(sums, used):
    """Each row's sums over its spikes divided by their number: NaN for a train with none."""
    with np.errstate(invalid="ignore", divide="ignore"):
        return sums / used[:, None]


def _null(pairs, j, settings):
    """Pair j's surrogates (the same draws wherever they are asked for)."""
    seed, null = settings["seed"], settings["surrogates"]
    n, segments = settings["shuffles"], pairs.segments_of(j)
    return surrogates(pairs.trains[j], n, seed, pairs.post, pairs.keys[j], null, segments)
