"""What every figure shares: titles, and saving as PNG with provenance in its metadata."""

from .. import __version__
from ..files import atomic_path


def title(ds, what):
    """A figure title naming the experiment: ``"seed: membrane potential v"``."""
    return f"{ds.attrs['experiment']}: {what}"


LONG = 10.0  # s: a recording longer than this is shown in s, not ms (600,000 ms reads badly)


def time_unit(seconds):
    """(factor from s, unit) of a time axis spanning ``seconds``: ms up to ``LONG``, else s."""
    return (1e3, "ms") if seconds <= LONG else (1.0, "s")


def save(fig, path, metadata):
    """Save a figure as PNG atomically, with text metadata (str -> str) in the file."""
    info = {"Software": f"voltage_to_wiring {__version__}", **metadata}
    with atomic_path(path) as tmp:
        # zlib level 1: a fifth of the encoding time of the default 6, files about 20 % larger
        fig.savefig(tmp, format="png", dpi=150, metadata=info, pil_kwargs={"compress_level": 1})
