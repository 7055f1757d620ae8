"""A simulation as an NWB file (Neurodata Without Borders 2.x, written with pynwb): what an
experimenter's recording of it would hold, and the truth beside it.

- ``units``: every neuron and spike source, id = its index in the dataset, spike times in s
  (``resolution`` = dt), columns ``kind`` (neuron or source), ``population`` (exc, inh or
  all) and ``source_rate`` (Hz; NaN for a neuron);
- ``acquisition``: each recorded variable of each recorded neuron as a TimeSeries named
  ``{variable}_neuron_{index}`` (e.g. ``v_neuron_0``), SI units, rate 1/dt, from t = 0;
- processing module ``ground_truth``, table ``synapses``: one row per synapse, ``pre`` and
  ``post`` referencing rows of ``units``, ``weight`` (S), ``delay`` (s), ``type``
  (excitatory or inhibitory);
- the resolved parameters (JSON) in ``notes``, the provenance (commit, code and parameter
  hashes, software) in ``data_collection`` and ``was_generated_by``;
- with an inference through the simulated microscope (``inference.imaging``), its frames as
  voltage imaging is stored: a ``RoiResponseSeries`` (frames x recorded neurons, photons,
  the camera's timestamps) in ``processing/ophys/Fluorescence``, one ROI per recorded
  neuron (ROI id = its index) of a ``PlaneSegmentation`` of the camera's imaging plane.

:mod:`voltage_to_wiring.inference.recording_files` reads such a file (or any NWB file with a
voltage series and a Units table) as a recording.
"""

import json
import warnings
from datetime import UTC, datetime

import numpy as np

from .. import __version__
from ..core import neurons
from ..core.synapse_types import TYPES
from ..core.variables import VARIABLES
from ..files import atomic_path
from ..model.populations import type_codes
from ..model.signs import synapse_signs
from .view import params_of

GROUND_TRUTH = "ground_truth"
SYNAPSES = "synapses"
NWB_UNITS = {"V": "volts", "A": "amperes", "S": "siemens"}
TYPE_NAMES = {t.sign: t.long_name for t in TYPES}


def series_name(variable, neuron):
    """The TimeSeries holding recorded ``variable`` of ``neuron``."""
    return f"{variable}_neuron_{neuron}"


def to_nwbfile(ds, provenance):
    """The pynwb ``NWBFile`` of simulation dataset ``ds``; ``provenance``: a dict of strings
    (git commit, hashes) kept in the file."""
    from hdmf.common import DynamicTable, DynamicTableRegion, VectorData
    from pynwb import NWBFile, ProcessingModule, TimeSeries
    from pynwb.file import Subject
    from pynwb.misc import Units

    params = params_of(ds)
    dt, experiment, started = float(params["sim"]["dt"]), ds.attrs["experiment"], _started(ds)
    n = int(ds.attrs["n_neurons"]) + int(ds.attrs.get("n_sources", 0))
    units = Units(
        name="units",
        resolution=dt,
        description="every simulated neuron and Poisson spike source; id: its index",
    )
    units.add_column("kind", "neuron (integrated) or source (Poisson spike source)")
    units.add_column("population", "exc, inh, or all (a network without populations)")
    units.add_column("source_rate", "firing rate of a Poisson source (Hz); NaN for a neuron")
    population = _populations(params, n)
    rates = np.full(n, np.nan)
    if "source_rate" in ds:
        rates[ds["source"].values] = ds["source_rate"].values
    order = np.lexsort((ds["spike_step"].values, ds["spike_neuron"].values))
    neuron = ds["spike_neuron"].values[order]
    times = ds["spike_step"].values[order].astype(np.float64) * dt
    bounds = np.searchsorted(neuron, np.arange(n + 1))
    for i in range(n):
        units.add_unit(
            id=i,
            spike_times=times[bounds[i] : bounds[i + 1]],
            kind="neuron" if i < int(ds.attrs["n_neurons"]) else "source",
            population=population[i],
            source_rate=rates[i],
        )
    nwb = NWBFile(
        session_description=f"voltage_to_wiring simulation '{experiment}'",
        identifier=f"voltage_to_wiring-{experiment}-{provenance.get('params_hash', '')}",
        session_start_time=started,
        experiment_description=ds.attrs.get("title", experiment),
        keywords=["simulation", "spiking network", neurons.of(params["neuron"]).name],
        notes=ds.attrs["params_json"],
        data_collection=json.dumps(provenance, sort_keys=True),
        was_generated_by=[["voltage_to_wiring", __version__]],
        source_script="python -m voltage_to_wiring export_nwb",
        source_script_file_name="voltage_to_wiring/data/nwb.py",
        units=units,
        subject=Subject(  # DANDI asks for these: a simulated network is "born" as it starts
            subject_id=f"simulation-{experiment}",
            description="a simulated network (voltage_to_wiring), not an animal",
            sex="U",
            date_of_birth=started,
        ),
    )
    for name in (v for v in ds.data_vars if ds[v].dims == ("time", "neuron")):
        variable = VARIABLES.get(name)
        unit = ds[name].attrs.get("units", variable.units if variable else "1")
        for k, i in enumerate(ds["neuron"].values.tolist()):
            nwb.add_acquisition(
                TimeSeries(
                    name=series_name(name, i),
                    data=np.ascontiguousarray(ds[name].values[:, k]),
                    unit=NWB_UNITS.get(unit, unit),
                    rate=1.0 / dt,
                    starting_time=0.0,
                    description=f"{ds[name].attrs.get('long_name', name)} of neuron {i}",
                )
            )
    pre, post = ds["synapse_pre"].values, ds["synapse_post"].values
    signs = synapse_signs(ds, params)
    columns = [
        DynamicTableRegion(
            name="pre", data=pre.astype(np.int64), description="presynaptic unit", table=units
        ),
        DynamicTableRegion(
            name="post", data=post.astype(np.int64), description="postsynaptic unit", table=units
        ),
        VectorData(name="weight", data=ds["synapse_weight"].values, description="weight (S)"),
        VectorData(
            name="delay",
            data=np.full(len(pre), float(params["synapse"]["delay"])),
            description="transmission delay (s)",
        ),
        VectorData(
            name="type",
            data=[TYPE_NAMES[s] for s in signs.tolist()],
            description="excitatory or inhibitory",
        ),
    ]
    table = DynamicTable(
        name=SYNAPSES,
        description="the simulated network's synapses",
        id=np.arange(len(pre), dtype=np.int64),
        columns=columns,
    )
    module = ProcessingModule(name=GROUND_TRUTH, description="the true wiring (simulation)")
    nwb.add_processing_module(module)  # first, so that the table's references share its file
    module.add(table)
    return nwb


