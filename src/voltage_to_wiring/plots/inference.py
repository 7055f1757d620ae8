"""Inference figures, from an inference dataset: example STAs, ROC curves, statistic against
the true weight."""

import numpy as np
from matplotlib.figure import Figure

from ..core.variables import VARIABLES
from ..inference.evaluate import auc, roc
from .common import axis_title, suptitle, title, weight_unit

CLASSES = ((1, "excitatory", "C3"), (-1, "inhibitory", "C0"), (0, "unconnected", "0.4"))
EXAMPLES = 3  # STAs shown per class: the trains with the most spikes


CALLS = ((1, "called excitatory", "C3"), (-1, "called inhibitory", "C0"), (0, "not called", "0.4"))


def _groups(ds):
    """(label, colour, the pairs of the group, the examples shown) per panel: by true type
    (the trains with the most spikes), or without the truth by the first method's call (the
    trains with the strongest statistic)."""
    if "true_type" in ds:
        kinds, key = ds["true_type"].values, -ds["pre_spikes"].values.astype(float)
        classes = CLASSES
    else:
        first = ds["inference_method"].values.tolist()[0]
        one = ds.sel(inference_method=first)
        kinds, key = one["predicted"].values, -np.abs(one["statistic"].values)
        classes = tuple((v, f"{label} by {first}", c) for v, label, c in CALLS)
    for value, label, colour in classes:
        pairs = np.flatnonzero(kinds == value)
        yield label, colour, pairs, pairs[np.argsort(key[pairs], kind="stable")[:EXAMPLES]]


def sta(ds):
    """Example STAs of excitatory, inhibitory and unconnected trains (or, without the truth,
    of trains called so) against ms after the presynaptic spike, relative to the level of
    their shuffled trains' STAs, with the 95 % band of those (of the first example)."""
    fig = Figure(figsize=(10, 3.6), layout="constrained")
    axes = fig.subplots(1, 3, sharey=True)
    lag = ds["lag"].values * VARIABLES["lag"].display_factor
    units = ds["sta"].attrs.get("units", "V")
    factor, shown = (VARIABLES["sta"].display_factor, "mV") if units == "V" else (1.0, units)
    banded = "sta_low" in ds
    for ax, (label, colour, pairs, chosen) in zip(axes, _groups(ds), strict=True):
        for k, pair in enumerate(chosen):
            one = ds.isel(pair=pair)
            if banded:
                low, high = one["sta_low"].values * factor, one["sta_high"].values * factor
                level = np.mean((low + high) / 2)
                if k == 0:
                    ax.fill_between(lag, low - level, high - level, color=colour, alpha=0.15, lw=0)
            else:
                level = float(one["sta"][0]) * factor
            ax.plot(lag, one["sta"].values * factor - level, color=colour, lw=1, alpha=1 - 0.25 * k)
        ax.axhline(0, color="0.7", lw=0.8)
        ax.set(xlabel="time after the presynaptic spike (ms)", title=f"{label} ({len(pairs)})")
    what = "the shuffled trains' level" if banded else "its first sample"
    axes[0].set_ylabel(f"STA minus {what} ({shown})")
    chosen_by = "the most spikes" if "true_type" in ds else "the strongest statistic"
    suptitle(
        fig,
        title(
            ds,
            f"spike-triggered averages of the {EXAMPLES} trains with {chosen_by}; "
            "band: 95 % of the first one's shuffled trains' STAs",
        ),
    )
    return fig


def roc_curves(ds):
    """ROC of each method (a detection counts only with the right sign), its AUC, and the
    chance line (TPR = FPR / 2)."""
    fig = Figure(figsize=(5.5, 5), layout="constrained")
    ax = fig.add_subplot()
    true_type = ds["true_type"].values
    for k, method in enumerate(ds["inference_method"].values.tolist()):
        curve = roc(ds["statistic"].sel(inference_method=method).values, true_type)
        if curve is None:  # no connected or no unconnected train: no curve to draw
            continue
        fpr, tpr, _ = curve
        ax.plot(fpr, tpr, color=f"C{k}", lw=1.5, label=f"{method}: AUC {auc(fpr, tpr):.3f}")
    ax.plot([0, 1], [0, 0.5], "--", color="0.5", lw=1, label="chance: AUC 0.25")
    ax.set(
        xlabel="false positive rate (unconnected trains)",
        ylabel="true positive rate (connected, right sign)",
        xlim=(0, 1),
        ylim=(0, 1),
    )
    axis_title(ax, title(ds, f"ROC, SNR {ds.attrs['snr']}, {ds.attrs['duration']:g} s"))
    ax.set_aspect("equal")
    ax.legend(loc="lower right", fontsize="small", frameon=False)
    return fig


def connections(ds):
    """Each method's statistic against the true weight (nS, or pS where every weight is
    below 1 nS; inhibitory weights negative, unconnected trains at 0, spread out sideways to
    be seen)."""
    methods = ds["inference_method"].values.tolist()
    columns = min(len(methods), 3)  # several methods: rows of 3 panels
    rows = -(-len(methods) // columns)
    fig = Figure(figsize=(5 * columns, 4 * rows), layout="constrained")
    axes = np.atleast_1d(fig.subplots(rows, columns)).ravel()
    for ax in axes[len(methods) :]:
        ax.set_visible(False)
    true_type = ds["true_type"].values
    factor, unit = weight_unit(ds["true_weight"].values)
    weight = ds["true_weight"].values * factor * true_type
    known = bool(np.any(np.isfinite(weight[true_type != 0])))
    if not known:  # a recording's truth without weights: the true type on the x axis
        weight = true_type.astype(float)
    spread = np.nanmax(np.abs(weight)) if np.any(weight) else 1.0
    jitter = np.random.default_rng(0).uniform(-0.02, 0.02, len(weight)) * spread
    for ax, method in zip(axes, methods, strict=False):
        statistic = ds["statistic"].sel(inference_method=method).values
        for value, label, colour in CLASSES:
            mask = true_type == value
            x = weight[mask] + (jitter[mask] if value == 0 else 0)
            ax.plot(x, statistic[mask], ".", color=colour, ms=4, label=label)
        ax.axhline(0, color="0.7", lw=0.8)
        ax.set(
            xlabel=f"true weight ({unit}; inhibitory < 0)" if known else "true type",
            ylabel="statistic (> 0 excitatory)",
            title=method,
        )
        ax.legend(fontsize="small", frameon=False)
    suptitle(fig, title(ds, "inferred statistic against the true wiring"))
    return fig
