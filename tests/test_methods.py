"""The inference methods beside the STA test: each finds a planted answer (known PSPs after
known trains, unrelated trains left alone), the statistics against plain numpy, the
p-values' calibration against their law, the surrogates' nulls and the threads."""

import numpy as np
import pytest

from voltage_to_wiring.config.inference import METHODS, resolve_recording_inference
from voltage_to_wiring.inference import from_arrays, methods, surrogates
from voltage_to_wiring.inference.run import infer

from conftest import assert_bits_equal
from planted import RATE, planted

Z = 4.0
VOLTAGE_METHODS = ("sta", "template", "linefit", "matched", "kernel")


def _inferred(methods_, threads=1, surrogates_="isi_shuffle", **data):
    # a PSP as a membrane filters it: rising for 3 ms, decaying over 25 ms (the line fit
    # looks for the rise in the first 10 ms after a spike)
    y, times, signs = data.get("recording") or planted(rise=0.003, decay=0.025)
    recording = from_arrays.recording("planted", y, RATE, times, truth=list(signs), units="1")
    settings = resolve_recording_inference(
        {"methods": list(methods_), "seed": 2, "surrogates": surrogates_}, recording
    )
    return infer(recording, settings, threads), signs


@pytest.mark.parametrize("method", VOLTAGE_METHODS)
def test_each_voltage_method_finds_every_planted_input_with_its_sign(method):
    result, signs = _inferred([method])
    predicted = result[f"predicted/{method}"]
    statistic = result[f"statistic/{method}"]
    connected = signs != 0
    assert np.array_equal(predicted[connected], signs[connected]), method
    assert np.all(np.sign(statistic[connected]) == signs[connected])
    assert np.sum(predicted[~connected] != 0) <= 2  # 12 unrelated trains at alpha 0.05
    # ranking: every planted input above every unrelated train
    assert np.abs(statistic[connected]).min() > np.abs(statistic[~connected]).max() or method in (
        "sta",
        "template",  # (1 - p) statistics: planted inputs all reach the smallest p, ties
    )


def test_threads_change_nothing_bit_for_bit():
    one, _ = _inferred(METHODS, threads=1)
    two, _ = _inferred(METHODS, threads=2)
    for key, value in one.items():
        if key != "seconds":
            assert_bits_equal(np.asarray(two[key]), np.asarray(value), key)


def test_the_cross_correlogram_sees_spikes_that_follow_a_train():
    """A spiking neuron: after each spike of train 0, a spike of its own 2 ms later with
    probability 0.3; train 1 makes it silent for 10 ms (no spike follows); trains 2-5
    unrelated. The voltage carries nothing else but the spikes and noise."""
    rng = np.random.default_rng(8)
    n = 120 * RATE
    y = rng.normal(size=n)
    trains = [np.sort(rng.uniform(0, 119, 600)) for _ in range(6)]
    background = np.sort(rng.uniform(0, 119, 1200))  # the neuron's other spikes
    own = list(background)
    own += [t + 0.002 for t in trains[0] if rng.random() < 0.3]
    own = np.array(sorted(own))
    blocked = np.zeros(n, dtype=bool)
    for t in trains[1]:
        blocked[int(t * RATE) : int((t + 0.010) * RATE)] = True
    own = own[~blocked[(own * RATE).astype(int)]]
    for t in own:
        y[int(t * RATE)] += 40.0  # a spike: 40 noise SDs, one sample
    result, _ = _inferred(["xcorr"], recording=(y, trains, np.array([1, -1, 0, 0, 0, 0])))
    assert result["predicted/xcorr"][0] == 1
    assert result["statistic/xcorr"][1] < 0
    assert np.all(result["predicted/xcorr"][2:] == 0)


def test_line_fit_t_is_the_ols_slopes_t_of_the_pooled_windows():
    """Against numpy's least squares on the stacked windows, with the textbook standard error."""
    rng = np.random.default_rng(5)
    windows = rng.normal(size=(40, 25)) + 0.03 * np.arange(25)  # 40 spikes' windows
    j = np.tile(np.arange(25), 40)
    y = windows.ravel()
    x = np.column_stack([np.ones_like(j), j]).astype(float)
    beta, rss, *_ = np.linalg.lstsq(x, y, rcond=None)
    s2 = rss[0] / (len(y) - 2)
    se = np.sqrt(s2 * np.linalg.inv(x.T @ x)[1, 1])
    t = methods.line_fit_t(windows.sum(axis=0)[None], np.array([40]), np.array([y @ y]), 25)
    assert t[0] == pytest.approx(beta[1] / se, rel=1e-9)
    # only the first fit_steps of a longer window are fitted
    longer = np.hstack([windows, rng.normal(size=(40, 10)) * 100])
    t2 = methods.line_fit_t(longer.sum(axis=0)[None], np.array([40]), np.array([y @ y]), 25)
    assert t2[0] == pytest.approx(t[0], rel=1e-12)


