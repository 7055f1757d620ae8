"""Scoring an inference against the true wiring: ROC curves, AUC and friends.

Definitions (Fiers 2024): a connected train counts as found at threshold ``theta`` when
``|statistic| >= theta`` *and* the statistic's sign is its true type's; an unconnected
train is a false positive when ``|statistic| >= theta``. The ROC runs over every threshold,
from none found to all; TPR is over the connected trains (or those of one type), FPR over
the unconnected ones; the AUC is the trapezoid area. With the sign required, chance is
0.25 (half the connected trains get the right sign); ``auc_detection`` ignores the sign
(chance 0.5). A score is None where it is undefined (no connected train, or no unconnected
one, to count); without the true wiring only the calls at alpha are reported.

Beside the ROC: the TPR at an FPR of 1 % and 5 %, the classification at alpha (precision,
recall, the fraction of unconnected trains called, Matthews' correlation of the three classes)
and 95 % bootstrap intervals of the AUCs (the pairs resampled within each true type).
"""

import json

import numpy as np

from .. import rng as rng_module

BOOTSTRAP = 1000  # resamples for the AUCs' intervals
FPR_LIMITS = (0.01, 0.05)

SIGNED, UNSIGNED = True, False


def roc(statistic, true_type, positives=None, signed=SIGNED):
    """(FPR, TPR, thresholds) at every threshold on ``|statistic|``, from (0, 0) to all
    detected; None where there is no positive or no negative pair to count.

    ``positives``: a boolean mask of the connected pairs counted (default: all connected);
    ``signed``: whether a connected pair counts only with the right sign.
    """
    statistic, true_type = np.asarray(statistic, float), np.asarray(true_type)
    connected = true_type != 0
    positives = connected if positives is None else np.asarray(positives) & connected
    negatives = ~connected
    hit = positives & ((np.sign(statistic) == true_type) if signed else True)
    size = np.abs(statistic)
    thresholds = np.unique(np.append(size, 0.0))[::-1]
    found = np.array([np.sum(hit & (size >= t)) for t in thresholds])
    false = np.array([np.sum(negatives & (size >= t)) for t in thresholds])
    n_pos, n_neg = int(positives.sum()), int(negatives.sum())
    if n_pos == 0 or n_neg == 0:
        return None
    fpr = np.concatenate([[0.0], false / n_neg])
    tpr = np.concatenate([[0.0], found / n_pos])
    return fpr, tpr, np.concatenate([[np.inf], thresholds])


def auc(fpr, tpr):
    """Area under a ROC curve by the trapezoid rule."""
    fpr, tpr = np.asarray(fpr, float), np.asarray(tpr, float)
    return float(np.sum(np.diff(fpr) * (tpr[1:] + tpr[:-1]) / 2))


def max_f1(statistic, true_type):
    """The best F1 over thresholds on ``|statistic|``: precision = right-signed detections of
    connected trains over all detections, recall = the same over the connected trains."""
    statistic, true_type = np.asarray(statistic, float), np.asarray(true_type)
    right = (true_type != 0) & (np.sign(statistic) == true_type)
    size, n_connected = np.abs(statistic), int(np.sum(true_type != 0))
    best = 0.0
    for t in np.unique(size):
        detected = size >= t
        tp = int(np.sum(right & detected))
        if tp:
            precision, recall = tp / int(detected.sum()), tp / n_connected
            best = max(best, 2 * precision * recall / (precision + recall))
    return best


def tpr_at_fpr(fpr, tpr, limit):
    """The highest TPR the ROC reaches at an FPR of at most ``limit``."""
    fpr, tpr = np.asarray(fpr), np.asarray(tpr)
    return float(tpr[fpr <= limit].max())


def at_alpha(predicted, true_type):
    """Precision and recall of the classification at alpha (right sign required); precision
    is None when nothing was detected."""
    predicted, true_type = np.asarray(predicted), np.asarray(true_type)
    right = int(np.sum((true_type != 0) & (predicted == true_type)))
    detected, connected = int(np.sum(predicted != 0)), int(np.sum(true_type != 0))
    return {
        "precision": right / detected if detected else None,
        "recall": right / connected if connected else None,
    }


def false_positive_rate(predicted, true_type):
    """The fraction of unconnected trains called (either sign) at alpha; None without any."""
    predicted, true_type = np.asarray(predicted), np.asarray(true_type)
    unconnected = true_type == 0
    return float(np.mean(predicted[unconnected] != 0)) if unconnected.any() else None


