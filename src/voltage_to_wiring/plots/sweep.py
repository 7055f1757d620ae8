"""A sweep's summary figure: statistics of every grid point against the swept values."""

import numpy as np
from matplotlib.figure import Figure

from ..analysis.stats import COLUMNS
from ..analysis.sweep_table import si_unit

LABELS = {
    "mean_rate_hz": "mean rate (Hz)",
    "cv_isi_mean": "mean CV of ISIs",
    "synchrony_chi": "synchrony chi",
    "fraction_silent": "fraction silent",
    "n_spikes": "spikes",
}


def summary(sweep, keys, table):
    """Each statistic against the first swept key, one line per value of the other keys.

    ``table`` is the sweep's table (rows of :func:`voltage_to_wiring.analysis.sweep_table.rows`).
    """
    first, others = keys[0], keys[1:]
    x_values = [row[f"{first} (SI)"] for row in table]
    numeric = all(isinstance(x, (int, float)) for x in x_values)
    fig = Figure(figsize=(9, 6), layout="constrained")
    groups = {}
    for row in table:
        groups.setdefault(tuple(row[k] for k in others), []).append(row)
    for ax, column in zip(fig.subplots(2, 2).ravel(), COLUMNS[:4], strict=True):
        for label, group in groups.items():
            xs = [r[f"{first} (SI)"] if numeric else str(r[first]) for r in group]
            ys = [np.nan if r[column] is None else r[column] for r in group]
            ax.plot(
                xs,
                ys,
                "o-",
                label=", ".join(f"{k}={v}" for k, v in zip(others, label, strict=True)) or None,
            )
        ax.set(
            xlabel=f"{first}" + (f" ({si_unit(table[0][first])})" if numeric else ""),
            ylabel=LABELS[column],
        )
        if others:
            ax.legend(fontsize="x-small", frameon=False)
    fig.suptitle(f"sweep {sweep}: statistics against {first}")
    return fig
