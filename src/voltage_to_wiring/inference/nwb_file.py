"""An NWB recording (read with pynwb): the voltage series, the units table, the truth.

The voltage is a TimeSeries (``voltage``: its name, in ``acquisition`` or a processing
module), its samples scaled by the series' ``conversion`` and ``offset``, with a regular
``rate`` (or regularly spaced timestamps); spike trains are the rows of the ``units`` table
(``units``: their ids, or all), on the session's clock (the series' start is subtracted);
the truth, if asked for, is a table ``synapses`` in the processing module ``ground_truth``
with columns ``pre`` and ``post`` (references to units rows, or unit ids), ``type``
(excitatory / inhibitory, or +1 / -1) and optionally ``weight`` (S) -- what
:mod:`voltage_to_wiring.data.nwb` writes. Data the file holds through HDF5 links into other
files is found (:mod:`voltage_to_wiring.data.hdf5`) and kept in ``recording.linked``.
"""

import numpy as np

from ..data.hdf5 import linked_files
from ..errors import ConfigError
from . import arrays
from .recording import FILE_KEYS, Recording, inputs_onto, keyed, own_train_of, sign_of

VOLTS = {"volts", "volt", "v"}


def recording(spec):
    """The :class:`.recording.Recording` of a resolved NWB ``recording`` section."""
    return _NWB(spec).recording()