def matthews(predicted, true_type):
    """Matthews' correlation of the classification at alpha over the three classes
    (inhibitory, none, excitatory), Gorodkin's R_K: 1 all right, 0 no better than chance.
    For two classes it is the usual (TP TN - FP FN) / sqrt(...). None where undefined (one
    class only, in the truth or in the calls)."""
    predicted, true_type = np.asarray(predicted), np.asarray(true_type)
    classes = np.array([-1, 0, 1])
    confusion = (true_type[:, None, None] == classes[None, :, None]) & (
        predicted[:, None, None] == classes[None, None, :]
    )
    c = confusion.sum(axis=0).astype(float)  # [true, predicted]
    n, right = c.sum(), np.trace(c)
    true_totals, called_totals = c.sum(axis=1), c.sum(axis=0)
    covariance = right * n - true_totals @ called_totals
    spread = np.sqrt((n * n - true_totals @ true_totals) * (n * n - called_totals @ called_totals))
    return float(covariance / spread) if spread > 0 else None


def bootstrap_intervals(statistic, true_type, seed, resamples=BOOTSTRAP):
    """95 % percentile intervals of ``auc``, ``auc_exc``, ``auc_inh`` and
    ``auc_detection``: the pairs resampled with replacement within each true type (so that
    every resample has the counts of the data), ``resamples`` times, from the ``bootstrap``
    stream of ``seed``. None for a score that is undefined."""
    statistic, true_type = np.asarray(statistic, float), np.asarray(true_type)
    size = np.abs(statistic)
    right = np.sign(statistic) == true_type
    rng = rng_module.generator(seed, "bootstrap")
    groups = {t: np.flatnonzero(true_type == t) for t in (-1, 0, 1)}
    draws = {t: rng.integers(0, len(g), (resamples, len(g))) for t, g in groups.items()}
    negatives = size[groups[0]][draws[0]] if len(groups[0]) else None
    out = {}
    for name, types, signed in (
        ("auc", (1, -1), True),
        ("auc_exc", (1,), True),
        ("auc_inh", (-1,), True),
        ("auc_detection", (1, -1), False),
    ):
        index = [groups[t][draws[t]] for t in types if len(groups[t])]
        if negatives is None or not index:
            out[name] = None
            continue
        index = np.concatenate(index, axis=1)
        found = np.ones_like(index, dtype=bool) if not signed else right[index]
        areas = _ranked_areas(size[index], found, negatives)
        out[name] = [float(x) for x in np.percentile(areas, [2.5, 97.5])]
    return out


def _ranked_areas(positive, found, negative):
    """Per row: the fraction of (positive, negative) pairs with the positive found and
    higher, ties one half (the Mann-Whitney identity for the ROC's trapezoid area)."""
    negative = np.sort(negative, axis=1)
    areas = np.empty(len(positive))
    for r in range(len(positive)):
        below = np.searchsorted(negative[r], positive[r], side="left")
        not_above = np.searchsorted(negative[r], positive[r], side="right")
        wins = np.where(found[r], below + (not_above - below) / 2, 0.0)
        areas[r] = wins.sum() / (positive.shape[1] * negative.shape[1])
    return areas


def method_metrics(statistic, predicted, true_type, seed=0):
    """Every metric of one method's results (None where undefined); ``seed`` seeds the
    bootstrap."""
    true_type = np.asarray(true_type)
    curve = roc(statistic, true_type)
    result = {"auc": None if curve is None else auc(*curve[:2])}
    for name, sign in (("auc_exc", 1), ("auc_inh", -1)):
        one = roc(statistic, true_type, true_type == sign)
        result[name] = None if one is None else auc(*one[:2])
        if sign == 1:  # the design question: the excitatory inputs found at 5 % FPR
            result["tpr_exc_at_fpr_0.05"] = None if one is None else tpr_at_fpr(*one[:2], 0.05)
    unsigned = roc(statistic, true_type, signed=UNSIGNED)
    result["auc_detection"] = None if unsigned is None else auc(*unsigned[:2])
    result["max_f1"] = max_f1(statistic, true_type) if np.any(true_type != 0) else None
    for limit in FPR_LIMITS:
        result[f"tpr_at_fpr_{limit:g}"] = None if curve is None else tpr_at_fpr(*curve[:2], limit)
    result.update(at_alpha(predicted, true_type))
    result["false_positive_rate"] = false_positive_rate(predicted, true_type)
    result["mcc"] = matthews(predicted, true_type)
    result["interval"] = bootstrap_intervals(statistic, true_type, seed)
    return result


