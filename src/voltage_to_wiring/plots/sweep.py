"""A sweep's summary figure: the statistics, or the inference's AUCs, of every grid point
against the first swept key (named, in the unit its values are written in; inf past a break
in the axis), one line per value of the other keys (and per method)."""

import math
from typing import NamedTuple

import numpy as np
from matplotlib.figure import Figure
from matplotlib.path import Path
from matplotlib.ticker import NullLocator
from matplotlib.transforms import blended_transform_factory

from ..analysis.stats import COLUMNS
from ..analysis.sweep_table import BOOTSTRAP, as_written
from .common import suptitle

LABELS = {
    "mean_rate_hz": "mean rate (Hz)",
    "cv_isi_mean": "mean CV of ISIs",
    "synchrony_chi": "synchrony chi",
    "fraction_silent": "fraction silent",
    "n_spikes": "spikes",
}
# The y range of a statistic: each is >= 0, a fraction at most 1.
LIMITS = {"fraction_silent": (0, 1.05)}
# Readable names of the keys sweeps often vary; the axis names the key too.
NAMES = {
    "inference.snr": "SNR = spike height / noise sd",
    "inference.duration": "recording length analysed",
    "synapse.delay": "transmission delay",
    "network.weights.scale": "weight scale",
    "drive.poisson.rate": "Poisson input rate",
    "sim.duration": "simulated time",
}
# The mark of a broken axis, "//", drawn on the bottom and top spines.
BREAK = Path(
    [(-1.0, -1.0), (0.0, 1.0), (0.5, -1.0), (1.5, 1.0)],
    [Path.MOVETO, Path.LINETO, Path.MOVETO, Path.LINETO],
)
# The inference panels: metric, label, chance level.
AUCS = (
    ("auc", "AUC (right sign required)", 0.25),
    ("auc_detection", "AUC of detection (sign ignored)", 0.5),
)
# The experiment-design panel, where the table has it: the excitatory inputs found when 5 %
# of the unconnected trains are called, with the 80 % a design aims at.
RECALL = ("tpr_exc_at_fpr_0.05", "excitatory inputs found at 5 % false positives", None)
RECALL_AIM = 0.8
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
    axis = _x_axis(first, table)
    groups = {}
    for i, row in enumerate(table):
        groups.setdefault(tuple(row[k] for k in others), []).append(i)
    if methods:
        scored = any(np.isfinite(_number(row.get(f"{m} auc"))) for row in table for m in methods)
        shown = AUCS if scored else CALLS
        if scored and f"{methods[0]} {RECALL[0]}" in table[0]:
            shown = (*AUCS, RECALL)
        fig = Figure(figsize=(5 * len(shown), 4.2), layout="constrained")
        panels = [
            (ax, metric, name, chance)
            for ax, (metric, name, chance) in zip(fig.subplots(1, len(shown)), shown, strict=True)
        ]
        for ax, metric, name, chance in panels:
            for k, method in enumerate(methods):
                _lines(ax, axis, table, groups, others, f"{method} {metric}", f"C{k}", method)
            if chance is not None:
                ax.axhline(chance, ls="--", color="0.5", lw=1, label=f"chance ({chance})")
                ax.set(ylim=(0, 1))
            elif metric == RECALL[0]:
                ax.axhline(RECALL_AIM, ls=":", color="0.3", lw=1, label="80 %")
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
            _lines(ax, axis, table, groups, others, column, None, None)
            ax.set(ylabel=name, ylim=LIMITS.get(column, (0, None)))
        what = "statistics"
    for ax, *_ in panels:
        ax.set_xlabel(axis.label)
        if axis.log:
            ax.set_xscale("log")
        if axis.ticks:
            ax.set_xticks(*axis.ticks)
            ax.xaxis.set_minor_locator(NullLocator())
        if axis.gap is not None:
            _break(ax, axis.gap)
        if others or methods:
            ax.legend(fontsize="x-small", frameon=False)
    name = NAMES.get(first)
    title = f"sweep {sweep}: {what} against " + (f"{name} ({first})" if name else first)
    if "replicates" in table[0]:
        title += f"\n(mean of {table[0]['replicates']} replicates, bars: 95 % interval)"
    elif methods and scored:
        title += "\n(bars: 95 % bootstrap interval over the tested trains)"
    suptitle(fig, title)
    return fig