class _NWB:
    def __init__(self, spec):
        self.spec = spec

    def _open(self):
        from pynwb import NWBHDF5IO

        try:
            linked = linked_files(self.spec["file"])
            io = NWBHDF5IO(str(self.spec["file"]), "r")
        except ConfigError as err:  # a broken link
            raise ConfigError(err.problem, key="recording.file") from None
        except Exception as err:  # noqa: BLE001 - any reading problem is the file's
            raise ConfigError(f"cannot be read as NWB ({err})", key="recording.file") from None
        try:
            return io, io.read(), linked
        except Exception as err:  # noqa: BLE001 - any reading problem is the file's
            io.close()
            raise ConfigError(f"cannot be read as NWB ({err})", key="recording.file") from None

    def _series(self, nwb, name):
        from pynwb import TimeSeries

        places = [nwb.acquisition, *(m.data_interfaces for m in nwb.processing.values())]
        found = [place[name] for place in places if name in place]
        if not found:
            raise ConfigError(
                f"has no series {name!r}; its series: {_candidates(nwb) or 'none'}",
                key="recording.voltage",
            )
        series = found[0]
        if not isinstance(series, TimeSeries):
            inside = [c.name for c in series.children if isinstance(c, TimeSeries)]
            raise ConfigError(
                f"{name!r} is a {type(series).__name__}, not a series"
                + (f": name one of its series, {inside}" if inside else ""),
                key="recording.voltage",
            )
        label = f"series {name!r}"
        if series.rate is not None:
            rate = arrays.sampling_rate(series.rate, f"{label}: its rate")
            start = float(series.starting_time or 0.0)
        else:
            stamps = arrays.column(series.timestamps[:], f"{label}: its timestamps")
            steps = np.diff(stamps)
            if len(steps) == 0 or not np.all(steps > 0):
                raise ConfigError(f"{label}: the timestamps do not increase from sample to sample")
            if np.ptp(steps) > 1e-6 * np.mean(steps):
                raise ConfigError(f"{label}: the samples are not evenly spaced")
            rate, start = 1.0 / float(np.mean(steps)), float(stamps[0])
        if len(series.data.shape) != 1:
            raise ConfigError(
                f"{label}: has shape {tuple(series.data.shape)}; one neuron's series (1-D) is "
                "needed, one per neuron",
                key="recording.voltage",
            )
        unit = str(series.unit)
        return series, rate, start, ("V" if unit.strip().lower() in VOLTS else unit)

    def _all_series(self, nwb):
        """Each named series, checked to share a sampling rate, start and unit."""
        found = [self._series(nwb, name) for name in self.spec["voltage"]]
        first = found[0]
        for name, other in zip(self.spec["voltage"][1:], found[1:], strict=True):
            if other[1:] != first[1:]:
                raise ConfigError(
                    f"{name}: another rate, start or unit than {self.spec['voltage'][0]}",
                    key="recording.voltage",
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
            raise ConfigError(
                "has no table ground_truth/synapses for the truth", key="recording.truth"
            )
        return module["synapses"]

    def recording(self):
        io, nwb, linked = self._open()
        with io:
            found = keyed("recording.voltage", self._all_series, nwb)
            _, rate, start, unit = found[0]
            voltages = {
                neuron: keyed("recording.voltage", _scaled, series)
                for neuron, (series, *_) in zip(self._neurons(), found, strict=True)
            }
            ids, trains = keyed("recording.units", _units, nwb)
            chosen = _selected(self.spec, ids)
            table = self._truth_table(nwb)
            truth = None if table is None else keyed("recording.truth", _truth_rows, table, ids)
        where = {
            "voltage": {
                n: f"series {s!r}" for n, s in zip(voltages, self.spec["voltage"], strict=True)
            },
            "rate": f"series {self.spec['voltage'][0]!r}: its rate",
            "trains": "the units table",
        }
        recording = Recording.of_arrays(
            self.spec["name"],
            voltages,
            rate,
            {i: trains[i] for i in chosen},
            units=unit,
            start=start,
            where=where,
            keys=FILE_KEYS,
        )
        recording.linked = linked
        if self.spec.get("neuron") is not None:
            for neuron in voltages:
                recording.own_train.update(own_train_of(neuron, recording.ids))
        if truth is not None:
            recording.truth = {n: inputs_onto(truth, n, recording.ids) for n in voltages}
        return recording


def _candidates(nwb):
    """Every TimeSeries of the file, by where it is: "acquisition/NAME" or "processing/
    MODULE/NAME" (with the series inside a container: ".../CONTAINER/NAME")."""
    from pynwb import TimeSeries

    places = [("acquisition", nwb.acquisition)]
    places += [(f"processing/{k}", m.data_interfaces) for k, m in nwb.processing.items()]
    found = []
    for where, place in places:
        for name, item in place.items():
            if isinstance(item, TimeSeries):
                found.append(f"{where}/{name}")
            else:
                found += [
                    f"{where}/{name}/{c.name}" for c in item.children if isinstance(c, TimeSeries)
                ]
    return found


def _scaled(series):
    """A series' samples in its unit: ``data * conversion + offset`` (NWB's rule), checked."""
    label = f"series {series.name!r}"
    data = arrays.voltage(series.data[:], label)
    conversion = float(series.conversion)
    offset = float(getattr(series, "offset", 0.0) or 0.0)
    if conversion == 1.0 and offset == 0.0:
        return data
    with np.errstate(over="ignore", invalid="ignore"):
        scaled = data * conversion + offset
    return arrays.voltage(
        scaled, f"{label} (its data x conversion {conversion:g} + offset {offset:g})"
    )


def _units(nwb):
    """The units table's ids (checked whole and distinct) and {id: spike times}."""
    from hdmf.common import VectorIndex

    if nwb.units is None:
        raise ConfigError("has no units table (the spike trains to test)", key="recording.units")
    if "spike_times" not in nwb.units.colnames:
        raise ConfigError(
            f"its units table has no spike_times column (columns: {list(nwb.units.colnames)})",
            key="recording.units",
        )
    ids = arrays.unit_ids(nwb.units.id[:], "the units table's ids")
    index = nwb.units["spike_times"]  # the ragged column's index, over the times
    if not isinstance(index, VectorIndex):
        raise ConfigError(
            "the units table's spike_times must be a ragged column (an array per unit)",
            key="recording.units",
        )
    times = arrays.column(index.target.data[:], "the units table's spike_times")
    trains = np.split(times, np.asarray(index.data[:], dtype=np.int64)[:-1])
    return ids, dict(zip(ids.tolist(), trains, strict=True))


def _selected(spec, ids):
    """The unit ids to test, ascending: all of them, or those of ``units`` (all present)."""
    wanted = spec.get("units", "all")
    if wanted == "all":
        return sorted(ids.tolist())
    missing = sorted(set(wanted) - set(ids.tolist()))
    if missing:
        raise ConfigError(f"has no units with ids {missing[:5]}", key="recording.units")
    return sorted(wanted)


def _truth_rows(table, ids):
    """(pre id, post id, sign, weight) arrays of a truth table."""
    from hdmf.common import DynamicTableRegion

    missing = [c for c in ("pre", "post", "type") if c not in table.colnames]
    if missing:
        raise ConfigError(
            f"its ground_truth/synapses table lacks the columns {missing}", key="recording.truth"
        )

    def as_ids(column):
        values = arrays.unit_ids(column.data[:], f"the truth's {column.name}", distinct=False)
        if isinstance(column, DynamicTableRegion):
            if len(values) and not (0 <= values.min() and values.max() < len(ids)):
                raise ConfigError(
                    f"the truth's {column.name} refers to rows beyond the units table"
                )
            return ids[values]
        return values

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
        arrays.column(table["weight"].data[:], "the truth's weight")
        if "weight" in names
        else np.full(len(pre), np.nan)
    )
    return pre, post, signs, weight
