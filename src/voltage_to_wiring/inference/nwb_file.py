"""An NWB recording (read with pynwb): the voltage series, the units table, the truth.

The voltage (:mod:`.nwb_series`: by name or path, ROIs of 2-D imaging data, a camera's
timestamps) and, as the trains to test, the rows of the ``units`` table (``units``: their
ids, or all), on the session's clock (the voltage's start is subtracted; spikes outside the
voltage are not tested; a unit's ``obs_intervals`` bound its spikes and surrogates). The
truth, if asked for, is a table ``synapses`` in the processing module ``ground_truth`` with
columns ``pre`` and ``post`` (references to units rows, or unit ids), ``type`` (excitatory /
inhibitory, or +1 / -1) and optionally ``weight`` (S) -- what
:mod:`voltage_to_wiring.data.nwb` writes. Data the file holds through HDF5 links into other
files is found (:mod:`voltage_to_wiring.data.hdf5`) and kept in ``recording.linked``.
"""

import numpy as np

from ..data.hdf5 import linked_files
from ..errors import ConfigError
from . import arrays, from_arrays, nwb_series
from .recording import common_inputs, inputs_onto, keyed, own_train_of, sign_of


def recording(spec):
    """The :class:`.recording.Recording` of a resolved NWB ``recording`` section."""
    io, nwb, linked = _open(spec["file"])
    with io:
        voltage = "recording.voltage"
        traces = keyed(
            voltage, nwb_series.chosen, nwb, spec.get("voltage"), spec.get("rois", "all")
        )
        grid = keyed(voltage, _one_clock, traces)
        neurons = keyed("recording.neuron", _neurons, spec, traces)
        voltages = {
            n: keyed(voltage, nwb_series.samples, t, grid.placed)
            for n, t in zip(neurons, traces, strict=True)
        }
        ids, trains, intervals = keyed("recording.units", _units, nwb)
        chosen = _selected(spec, ids)
        truth = None
        if spec.get("truth"):
            truth = keyed("recording.truth", _truth_rows, _truth_table(nwb), ids)
    unit = str(traces[0].series.unit)
    said = [
        f"neuron {n}: {t.label}, shape {tuple(t.series.data.shape)}, unit {unit!r}"
        for n, t in zip(neurons, traces, strict=True)
    ] + grid.said
    if grid.start:
        said.append(
            f"spike times on the session's clock: the voltage's start, {grid.start:g} s, subtracted"
        )
    recording = from_arrays.recording(
        spec["name"],
        voltages,
        grid.rate,
        {i: trains[i] for i in chosen},
        units=unit,
        start=grid.start,
        where={
            "voltage": {n: t.label for n, t in zip(neurons, traces, strict=True)},
            "rate": f"series {traces[0].path!r}: its rate",
            "trains": "the units table",
        },
        keys=from_arrays.FILE_KEYS,
        reading={k: spec[k] for k in ("polarity", "baseline") if k in spec},
        observed={i: intervals[i] for i in chosen if i in intervals},
        said=said,
    )
    recording.linked = linked
    if spec.get("neuron") is not None:
        for neuron in voltages:
            recording.own_train.update(own_train_of(neuron, recording.ids))
    if truth is not None:
        recording.truth = {n: inputs_onto(truth, n, recording.ids) for n in voltages}
        recording.common_inputs = common_inputs(truth[0], truth[1], list(voltages), recording.ids)
    return recording


def _open(path):
    from pynwb import NWBHDF5IO

    try:
        linked = linked_files(path)
        io = NWBHDF5IO(str(path), "r")
    except ConfigError as err:  # a broken link
        raise ConfigError(err.problem, key="recording.file") from None
    except Exception as err:  # noqa: BLE001 - any reading problem is the file's
        raise ConfigError(f"cannot be read as NWB ({err})", key="recording.file") from None
    try:
        return io, io.read(), linked
    except Exception as err:  # noqa: BLE001 - any reading problem is the file's
        io.close()
        raise ConfigError(f"cannot be read as NWB ({err})", key="recording.file") from None


def _one_clock(traces):
    """The clock the traces share (one rate, start, frames and unit), else a refusal."""
    grids = [nwb_series.grid(t) for t in traces]
    first, unit = grids[0], traces[0].series.unit
    for trace, other in zip(traces[1:], grids[1:], strict=True):
        same = (other.dt, other.start, other.n_slots) == (first.dt, first.start, first.n_slots)
        if not same or trace.series.unit != unit:
            raise ConfigError(
                f"{trace.label}: another rate, start or unit than {traces[0].label}: the "
                "recorded neurons must share one clock"
            )
    return first


def _neurons(spec, traces):
    """The recorded neurons' labels: their unit ids (``neuron``), or 0, 1, ... in order."""
    given = spec.get("neuron")
    if given is None:
        return list(range(len(traces)))
    if len(given) != len(traces):
        raise ConfigError(
            f"gives {len(given)} unit id(s) for {len(traces)} recorded trace(s) "
            f"({', '.join(t.label for t in traces)})"
        )
    return list(given)


def _truth_table(nwb):
    module = nwb.processing.get("ground_truth")
    if module is None or "synapses" not in module.data_interfaces:
        raise ConfigError("has no table ground_truth/synapses for the truth")
    return module["synapses"]


def _units(nwb):
    """The units table's ids (checked whole and distinct), {id: spike times} and
    {id: obs_intervals} (for the units that have them)."""
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
    return ids, dict(zip(ids.tolist(), trains, strict=True)), _intervals(nwb.units, ids)


def _intervals(units, ids):
    """{unit id: (k, 2) obs_intervals (s)} of a units table with that column ({} without)."""
    if "obs_intervals" not in units.colnames:
        return {}
    index = units["obs_intervals"]
    spans = np.asarray(index.target.data[:], dtype=np.float64).reshape(-1, 2)
    if not np.all(np.isfinite(spans)) or np.any(spans[:, 1] < spans[:, 0]):
        raise ConfigError("the units table's obs_intervals must be finite [start, stop] pairs")
    parts = np.split(spans, np.asarray(index.data[:], dtype=np.int64)[:-1])
    return {i: p for i, p in zip(ids.tolist(), parts, strict=True) if len(p)}


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
