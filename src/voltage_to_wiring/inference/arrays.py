"""What a recording's arrays must be: one set of checks for the Python API and every reader.

Each function takes what a user or a file gave (``label`` says where it came from: an API
argument, an NPZ array, an NWB series) and returns it in the one form the inference uses, or
raises a :class:`~voltage_to_wiring.errors.ConfigError` naming ``label`` and the problem:

- a sampling rate: one finite number > 0 (a numpy scalar or 0-d array included);
- a voltage: a 1-D array of at least 2 finite numbers that vary, within +-1e100 (the
  inference sums squares of samples over the whole recording: beyond that they overflow);
- spike trains: ``{unit id: spike times}`` or a list of arrays (ids 0, 1, ...); each train
  sorted (the order spikes are given in is not information), ids whole and distinct, the
  trains in ascending id order, so that no answer depends on the order of the input;
- the API's truth: ``{neuron: {unit id: sign}}`` or one sign per train.
"""

import numbers
from collections.abc import Mapping

import numpy as np

from ..errors import ConfigError

LARGEST = 1e100  # |samples| above this overflow the inference's sums of squares
SMALLEST_SPREAD = 1e-100  # a spread below this underflows them to zero


def sampling_rate(value, label="the sampling rate"):
    """The sampling rate ``value`` (Hz) as a float: one finite number > 0."""
    array = _numeric(value, label, "one number (Hz)")
    if array.shape != ():
        raise ConfigError(f"{label} must be one number (Hz), got an array of shape {array.shape}")
    rate = float(array)
    if not np.isfinite(rate) or not rate > 0:
        raise ConfigError(f"{label} must be a finite number > 0 (Hz), got {rate!r}")
    return rate


def voltage(value, label="the voltage"):
    """The samples ``value`` as a float64 1-D array, checked to be analysable."""
    v = _numeric(value, label, "a 1-D array of samples").astype(np.float64, copy=False)
    if v.ndim != 1 or len(v) < 2:
        raise ConfigError(
            f"{label} must be a 1-D array of samples (at least 2), got shape {v.shape}"
        )
    finite = np.isfinite(v)
    if not finite.all():
        first = int(np.flatnonzero(~finite)[0])
        raise ConfigError(
            f"{label} holds NaN or infinite samples ({int(np.sum(~finite))} of {len(v)}, the "
            f"first at sample {first}): a trace must be finite throughout"
        )
    largest, spread = float(np.max(np.abs(v))), float(np.ptp(v))
    if spread == 0:
        raise ConfigError(
            f"{label} is constant ({v[0]:g} over {len(v)} samples): there is nothing to infer "
            "from (is it the membrane potential? a conversion factor of 0?)"
        )
    if largest > LARGEST or spread < SMALLEST_SPREAD:
        raise ConfigError(
            f"{label} has samples up to {largest:.3g} in magnitude, varying by {spread:.3g}: "
            f"the inference's sums would overflow or vanish; samples must lie within "
            f"+-{LARGEST:g} and vary by more than {SMALLEST_SPREAD:g} (rescale them, or check "
            "the conversion factor)"
        )
    return v


def spike_trains(trains, label="the spike trains"):
    """``(ids, trains)``: the unit ids (int64, ascending) and each one's spike times
    (float64, ascending), from ``{unit id: times}`` or a list of time arrays (ids 0, 1, ...
    in the list's order). Also returns ``given``: the ids in the order they were given."""
    if isinstance(trains, Mapping):
        given = [unit_id(k, label) for k in trains]
        values = list(trains.values())
    elif isinstance(trains, (str, bytes)) or not _iterable(trains):
        raise ConfigError(
            f"{label} must be a list of spike-time arrays (s), one per train, or "
            f"{{unit id: spike times}}, got {type(trains).__name__}"
        )
    else:
        values = list(trains)
        if values and all(_is_scalar(t) for t in values):
            raise ConfigError(
                f"{label} must be a list of spike-time arrays, one per train; got a flat list "
                f"of {len(values)} numbers (for a single train, give [times])"
            )
        given = list(range(len(values)))
    if not values:
        raise ConfigError(f"{label}: no spike trains to test")
    if len(set(given)) < len(given):
        repeated = sorted({i for i in given if given.count(i) > 1})
        raise ConfigError(f"{label}: unit id(s) {repeated[:5]} are given more than once")
    times = [spike_times(t, f"{label}, unit {i}") for i, t in zip(given, values, strict=True)]
    order = np.argsort(np.asarray(given, dtype=np.int64), kind="stable")
    ids = np.asarray(given, dtype=np.int64)[order]
    return ids, [times[k] for k in order.tolist()], given


def column(value, label):
    """A 1-D array of numbers (a file's column) as float64, in the order given."""
    values = _numeric(value, label, "a 1-D array of numbers")
    if values.ndim != 1:
        raise ConfigError(f"{label} must be a 1-D array, got shape {values.shape}")
    return values.astype(np.float64, copy=False)


