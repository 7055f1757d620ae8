"""Inference: the STA kernel against plain numpy, the shuffles, the tests on a planted answer,
the imaging noise, and the scoring against hand-worked tables and brute force."""

import ast
import itertools
from pathlib import Path

import numpy as np
import pytest

from voltage_to_wiring.inference import evaluate, imaging, methods, surrogates
from voltage_to_wiring.inference.sta import (
    point_signals,
    point_sums,
    spike_triggered_averages,
    spike_triggered_sums,
    window_projection,
)

from conftest import ROOT, assert_bits_equal

Z = 4.0


def reference_sums(y, train, window):
    """The plain definition: add the windows after each spike, in time order."""
    total, used = np.zeros(window), 0
    for s in train:
        if 0 <= s and s + window <= len(y):
            total = total + y[s : s + window]
            used += 1
    return total, used


def test_the_sta_kernel_is_the_plain_sum_bit_for_bit_edges_included():
    rng = np.random.default_rng(1)
    y = rng.normal(size=200_003)  # more than a few blocks of the kernel
    window = 37
    last = len(y) - window  # the last spike whose window fits
    trains = [
        np.sort(rng.choice(len(y), 500, replace=False)),
        np.array([0, 1, last - 1, last, last + 1, len(y) - 1]),  # edges: two do not fit
        np.array([], dtype=np.int64),
        np.array([5, 5, 9]),  # a repeated step counts twice
        np.array([-7, -1, 3, 8, 13, 21, 34]),  # before the signal: never used
        *(np.arange(1, k + 1) * 11 for k in (1, 2, 5, 7, 8, 9, 16, 23)),  # 8 at a time, the rest
    ]
    sums, counts = spike_triggered_sums(y, trains, window)
    for j, train in enumerate(trains):
        expected, used = reference_sums(y, train, window)
        assert_bits_equal(sums[j], expected, f"train {j}")
        assert counts[j] == used
    assert counts[1] == 4 and counts[2] == 0 and counts[3] == 3
    as_array = spike_triggered_sums(y, np.array([trains[0], trains[0][::-1][::-1]]), window)[0]
    assert_bits_equal(as_array[0], sums[0], "2-D input")
    stas, _ = spike_triggered_averages(y, trains, window)
    assert np.all(np.isnan(stas[2]))


def test_point_sums_are_the_plain_sums_of_every_column_bit_for_bit():
    rng = np.random.default_rng(3)
    signals = rng.normal(size=(100_000, 3))
    trains = [
        np.sort(rng.integers(0, len(signals), 2000)),  # more than the prefetch distance
        np.array([-2, 0, len(signals) - 1, len(signals), len(signals) + 5]),  # edges
        np.array([], dtype=np.int64),
        np.array([7, 7]),
    ]
    sums, counts = point_sums(signals, trains)
    assert sums.shape == (4, 3) and counts.tolist() == [2000, 2, 0, 2]
    for j, train in enumerate(trains):
        for c in range(3):
            expected, used = reference_sums(signals[:, c], train, 1)
            assert_bits_equal(sums[j, c : c + 1], expected, f"train {j}, column {c}")
            assert counts[j] == used
    stacked = point_sums(signals, np.array([trains[0], trains[0]]))[0]
    assert_bits_equal(stacked[1], sums[0], "2-D input")
    padded = point_signals(len(signals), 3)  # rows of whole 64-byte cache lines, aligned
    assert padded.shape == (len(signals), 8) and padded.ctypes.data % 64 == 0
    assert padded.strides == (64, 8) and not padded.any()
    padded[:, :3] = signals
    in_lines, _ = point_sums(padded, trains)
    assert_bits_equal(in_lines[:, :3], sums, "padded rows")
    assert not in_lines[:, 3:].any()


def test_window_projection_is_the_sta_projection():
    rng = np.random.default_rng(2)
    y, f = rng.normal(size=5000), rng.normal(size=20)
    z = window_projection(y, f)
    assert len(z) == len(y) - len(f) + 1
    train = np.array([3, 100, 4000, len(y) - 20])
    sta = spike_triggered_averages(y, [train], 20)[0][0]
    assert np.isclose(np.mean(z[train]), sta @ f, rtol=1e-12)