def calls(predicted, q_value, alpha):
    """What can be said without the truth: the trains called excitatory and inhibitory at
    ``alpha`` (by their p-values), and those whose Benjamini-Hochberg q-value is at most
    ``alpha`` (the false discovery rate held at alpha)."""
    predicted, q_value = np.asarray(predicted), np.asarray(q_value)
    return {
        "called_excitatory": int(np.sum(predicted == 1)),
        "called_inhibitory": int(np.sum(predicted == -1)),
        "called_excitatory_fdr": int(np.sum((predicted == 1) & (q_value <= alpha))),
        "called_inhibitory_fdr": int(np.sum((predicted == -1) & (q_value <= alpha))),
    }


def unconnected_groups(ds):
    """{metric: the pairs it counts}: groups of unconnected trains whose false positives are
    reported apart. With shadows (``inference.shadows``; each named by its input in
    ``shadow_of``): the shadows of excitatory and of inhibitory inputs, and the other
    unconnected trains. In a recurrent network (some unconnected train's neuron shares a
    presynaptic neuron with the recorded one, ``shared_inputs``): the unconnected neurons
    and sources that share input with it and those that share none (generated trains in
    neither). Empty where neither applies."""
    true_type = ds["true_type"].values
    unconnected = true_type == 0
    groups = {}
    if "shadow_of" in ds:
        shadow_of, pre, post = (ds[name].values for name in ("shadow_of", "pre", "post"))
        sign_of = {
            (q, p): t
            for q, p, t in zip(post.tolist(), pre.tolist(), true_type.tolist(), strict=True)
        }
        shadowed = np.array(
            [
                sign_of.get((q, s), 0) if s >= 0 else 0
                for q, s in zip(post.tolist(), shadow_of.tolist(), strict=True)
            ]
        )
        groups["fpr_shadows_exc"] = (shadow_of >= 0) & (shadowed == 1)
        groups["fpr_shadows_inh"] = (shadow_of >= 0) & (shadowed == -1)
        groups["fpr_independent"] = (shadow_of < 0) & unconnected
    if "shared_inputs" in ds:  # among the recording's own trains (not generated ones)
        shared = ds["shared_inputs"].values > 0
        own = unconnected & (ds["pre"].values >= 0)
        if np.any(shared & own):
            groups["fpr_shared_input"] = shared & own
            groups["fpr_no_shared_input"] = ~shared & own
    return groups


def group_rates(predicted, groups):
    """The false-positive rate at alpha in each of :func:`unconnected_groups` (None where
    it has no pair)."""
    return {
        name: float(np.mean(predicted[among] != 0)) if among.any() else None
        for name, among in groups.items()
    }


def evaluation(ds):
    """The evaluation of an inference dataset: per method, the calls at alpha, every metric
    against the true wiring where it is known, the counts of pairs per true type and the
    method's computing time (s)."""
    alpha = float(ds.attrs["alpha"])
    seed = json.loads(ds.attrs["settings_json"])["seed"]
    truth = "true_type" in ds
    true_type = ds["true_type"].values if truth else None
    counts = {"tested": int(ds.sizes["pair"])}
    if truth:
        counts.update(
            excitatory=int(np.sum(true_type == 1)),
            inhibitory=int(np.sum(true_type == -1)),
            unconnected=int(np.sum(true_type == 0)),
        )
    groups = unconnected_groups(ds) if truth else {}
    methods = {}
    for method in ds["inference_method"].values.tolist():
        one = ds.sel(inference_method=method)
        result = calls(one["predicted"].values, one["q_value"].values, alpha)
        if truth:
            result.update(
                method_metrics(one["statistic"].values, one["predicted"].values, true_type, seed)
            )
            result.update(group_rates(one["predicted"].values, groups))
        methods[method] = {**result, "pairs": counts, "seconds": float(one["seconds"])}
    out = {"experiment": ds.attrs["experiment"], "alpha": alpha, "truth": truth}
    out["warnings"] = [w for w in ds.attrs.get("warnings", "").split("\n") if w]
    if truth:
        out["chance"] = {"auc": 0.25, "auc_exc": 0.25, "auc_inh": 0.25, "auc_detection": 0.5}
    return {**out, "methods": methods}
