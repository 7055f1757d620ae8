"""Cameras' clocks: frames at timestamps (jittered, some dropped) onto one regular grid.

The inference works on samples a fixed ``dt`` apart. A camera writes a timestamp per frame,
jittered by tens of microseconds, and now and then drops a frame. :func:`grid` finds the
frame interval (the least-squares slope of the timestamps against their frame numbers, so
that a slow drift of the camera's clock is absorbed), puts each frame in its slot and fills
the slots of dropped frames by linear interpolation between their neighbours, and says so.
Spikes then map to the nearest slot, as with a regular rate.
"""

from dataclasses import dataclass, field

import numpy as np

from ..errors import ConfigError

# Of a frame interval: timestamps whose RMS distance from their slots exceeds this are no
# camera's (its jitter is a small fraction of a frame; intervals of no clock scatter the
# frames uniformly within their slots: an RMS of 0.29).
MAX_JITTER = 0.1


@dataclass
class Grid:
    """Where the frames of a series go on a regular grid of ``dt``."""

    dt: float  # s between slots
    start: float  # s: the first slot's time
    slots: np.ndarray  # int64: each frame's slot (ascending); None: one slot per frame
    n_slots: int
    said: list = field(default_factory=list)  # what was assumed, in sentences
    rate: float = 0.0  # Hz: the series' own rate, or 1 / dt

    def __post_init__(self):
        self.rate = self.rate or 1.0 / self.dt

    def placed(self, data):
        """``data`` (frames, or frames x columns) on the grid: the dropped frames' slots
        interpolated linearly between their neighbours."""
        if self.slots is None:
            return data
        where = np.arange(self.n_slots, dtype=np.float64)
        if data.ndim == 1:
            return np.interp(where, self.slots, data)
        return np.stack([np.interp(where, self.slots, c) for c in data.T], axis=1)


def regular(rate, start):
    """The grid of a series with a ``rate`` (Hz) from ``start`` (s)."""
    return Grid(1.0 / rate, start, None, 0, rate=rate)


def grid(stamps, label):
    """The :class:`Grid` of frames at ``stamps`` (s, 1-D, finite), or a refusal naming
    ``label`` where they cannot be one clock's frames (not increasing, too irregular)."""
    stamps = np.asarray(stamps, dtype=np.float64)
    steps = np.diff(stamps)
    if len(steps) == 0 or not np.all(steps > 0):
        raise ConfigError(f"{label}: the timestamps do not increase from sample to sample")
    typical = float(np.median(steps))
    # frame by frame (a dropped frame: an interval of about 2): an error in ``typical``
    # does not add up over thousands of frames, as it would in ``round(t / typical)``
    slots = np.concatenate([[0], np.cumsum(np.maximum(1, np.round(steps / typical)))])
    slots = slots.astype(np.int64)
    dt, start = typical, float(stamps[0])
    if slots.size > 2:  # the line that fits every frame best: a drifting clock absorbed
        dt, start = (float(c) for c in np.polyfit(slots, stamps, 1))
        slots = np.round((stamps - start) / dt).astype(np.int64)
    residual = (stamps - start - slots * dt) / dt
    rms = float(np.sqrt(np.mean(residual**2)))
    if slots[0] != 0 or np.any(np.diff(slots) < 1) or rms > MAX_JITTER:
        raise ConfigError(
            f"{label}: the timestamps are not one clock's frames (a frame lies "
            f"{rms:.2f} frame intervals from its place on a {1 / dt:g} Hz grid, RMS): "
            "give series with a regular rate or a camera's timestamps"
        )
    n_slots = int(slots[-1]) + 1
    dropped = n_slots - len(stamps)
    jitter = round(float(np.std(stamps - start - slots * dt)), 9)  # to the ns: no rounding dust
    said = [
        f"{label}: frames at timestamps, put on a regular {1 / dt:.6g} Hz grid (interval "
        f"{dt * 1e3:.6g} ms, timestamp jitter SD {jitter * 1e6:.3g} us)"
        + (
            f"; {dropped} dropped frame(s) in {_gaps(slots)} gap(s) filled by linear interpolation"
            if dropped
            else "; no frame dropped"
        )
    ]
    return Grid(dt, start, slots if dropped else None, n_slots, said)


def _gaps(slots):
    return int(np.sum(np.diff(slots) > 1))