def test_template_correlation_is_pearsons_and_its_template_the_strongest_positive_stas():
    rng = np.random.default_rng(6)
    rows, template = rng.normal(size=(5, 30)), rng.normal(size=30)
    expected = [np.corrcoef(r, template)[0, 1] for r in rows]
    assert methods.correlation(rows, template) == pytest.approx(expected, rel=1e-12)
    statistic = np.array([0.99, 0.99, -0.99, 0.5, 0.99])
    p_value = np.array([1, 1, 1, 50, 3]) / 101
    sta = rng.normal(size=(5, 30))
    assert methods.template_of(sta, statistic, p_value) == pytest.approx(sta[:2].mean(axis=0))
    assert methods.template_of(sta, -np.abs(statistic), p_value) is None


def test_the_psp_fit_recovers_a_known_kernel():
    dt = 1e-4
    s = np.clip(np.arange(200) * dt - 15e-4, 0, None)
    tau_rise, tau_decay = 1e-3, methods.PSP_DECAYS[12]
    truth = 3e-4 * (np.exp(-s / tau_decay) - np.exp(-s / tau_rise))
    noisy = truth + np.random.default_rng(7).normal(0, 1e-6, 200) + 0.01
    fitted = methods.psp_template(noisy, dt)
    assert np.max(np.abs(fitted - truth)) < 0.02 * truth.max()


def test_exact_p_values_hold_alpha_under_the_null():
    """Real and surrogate statistics exchangeable (one law): P(p <= 0.05) is at most 0.05 with
    (count + 1) / (n + 1); the old max(count, 1) / n gave 0.059 with 100 surrogates."""
    rng = np.random.default_rng(9)
    draws = rng.normal(size=(40_000, 101))
    p = methods.permutation_p(draws[:, 1:] >= draws[:, :1])
    rate = np.mean(p <= 0.05)
    expected = 5 / 101  # p <= 0.05 iff at most 4 surrogates are higher: 5 ranks of 101
    assert abs(rate - expected) < Z * np.sqrt(expected * (1 - expected) / len(p))
    old = np.maximum((draws[:, 1:] >= draws[:, :1]).sum(axis=1), 1) / 100
    assert np.mean(old <= 0.05) > 0.055  # what the exact form fixes
    assert p.min() == 1 / 101


def test_the_projection_tests_p_is_exact_under_the_null():
    """Real and surrogate projections exchangeable (Gaussian, as projections of a long trace
    are): P(p <= 0.05) is the 5 ranks of 101, within 4 SD over 200,000 draws. Centred on the
    surrogates' own mean, as it was, it came to 0.0519, 4.9 SD above (issue 31's audit:
    0.0513); centred on the mean of all 101, a function of the set, the ranks stay
    exchangeable."""
    rng = np.random.default_rng(12)
    called = []
    for _ in range(4):
        draws = rng.normal(size=(50_000, 101))
        _, p, predicted = methods.projection_test(draws, 0.05)
        called.append(p <= 0.05)
        assert np.array_equal(predicted != 0, p <= 0.05)
    rate, expected = np.mean(np.concatenate(called)), 5 / 101
    assert abs(rate - expected) < Z * np.sqrt(expected * (1 - expected) / 200_000)


@pytest.mark.slow
def test_every_method_calls_unconnected_trains_at_no_more_than_alpha():
    """A Monte-Carlo check under the null, end to end: 400 trains that do nothing beside the
    12 planted inputs, every method, 100 ISI shuffles each. The fraction of them called at
    alpha 0.05 is at most 5/101 plus 3 binomial SD (0.033 here): a method whose p-value
    were one-sided after the fact, as the thesis's template test was (about 0.10), fails."""
    recording = planted(seed=13, n_other=400, rise=0.003, decay=0.025)
    result, signs = _inferred(METHODS, recording=recording)
    unconnected = signs == 0
    limit = 5 / 101 + 3 * np.sqrt(0.05 * 0.95 / unconnected.sum())
    for method in METHODS:
        p = result[f"p_value/{method}"][unconnected]
        assert np.mean(p <= 0.05) <= limit, method
        assert np.all((result[f"predicted/{method}"][unconnected] != 0) == (p <= 0.05)), method


