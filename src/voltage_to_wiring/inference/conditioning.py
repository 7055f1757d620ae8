"""A recorded trace made ready for the methods: in volts if it is a voltage, its slow
baseline removed if it is fluorescence, and rising with depolarisation.

- **Units**: ``V``, ``mV``, ``uV`` (``µV``) are voltages, read as V (a ``clip`` level in mV
  then works); anything else (``a.u.``, ``n.a.``, dF/F) is kept as it is and named.
- **Baseline** (``baseline``): raw fluorescence bleaches, so its slow baseline ``F0`` (the
  running median over ``window`` s: medians of blocks of a quarter window, interpolated)
  is taken out as ``dF/F = (F - F0) / F0``, which also undoes the loss of sensitivity that
  comes with the loss of photons; a trace whose baseline is not positive (already dF/F, or
  background-subtracted) has it subtracted instead. ``auto`` (the default) does this for
  traces that are not voltages, with a 2 s window, far longer than a PSP or the inference's
  window and far shorter than bleaching's time constants (tens of seconds or more).
- **Polarity** (``polarity``): indicators of the ASAP and Voltron families get dimmer as the
  membrane depolarises. ``auto`` (the default) takes a voltage as it is (a membrane
  potential rises with depolarisation) and tells other traces' from the neuron's own spikes, the
  largest excursions of the trace smoothed over 2 ms (its 0.01st and 99.99th percentiles,
  in robust SDs from the median): a trace whose deepest excursions go 1.5 times further down
  than up, crossing 7 robust SDs at least 3 separate times, is negated, and said to be; where
  neither side stands out (a neuron that does not fire), the trace is taken as it is and a
  warning says so.

Every choice is said in sentences (:class:`Conditioned`), recorded with the inference.
"""

from dataclasses import dataclass, field

import numpy as np

from .imaging import robust_spread

VOLT_SCALES = {"v": 1.0, "volt": 1.0, "volts": 1.0, "mv": 1e-3, "uv": 1e-6, "µv": 1e-6}
AUTO_WINDOW = 2.0  # s: the running median's window of baseline: auto
SPIKE_SMOOTHING = 2e-3  # s: the moving average before the polarity's excursions are measured
SPIKE_RATIO = 1.5  # one side's excursions this much further than the other's decide
SPIKE_SDS = 7.0  # and cross this many robust SDs (the own spikes' threshold) ...
MIN_SPIKES = 3  # ... at least this many separate times


@dataclass
class Conditioned:
    """A trace as the methods get it, and what was done to it."""

    samples: np.ndarray
    units: str
    said: list = field(default_factory=list)  # what was assumed or done, in sentences
    warnings: list = field(default_factory=list)  # what may mislead


def voltage_scale(units):
    """The factor to volts of a voltage unit, or None for a unit that is not a voltage."""
    return VOLT_SCALES.get(str(units).strip().lower().replace("μ", "µ"))


def condition(samples, units, dt, polarity="auto", baseline="auto", label="the trace", divide=True):
    """``samples`` (float64) in ``units``, sampled every ``dt`` s, conditioned as this module
    says; ``baseline``: "auto", "none" or a window (s); ``polarity``: "auto", "positive" or
    "negative"; ``divide`` False: the baseline subtracted, never divided (dF/F)."""
    scale = voltage_scale(units)
    out = Conditioned(samples, units)
    if scale is not None:
        out.samples, out.units = (samples * scale if scale != 1.0 else samples), "V"
        if units != "V":
            out.said.append(f"{label}: in {units}, read as volts (x {scale:g})")
    window = (None if scale is not None else AUTO_WINDOW) if baseline == "auto" else baseline
    if window not in (None, "none"):
        _remove_baseline(out, float(window), dt, label, divide)
    _orient(out, polarity, dt, label)
    return out


