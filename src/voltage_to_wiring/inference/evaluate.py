"""Scoring an inference against the true wiring: ROC curves, AUC and friends.

Definitions (Fiers 2024): a connected train counts as found at threshold ``theta`` when
``|statistic| >= theta`` *and* the statistic's sign is its true type's; an unconnected
train is a false positive when ``|statistic| >= theta``. The ROC runs over every threshold,
from none found to all; TPR is over the connected trains (or those of one type), FPR over
the unconnected ones; the AUC is the trapezoid area. With the sign required, chance is
0.25 (half the connected trains get the right sign); ``auc_detection`` ignores the sign
(chance 0.5). A score is None where it is undefined (no connected train, or no unconnected
one, to count); without the true wiring only the calls at alpha are reported.
"""

import numpy as np

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


def method_metrics(statistic, predicted, true_type):
    """Every metric of one method's results (None where undefined)."""
    true_type = np.asarray(true_type)
    curve = roc(statistic, true_type)
    result = {"auc": None if curve is None else auc(*curve[:2])}
    for name, sign in (("auc_exc", 1), ("auc_inh", -1)):
        one = roc(statistic, true_type, true_type == sign)
        result[name] = None if one is None else auc(*one[:2])
    unsigned = roc(statistic, true_type, signed=UNSIGNED)
    result["auc_detection"] = None if unsigned is None else auc(*unsigned[:2])
    result["max_f1"] = max_f1(statistic, true_type) if np.any(true_type != 0) else None
    result["tpr_at_fpr_0.05"] = None if curve is None else tpr_at_fpr(*curve[:2], 0.05)
    result.update(at_alpha(predicted, true_type))
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


def evaluation(ds):
    """The evaluation of an inference dataset: per method, the calls at alpha, every metric
    against the true wiring where it is known, the counts of pairs per true type and the
    method's computing time (s)."""
    alpha = float(ds.attrs["alpha"])
    truth = "true_type" in ds
    true_type = ds["true_type"].values if truth else None
    counts = {"tested": int(ds.sizes["pair"])}
    if truth:
        counts.update(
            excitatory=int(np.sum(true_type == 1)),
            inhibitory=int(np.sum(true_type == -1)),
            unconnected=int(np.sum(true_type == 0)),
        )
    methods = {}
    for method in ds["inference_method"].values.tolist():
        one = ds.sel(inference_method=method)
        result = calls(one["predicted"].values, one["q_value"].values, alpha)
        if truth:
            result.update(
                method_metrics(one["statistic"].values, one["predicted"].values, true_type)
            )
        methods[method] = {**result, "pairs": counts, "seconds": float(one["seconds"])}
    out = {"experiment": ds.attrs["experiment"], "alpha": alpha, "truth": truth}
    if truth:
        out["chance"] = {"auc": 0.25, "auc_exc": 0.25, "auc_inh": 0.25, "auc_detection": 0.5}
    return {**out, "methods": methods}
