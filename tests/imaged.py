"""Voltage imaging as a lab would record and store it, made in the tests from a simulation:
the tests' "microscope" (written here, apart from the package) and an NWB file written with
pynwb directly, in the ophys layout.

A neuron's membrane potential v (a simulation's, 0.1 ms steps) is imaged by a camera:
frames every ``1 / frame_rate`` s, each the mean of v over its exposure (the whole frame),
the frame times jittered (``jitter`` s, SD) and a few frames dropped; the indicator's
fluorescence is ``F = F0 b(t) (1 + sign * sensitivity * (v - v_rest))`` with bleaching
``b(t) = exp(-t / bleach)`` and shot noise (Poisson photons: ``photons`` per frame at rest,
as a normal of variance F). ``sign`` -1 is an indicator that dims with depolarisation (ASAP,
Voltron).
"""

from dataclasses import dataclass
from datetime import UTC, datetime

import numpy as np

from planted import add_ophys


@dataclass
class Imaged:
    """Frames and what a lab's file holds besides them."""

    fluorescence: np.ndarray  # photons per frame
    timestamps: np.ndarray  # s, on the session's clock
    start: float  # s: the session time of the simulation's t = 0


def image(v, dt, frame_rate=800.0, sign=-1, sensitivity=10.0, photons=4000.0, bleach=60.0,
          jitter=20e-6, dropped=(500, 501, 2000), start=5.0, span=None, seed=1):  # fmt: skip
    """The camera's frames of ``v`` (V, sampled every ``dt`` s from t = 0) over ``span``
    ((t0, t1) s of it; default all), on a session clock on which t = 0 is ``start`` s;
    ``sensitivity`` in dF/F per V (10 per V is 1 % per mV)."""
    rng = np.random.default_rng(seed)
    t0, t1 = span or (0.0, len(v) * dt)
    period = 1.0 / frame_rate
    n_frames = int((t1 - t0) / period) - 1
    times = t0 + np.arange(n_frames) * period + rng.normal(0.0, jitter, n_frames)
    first = np.clip(np.floor(times / dt).astype(np.int64), 0, len(v) - 1)
    width = int(round(period / dt))
    frame_v = np.array([v[a : a + width].mean() for a in first.tolist()])  # each exposure
    rest = np.median(v)
    expected = (
        photons * np.exp(-(times - t0) / bleach) * (1 + sign * sensitivity * (frame_v - rest))
    )
    expected = np.clip(expected, 1.0, None)
    frames = expected + rng.normal(0.0, np.sqrt(expected))
    kept = np.setdiff1d(np.arange(n_frames), np.asarray(dropped))
    return Imaged(frames[kept], times[kept] + start, start)


def write_imaged_nwb(path, imaged, units, truth=None, intervals=None, name="RoiResponseSeries"):
    """An NWB file as a lab writes it, with pynwb directly: the frames as a RoiResponseSeries
    (frames x 1 ROI) with camera timestamps in processing/ophys/Fluorescence; ``units``
    ({id: spike times on the session clock}) as the units table, with ``intervals``
    ({id: [[start, stop], ...]}) as obs_intervals where given; ``truth`` ([(pre, post,
    "excitatory" or "inhibitory")]) as ground_truth/synapses."""
    from hdmf.common import DynamicTable, VectorData
    from pynwb import NWBHDF5IO, NWBFile

    nwb = NWBFile(
        session_description="voltage imaging of one neuron",
        identifier="imaged",
        session_start_time=datetime(2026, 1, 1, tzinfo=UTC),
    )
    rate = 1.0 / np.median(np.diff(imaged.timestamps))
    add_ophys(nwb, imaged.fluorescence, rate, name=name, timestamps=imaged.timestamps)
    if intervals:
        nwb.add_unit_column("obs_intervals", "observed intervals", index=True)
    for unit, times in sorted(units.items()):
        row = {"spike_times": np.asarray(times), "id": int(unit)}
        if intervals:
            row["obs_intervals"] = intervals.get(unit, [[0.0, 1e6]])
        nwb.add_unit(**row)
    if truth is not None:
        module = nwb.create_processing_module("ground_truth", "the true wiring")
        columns = [
            VectorData(name="pre", description="unit id", data=[p for p, _, _ in truth]),
            VectorData(name="post", description="unit id", data=[q for _, q, _ in truth]),
            VectorData(name="type", description="kind", data=[k for _, _, k in truth]),
        ]
        module.add(DynamicTable(name="synapses", description="synapses", columns=columns))
    with NWBHDF5IO(str(path), "w") as io:
        io.write(nwb)
