"""The joint method (issue 31): every tested train fitted at once, so that a train whose link
to the voltage another train explains gets no amplitude; and the shadows, unconnected trains
that share part of an input's spikes, tested beside the others.

References: plain sums over lags and over spike pairs; the design matrices (each train's
PSPs and its filter, written out sample by sample) and their normal equations solved by
numpy; the binomial law of the calls under the null.
"""

import copy

import numpy as np
import pytest

from voltage_to_wiring.config.inference import resolve_inference
from voltage_to_wiring.config.trains import resolve_shadows
from voltage_to_wiring.errors import ConfigError
from voltage_to_wiring.inference import evaluate, joint, output
from voltage_to_wiring.inference.methods import noise_of
from voltage_to_wiring.inference.pairs import shadow_trains
from voltage_to_wiring.inference.recording import Recording
from voltage_to_wiring.inference.run import infer
from voltage_to_wiring.inference.sta import point_sums
from voltage_to_wiring.inference.surrogates import isi_shuffles

from conftest import simulated

WINDOW = 30  # samples of the PSP kernel


def psp(length=WINDOW, rise=1.5, decay=6.0):
    t = np.arange(length, dtype=np.float64)
    return np.exp(-t / decay) - np.exp(-t / rise)


def poisson_train(rng, n_steps, count, margin=3 * WINDOW):
    return np.sort(rng.choice(np.arange(margin, n_steps - margin), count, replace=False))


def ar1_noise(rng, n, phi=0.8, sd=1.0):
    e = rng.normal(0.0, sd, n)
    out = np.empty(n)
    out[0] = e[0]
    for t in range(1, n):
        out[t] = phi * out[t - 1] + e[t]
    return out


def response(train, amplitude, n_steps, kernel=None):
    kernel = psp() if kernel is None else kernel
    impulses = np.zeros(n_steps)
    np.add.at(impulses, train, amplitude)
    return np.convolve(impulses, kernel)[:n_steps]


def two_halves(y):
    """Two PSPs, each whitened by the trace's covariance over a window (as ``kernel``'s
    filters are), and the half of each train: even positions the first, odd the second."""
    kernels = [psp(), psp(rise=1.0, decay=9.0)]
    covariance = noise_of(y - y.mean(), WINDOW)["covariance"]
    return [np.linalg.solve(covariance, k) for k in kernels], kernels


def test_the_lags_are_each_filters_projection_of_each_psp():
    rng = np.random.default_rng(1)
    filters, kernels = rng.normal(size=(2, WINDOW)), rng.normal(size=(3, WINDOW))
    h = joint.lags(filters, kernels)
    for g, f in enumerate(filters):
        for k, kernel in enumerate(kernels):
            for d in range(-WINDOW + 1, WINDOW):
                expected = sum(f[l] * kernel[l + d] for l in range(WINDOW) if 0 <= l + d < WINDOW)
                assert h[g, k, d + WINDOW - 1] == pytest.approx(expected, abs=1e-12)


def test_the_gram_matrix_is_the_sum_over_spike_pairs_within_the_window():
    rng = np.random.default_rng(2)
    trains = [np.sort(rng.integers(0, 400, n)) for n in (30, 45, 12)]
    which = np.array([0, 1, 0])
    h = rng.normal(size=(2, 2, 2 * 25 - 1))
    steps = np.concatenate(trains)
    owner = np.concatenate([np.full(len(t), j) for j, t in enumerate(trains)])
    order = np.argsort(steps, kind="stable")
    g = joint.gram(steps[order], owner[order], which, 3, h, threads=2)
    alone = joint.gram(steps[order], owner[order], which, 3, h, threads=1)
    assert np.array_equal(alone, g)  # the same bits for any number of threads
    for i in range(3):
        for j in range(3):
            lag = h[which[i], which[j]]
            expected = sum(
                lag[int(s) - int(u) + 24] for s in trains[i] for u in trains[j] if abs(u - s) < 25
            )
            assert g[i, j] == pytest.approx(expected, rel=1e-12, abs=1e-12)
            if which[i] == which[j]:  # a surrogate's entries, with itself and the train
                own, shared, kept = joint._surrogate_grams(
                    trains[i][None, :], trains[j], lag, 10**6
                )
                assert kept[0] == len(trains[i])
                assert shared[0] == pytest.approx(expected, rel=1e-12, abs=1e-12)
                if i == j:
                    assert own[0] == pytest.approx(expected, rel=1e-12, abs=1e-12)


