"""Wiring figures: the degree distributions of the true wiring."""

import numpy as np
from matplotlib.figure import Figure

from ..analysis.spikes import n_neurons
from .common import suptitle, title


def degrees(ds):
    """Histograms of the in- and out-degrees of the wiring (synapses per neuron)."""
    fig = Figure(figsize=(8, 3.5), layout="constrained")
    n = n_neurons(ds)
    for ax, (name, var) in zip(
        fig.subplots(1, 2), (("in", "synapse_post"), ("out", "synapse_pre")), strict=True
    ):
        degree = np.bincount(ds[var].values, minlength=n)
        # whole-number bins (a bin of 1.5 degrees holds one or two values: a false comb)
        width = max(1, -(-(degree.max() - degree.min() + 1) // 40))
        ax.hist(degree, bins=np.arange(degree.min(), degree.max() + width + 1, width) - 0.5)
        ax.set(
            xlabel=f"{name}-degree (synapses)",
            ylabel="neurons",
            title=f"{name}-degree: mean {degree.mean():.1f}, sd {degree.std():.1f}",
        )
    suptitle(fig, title(ds, f"degree distributions ({ds.sizes['synapse']} synapses)"))
    return fig
