"""Recordings from files: NWB (read with pynwb) and NPZ, as :class:`.recording.Recording`.

An experiment names its recording in the config (see ``config/recording.py`` for the keys):

- **NWB**: the voltage is a TimeSeries (``voltage``: its name, in ``acquisition`` or a
  processing module), its samples scaled by the series' ``conversion`` and ``offset``, with a
  regular ``rate`` (or regularly spaced timestamps); spike trains are the rows of the
  ``units`` table (``units``: their ids, or all); the truth, if asked for, is a table
  ``synapses`` in the processing module ``ground_truth`` with columns ``pre`` and ``post``
  (references to units rows, or unit ids), ``type`` (excitatory / inhibitory, or +1 / -1)
  and optionally ``weight`` (S) -- what :mod:`voltage_to_wiring.data.nwb` writes.
- **NPZ**: arrays ``voltage`` (samples), ``rate`` (Hz), ``spike_times`` (s) and
  ``spike_units`` (the id of each spike's train); optionally ``voltage_units`` (a string),
  ``truth_pre``, ``truth_type`` (+1 / -1), ``truth_weight`` (S).

Spike times count from the voltage's first sample. ``neuron`` (optional) is the recorded
neuron's own unit id: its train is not tested, and the truth's ``post`` is matched to it.
"""

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..errors import ConfigError
from .recording import Recording, inputs_onto, own_train_of, sign_of

VOLTS = {"volts", "volt", "v"}


@dataclass
class Facts:
    """What the inference settings are checked against (kept, not the recording's data)."""

    dt: float
    n_samples: int
    neurons: list
    units: str
    has_truth: bool


def read(spec):
    """The :class:`.recording.Recording` of a resolved ``recording`` section; refuses a
    recording that cannot be analysed, naming the file and the problem."""
    try:
        recording = _NWB(spec).recording() if spec["format"] == "nwb" else _npz(spec)
    except ConfigError as err:
        if err.key is not None:
            raise
        raise _refuse(spec, err.problem) from None
    end = recording.n_samples
    late = [int(i) for i, t in zip(recording.ids, _last_steps(recording), strict=True) if t >= end]
    if late:
        raise _refuse(
            spec,
            f"units {late[:5]} have spikes after the recording's end "
            f"({end * recording.dt:g} s of voltage)",
            "recording.units",
        )
    return recording


def facts(spec):
    """The :class:`Facts` of a resolved ``recording`` section: the file is read and checked
    whole, so that a bad recording is refused before any job (once per file and section:
    a sweep's grid points share it)."""
    same = {k: v for k, v in spec.items() if k != "name"}  # a sweep's points share it
    key = (json.dumps(same, sort_keys=True), Path(spec["file"]).stat().st_mtime_ns)
    if key not in _FACTS:
        recording = read(spec)
        _FACTS[key] = Facts(
            recording.dt,
            recording.n_samples,
            recording.neurons,
            recording.units,
            recording.truth is not None,
        )
    return _FACTS[key]


_FACTS = {}


def _last_steps(recording):
    """The last spike's sample of each train (-1 for an empty train)."""
    last = np.full(recording.n_trains, -1, dtype=np.int64)
    np.maximum.at(last, recording.spike_train, recording.spike_step)
    return last


def _refuse(spec, problem, key="recording"):
    return ConfigError(f"{spec['file']}: {problem}", key=key)


class _NWB:
    def __init__(self, spec):
        self.spec = spec

    def _open(self):
        from pynwb import NWBHDF5IO

        try:
            io = NWBHDF5IO(str(self.spec["file"]), "r")
            return io, io.read()
        except Exception as err:  # noqa: BLE001 - any reading problem is the file's
            raise _refuse(self.spec, f"cannot be read as NWB ({err})", "recording.file") from None

    def _series(self, nwb, name):
        places = [nwb.acquisition, *(m.data_interfaces for m in nwb.processing.values())]
        found = [place[name] for place in places if name in place]
        if not found:
            series = sorted(nwb.acquisition)
            raise _refuse(
                self.spec,
                f"has no series {name!r} (acquisition holds: {series})",
                "recording.voltage",
            )
        series = found[0]
        if series.rate is not None:
            rate, start = float(series.rate), float(series.starting_time or 0.0)
        else:
            stamps = np.asarray(series.timestamps[:], dtype=np.float64)
            steps = np.diff(stamps)
            if len(steps) == 0 or np.ptp(steps) > 1e-6 * np.mean(steps):
                raise _refuse(self.spec, f"{name}: the samples are not evenly spaced")
            rate, start = 1.0 / float(np.mean(steps)), float(stamps[0])
        if not rate > 0:
            raise _refuse(self.spec, f"{name}: a sampling rate of {rate} Hz")
        if len(series.data.shape) != 1:
            raise _refuse(self.spec, f"{name}: one neuron's series (1-D) is needed, one per neuron")
        unit = str(series.unit)
        return series, rate, start, ("V" if unit.strip().lower() in VOLTS else unit)

    def _all_series(self, nwb):
        """Each named series, checked to share a sampling rate, start and unit."""
        found = [self._series(nwb, name) for name in self.spec["voltage"]]
        first = found[0]
        for name, other in zip(self.spec["voltage"][1:], found[1:], strict=True):
            if other[1:] != first[1:]:
                raise _refuse(
                    self.spec,
                    f"{name}: another rate, start or unit than {self.spec['voltage'][0]}",
                    "recording.voltage",
                )
        return found

    def _neurons(self):
        """The recorded neurons' labels: their unit ids, or 0, 1, ... if not given."""
        given = self.spec.get("neuron")
        return list(given) if given is not None else list(range(len(self.spec["voltage"])))

    def _truth_table(self, nwb):
        if not self.spec.get("truth"):
            return None
        module = nwb.processing.get("ground_truth")
        if module is None or "synapses" not in module.data_interfaces:
            raise _refuse(
                self.spec, "has no table ground_truth/synapses for the truth", "recording.truth"
            )
        return module["synapses"]

    def recording(self):
        io, nwb = self._open()
        with io:
            found = self._all_series(nwb)
            _, rate, start, unit = found[0]
            voltages = {}
            for neuron, (series, *_) in zip(self._neurons(), found, strict=True):
                data = np.asarray(series.data[:], dtype=np.float64)
                conversion = float(series.conversion)
                offset = float(getattr(series, "offset", 0.0) or 0.0)
                if conversion != 1.0 or offset != 0.0:
                    data = data * conversion + offset
                voltages[neuron] = data
            if nwb.units is None:
                raise _refuse(self.spec, "has no units table (the spike trains to test)")
            ids = np.asarray(nwb.units.id[:], dtype=np.int64)
            index = nwb.units["spike_times"]  # the ragged column's index, over the times
            times = np.asarray(index.target.data[:], dtype=np.float64)
            trains = np.split(times, np.asarray(index.data[:], dtype=np.int64)[:-1])
            rows = self._selected(ids)
            table = self._truth_table(nwb)
            truth = None if table is None else _truth_rows(table, ids)
        chosen = [trains[r] - start for r in rows]
        recording = Recording.of_arrays(self.spec["name"], voltages, rate, chosen, units=unit)
        recording.train_ids = ids[rows]
        if self.spec.get("neuron") is not None:
            for neuron in voltages:
                recording.own_train.update(own_train_of(neuron, ids[rows]))
        if truth is not None:
            recording.truth = {n: inputs_onto(truth, n, ids[rows]) for n in voltages}
        return recording

    def _selected(self, ids):
        wanted = self.spec.get("units", "all")
        if wanted == "all":
            return np.arange(len(ids))
        position = {i: r for r, i in enumerate(ids.tolist())}
        missing = [i for i in wanted if i not in position]
        if missing:
            raise _refuse(self.spec, f"has no units with ids {missing[:5]}", "recording.units")
        return np.array([position[i] for i in wanted], dtype=np.int64)