def planted(seed=3, n_steps=60_000, amplitudes=(1.0, -1.5, 0.8, 0.0)):
    """AR(1) noise plus PSPs of the first trains at ``amplitudes``; the last is unconnected."""
    rng = np.random.default_rng(seed)
    trains = [poisson_train(rng, n_steps, 600) for _ in amplitudes]
    y = ar1_noise(rng, n_steps, sd=0.5)
    for train, a in zip(trains, amplitudes, strict=True):
        y += response(train, a, n_steps)
    return y, trains


def columns(train, n_steps, shape):
    """``shape`` at each spike of ``train``, summed, one sample per step: a PSP column of
    the design, or a filter's (whose product with a trace sums the train's projections)."""
    return response(train, 1.0, n_steps, shape)


def design(y, trains, filters, kernels, which):
    """Each train's PSPs (peak 1) and its filter, as columns written out sample by sample;
    the PSP columns centred (the model's intercept)."""
    peak = [k / np.abs(k).max() for k in kernels]
    x = np.array([columns(t, len(y), peak[which[j]]) for j, t in enumerate(trains)]).T
    phi = np.array([columns(t, len(y), filters[which[j]]) for j, t in enumerate(trains)]).T
    return x - x.mean(axis=0), phi


def galerkin(y, x, phi):
    """``F^T (y - X a) = 0`` with the ridge, solved by numpy: (a, the ridged Gram matrix)."""
    gram = phi.T @ x
    ridged = gram + np.diag(joint.RIDGE * np.diag(gram))
    return np.linalg.solve(ridged, phi.T @ (y - y.mean())), ridged


def test_the_fit_explains_every_trains_projections_with_the_others_psps():
    """``F^T (y - X a) = 0``, with the ridge and an intercept: from the design written out."""
    y, trains = planted()
    filters, kernels = two_halves(y)
    which = np.arange(len(trains)) % 2
    fit = joint.fit(y, trains, filters, kernels, which)
    x, phi = design(y, trains, filters, kernels, which)
    expected, ridged = galerkin(y, x, phi)
    np.testing.assert_allclose(fit.amplitude, expected, rtol=1e-6)
    np.testing.assert_allclose(fit.own, np.diag(phi.T @ x), rtol=1e-9)


def test_same_sign_inputs_leave_their_shadows_no_amplitude():
    """Ten excitatory inputs, each with a shadow (30 % of its spikes): without the intercept
    every amplitude takes a share of the PSPs' mean (the shadows -0.2 of their input's,
    the inputs 0.77 of the truth); with it, the shadows get none."""
    rng = np.random.default_rng(7)
    n_steps = 120_000
    y, trains = ar1_noise(rng, n_steps, sd=0.5), []
    for _ in range(10):
        source = poisson_train(rng, n_steps, 1500)
        y += response(source, 2.0, n_steps)
        kept = source[rng.random(len(source)) < 0.3]
        trains += [source, np.unique(np.concatenate([kept, poisson_train(rng, n_steps, 1050)]))]
    fit = joint.fit(y, trains, *one_filter(y, trains))
    truth = 2.0 * psp().max()
    np.testing.assert_allclose(fit.amplitude[0::2], truth, rtol=0.05)
    assert np.all(np.abs(fit.amplitude[1::2]) < 0.05 * truth)