def test_isi_shuffles_keep_each_trains_intervals_count_and_ends():
    rng = np.random.default_rng(3)
    train = np.cumsum(rng.integers(1, 300, size=1000))
    shuffled = surrogates.isi_shuffles(train, 100, seed=7, post=0, pair=12)
    assert shuffled.shape == (100, len(train))
    for row in shuffled:
        assert row[0] == train[0] and row[-1] == train[-1]
        assert np.array_equal(np.sort(np.diff(row)), np.sort(np.diff(train)))
    assert len({tuple(row) for row in shuffled}) == 100  # all different
    again = surrogates.isi_shuffles(train, 100, seed=7, post=0, pair=12)
    other = surrogates.isi_shuffles(train, 100, seed=7, post=0, pair=13)
    assert np.array_equal(shuffled, again) and not np.array_equal(shuffled, other)
    # every interval is equally likely in any position: the mean interval at position 0
    # over the shuffles is the train's mean interval
    first = np.diff(shuffled[:, :2], axis=1)[:, 0]
    d = np.diff(train)
    assert abs(first.mean() - d.mean()) < Z * d.std() / np.sqrt(100)


def planted(seed=4, n_steps=400_000, psp=2e-4):
    """White noise (1 mV) plus a PSP of ``psp`` (V) after every spike of train A and minus it
    after train B; train C unrelated. Returns y and the three trains."""
    rng = np.random.default_rng(seed)
    y = rng.normal(0.0, 1e-3, n_steps) - 0.06
    kernel = psp * np.exp(-np.arange(150) / 50.0) * (1 - np.exp(-np.arange(150) / 5.0))
    trains = [np.sort(rng.choice(n_steps - 200, 2000, replace=False)) for _ in range(3)]
    for train, sign in zip(trains[:2], (1, -1), strict=True):
        for s in train:
            y[s + 10 : s + 160] += sign * kernel
    return y, trains


def shuffles_of(trains, n=100):
    return [surrogates.isi_shuffles(t, n, seed=1, post=0, pair=j) for j, t in enumerate(trains)]


def test_the_sta_test_finds_a_planted_answer():
    y, trains = planted()
    window = 200
    sta, _ = spike_triggered_averages(y, trains, window)
    heights = []
    for shuffled in shuffles_of(trains):
        s = spike_triggered_sums(y, shuffled, window)[0] / len(shuffled[0])
        heights.append(s.max(axis=1) - s.min(axis=1))
    statistic, p, predicted = methods.sta_test(sta, np.array(heights), alpha=0.05)
    assert predicted.tolist() == [1, -1, 0]
    assert p[0] <= 0.01 and p[1] <= 0.01 and p[2] > 0.05
    assert statistic[0] > 0 > statistic[1]


def test_the_matched_filter_finds_a_planted_answer():
    y, trains = planted()
    window = 200
    sta, counts = spike_triggered_averages(y, trains, window)
    halves = methods.cross_fitted_halves(3)
    signals = {}
    for tested, other in zip(halves, halves[::-1], strict=True):
        f, _ = methods.matched_filter(methods.noise_of(y, sta.shape[1]), sta[other], counts[other])
        signals.update(dict.fromkeys(np.flatnonzero(tested), window_projection(y, f)))
    projections = [
        spike_triggered_sums(signals[j], np.vstack([t, s]), 1)[0][:, 0] / len(t)
        for j, (t, s) in enumerate(zip(trains, shuffles_of(trains), strict=True))
    ]
    statistic, p, predicted = methods.projection_test(np.array(projections), alpha=0.05)
    assert predicted.tolist() == [1, -1, 0]
    assert p[0] <= 0.01 and p[1] <= 0.01 and p[2] > 0.05
    assert statistic[0] > 3 and statistic[1] < -3 and abs(statistic[2]) < 3


