"""A sweep's summary figure: the statistics, or the inference's AUCs, of every grid point
against the first swept key (in the unit its values are written in), one line per value of
the other keys (and per method)."""

import math

import numpy as np
from matplotlib.figure import Figure

from ..analysis.stats import COLUMNS
from ..analysis.sweep_table import BOOTSTRAP, as_written

LABELS = {
    "mean_rate_hz": "mean rate (Hz)",
    "cv_isi_mean": "mean CV of ISIs",
    "synchrony_chi": "synchrony chi",
    "fraction_silent": "fraction silent",
    "n_spikes": "spikes",
}
# The inference panels: metric, label, chance level.
AUCS = (
    ("auc", "AUC (right sign required)", 0.25),
    ("auc_detection", "AUC of detection (sign ignored)", 0.5),
)
# Without the true wiring (a recording), what can be known: the calls at alpha.
CALLS = (
    ("called_excitatory", "trains called excitatory (at alpha)", None),
    ("called_inhibitory", "trains called inhibitory (at alpha)", None),
)


def summary(sweep, keys, table):
    """The summary figure of a sweep's table (rows of
    :func:`voltage_to_wiring.analysis.sweep_table.rows`)."""
    methods = [c.split(" ")[0] for c in table[0] if c.endswith(" auc")]  # inference's order
    first, others = keys[0], keys[1:]
    x, label, ticks = _x_axis(first, table)
    groups = {}
    for i, row in enumerate(table):
        groups.setdefault(tuple(row[k] for k in others), []).append(i)
    if methods:
        scored = any(np.isfinite(_number(row.get(f"{m} auc"))) for row in table for m in methods)
        fig = Figure(figsize=(10, 4.2), layout="constrained")
        panels = [
            (ax, metric, name, chance)
            for ax, (metric, name, chance) in zip(
                fig.subplots(1, 2), AUCS if scored else CALLS, strict=True
            )
        ]
        for ax, metric, name, chance in panels:
            for k, method in enumerate(methods):
                _lines(ax, x, table, groups, others, f"{method} {metric}", f"C{k}", method)
            if chance is not None:
                ax.axhline(chance, ls="--", color="0.5", lw=1, label=f"chance ({chance})")
                ax.set(ylim=(0, 1))
            else:
                ax.set_ylim(bottom=0)
            ax.set(ylabel=name)
        what = "inference AUC" if scored else "inference calls (no true wiring)"
    else:
        fig = Figure(figsize=(9, 6), layout="constrained")
        panels = [
            (ax, c, LABELS[c], None)
            for ax, c in zip(fig.subplots(2, 2).ravel(), COLUMNS[:4], strict=True)
        ]
        for ax, column, name, _ in panels:
            _lines(ax, x, table, groups, others, column, None, None)
            ax.set(ylabel=name)
        what = "statistics"
    for ax, *_ in panels:
        ax.set_xlabel(label)
        if ticks:
            ax.set_xscale("log")
            ax.set_xticks(*ticks)
        if others or methods:
            ax.legend(fontsize="x-small", frameon=False)
    title = f"sweep {sweep}: {what} against {first}"
    if "replicates" in table[0]:
        title += f" (mean of {table[0]['replicates']} replicates, bars: 95 % interval)"
    elif methods and scored:
        title += " (bars: 95 % bootstrap interval over the tested trains)"
    fig.suptitle(title)
    return fig


def _lines(ax, x, table, groups, others, column, colour, method):
    """One line per group of rows; with replicates, each point the mean and a bar its 95 %
    interval over them; with one, an AUC's bar is its bootstrap interval."""
    for n, (values, rows) in enumerate(groups.items()):
        ys = np.array([_number(table[i][column]) for i in rows])
        names = [method] if method else []
        names += [f"{k}={v}" for k, v in zip(others, values, strict=True)]
        style = {"marker": "o", "ls": ("-", "--", ":", "-.")[n % 4]}
        style.update({"color": colour} if colour else {})
        xs, label = [x[i] for i in rows], ", ".join(names) or None
        bounds = [f"{column} ci95 low", f"{column} ci95 high"]
        if bounds[0] not in table[rows[0]]:
            bounds = [f"{column} {b}" for b in BOOTSTRAP]
        if bounds[0] in table[rows[0]]:
            low = np.array([_number(table[i][bounds[0]]) for i in rows])
            high = np.array([_number(table[i][bounds[1]]) for i in rows])
            bars = np.nan_to_num([ys - low, high - ys])
            ax.errorbar(xs, ys, yerr=bars, capsize=3, label=label, **style)
        else:
            ax.plot(xs, ys, label=label, **style)


def _number(value):
    return np.nan if value is None or value == "" else float(value)


def _x_axis(key, table):
    """x positions, axis label, and (for values spanning decades, or with inf) log ticks."""
    written = as_written([row[key] for row in table])
    if written is None:  # not numbers: one category each, in grid order
        return [str(row[key]) for row in table], key, None
    numbers, unit = written
    label = f"{key} ({unit})" if unit else key
    finite = [v for v in numbers if math.isfinite(v)]
    if (
        not finite
        or min(finite) <= 0
        or (max(finite) / min(finite) < 10 and len(finite) == len(numbers))
    ):
        return numbers, label, None
    top = max(finite) * 3  # inf (no imaging noise) is drawn to the right of the largest value
    x = [v if math.isfinite(v) else top for v in numbers]
    ticks = sorted(set(x))
    return (
        x,
        label,
        (ticks, [("inf" if t == top and top not in finite else f"{t:g}") for t in ticks]),
    )