def spike_times(value, label):
    """One train's spike times (s) as a sorted float64 1-D array of finite numbers."""
    times = _numeric(value, label, "a 1-D array of spike times (s)")
    if times.ndim != 1:
        raise ConfigError(f"{label}: spike times must be a 1-D array, got shape {times.shape}")
    times = times.astype(np.float64, copy=False)
    if not np.all(np.isfinite(times)):
        raise ConfigError(f"{label}: spike times must be finite (s), got NaN or infinite ones")
    return np.sort(times, kind="stable")


def unit_id(value, label):
    """A unit id: a whole number (int, numpy integer, or a float with a whole value)."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        raise ConfigError(f"{label}: unit ids must be whole numbers, got {value!r}")
    return _whole(np.asarray([value]), label)[0]


def unit_ids(values, label, distinct=True):
    """An array of unit ids as int64: whole numbers (NaN and fractions refused, naming
    them), and with ``distinct``, no id twice."""
    array = _numeric(values, label, "whole numbers (unit ids)")
    if array.ndim != 1:
        raise ConfigError(f"{label} must be a 1-D array of unit ids, got shape {array.shape}")
    ids = np.asarray(_whole(array, label), dtype=np.int64)
    if distinct:
        unique, counts = np.unique(ids, return_counts=True)
        if (counts > 1).any():
            raise ConfigError(
                f"{label}: unit id(s) {unique[counts > 1][:5].tolist()} occur more than once: "
                "each unit needs an id of its own"
            )
    return ids


def given_truth(truth, voltages, ids, given):
    """{neuron: {train: (sign, NaN)}} from {neuron: {unit id: sign}}, or from one neuron's
    signs (+1, -1, 0) per train in the order ``given`` (the unit ids as given)."""
    label = "argument 'truth'"
    if not isinstance(truth, dict):
        if len(voltages) != 1:
            raise ConfigError(
                f"{label}: give the truth per recorded neuron: {{neuron: {{unit: sign}}}}"
            )
        signs = _signs(truth, label)
        if len(signs) != len(given):
            raise ConfigError(f"{label} gives {len(signs)} signs for {len(given)} trains")
        truth = {next(iter(voltages)): {u: s for u, s in zip(given, signs, strict=True) if s}}
    index = {i: j for j, i in enumerate(ids.tolist())}
    resolved = {}
    for post, inputs in truth.items():
        post = unit_id(post, f"{label}: neuron labels")
        if post not in voltages:
            raise ConfigError(f"{label} names neuron {post}, which has no recorded voltage")
        if not isinstance(inputs, dict):
            raise ConfigError(f"{label}, neuron {post}: must be {{unit id: +1 or -1}}")
        one = {}
        for pre, sign in inputs.items():
            unit = unit_id(pre, f"{label}, neuron {post}")
            if unit not in index:
                raise ConfigError(f"{label}, neuron {post}: unit {unit} is not among the trains")
            one[index[unit]] = (_sign(sign, f"{label}, neuron {post}, unit {unit}"), np.nan)
        resolved[post] = one
    return resolved


def _signs(values, label):
    """+1, -1 or 0 per train, in the order given."""
    try:
        signs = np.asarray(values)
    except ValueError:
        signs = np.zeros((0, 0))
    if signs.ndim != 1 or signs.dtype.kind not in "iuf" or not np.isin(signs, (1, -1, 0)).all():
        raise ConfigError(f"{label} must be +1 (excitatory), -1 (inhibitory) or 0 per train")
    return signs.astype(np.int64).tolist()


def _sign(value, label):
    if isinstance(value, (bool, np.bool_)) or value not in (1, -1):
        raise ConfigError(
            f"{label}: a sign must be +1 (excitatory) or -1 (inhibitory), got {value!r}"
        )
    return int(value)


def _whole(array, label):
    if array.dtype.kind in "iu":
        if array.dtype.kind == "u" and len(array) and array.max() > np.iinfo(np.int64).max:
            raise ConfigError(f"{label}: unit ids beyond the 64-bit integers")
        return array.astype(np.int64).tolist()
    values = array.astype(np.float64)
    bad = ~np.isfinite(values) | (values != np.round(values)) | (np.abs(values) >= 2.0**63)
    if bad.any():
        raise ConfigError(
            f"{label}: unit ids must be whole numbers, got {values[bad][:5].tolist()}"
        )
    return values.astype(np.int64).tolist()


def _numeric(value, label, what):
    """``value`` as a numpy array of real numbers (not bool, strings or objects)."""
    try:
        array = np.asarray(value)
    except ValueError as err:  # ragged nesting
        raise ConfigError(f"{label} must be {what} ({err})") from None
    if array.dtype.kind == "O":
        if not all(_is_number(x) for x in array.ravel().tolist()):
            raise ConfigError(f"{label} must be {what}, got {shown(value)}")
        array = array.astype(np.float64)
    if array.dtype.kind not in "iuf":
        raise ConfigError(f"{label} must be {what}, got {shown(value)} (dtype {array.dtype})")
    return array


def shown(value):
    """``repr(value)``, cut to 60 characters."""
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _is_number(value):
    return isinstance(value, numbers.Real) and not isinstance(value, (bool, np.bool_))


def _is_scalar(value):
    return isinstance(value, numbers.Number) or (isinstance(value, np.ndarray) and value.ndim == 0)


def _iterable(value):
    try:
        iter(value)
    except TypeError:
        return False
    return True