def test_own_spikes_are_found_in_noisy_voltage_and_their_waveform_removed():
    rng = np.random.default_rng(5)
    n = 200_000
    spikes = np.sort(rng.choice(np.arange(100, n - 2000, 1000), 100, replace=False))
    # an Izhikevich-like upstroke (4 ms from -40 to +35 mV), a reset to -50 mV and recovery
    waveform = np.r_[np.linspace(-0.04, 0.035, 40), -0.05 - 0.01 * np.exp(-np.arange(800) / 200)]
    v = np.full(n, -0.06)
    for s in spikes:
        v[s : s + len(waveform)] = waveform
    y = v + rng.normal(0, 0.0095, n)  # SNR 10 for a 95 mV spike
    found = imaging.own_spikes(y, methods.OWN_SPIKE_SDS, dead_steps=20, smooth_steps=20)
    assert len(found) == len(spikes)
    assert np.all((found >= spikes) & (found < spikes + 40))  # on the upstroke
    cleaned = methods.own_spikes_removed(v, spikes, 840)
    assert np.std(cleaned) < 0.05 * np.std(v)


def test_imaging_noise_has_the_snr_it_is_asked_for():
    v = np.full(200_000, -0.06)
    height, snr = 0.095, 10
    y = imaging.noisy_voltage(v, height / snr, seed=3, neuron=0)
    sigma = height / snr
    assert abs((y - v).std() - sigma) < Z * sigma / np.sqrt(2 * len(v))
    assert abs((y - v).mean()) < Z * sigma / np.sqrt(len(v))
    other = imaging.noisy_voltage(v, sigma, seed=3, neuron=1)
    assert abs(np.corrcoef(y - v, other - v)[0, 1]) < Z / np.sqrt(len(v))  # independent
    assert np.array_equal(imaging.noisy_voltage(v, 0.0, 3, 0), v)
    assert imaging.clipped(np.array([-0.07, -0.03, 0.02]), -0.04).tolist() == [-0.07, -0.04, -0.04]


# Six pairs worked by hand: statistic, true type.
HAND = {
    "statistic": [0.9, -0.8, 0.7, 0.6, -0.5, 0.4],
    "true_type": [1, -1, 0, -1, 0, 1],
}


def test_scores_of_a_hand_worked_table():
    t, truth = np.array(HAND["statistic"]), np.array(HAND["true_type"])
    # thresholds on |t|: 0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0; connected: 4; unconnected: 2.
    # right sign: 0.9 (+,exc), -0.8 (-,inh), 0.4 (+,exc); 0.6 (+) is inhibitory: wrong sign.
    fpr, tpr, _ = evaluate.roc(t, truth)
    assert fpr.tolist() == [0, 0, 0, 0.5, 0.5, 1, 1, 1]
    assert tpr.tolist() == [0, 0.25, 0.5, 0.5, 0.5, 0.5, 0.75, 0.75]
    # area: 0.5 x 0.5 (from fpr 0.5 to 1 at tpr 0.5) + 0.5 x 0.5 (fpr 0 to 0.5 at 0.5)
    assert evaluate.auc(fpr, tpr) == pytest.approx(0.5)
    m = evaluate.method_metrics(t, [1, -1, 0, 1, 0, 0], truth)
    # exc only: found at 0.9 and 0.4; unconnected at 0.7 and 0.5
    assert m["auc_exc"] == pytest.approx(0.5 * 0.5 + 0.5 * 0.5 * 1.0 / 1)  # 0.5
    # inh only: -0.8 found (tpr 0.5 at fpr 0), 0.6 never right: area 0.5
    assert m["auc_inh"] == pytest.approx(0.5)
    # sign ignored: connected |t| 0.9 0.8 0.6 0.4 vs unconnected 0.7 0.5 -> P(conn > unconn)
    assert m["auc_detection"] == pytest.approx((2 + 2 + 1 + 0) / 8)
    # at alpha: 3 detections (1, -1, 1), right: 0.9 and -0.8 -> precision 2/3, recall 2/4
    assert m["precision"] == pytest.approx(2 / 3) and m["recall"] == pytest.approx(0.5)
    # best F1: threshold 0.8 -> precision 2/2, recall 2/4 -> 2/3
    assert m["max_f1"] == pytest.approx(2 / 3)
    assert m["tpr_at_fpr_0.05"] == pytest.approx(0.5)
    assert m["tpr_at_fpr_0.01"] == pytest.approx(0.5)  # FPR 0 reaches TPR 0.5 (0.9, -0.8)
    # at alpha: unconnected 0.7 (called 0) and -0.5 (called 0): none called
    assert m["false_positive_rate"] == 0.0
    # Matthews over 3 classes, by hand. truth [1,-1,0,-1,0,1], called [1,-1,0,1,0,0]:
    # confusion [true][called] for (-1, 0, 1): [[1,0,1],[0,2,0],[0,1,1]]; n 6, right 4;
    # true totals (2,2,2), called totals (1,3,2): cov = 4*6 - (2+6+4) = 12;
    # sqrt((36 - 12) (36 - (1 + 9 + 4))) = sqrt(24 * 22)
    assert m["mcc"] == pytest.approx(12 / np.sqrt(24 * 22))
    low, high = m["interval"]["auc"]
    assert 0 <= low <= m["auc"] <= high <= 1