def test_interval_jitter_keeps_each_spike_in_its_window():
    rng = np.random.default_rng(10)
    train = np.sort(rng.choice(100_000, 800, replace=False))
    jittered = surrogates.surrogates(
        train, 50, seed=3, post=0, pair=4, null={"kind": "jitter", "steps": 200}
    )
    assert jittered.shape == (50, 800)
    assert np.all(np.diff(jittered, axis=1) >= 0)
    for row in jittered:  # the same count in every window of 200 steps
        assert np.array_equal(
            np.bincount(row // 200, minlength=500), np.bincount(train // 200, minlength=500)
        )
    assert not np.array_equal(jittered[0], jittered[1])
    within = jittered - (np.sort(train) // 200 * 200)[None]
    # uniform within the window: mean offset 99.5 steps
    assert abs(within.mean() - 99.5) < Z * 57.7 / np.sqrt(within.size)
    again = surrogates.surrogates(train, 50, 3, 0, 4, {"kind": "jitter", "steps": 200})
    assert np.array_equal(again, jittered)


def test_the_jitter_null_finds_the_planted_inputs_too():
    """Jitter tests timing within its window only: a fast PSP (rise 1 ms, decay 7 ms) shows
    against 5 ms of jitter; the height test, with less power, finds most."""
    result, signs = _inferred(
        ["kernel", "sta"], surrogates_={"jitter": "5 ms"}, recording=planted()
    )
    kernel, sta = result["predicted/kernel"], result["predicted/sta"]
    connected = signs != 0
    assert np.array_equal(kernel[connected], signs[connected])
    assert np.sum(sta[connected] == signs[connected]) >= 10
    assert np.sum(kernel[~connected] != 0) <= 2 and np.sum(sta[~connected] != 0) <= 2


def test_protocols_choose_what_they_say():
    from voltage_to_wiring.inference.pairs import GENERATED, SpikeIndex, choose

    y, times, signs = planted()
    recording = from_arrays.recording("planted", y, RATE, times, truth=list(signs), units="1")
    spikes = SpikeIndex(recording, len(y))

    def pairs(spec):
        settings = resolve_recording_inference({"seed": spec.pop("seed", 1), **spec}, recording)
        return choose(recording, settings, 0, spikes)

    top = pairs({"trains": "top_rate", "per_type": 3, "unconnected": 5})
    counts = spikes.counts()
    for sign in (1, -1):
        same = np.flatnonzero(signs == sign)
        chosen = top.pre[top.true_type == sign]
        assert len(chosen) == 3 and set(chosen) <= set(same)
        assert counts[chosen].min() >= np.sort(counts[same])[-3]  # the highest rates
    drawn = [
        pairs({"trains": "random", "per_type": 3, "unconnected": 5, "seed": s}) for s in range(6)
    ]
    for one in drawn:
        assert np.sum(one.true_type == 1) == 3 and np.sum(one.true_type == -1) == 3
        assert np.sum(one.true_type == 0) == 5 and np.all(one.pre >= 0)
        assert np.all(signs[one.pre] == one.true_type)  # labelled with the truth
    assert len({tuple(one.pre) for one in drawn}) > 1  # seeds draw other inputs
    again = pairs({"trains": "random", "per_type": 3, "unconnected": 5, "seed": 0})
    assert np.array_equal(again.pre, drawn[0].pre)
    chosen = [17, 2, 5]  # the index's trains: those of a plain search, in the order asked
    for train, i in zip(spikes.trains(chosen), chosen, strict=True):
        expected = np.sort(recording.spike_step[recording.spike_train == i])
        assert train.dtype == np.int64 and np.array_equal(train, expected)
    assert spikes.trains([]) == []
    every = pairs({"trains": "all", "unconnected": 4})
    assert every.pre[:24].tolist() == list(range(24))  # every train, in order
    assert every.pre[24:].tolist() == [GENERATED] * 4 and np.all(every.true_type[24:] == 0)
    assert len(pairs({"trains": "all"}).pre) == 24  # no generated trains unless asked


def test_every_declared_method_has_a_family_and_every_projection_a_filter():
    from voltage_to_wiring.core import methods as declared
    from voltage_to_wiring.inference.filters import FILTERS

    assert {m.family for m in declared.DECLARED} <= set(declared.FAMILIES)
    assert set(FILTERS) == set(declared.of_family("projection"))
    assert len(set(declared.NAMES)) == len(declared.NAMES)
    assert {m.origin for m in declared.DECLARED} <= {"thesis", "ours", "peer"}