def test_a_trains_refit_is_its_projection_of_the_residual_of_the_others_fit():
    """The real train's: refitted on the residual of the fit without it (solved again by
    numpy without its column); its surrogates': on the residual with its fit put back."""
    y, trains = planted()
    filters, kernels = two_halves(y)
    which = np.arange(len(trains)) % 2
    fit = joint.fit(y, trains, filters, kernels, which)
    x, phi = design(y, trains, filters, kernels, which)
    null = isi_shuffles(trains[1], 3, 0, 0, 1)
    g = which[1]
    sums, _ = point_sums(fit.residual[:, [g]], np.vstack([trains[1][None, :], null]))
    got = joint.refits(fit, 1, trains[1], null, sums[:, 0])
    others = [0, 2, 3]
    without, _ = galerkin(y, x[:, others], phi[:, others])
    left = y - y.mean() - x[:, others] @ without
    assert got[0] == pytest.approx(phi[:, 1] @ left / (phi[:, 1] @ x[:, 1]), rel=1e-6)
    residual = y - y.mean() - x @ fit.amplitude
    put_back = residual - residual.mean() + fit.amplitude[1] * x[:, 1]
    for k, train in enumerate(null, start=1):
        x_k, phi_k = (c[:, 0] for c in design(y, [train], [filters[g]], [kernels[g]], [0]))
        expected = phi_k @ put_back / (phi_k @ x_k)
        assert got[k] == pytest.approx(expected, rel=1e-6)


def test_amplitudes_are_recovered_with_their_signs_and_the_unconnected_gets_none():
    y, trains = planted(amplitudes=(1.0, -1.5, 0.8, 0.0))
    filters, kernels = two_halves(y)
    fit = joint.fit(y, trains, filters, kernels, np.zeros(len(trains), dtype=np.int64))
    peak = psp().max()
    np.testing.assert_allclose(fit.amplitude[:3] / peak, [1.0, -1.5, 0.8], rtol=0.1)
    assert abs(fit.amplitude[3] / peak) < 0.1


def one_filter(y, trains):
    """``kernel``'s filter of the true PSP for every train."""
    filters, kernels = two_halves(y)
    return filters[:1], kernels[:1], np.zeros(len(trains), dtype=np.int64)


def called_at_alpha(fit, trains, seed=0):
    """Each train's refits against 99 ISI shuffles, and the joint test of them at 0.05."""
    rows = []
    for j, train in enumerate(trains):
        null = isi_shuffles(train, 99, seed, 0, j)
        column = fit.residual[:, [fit.which[j]]]
        sums, _ = point_sums(column, np.vstack([train[None, :], null]))
        rows.append(joint.refits(fit, j, train, null, sums[:, 0]))
    return joint.joint_test(np.array(rows), 0.05)


def test_a_shadow_gets_no_amplitude_where_a_pairwise_projection_calls_it():
    """A train sharing 30 % of a strong input's spikes (+-1 step): alone, its projection on
    the trace is 0.3 of the input's; fitted with the input, it is called no more than an
    independent train."""
    rng = np.random.default_rng(4)
    n_steps = 120_000
    source = poisson_train(rng, n_steps, 1500)
    kept = source[rng.random(len(source)) < 0.3]
    kept = kept + rng.integers(-1, 2, len(kept))
    shadow = np.unique(np.concatenate([kept, poisson_train(rng, n_steps, 1050)]))
    y = ar1_noise(rng, n_steps, sd=0.5) + response(source, 2.0, n_steps)
    fit = joint.fit(y, [source, shadow], *one_filter(y, [source, shadow]))
    alone = joint.fit(y, [shadow], *one_filter(y, [shadow]))
    assert alone.amplitude[0] > 0.2 * fit.amplitude[0]  # pairwise, it looks like an input
    assert fit.inflation[1] > 1.02  # its amplitude is less certain beside its input
    _, p, predicted = called_at_alpha(fit, [source, shadow])
    assert predicted[0] == 1 and p[0] == 0.01
    assert predicted[1] == 0