def test_matthews_is_the_textbook_binary_one_with_two_classes():
    rng = np.random.default_rng(12)
    truth, called = rng.choice([0, 1], 500), rng.choice([0, 1], 500)
    tp = np.sum((truth == 1) & (called == 1))
    tn = np.sum((truth == 0) & (called == 0))
    fp = np.sum((truth == 0) & (called == 1))
    fn = np.sum((truth == 1) & (called == 0))
    textbook = (tp * tn - fp * fn) / np.sqrt((tp + fp) * (tp + fn) * (tn + fp) * (tn + fn))
    assert evaluate.matthews(called, truth) == pytest.approx(textbook)
    assert evaluate.matthews(truth, truth) == pytest.approx(1.0)
    assert evaluate.matthews(np.zeros(500), truth) is None  # one class called: undefined


def test_bootstrap_areas_are_the_roc_areas_and_the_interval_covers_the_truth():
    rng = np.random.default_rng(13)
    truth = rng.choice([-1, 0, 1], size=300)
    statistic = np.round(rng.normal(size=300) + truth, 1)
    size, hit = np.abs(statistic), (np.sign(statistic) == truth)
    # one "resample" that is the data itself: the ROC's trapezoid area
    area = evaluate._ranked_areas(
        size[truth != 0][None], hit[truth != 0][None], size[truth == 0][None]
    )[0]
    fpr, tpr, _ = evaluate.roc(statistic, truth)
    assert area == pytest.approx(evaluate.auc(fpr, tpr), abs=1e-12)

    # coverage: over many data sets from one law, the 95 % interval holds the law's AUC in
    # about 95 % of them (the law's AUC from one very large sample)
    def draw(n, seed):
        r = np.random.default_rng(seed)
        t = r.choice([-1, 0, 1], size=n)
        return r.normal(size=n) + 0.7 * t, t

    big, big_truth = draw(200_000, 0)
    fpr, tpr, _ = evaluate.roc(np.round(big, 2), big_truth)
    law = evaluate.auc(fpr, tpr)
    covered = 0
    for seed in range(1, 101):
        s, t = draw(300, seed)
        low, high = evaluate.bootstrap_intervals(s, t, seed, resamples=400)["auc"]
        covered += low <= law <= high
    assert covered >= 87  # 95 expected; binomial(100, 0.95) falls below 88 with p < 0.01