def _lines(ax, axis, table, groups, others, column, colour, method):
    """One line per group of rows, from left to right and not across the axis's break; with
    replicates, each point the mean and a bar its 95 % interval over them; with one, an AUC's
    bar is its bootstrap interval."""
    for n, (values, rows) in enumerate(groups.items()):
        if not isinstance(axis.x[rows[0]], str):
            rows = sorted(rows, key=lambda i: axis.x[i])
        ys = np.array([_number(table[i][column]) for i in rows])
        names = [method] if method else []
        names += [f"{k}={v}" for k, v in zip(others, values, strict=True)]
        style = {"marker": "o", "ls": ("-", "--", ":", "-.")[n % 4]}
        style.update({"color": colour} if colour else {})
        xs, label = np.array([axis.x[i] for i in rows]), ", ".join(names) or None
        bounds = [f"{column} ci95 low", f"{column} ci95 high"]
        if bounds[0] not in table[rows[0]]:
            bounds = [f"{column} {b}" for b in BOOTSTRAP]
        if bounds[0] in table[rows[0]]:
            low = np.array([_number(table[i][bounds[0]]) for i in rows])
            high = np.array([_number(table[i][bounds[1]]) for i in rows])
            xs, ys, low, high = _cut(axis.gap, xs, ys, low, high)
            bars = np.nan_to_num([ys - low, high - ys])
            ax.errorbar(xs, ys, yerr=bars, capsize=3, label=label, **style)
        else:
            ax.plot(*_cut(axis.gap, xs, ys), label=label, **style)


def _cut(gap, xs, *columns):
    """Points (sorted by x) with a gap point (y: nan) inserted where x crosses ``gap`` (None: no
    break), so that no line joins the points either side of an axis's break."""
    cut = len(xs) if gap is None else int(np.searchsorted(xs, gap))
    if not 0 < cut < len(xs):
        return (xs, *columns)
    return (np.insert(xs, cut, gap), *(np.insert(c, cut, np.nan) for c in columns))


def _break(ax, at):
    """Mark the x axis of ``ax`` broken at ``at`` (data): "//" on both spines."""
    ax.plot(
        [at, at],
        [0, 1],
        ls="none",
        marker=BREAK,
        ms=12,
        mfc="none",
        mec="k",
        mew=1,
        clip_on=False,
        transform=blended_transform_factory(ax.transData, ax.transAxes),
    )


def _number(value):
    return np.nan if value is None or value == "" else float(value)


class XAxis(NamedTuple):
    """Where the points of a sweep sit along x, and what the axis says."""

    x: list  # a position per row: a number, or the value's text where they are not numbers
    label: str
    log: bool  # on a log scale: the values span a decade or more
    ticks: tuple | None  # (positions, labels), or None for matplotlib's own
    gap: float | None  # where the axis is broken before inf, or None


def _x_axis(key, table):
    """The x axis of the swept ``key``: its values in the unit they are written in, ticked
    at each value on a log scale; inf (no imaging noise) one step (the last one between
    values) beyond the largest finite value, ticked "∞", past a break."""
    written = as_written([row[key] for row in table])
    if written is not None and any(math.isnan(v) or v == -math.inf for v in written[0]):
        written = None  # nan or -inf has no place on a number line: categories
    if written is None:  # not numbers: one category each, in grid order
        return XAxis([str(row[key]) for row in table], _label(key, ""), False, None, None)
    numbers, unit = written
    label = _label(key, unit)
    finite = sorted({v for v in numbers if math.isfinite(v)})
    log = bool(finite) and finite[0] > 0 and finite[-1] / finite[0] >= 10
    # ticked at each value (matplotlib's own ticks would hide a single point's value)
    ticks = (finite, [f"{v:g}" for v in finite]) if log or len(finite) <= 12 else None
    if math.inf not in numbers:
        return XAxis(numbers, label, log, ticks, None)
    if not finite:
        return XAxis([0.0] * len(numbers), label, False, ([0.0], ["∞"]), None)
    top = finite[-1]
    if log:
        step = min(top / finite[-2], 10.0) if len(finite) > 1 else 10.0  # at most a decade
        beyond, gap = top * step, top * math.sqrt(step)
    else:
        step = top - finite[-2] if len(finite) > 1 else abs(top) or 1.0
        beyond, gap = top + step, top + step / 2
    x = [beyond if v == math.inf else v for v in numbers]
    return XAxis(x, label, log, ([*finite, beyond], [*(f"{v:g}" for v in finite), "∞"]), gap)


def _label(key, unit):
    """An axis label: the quantity's name and unit over its key ("transmission delay (ms)",
    "synapse.delay"), or the key and unit ("synapse.tau (ms)"); no unit where the values
    are plain numbers."""
    unit = f" ({unit})" if unit else ""
    return f"{NAMES[key]}{unit}\n{key}" if key in NAMES else f"{key}{unit}"