def add_imaging(nwb, timestamps, photons, imaging, said):
    """The simulated microscope's frames in the ophys layout: ``photons`` ({neuron: photons
    per frame}) at ``timestamps`` (s); ``imaging``: its resolved settings; ``said``: what it
    took, in sentences (the series' description)."""
    from pynwb.ophys import Fluorescence, ImageSegmentation, OpticalChannel, RoiResponseSeries

    camera = nwb.create_device(name="SimulatedCamera", description="voltage_to_wiring's")
    channel = OpticalChannel(name="Emission", description="the indicator's", emission_lambda=520.0)
    plane = nwb.create_imaging_plane(
        name="ImagingPlane",
        optical_channel=channel,
        description="the simulated neurons' somata",
        device=camera,
        excitation_lambda=488.0,
        imaging_rate=float(imaging["frame_rate"]),
        indicator=f"simulated, {imaging['sensitivity'] * 0.1:g} % dF/F per mV",
        location="simulation",
    )
    module = nwb.create_processing_module("ophys", "the simulated microscope's frames")
    segmentation = ImageSegmentation()
    module.add(segmentation)
    rois = segmentation.create_plane_segmentation(
        name="PlaneSegmentation", description="one ROI per neuron", imaging_plane=plane
    )
    neurons = list(photons)
    for neuron in neurons:
        rois.add_roi(id=int(neuron), image_mask=np.ones((1, 1)))
    fluorescence = Fluorescence(name="Fluorescence")
    module.add(fluorescence)  # before its series: the region's table shares an ancestor
    region = rois.create_roi_table_region(
        region=list(range(len(neurons))), description="the recorded neurons"
    )
    fluorescence.add_roi_response_series(
        RoiResponseSeries(
            name="RoiResponseSeries",
            data=np.stack([photons[n] for n in neurons], axis=1),
            rois=region,
            unit="photons",
            timestamps=np.asarray(timestamps, dtype=np.float64),
            description=" ".join(said),
        )
    )


def write(ds, path, provenance, frames=None, imaging=None):
    """Write simulation ``ds`` as an NWB file at ``path`` (atomically); with the simulated
    microscope's ``frames`` (``timestamps``, ``photons``, ``said``) and its ``imaging``
    settings, its frames too (:func:`add_imaging`)."""
    from pynwb import NWBHDF5IO

    nwbfile = to_nwbfile(ds, provenance)
    if frames is not None:
        add_imaging(nwbfile, frames.timestamps, frames.photons, imaging, frames.said)
    with atomic_path(path) as tmp, warnings.catch_warnings():
        # the temporary file's name ends in .tmp, the final one in .nwb
        warnings.filterwarnings("ignore", message="The file path provided", category=UserWarning)
        with NWBHDF5IO(str(tmp), "w") as io:
            io.write(nwbfile)


def _started(ds):
    """The simulation's start (its dataset's ``created`` time), or the epoch if unknown."""
    try:
        started = datetime.fromisoformat(str(ds.attrs["created"]))
    except (KeyError, ValueError):
        return datetime(1970, 1, 1, tzinfo=UTC)
    return started if started.tzinfo else started.replace(tzinfo=UTC)


def _populations(params, n):
    network = params["network"]
    if "populations" not in network:
        return ["all"] * n
    names = {t.code: t.name for t in TYPES}
    return [names[c] for c in type_codes(np.arange(n), network).tolist()]