def _truth_rows(table, ids):
    """(pre id, post id, sign, weight) arrays of a truth table."""
    from hdmf.common import DynamicTableRegion

    def as_ids(column):
        values = np.asarray(column.data[:], dtype=np.int64)
        return ids[values] if isinstance(column, DynamicTableRegion) else values

    pre, post = as_ids(table["pre"]), as_ids(table["post"])
    unknown = sorted(set(pre.tolist()) - set(ids.tolist()))
    if unknown:
        raise ConfigError(
            f"the truth names units that are not in the units table: {unknown[:5]}",
            key="recording.truth",
        )
    kinds = [k.decode() if isinstance(k, bytes) else k for k in table["type"].data[:]]
    signs = np.array([sign_of(k) for k in kinds], dtype=np.int64)
    names = table.colnames
    weight = (
        np.asarray(table["weight"].data[:], dtype=np.float64)
        if "weight" in names
        else np.full(len(pre), np.nan)
    )
    return pre, post, signs, weight


def _npz(spec):
    try:
        with np.load(spec["file"], allow_pickle=False) as z:
            arrays = {k: z[k] for k in z.files}
    except Exception as err:  # noqa: BLE001 - any reading problem is the file's
        raise _refuse(spec, f"cannot be read as NPZ ({err})", "recording.file") from None
    missing = [k for k in ("voltage", "rate", "spike_times", "spike_units") if k not in arrays]
    if missing:
        raise _refuse(spec, f"lacks the arrays {missing} (has {sorted(arrays)})")
    units = str(arrays["voltage_units"]) if "voltage_units" in arrays else "1"
    unit_of_spike = arrays["spike_units"].astype(np.int64)
    ids = np.unique(unit_of_spike)
    if spec.get("units", "all") != "all":
        absent = [i for i in spec["units"] if i not in set(ids.tolist())]
        if absent:
            raise _refuse(spec, f"has no spikes of units {absent[:5]}", "recording.units")
        ids = np.array(spec["units"], dtype=np.int64)
    times = arrays["spike_times"].astype(np.float64)
    trains = [np.sort(times[unit_of_spike == i]) for i in ids.tolist()]
    given = spec.get("neuron")
    if given is not None and len(given) != 1:
        raise _refuse(spec, "an NPZ recording holds one neuron's voltage", "recording.neuron")
    neuron = 0 if given is None else int(given[0])
    recording = Recording.of_arrays(
        spec["name"], {neuron: arrays["voltage"]}, float(arrays["rate"]), trains, units=units
    )
    recording.train_ids = ids
    if given is not None:
        recording.own_train = own_train_of(neuron, ids)
    if spec.get("truth"):
        if "truth_pre" not in arrays or "truth_type" not in arrays:
            raise _refuse(spec, "has no truth_pre and truth_type arrays", "recording.truth")
        pre = arrays["truth_pre"].astype(np.int64)
        unknown = sorted(set(pre.tolist()) - set(np.unique(unit_of_spike).tolist()))
        if unknown:
            raise _refuse(
                spec, f"truth_pre names units without spikes: {unknown[:5]}", "recording.truth"
            )
        weight = (
            arrays["truth_weight"].astype(np.float64)
            if "truth_weight" in arrays
            else np.full(len(pre), np.nan)
        )
        signs = np.array([sign_of(int(k)) for k in arrays["truth_type"].tolist()], dtype=np.int64)
        post = np.full(len(pre), neuron)
        recording.truth = {neuron: inputs_onto((pre, post, signs, weight), neuron, ids)}
    return recording