def test_under_the_null_calls_are_made_at_no_more_than_alpha():
    """200 unconnected trains beside 3 inputs, 99 shuffles each: P(p <= 0.05) within the
    binomial's 3 SD of 0.05 and never above it by more (exact permutation p)."""
    rng = np.random.default_rng(5)
    n_steps = 60_000
    inputs = [poisson_train(rng, n_steps, 500) for _ in range(3)]
    unconnected = [poisson_train(rng, n_steps, int(rng.integers(100, 600))) for _ in range(200)]
    y = ar1_noise(rng, n_steps, sd=0.5)
    for train, a in zip(inputs, (1.0, -1.0, 0.7), strict=True):
        y += response(train, a, n_steps)
    trains = inputs + unconnected
    fit = joint.fit(y, trains, *one_filter(y, trains))
    _, p, predicted = called_at_alpha(fit, trains, seed=1)
    assert np.all(predicted[:3] == [1, -1, 1])
    rate = np.mean(p[3:] <= 0.05)
    assert rate <= 0.05 + 3 * np.sqrt(0.05 * 0.95 / 200)


def test_the_p_value_is_exact_with_many_sparse_trains_in_the_fit():
    """300 unconnected trains of 40 spikes in 10,000 steps of AR(1) noise, 15 draws: the
    fit takes out of the residual some of the noise along every train, so a surrogate
    refitted on it would look smaller than the train (P(p <= 0.05) was 0.059 with the real
    refit scaled by the square root of its inflation); refitted on the residual of the fit
    without it, the train is exchangeable with its surrogates: P(p <= 0.05) <= 0.05 within
    2.5 binomial SDs of the 4500 trains."""
    calls = []
    for seed in range(15):
        rng = np.random.default_rng(100 + seed)
        trains = [poisson_train(rng, 10_000, 40) for _ in range(300)]
        y = ar1_noise(rng, 10_000, sd=0.5)
        _, p, _ = called_at_alpha(joint.fit(y, trains, *one_filter(y, trains)), trains, seed)
        calls.append(p <= 0.05)
    exact = 5 / 100  # 99 shuffles: p = (count + 1) / 100 <= 0.05, the train among the top 5
    assert np.mean(calls) <= exact + 2.5 * np.sqrt(exact * (1 - exact) / 4500)


SETTINGS = {"seed": 3, "shadows": {"count": 40, "share": 0.3, "jitter": 1e-3, "jitter_steps": 10}}


def test_shadows_share_their_inputs_spikes_within_the_jitter_and_keep_its_rate():
    rng = np.random.default_rng(6)
    inputs = [
        (7, np.sort(rng.integers(0, 1_000_000, 4000))),
        (9, np.sort(rng.integers(0, 1_000_000, 2000))),
    ]
    shadowed, shadows = shadow_trains(inputs, SETTINGS, 0, 1_000_000)
    assert len(shadows) == 40 and set(shadowed) <= {7, 9}
    by_train = dict(inputs)
    shares, ratios = [], []
    for train, shadow in zip(shadowed, shadows, strict=True):
        source = by_train[train]
        assert np.all(np.diff(shadow) >= 0) and shadow.min() >= 0 and shadow.max() < 1_000_000
        near = np.searchsorted(source, shadow - 10), np.searchsorted(source, shadow + 10, "right")
        shares.append(np.mean(near[1] > near[0]) * len(shadow) / len(source))
        ratios.append(len(shadow) / len(source))
    # the shared spikes plus the chance coincidences of the independent ones (rate x 21 steps)
    chance = 0.7 * np.mean([len(by_train[t]) for t in shadowed]) * 21 / 1_000_000
    assert np.mean(shares) == pytest.approx(0.3 + chance, abs=0.01)
    assert np.mean(ratios) == pytest.approx(1.0, abs=0.02)
    again = shadow_trains(inputs, SETTINGS, 0, 1_000_000)[1]
    assert all(np.array_equal(a, b) for a, b in zip(again, shadows, strict=True))


