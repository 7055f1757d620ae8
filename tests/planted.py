"""A recording with a known answer: postsynaptic potentials planted in a noisy trace after
the spikes of known trains (the recordings' tests)."""

from datetime import UTC

import numpy as np
from scipy.signal import lfilter

RATE = 10_000  # Hz


def planted(seed=11, seconds=60, n_exc=6, n_inh=6, n_other=12, rise=0.001, decay=0.007):
    """A dF/F-like trace (arbitrary units, around 1) with slow fluctuations and white noise,
    plus a PSP after every spike of the excitatory trains and minus one after the inhibitory
    ones (difference of exponentials: ``rise`` and ``decay`` in s); the other trains do
    nothing. Returns the trace, the spike times (s) and the true signs per train."""
    rng = np.random.default_rng(seed)
    n = seconds * RATE
    decay = np.exp(-1 / (0.01 * RATE))  # AR(1) with a 10 ms time constant, variance 1
    y = lfilter([np.sqrt(1 - decay**2)], [1, -decay], rng.normal(size=n)) + rng.normal(size=n)
    t = np.arange(300) / RATE
    kernel = np.exp(-t / decay) - np.exp(-t / rise)
    kernel *= 0.6 / kernel.max()
    signs = [1] * n_exc + [-1] * n_inh + [0] * n_other
    trains = []
    for sign in signs:
        times = np.sort(rng.uniform(0, seconds, rng.poisson(4 * seconds)))
        trains.append(times)
        if sign:
            counts = np.bincount(np.round(times * RATE).astype(int), minlength=n)[:n]
            y += sign * np.convolve(counts, kernel)[:n]
    return 1.0 + 0.01 * y, trains, np.array(signs)


def write_nwb(path, y, trains, unit="a.u."):
    """The planted recording as an experimenter's NWB file, written with pynwb itself: the
    trace as an acquisition TimeSeries ``ImagingVoltage`` starting at 5 s of the session (and
    negated, as a second neuron's, ``ImagingVoltageFlipped``), the trains as a Units table
    with ids 100, 101, ... and spike times on the session's clock."""
    from datetime import datetime

    from pynwb import NWBHDF5IO, NWBFile, TimeSeries

    start = 5.0
    nwb = NWBFile(
        session_description="planted postsynaptic potentials",
        identifier="planted",
        session_start_time=datetime(2026, 1, 1, tzinfo=UTC),
    )
    nwb.add_acquisition(
        TimeSeries(
            name="ImagingVoltage",
            data=np.asarray(y),
            unit=unit,
            rate=float(RATE),
            starting_time=start,
            description="dF/F of a voltage indicator",
        )
    )
    nwb.add_acquisition(  # a second recorded neuron: the same trace, upside down
        TimeSeries(
            name="ImagingVoltageFlipped",
            data=-np.asarray(y),
            unit=unit,
            rate=float(RATE),
            starting_time=start,
            description="the first trace negated: every input's sign is the other",
        )
    )
    for j, times in enumerate(trains):
        nwb.add_unit(spike_times=np.asarray(times) + start, id=100 + j)
    with NWBHDF5IO(str(path), "w") as io:
        io.write(nwb)


def write_npz(path, y, trains, signs):
    """The planted recording as NPZ (see inference/recording_files.py), with its truth."""
    ids = np.arange(len(trains)) + 100
    np.savez(
        path,
        voltage=np.asarray(y),
        rate=float(RATE),
        spike_times=np.concatenate(trains),
        spike_units=np.concatenate([np.full(len(t), i) for t, i in zip(trains, ids, strict=True)]),
        voltage_units="a.u.",
        truth_pre=ids[np.asarray(signs) != 0],
        truth_type=np.asarray(signs)[np.asarray(signs) != 0],
    )


def add_ophys(nwb, data, rate, name="RoiResponseSeries", container="Fluorescence", timestamps=None):
    """Voltage imaging as labs store it (the NWB ophys layout), added to ``nwb``: a
    ``RoiResponseSeries`` of ``data`` (frames x ROIs: a 1-D trace becomes one ROI's column)
    in a ``Fluorescence`` (or ``DfOverF``) container of the processing module ``ophys``, its
    ``rois`` a region of a ``PlaneSegmentation`` of an imaging plane, written by pynwb; at
    ``rate`` (Hz), or at a camera's ``timestamps`` (s) if given."""
    from pynwb.ophys import (
        DfOverF,
        Fluorescence,
        ImageSegmentation,
        OpticalChannel,
        RoiResponseSeries,
    )

    data = np.asarray(data)
    data = data[:, None] if data.ndim == 1 else data
    device = nwb.create_device(name="Camera")
    channel = OpticalChannel(name="Green", description="emission", emission_lambda=520.0)
    plane = nwb.create_imaging_plane(
        name="Plane",
        optical_channel=channel,
        description="the soma",
        device=device,
        excitation_lambda=488.0,
        imaging_rate=float(rate),
        indicator="a voltage indicator",
        location="cortex",
    )
    module = nwb.create_processing_module("ophys", "optical physiology")
    segmentation = ImageSegmentation()
    module.add(segmentation)
    rois = segmentation.create_plane_segmentation(
        name="PlaneSegmentation", description="ROIs", imaging_plane=plane
    )
    for _ in range(data.shape[1]):
        rois.add_roi(image_mask=np.ones((4, 4)))
    region = rois.create_roi_table_region(region=list(range(data.shape[1])), description="ROIs")
    kind = {"Fluorescence": Fluorescence, "DfOverF": DfOverF}[container]
    holder = kind(name=container)
    module.add(holder)  # in the file before its series, so the region shares its ancestor
    clock = {"rate": float(rate)} if timestamps is None else {"timestamps": timestamps}
    series = RoiResponseSeries(name=name, data=data, rois=region, unit="n.a.", **clock)
    holder.add_roi_response_series(series)
    return series
