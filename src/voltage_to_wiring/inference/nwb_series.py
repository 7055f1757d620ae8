"""The voltage series of an NWB file, as labs store them.

- **Where**: a series is named by its name or by its path in the file: ``acquisition/NAME``
  (a TimeSeries, or an icephys series such as ``CurrentClampSeries``), ``processing/MODULE/
  NAME``, or inside a container there, ``processing/ophys/Fluorescence/RoiResponseSeries``
  (voltage imaging: a ``RoiResponseSeries`` in ``Fluorescence`` or ``DfOverF``). Without a
  name, the file's only series is taken; with several, the refusal lists each with its path
  and shape.
- **ROIs**: 2-D data is frames x ROIs (even for one ROI); each chosen ROI is a recorded
  neuron. ROIs are chosen by their ids (a ``RoiResponseSeries``' ``rois`` region gives them,
  from its ``PlaneSegmentation``; a plain 2-D series' columns are ids 0, 1, ...).
- **Clock**: a regular ``rate`` from ``starting_time``, or a camera's ``timestamps``
  (:mod:`.clocks`: jitter and dropped frames).
- **Scale**: NWB's ``data * conversion + offset``.
"""

from dataclasses import dataclass

import numpy as np

from ..errors import ConfigError
from . import arrays, clocks


@dataclass
class Trace:
    """One recorded neuron's trace: a series, and its column for 2-D data."""

    path: str
    series: object  # a pynwb TimeSeries
    column: int | None  # of 2-D data; None for 1-D
    roi: int | None  # the column's ROI id

    @property
    def label(self):
        roi = "" if self.column is None else f", ROI {self.roi}"
        return f"series {self.path!r}{roi}"


def candidates(nwb):
    """[(path, series)] of every series of the file a voltage can be read from: in
    acquisition and in processing modules, and inside their containers (Fluorescence,
    DfOverF, ...); not images."""
    from pynwb import TimeSeries
    from pynwb.image import ImageSeries

    def usable(item):
        return isinstance(item, TimeSeries) and not isinstance(item, ImageSeries)

    places = [("acquisition", nwb.acquisition)]
    places += [(f"processing/{k}", m.data_interfaces) for k, m in nwb.processing.items()]
    found = []
    for where, place in places:
        for name, item in place.items():
            if usable(item):
                found.append((f"{where}/{name}", item))
            else:
                found += [(f"{where}/{name}/{c.name}", c) for c in item.children if usable(c)]
    return found


def chosen(nwb, names, rois="all"):
    """The :class:`Trace` of each recorded neuron: every chosen ROI of each series of
    ``names`` (names or paths; None: the file's only series)."""
    every = candidates(nwb)
    names = [names] if isinstance(names, str) else names
    if names is None:
        if len(every) != 1:
            raise ConfigError(
                f"holds {len(every)} series; name the voltage (voltage: NAME or PATH): "
                f"{_listed(every) or 'none'}",
                key="recording.voltage",
            )
        names = [every[0][0]]
    traces = []
    for name in names:
        path, series = _found(nwb, every, name)
        traces += _columns(path, series, rois)
    return traces


def _found(nwb, every, name):
    """(path, series) of ``name``: a path, or the name of one series of the file."""
    wanted = name.strip("/")
    hits = [(p, s) for p, s in every if p == wanted or ("/" not in wanted and s.name == wanted)]
    if len(hits) == 1:
        return hits[0]
    if len(hits) > 1:
        raise ConfigError(
            f"has {len(hits)} series named {name!r}; give its path: {_listed(hits)}",
            key="recording.voltage",
        )
    container = _container(nwb, wanted)
    if container is not None:
        inside = [c.name for c in container.children if hasattr(c, "data")]
        raise ConfigError(
            f"{name!r} is a {type(container).__name__}, not a series"
            + (f": name one of its series, {inside}" if inside else ""),
            key="recording.voltage",
        )
    raise ConfigError(
        f"has no series {name!r}; its series: {_listed(every) or 'none'}",
        key="recording.voltage",
    )


def _container(nwb, wanted):
    places = [nwb.acquisition, *(m.data_interfaces for m in nwb.processing.values())]
    last = wanted.split("/")[-1]
    return next((place[last] for place in places if last in place), None)


def _listed(found):
    return ", ".join(f"{p} {tuple(s.data.shape)}" for p, s in found)


def _columns(path, series, rois):
    """The traces of a series: itself (1-D), or its chosen ROIs' columns (2-D)."""
    shape = tuple(series.data.shape)
    if len(shape) == 1:
        return [Trace(path, series, None, None)]
    if len(shape) != 2:
        raise ConfigError(
            f"series {path!r} has shape {shape}: a voltage is 1-D, or frames x ROIs",
            key="recording.voltage",
        )
    ids = _roi_ids(series, shape[1])
    wanted = ids if rois == "all" else list(rois)
    missing = [r for r in wanted if r not in ids]
    if missing:
        raise ConfigError(
            f"series {path!r} has no ROIs with ids {missing[:5]} (its ROIs: {ids[:20]})",
            key="recording.rois",
        )
    return [Trace(path, series, ids.index(r), r) for r in wanted]


def _roi_ids(series, n_columns):
    """The ROI id of each column: from a RoiResponseSeries' region of its PlaneSegmentation,
    else 0, 1, ..."""
    region = getattr(series, "rois", None)
    if region is None:
        return list(range(n_columns))
    rows = np.asarray(region.data[:], dtype=np.int64)
    ids = np.asarray(region.table.id[:], dtype=np.int64)[rows].tolist()
    if len(ids) != n_columns:
        raise ConfigError(
            f"series {series.name!r}: its rois region names {len(ids)} ROIs for {n_columns} "
            "columns",
            key="recording.rois",
        )
    return ids


def grid(trace):
    """The series' clock as a :class:`.clocks.Grid`."""
    series, label = trace.series, f"series {trace.path!r}"
    if series.rate is not None:
        rate = arrays.sampling_rate(series.rate, f"{label}: its rate")
        return clocks.regular(rate, float(series.starting_time or 0.0))
    stamps = arrays.column(series.timestamps[:], f"{label}: its timestamps")
    if len(stamps) != series.data.shape[0]:
        raise ConfigError(
            f"{label}: {len(stamps)} timestamps for {series.data.shape[0]} frames",
            key="recording.voltage",
        )
    return clocks.grid(stamps, label)


def samples(trace, placed):
    """A trace's samples in its series' unit (``data * conversion + offset``, NWB's rule),
    checked, put on the clock's grid (``placed``: :meth:`.clocks.Grid.placed`)."""
    series, label = trace.series, trace.label
    data = series.data[:] if trace.column is None else series.data[:, trace.column]
    data = arrays.voltage(data, label)
    conversion = float(series.conversion)
    offset = float(getattr(series, "offset", 0.0) or 0.0)
    if conversion != 1.0 or offset != 0.0:
        with np.errstate(over="ignore", invalid="ignore"):
            scaled = data * conversion + offset
        data = arrays.voltage(
            scaled, f"{label} (its data x conversion {conversion:g} + offset {offset:g})"
        )
    return placed(data)
