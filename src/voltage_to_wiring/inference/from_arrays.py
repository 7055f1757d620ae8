"""A :class:`.recording.Recording` from arrays: the Python API's and every reader's way in.

The arrays are checked (:mod:`.arrays`), the traces conditioned (:mod:`.conditioning`:
volts, baseline, polarity), the spike times put on the voltage's samples, and what was
assumed is said in sentences (``recording.assumed``):

- spikes outside the voltage's span (trains on a session's clock that runs before and after
  the imaging) are not tested, and counted;
- a unit observed only in some intervals (an NWB units table's ``obs_intervals``) keeps its
  spikes within them, and its surrogates are drawn within them (see :mod:`.surrogates`).
"""

import numpy as np

from ..errors import ConfigError
from . import arrays
from .conditioning import condition
from .recording import Recording

# Where a problem with each part of a recording file lies in the config.
FILE_KEYS = {
    "voltage": "recording.voltage",
    "rate": "recording.voltage",
    "trains": "recording.units",
}
# The API's names for its arguments, in refusals (a reader gives its own).
API_LABELS = {
    "voltage": "argument 'voltage'",
    "rate": "argument 'rate' (the sampling rate)",
    "trains": "argument 'trains'",
}
READING = {"polarity": "auto", "baseline": "auto"}


def recording(
    name,
    voltage,
    rate,
    trains,
    truth=None,
    units="1",
    start=0.0,
    where=None,
    keys=None,
    reading=None,
    observed=None,
    said=(),
):
    """The Recording of ``voltage`` (one neuron's samples, or {neuron: samples}, all of one
    length) sampled at ``rate`` (Hz) and ``trains`` ({unit id: spike times (s)}, or a list:
    ids 0, 1, ...), the times on a clock on which the voltage starts at ``start`` (s).

    ``truth`` (optional): {neuron: {unit id: sign}}, or one sign per train in the order
    given. ``where`` names the inputs in refusals ({"voltage", "rate", "trains"}: default
    the API's arguments; the voltage's may be {neuron: label}); ``keys`` their config keys
    (a recording file's). ``reading``: {"polarity", "baseline"} (see :mod:`.conditioning`);
    ``observed``: {unit id: [[t0, t1], ...]} observation intervals (s, the trains' clock);
    ``said``: sentences of what the reader assumed, kept first."""
    where, keys = {**API_LABELS, **(where or {})}, keys or {}

    def checked(part, check, *args):
        try:
            return check(*args, where[part])
        except ConfigError as err:
            raise ConfigError(err.problem, key=err.key or keys.get(part)) from None

    dt = 1.0 / checked("rate", arrays.sampling_rate, rate)
    voltages = checked("voltage", _voltages, voltage)
    conditioned = _conditioned(voltages, units, dt, {**READING, **(reading or {})}, where)
    ids, times, given = checked("trains", arrays.spike_trains, trains)
    n_samples = len(next(iter(voltages.values())))
    steps, cropped = checked("trains", _steps, ids, times, start, dt, n_samples)
    segments, outside = _observed(ids, steps, observed or {}, start, dt, n_samples)
    recording = Recording(
        name=name,
        dt=dt,
        voltages={n: c.samples for n, c in conditioned.items()},
        units=next(iter(conditioned.values())).units,
        spike_step=np.concatenate([np.zeros(0, np.int64), *steps]),
        spike_train=np.concatenate(
            [np.zeros(0, np.int64)]
            + [np.full(len(s), j, dtype=np.int64) for j, s in enumerate(steps)]
        ),
        n_trains=len(steps),
        truth=None if truth is None else arrays.given_truth(truth, voltages, ids, given),
        train_ids=ids,
        observed=segments,
    )
    recording.assumed = [*said, *(s for c in conditioned.values() for s in c.said)]
    recording.assumed += [s for s in (cropped, outside) if s]
    recording.warnings = [w for c in conditioned.values() for w in c.warnings]
    if cropped and len(recording.spike_step) < sum(len(t) for t in times) / 2:
        recording.warnings.append(f"{cropped}: are the spike times on the voltage's clock?")
    return recording


