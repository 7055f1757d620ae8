"""An NPZ recording: arrays ``voltage`` (samples), ``rate`` (Hz) or ``timestamps`` (s, one
per sample: a camera's, see :mod:`.clocks`), ``spike_times`` (s, on the voltage's clock)
and ``spike_units`` (the id of each spike's train); optionally ``voltage_units`` (a string),
``truth_pre``, ``truth_type`` (+1 / -1), ``truth_weight`` (S). Read without pickles
(``allow_pickle=False``)."""

import numpy as np

from ..errors import ConfigError
from . import arrays, clocks, from_arrays
from .from_arrays import FILE_KEYS
from .recording import inputs_onto, keyed, own_train_of, sign_of

NPZ_KEYS = {**FILE_KEYS, "voltage": "recording", "rate": "recording"}  # no voltage key
NPZ_REQUIRED = ("voltage", "spike_times", "spike_units")


def _clock(z):
    """The grid of an NPZ's ``timestamps`` (None with a ``rate``)."""
    if "rate" in z:
        return None
    stamps = keyed("recording", arrays.column, z["timestamps"], "array 'timestamps'")
    return keyed("recording", clocks.grid, stamps, "array 'timestamps'")


def _placed(z, clock):
    voltage = arrays.voltage(z["voltage"], "array 'voltage'")
    if len(voltage) != len(z["timestamps"]):
        raise ConfigError(
            f"arrays 'voltage' and 'timestamps' differ in length ({len(voltage)} and "
            f"{len(z['timestamps'])}): one timestamp per sample"
        )
    return clock.placed(voltage)


def recording(spec):
    """The :class:`.recording.Recording` of a resolved NPZ ``recording`` section."""
    z = _npz_arrays(spec["file"])
    missing = [k for k in NPZ_REQUIRED if k not in z]
    if "rate" not in z and "timestamps" not in z:
        missing.insert(1, "rate")
    if missing:
        raise ConfigError(
            f"lacks the arrays {missing} (has {sorted(z)})"
            + ("; give rate or timestamps" if "rate" in missing else "")
        )
    clock = _clock(z)
    units = _npz_text(z, "voltage_units") if "voltage_units" in z else "1"
    times = keyed("recording.units", arrays.column, z["spike_times"], "array 'spike_times'")
    owner = keyed(
        "recording.units", arrays.unit_ids, z["spike_units"], "array 'spike_units'", False
    )
    if len(owner) != len(times):
        raise ConfigError(
            f"arrays 'spike_times' and 'spike_units' differ in length ({len(times)} and "
            f"{len(owner)}): one unit id per spike",
            key="recording.units",
        )
    order = np.argsort(owner, kind="stable")
    present, first = np.unique(owner[order], return_index=True)
    split = np.split(times[order], first[1:]) if len(present) else []
    trains = dict(zip(present.tolist(), split, strict=True))
    chosen = sorted(trains) if spec.get("units", "all") == "all" else sorted(spec["units"])
    absent = [i for i in chosen if i not in trains]
    if absent:
        raise ConfigError(f"has no spikes of units {absent[:5]}", key="recording.units")
    given = spec.get("neuron")
    if given is not None and len(given) != 1:
        raise ConfigError("an NPZ recording holds one neuron's voltage", key="recording.neuron")
    neuron = 0 if given is None else int(given[0])
    voltage = z["voltage"] if clock is None else keyed("recording", _placed, z, clock)
    recording = from_arrays.recording(
        spec["name"],
        {neuron: voltage},
        z["rate"] if clock is None else clock.rate,
        {i: trains[i] for i in chosen},
        units=units,
        start=0.0 if clock is None else clock.start,
        reading={k: spec[k] for k in ("polarity", "baseline") if k in spec},
        said=[] if clock is None else clock.said,
        where={
            "voltage": {neuron: "array 'voltage'"},
            "rate": "array 'rate'",
            "trains": "arrays 'spike_times' and 'spike_units'",
        },
        keys=NPZ_KEYS,
    )
    if given is not None:
        recording.own_train = own_train_of(neuron, recording.ids)
    if spec.get("truth"):
        truth = keyed("recording.truth", _npz_truth, z, neuron, present, recording.ids)
        recording.truth = {neuron: truth}
    return recording


def _npz_arrays(path):
    """{name: array} of an NPZ file (no pickled objects)."""
    try:
        loaded = np.load(path, allow_pickle=False)
    except Exception as err:  # noqa: BLE001 - any reading problem is the file's
        raise ConfigError(f"cannot be read as NPZ ({err})", key="recording.file") from None
    if not isinstance(loaded, np.lib.npyio.NpzFile):
        raise ConfigError(
            "is a single array (.npy), not an NPZ archive of named arrays: save it with "
            "numpy.savez(path, voltage=..., rate=..., spike_times=..., spike_units=...)",
            key="recording.file",
        )
    try:
        with loaded:
            return {k: loaded[k] for k in loaded.files}
    except Exception as err:  # noqa: BLE001 - pickled objects, a truncated member
        raise ConfigError(f"cannot be read as NPZ ({err})", key="recording.file") from None


def _npz_text(z, name):
    value = z[name]
    if value.shape != () or value.dtype.kind not in "US":
        raise ConfigError(
            f"array {name!r} must be one string (e.g. 'mV'), got {arrays.shown(value)}"
        )
    return str(value)


def _npz_truth(z, neuron, present, ids):
    """The NPZ truth's inputs onto ``neuron``: arrays truth_pre, truth_type (and
    truth_weight), one entry per connection."""
    if "truth_pre" not in z or "truth_type" not in z:
        raise ConfigError("has no truth_pre and truth_type arrays", key="recording.truth")
    pre = arrays.unit_ids(z["truth_pre"], "array 'truth_pre'", distinct=False)
    types = z["truth_type"]
    weight = (
        arrays.column(z["truth_weight"], "array 'truth_weight'")
        if "truth_weight" in z
        else np.full(len(pre), np.nan)
    )
    lengths = {"truth_pre": len(pre), "truth_type": types.size, "truth_weight": len(weight)}
    if types.ndim != 1 or len(set(lengths.values())) > 1:
        raise ConfigError(
            f"the truth's arrays differ in length or shape ({lengths}): one entry per connection",
            key="recording.truth",
        )
    unknown = sorted(set(pre.tolist()) - set(present.tolist()))
    if unknown:
        raise ConfigError(
            f"truth_pre names units without spikes: {unknown[:5]}", key="recording.truth"
        )
    signs = np.array([sign_of(k.item()) for k in types], dtype=np.int64)
    post = np.full(len(pre), neuron)
    return inputs_onto((pre, post, signs, weight), neuron, ids)