def _remove_baseline(out, window, dt, label, divide):
    f0 = running_median(out.samples, max(4, round(window / dt)))
    if divide and np.min(f0) > 0:
        loss = 1.0 - f0[-1] / f0[0]
        out.samples, out.units = (out.samples - f0) / f0, "dF/F"
        out.said.append(
            f"{label}: taken as fluorescence, its baseline F0 (the running median over "
            f"{window:g} s) taken out as dF/F = (F - F0) / F0; F0 fell by {100 * loss:.3g} % "
            "from the first sample to the last (photobleaching)"
        )
    else:
        why = (
            "it is not positive throughout: not raw fluorescence"
            if divide
            else ("as another recorded neuron's, whose baseline is not positive")
        )
        out.samples = out.samples - f0
        out.said.append(
            f"{label}: its baseline (the running median over {window:g} s) subtracted, not "
            f"divided out ({why})"
        )


def running_median(y, width):
    """The running median of ``y`` over about ``width`` samples: medians of blocks of a
    quarter of it, linearly interpolated between the blocks' centres (and held at the ends)."""
    block = max(1, width // 4)
    n = len(y) // block
    if n < 2:
        return np.full(len(y), float(np.median(y)))
    medians = np.median(y[: n * block].reshape(n, block), axis=1)
    if n * block < len(y):
        medians = np.append(medians, np.median(y[n * block :]))
    centres = np.minimum(np.arange(len(medians)) * block + (block - 1) / 2, len(y) - 1)
    kept = _centred(medians, 4)  # the median of about a window of blocks
    return np.interp(np.arange(len(y)), centres, kept)


def _centred(values, width):
    """The median of each value's ``width + 1`` neighbours (fewer at the ends)."""
    half = width // 2
    padded = np.concatenate([np.full(half, np.nan), values, np.full(half, np.nan)])
    return np.nanmedian(np.lib.stride_tricks.sliding_window_view(padded, 2 * half + 1), axis=1)


def excursions(samples, dt):
    """(up, down, n_up, n_down): how far the trace smoothed over 2 ms (where the whole window
    fits: no edge) goes above and below its median at its 99.99th and 0.01st percentiles,
    in its robust SDs, and how many separate times it crosses 7 of them each way."""
    width = max(1, round(SPIKE_SMOOTHING / dt))
    trace = np.convolve(samples, np.full(width, 1.0 / width), mode="valid")
    median, sd = robust_spread(trace)
    if sd == 0 or len(trace) < 2:
        return 0.0, 0.0, 0, 0
    low, high = np.percentile(trace, [0.01, 99.99])
    z = (trace - median) / sd
    return (high - median) / sd, (median - low) / sd, _count(z, width), _count(-z, width)


def _count(z, dead):
    """Separate upward crossings of SPIKE_SDS (at least ``dead`` samples apart)."""
    above = z >= SPIKE_SDS
    crossings = np.flatnonzero(above[1:] & ~above[:-1])
    return int(np.sum(np.diff(crossings, prepend=-dead - 1) > dead))


def _orient(out, polarity, dt, label):
    if polarity == "positive" or (polarity == "auto" and out.units == "V"):
        return  # a membrane potential in volts rises with depolarisation
    if polarity == "negative":
        out.samples = -out.samples
        out.said.append(f"{label}: negated (polarity: negative, as set)")
        return
    up, down, n_up, n_down = excursions(out.samples, dt)
    evidence = (
        f"its largest excursions reach {up:.3g} robust SDs up and {down:.3g} down; "
        f"{n_up} up and {n_down} down cross {SPIKE_SDS:g}"
    )
    if down > SPIKE_RATIO * up and n_down >= MIN_SPIKES:
        out.samples = -out.samples
        out.said.append(
            f"{label}: negated: it falls with depolarisation (polarity told from the "
            f"neuron's own spikes: {evidence})"
        )
        out.warnings.append(
            f"{label} was negated: its spikes go down (an indicator that dims with "
            "depolarisation); set recording.polarity to say otherwise"
        )
    elif up > SPIKE_RATIO * down and n_up >= MIN_SPIKES:
        out.said.append(f"{label}: rises with depolarisation ({evidence})")
    else:
        out.said.append(f"{label}: taken as rising with depolarisation (polarity: {evidence})")
        out.warnings.append(
            f"{label}: its polarity cannot be told from its own spikes ({evidence}): it is "
            "taken as rising with depolarisation; set recording.polarity if it does not"
        )
