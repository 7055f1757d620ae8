"""A whole inference: a recording (:mod:`.recording`) and resolved settings in, per-pair
arrays out (:mod:`.output` makes them a dataset).

For each recorded neuron: its voltage over the analysed duration, with imaging noise (on
simulations only); the
pairs to test (:mod:`.pairs`); the trains' STAs; one sweep over the pairs in which each
train's ISI shuffles are drawn once and serve every method (their STAs for the ``sta``
test, their projections for the ``matched`` one); then the tests (:mod:`.methods`).
"""

import time

import numpy as np

from . import methods as tests
from .imaging import clip_level, clipped, noisy_voltage, own_spikes
from .pairs import GENERATED, SpikeIndex, choose
from .sta import spike_triggered_averages, spike_triggered_sums, window_projection
from .surrogates import isi_shuffles

BAND = (2.5, 97.5)  # percentiles of the surrogates' STAs shown as the null band


def infer(recording, settings):
    """Run the inference of resolved ``settings`` on a :class:`.recording.Recording`.

    Returns a dict of per-pair arrays (``post``, ``pre``, ``pre_spikes``, ``sta``,
    ``sta_low``, ``sta_high``, ``true_type`` and ``true_weight`` where the wiring is known,
    per method ``statistic/M``, ``p_value/M``, ``predicted/M``), ``generated_step`` and
    ``generated_pair`` (every spike of the generated unconnected trains: its sample and its
    pair) and ``seconds`` (per method).
    """
    n_steps = int(round(settings["duration"] / recording.dt))
    spikes = SpikeIndex(recording, n_steps)
    parts, seconds = [], dict.fromkeys(settings["methods"], 0.0)
    generated_steps, generated_pair, first = [], [], 0
    for post in settings["neurons"]:
        v = recording.voltages[post][:n_steps]
        pairs = choose(recording, settings, post, spikes)
        part = _one_neuron(v, pairs, recording.dt, settings, seconds)
        part["pre"] = np.where(pairs.pre >= 0, recording.ids[np.maximum(pairs.pre, 0)], GENERATED)
        parts.append(part)
        for j in np.flatnonzero(pairs.pre == GENERATED):
            generated_steps.append(pairs.trains[j])
            generated_pair.append(np.full(len(pairs.trains[j]), first + j, dtype=np.int64))
        first += len(pairs.pre)
    result = {key: np.concatenate([p[key] for p in parts]) for key in parts[0]}
    result["generated_step"] = np.concatenate([np.zeros(0, np.int64), *generated_steps])
    result["generated_pair"] = np.concatenate([np.zeros(0, np.int64), *generated_pair])
    result["seconds"] = seconds
    return result


def recorded(v, settings, post, dt):
    """The voltage as the methods get it: with the imaging noise of ``settings`` (a
    simulation's), and clipped."""
    y = noisy_voltage(v, settings["noise_std"], settings["seed"], post)
    smooth = max(1, round(tests.SMOOTHING / dt))
    return y, clipped(y, clip_level(y, settings["clip"], smooth))


def _one_neuron(v, pairs, dt, settings, seconds):
    window, n = settings["window"]["steps"], settings["shuffles"]
    y, y_clip = recorded(v, settings, pairs.post, dt)
    sta, counts = spike_triggered_averages(y_clip, pairs.trains, window)
    matched = "matched" in settings["methods"]
    if matched:
        clock = time.perf_counter()
        signals = _matched_signals(y, y_clip, pairs, dt, settings)
        seconds["matched"] += time.perf_counter() - clock
    heights, band, projections = [], [], []
    for j, (train, key) in enumerate(zip(pairs.trains, pairs.keys, strict=True)):
        clock = time.perf_counter()
        surrogates = isi_shuffles(train, n, settings["seed"], pairs.post, key)
        shuffling = time.perf_counter() - clock
        if "sta" in settings["methods"]:
            clock = time.perf_counter()
            sums, used = spike_triggered_sums(y_clip, surrogates, window)
            with np.errstate(invalid="ignore", divide="ignore"):
                surrogate_sta = sums / used[:, None]
            heights.append(surrogate_sta.max(axis=1) - surrogate_sta.min(axis=1))
            band.append(np.percentile(surrogate_sta, BAND, axis=0))
            seconds["sta"] += time.perf_counter() - clock + shuffling
        if matched:
            clock = time.perf_counter()
            sums, used = spike_triggered_sums(signals[j], [train, *surrogates], 1)
            with np.errstate(invalid="ignore", divide="ignore"):
                projections.append(sums[:, 0] / used)
            seconds["matched"] += time.perf_counter() - clock + shuffling
    out = {
        "post": np.full(len(pairs.pre), pairs.post, dtype=np.int64),
        "pre": pairs.pre,
        "pre_spikes": counts,
        "sta": sta,
    }
    if pairs.true_type is not None:
        out["true_type"], out["true_weight"] = pairs.true_type, pairs.true_weight
    results = {}
    if "sta" in settings["methods"]:
        band = np.array(band).reshape(len(pairs.pre), 2, window)
        out["sta_low"], out["sta_high"] = band[:, 0], band[:, 1]
        results["sta"] = tests.sta_test(sta, np.array(heights), settings["alpha"])
    if matched:
        results["matched"] = tests.projection_test(np.array(projections), settings["alpha"])
    for method, (statistic, p_value, predicted) in results.items():
        out[f"statistic/{method}"] = statistic
        out[f"p_value/{method}"] = p_value
        out[f"predicted/{method}"] = predicted
    return out


def _matched_signals(y, y_clip, pairs, dt, settings):
    """Per pair, the signal whose mean over the train's spikes is its matched-filter
    projection, the filter made from the other half of the trains (cross-fitting)."""
    window = settings["window"]["steps"]
    dead, smooth = round(tests.DEAD_TIME / dt), max(1, round(tests.SMOOTHING / dt))
    own = own_spikes(y, tests.OWN_SPIKE_SDS, dead, smooth)
    cleaned = tests.own_spikes_removed(y_clip, own, int(round(tests.OWN_SPIKE_WINDOW / dt)))
    sta, counts = spike_triggered_averages(cleaned, pairs.trains, window)
    signals = [None] * len(pairs.trains)
    halves = tests.cross_fitted_halves(len(pairs.trains))
    for tested, other in zip(halves, halves[::-1], strict=True):
        if other.any():
            f, _ = tests.matched_filter(cleaned, sta[other], counts[other])
        else:  # a single train: nothing to learn the filter from but itself
            f, _ = tests.matched_filter(cleaned, sta, counts)
        z = window_projection(cleaned, f)
        for j in np.flatnonzero(tested):
            signals[j] = z
    return signals