def test_the_bootstrap_areas_are_the_pair_counts_row_by_row_to_the_bit():
    """The resamples' areas, computed for every row at once, are each row's count of won
    (positive, negative) pairs, ties one half, over the number of pairs: counted here pair
    by pair, heavy ties included."""
    rng = np.random.default_rng(21)
    for trial in range(40):
        rows, n_pos, n_neg = rng.integers(1, 12, size=3)
        values = rng.choice([0.0, 0.5, 1.0, 2.0], size=(rows, n_pos + n_neg))
        if trial % 2:
            values = rng.random((rows, n_pos + n_neg))
        positive, negative = values[:, :n_pos], values[:, n_pos:]
        found = rng.random((rows, n_pos)) < 0.7
        expected = [
            sum(
                (p > n) + 0.5 * (p == n)
                for p, hit in zip(positive[r], found[r], strict=True)
                if hit
                for n in negative[r]
            )
            / (n_pos * n_neg)
            for r in range(rows)
        ]
        got = evaluate._ranked_areas(positive, found, negative)
        assert [float(x).hex() for x in got] == [float(x).hex() for x in expected], trial


def brute_force_auc(statistic, truth, signed):
    """AUC by enumerating every threshold and integrating step by step (slow, obvious)."""
    thresholds = sorted({abs(x) for x in statistic} | {0.0}, reverse=True)
    points = [(0.0, 0.0)]
    for th in thresholds:
        tp = sum(
            1
            for s, c in zip(statistic, truth, strict=True)
            if c != 0 and abs(s) >= th and (not signed or np.sign(s) == c)
        )
        fp = sum(1 for s, c in zip(statistic, truth, strict=True) if c == 0 and abs(s) >= th)
        points.append((fp / sum(1 for c in truth if c == 0), tp / sum(1 for c in truth if c)))
    return sum((b[0] - a[0]) * (a[1] + b[1]) / 2 for a, b in itertools.pairwise(points))


def test_auc_against_brute_force_and_the_mann_whitney_identity():
    rng = np.random.default_rng(6)
    for _ in range(20):
        truth = rng.choice([-1, 0, 1], size=40)
        truth[:2] = [0, 1]
        statistic = np.round(rng.normal(size=40) + 0.8 * truth, 1)  # rounded: ties happen
        for signed in (True, False):
            fpr, tpr, _ = evaluate.roc(statistic, truth, signed=signed)
            assert evaluate.auc(fpr, tpr) == pytest.approx(
                brute_force_auc(statistic, truth, signed)
            )
        # sign ignored, the AUC is P(|t| of a connected > |t| of an unconnected), ties 1/2
        a, b = np.abs(statistic[truth != 0]), np.abs(statistic[truth == 0])
        mann_whitney = (np.sum(a[:, None] > b) + 0.5 * np.sum(a[:, None] == b)) / (len(a) * len(b))
        fpr, tpr, _ = evaluate.roc(statistic, truth, signed=False)
        assert evaluate.auc(fpr, tpr) == pytest.approx(mann_whitney)


def test_chance_is_a_quarter_with_sign_and_a_half_without():
    rng = np.random.default_rng(7)
    n = 6000
    truth = rng.choice([-1, 0, 1], size=n)
    statistic = rng.normal(size=n)
    m = evaluate.method_metrics(statistic, np.zeros(n), truth)
    # the detection AUC is a Mann-Whitney U: sd about sqrt((n1 + n0 + 1) / (12 n1 n0))
    connected = np.count_nonzero(truth)
    sd = np.sqrt((n + 1) / (12 * connected * (n - connected)))
    assert abs(m["auc_detection"] - 0.5) < Z * sd
    assert abs(m["auc"] - 0.25) < Z * 2 * sd


def test_the_methods_never_see_the_wiring():
    """Only the pair choice and the scoring read the true wiring: the modules that compute
    the tests name none of its variables."""
    wiring = {"synapse_pre", "synapse_post", "synapse_weight", "synapse_type", "true_type"}
    folder = ROOT / "src" / "voltage_to_wiring" / "inference"
    for name in ("methods.py", "sta.py", "surrogates.py", "imaging.py"):
        tree = ast.parse(Path(folder / name).read_text())
        names = {n.value for n in ast.walk(tree) if isinstance(n, ast.Constant)}
        names |= {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)}
        names |= {n.attr for n in ast.walk(tree) if isinstance(n, ast.Attribute)}
        assert not names & wiring, f"{name} reads {names & wiring}"