@pytest.mark.parametrize(
    ("given", "key", "message"),
    [
        ({"count": 5, "share": 1.5, "jitter": "1 ms"}, "inference.shadows.share", r"in \(0, 1\]"),
        ({"count": 0, "share": 0.3, "jitter": "1 ms"}, "inference.shadows.count", "positive"),
        ({"count": 5, "share": 0.3}, "inference.shadows", "needs jitter"),
        ({"count": 5, "share": 0.3, "jitter": "1 mV"}, "inference.shadows.jitter", "mV"),
        (
            {"count": 5, "share": 0.3, "jitter": "1 ms", "rate": 2},
            "inference.shadows.rate",
            "unknown",
        ),
        ("many", "inference.shadows", "must be none or"),
    ],
)
def test_bad_shadows_are_refused_naming_the_key(given, key, message):
    with pytest.raises(ConfigError, match=message) as err:
        resolve_shadows(given, 1e-4)
    assert err.value.key == key


def test_shadows_resolve_to_whole_steps_of_jitter():
    assert resolve_shadows({"count": 50, "share": 0.3, "jitter": "1 ms"}, 1e-4) == {
        "count": 50,
        "share": 0.3,
        "jitter": pytest.approx(1e-3),
        "jitter_steps": 10,
    }
    assert resolve_shadows("none", 1e-4) is None


@pytest.fixture(scope="module")
def shadowed_inference(tests_config):
    """The tests' nto1_small (300 sources, 30 s) with 20 shadows, inferred by kernel and
    joint: its dataset and evaluation."""
    experiment = copy.deepcopy(tests_config["experiments"]["nto1_small"])
    experiment["inference"].update(
        shadows={"count": 20, "share": 0.3, "jitter": "1 ms"}, methods=["kernel", "joint"]
    )
    params, ds = simulated(experiment, "shadowed")
    settings = resolve_inference(experiment["inference"], params)
    recording = Recording.of_simulation(ds, params, settings["neurons"])
    result = infer(recording, settings, threads=2)
    built = output.build("shadowed", result, recording, settings)
    return built, evaluate.evaluation(built)


def test_shadows_are_tested_unconnected_and_named_by_their_input(shadowed_inference):
    ds, _ = shadowed_inference
    shadow = ds["shadow_of"].values >= 0
    assert shadow.sum() == 20
    assert np.all(ds["pre"].values[shadow] == -1) and np.all(ds["true_type"].values[shadow] == 0)
    inputs = set(ds["pre"].values[ds["true_type"].values != 0].tolist())
    assert set(ds["shadow_of"].values[shadow].tolist()) <= inputs
    # their spikes are kept with the generated trains'
    pairs = set(ds["generated_spike_pair"].values.tolist())
    assert set(np.flatnonzero(shadow).tolist()) <= pairs


def test_joint_calls_fewer_shadows_than_kernel_and_reports_them_apart(shadowed_inference):
    ds, evaluation = shadowed_inference
    kernel, joint_ = evaluation["methods"]["kernel"], evaluation["methods"]["joint"]
    shadow = ds["shadow_of"].values >= 0
    for method, metrics in (("kernel", kernel), ("joint", joint_)):
        called = ds["predicted"].sel(inference_method=method).values[shadow] != 0
        of = ds["shadow_of"].values[shadow]
        sign = {p: t for p, t in zip(ds["pre"].values, ds["true_type"].values, strict=True)}
        exc = np.array([sign[i] == 1 for i in of])
        assert metrics["fpr_shadows_exc"] == pytest.approx(np.mean(called[exc]))
        if (~exc).any():
            assert metrics["fpr_shadows_inh"] == pytest.approx(np.mean(called[~exc]))
    called = {
        m: ds["predicted"].sel(inference_method=m).values[shadow] != 0 for m in ("kernel", "joint")
    }
    assert called["joint"].sum() <= called["kernel"].sum() / 3  # 2 of 20 against 11 here
    assert joint_["auc"] > 0.8
