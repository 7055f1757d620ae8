"""What every figure shares: titles, the colours of the populations, the units of time and
weight axes, and saving as PNG with provenance in its metadata."""

import textwrap

import numpy as np

from .. import __version__
from ..files import atomic_path

# The colour of each population of an E/I network, in every figure (raster, rates, traces).
POPULATION_COLOURS = {"exc": "C3", "inh": "C0"}


def title(ds, what):
    """A figure title naming the experiment: ``"seed: membrane potential v"``."""
    return f"{ds.attrs['experiment']}: {what}"


# Characters of a title per inch of the width it has (matplotlib's "large" title font, with
# room to spare): a longer title is wrapped, not cut at the figure's edges.
CHARACTERS_PER_INCH = 9


def wrapped(text, inches):
    """``text`` wrapped to lines that fit ``inches`` of width (long names broken too; its own
    line breaks kept)."""
    width = max(20, int(inches * CHARACTERS_PER_INCH))
    return "\n".join(textwrap.fill(line, width) for line in text.split("\n"))


def suptitle(fig, text):
    """Set the figure's title, wrapped to its width."""
    fig.suptitle(wrapped(text, fig.get_figwidth()))


def axis_title(ax, text):
    """Set an axes' title, wrapped to the axes' width."""
    ax.set_title(wrapped(text, ax.get_position().width * ax.figure.get_figwidth()))


LONG = 10.0  # s: a recording longer than this is shown in s, not ms (600,000 ms reads badly)


def time_unit(seconds):
    """(factor from s, unit) of a time axis spanning ``seconds``: ms up to ``LONG``, else s."""
    return (1e3, "ms") if seconds <= LONG else (1.0, "s")


def weight_unit(weights):
    """(factor from S, unit) of an axis of synaptic weights (S): pS where the largest |weight|
    is below 1 nS (0.5 nS reads 500 pS, not 0.5), else nS."""
    weights = np.abs(np.asarray(weights, dtype=float))
    largest = weights[np.isfinite(weights)].max(initial=0.0)
    return (1e12, "pS") if 0 < largest < 1e-9 else (1e9, "nS")


def save(fig, path, metadata):
    """Save a figure as PNG atomically, with text metadata (str -> str) in the file."""
    info = {"Software": f"voltage_to_wiring {__version__}", **metadata}
    with atomic_path(path) as tmp:
        # zlib level 1: a fifth of the encoding time of the default 6, files about 20 % larger
        fig.savefig(tmp, format="png", dpi=150, metadata=info, pil_kwargs={"compress_level": 1})