def _voltages(voltage, label):
    """{neuron: samples (float64)}, every neuron's samples checked, all of one length
    (``label``: one for all, or {neuron: label})."""
    if isinstance(voltage, dict):
        if not voltage:
            raise ConfigError(f"{label}: no recorded neuron's voltage")
        neurons = [arrays.unit_id(k, f"{label}: neuron labels") for k in voltage]
        values = {
            n: arrays.voltage(v, label[n] if isinstance(label, dict) else f"{label}, neuron {n}")
            for n, v in zip(neurons, voltage.values(), strict=True)
        }
        label = "the voltages" if isinstance(label, dict) else label
    else:
        values = {0: arrays.voltage(voltage, label)}
    lengths = {n: len(v) for n, v in values.items()}
    if len(set(lengths.values())) > 1:
        raise ConfigError(
            f"{label}: the recorded neurons' voltages differ in length ({lengths} samples): "
            "give them on one clock, of one length"
        )
    return values


def _conditioned(voltages, units, dt, reading, where):
    """Each neuron's trace conditioned; if one's baseline cannot be divided out (dF/F), every
    one's is subtracted, so that all are in one unit."""
    labels = where["voltage"]

    def label(neuron):
        if isinstance(labels, dict):
            return labels[neuron]
        return labels if len(voltages) == 1 else f"{labels}, neuron {neuron}"

    def all_of(divide):
        done = {}
        for n, v in voltages.items():
            one = condition(
                v, units, dt, reading["polarity"], reading["baseline"], label(n), divide
            )
            one.samples = arrays.voltage(one.samples, f"{label(n)}, conditioned")
            done[n] = one
        return done

    done = all_of(divide=True)
    if len({c.units for c in done.values()}) > 1:  # one's baseline is not positive
        done = all_of(divide=False)
    return done


def _steps(ids, times, start, dt, n_samples, label):
    """Each train's spike times (``start`` subtracted) as sample indices ``round(t / dt)``,
    those outside the voltage left out; and a sentence counting them (or "")."""
    steps, before, after, units = [], 0, 0, []
    for i, t in zip(ids.tolist(), times, strict=True):
        s = np.round((t - start) / dt).astype(np.int64)
        inside = (s >= 0) & (s < n_samples)
        if not inside.all():
            before += int(np.sum(s < 0))
            after += int(np.sum(s >= n_samples))
            units.append(i)
            s = s[inside]
        steps.append(s)
    total = sum(len(t) for t in times)
    if total and not any(len(s) for s in steps):
        raise ConfigError(
            f"{label}: no spike of any train falls within the voltage's {n_samples * dt:g} s"
            f"{_clock(start)}: are the spike times in s, on the voltage's clock?"
        )
    if not units:
        return steps, ""
    return steps, (
        f"{label}: {before + after} of {total} spikes lie outside the voltage ({before} before "
        f"its first sample, {after} after its end; it spans {round(start, 9):g} to "
        f"{round(start + n_samples * dt, 9):g} s on the trains' clock) and are not tested; units "
        f"{_few(units)}"
    )


def _observed(ids, steps, observed, start, dt, n_samples):
    """{train: (k, 2) half-open sample ranges} of the units observed in intervals that do
    not cover the voltage (their spikes outside them left out, in ``steps``), and a
    sentence saying so (or "")."""
    segments, units, dropped = {}, [], 0
    for j, unit in enumerate(ids.tolist()):
        if unit not in observed:
            continue
        spans = np.asarray(observed[unit], dtype=np.float64).reshape(-1, 2)
        ranges = np.round((spans - start) / dt).astype(np.int64)
        ranges[:, 1] += 1  # half-open: a spike at an interval's end is in it
        ranges = np.clip(ranges[np.argsort(ranges[:, 0])], 0, n_samples)
        ranges = ranges[ranges[:, 1] > ranges[:, 0]]
        if len(ranges) == 1 and ranges[0, 0] == 0 and ranges[0, 1] == n_samples:
            continue  # observed throughout the voltage
        inside = np.zeros(len(steps[j]), dtype=bool)
        for a, b in ranges:
            inside |= (steps[j] >= a) & (steps[j] < b)
        dropped += int(np.sum(~inside))
        steps[j] = steps[j][inside]
        segments[j] = ranges
        units.append(unit)
    if not units:
        return segments, ""
    return segments, (
        f"units {_few(units)} are observed in part of the voltage only (obs_intervals): their "
        f"spikes and surrogates are taken within those intervals ({dropped} spikes outside "
        "them left out)"
    )


def _few(units):
    shown = ", ".join(str(u) for u in units[:5])
    return shown + (f" and {len(units) - 5} more" if len(units) > 5 else "")


def _clock(start):
    return f" (the voltage starting at {start:g} s on the trains' clock)" if start else ""
