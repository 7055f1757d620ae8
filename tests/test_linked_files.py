"""Data behind an HDF5 link into another file is tracked as the recording's own (issue 35, 2).

An NWB file whose voltage is an external link (written the way pynwb/hdmf write one: a
TimeSeries whose data is another file's dataset) reads that file's data: the other file is
found, made an input of the inference (a change to it reruns it) and its sha256 recorded.
A broken link is refused as a broken link, before any job.
"""

import json
from datetime import UTC, datetime
from pathlib import Path

import h5py
import numpy as np
import pytest

from voltage_to_wiring.data.hdf5 import linked_files
from voltage_to_wiring.errors import ConfigError
from voltage_to_wiring.files import sha256
from voltage_to_wiring.inference import recording_files

from planted import RATE, planted
from workflow import copy_workflow, planned_jobs, snakemake


def _nwb():
    from pynwb import NWBFile

    return NWBFile(
        session_description="linked",
        identifier="linked",
        session_start_time=datetime(2026, 1, 1, tzinfo=UTC),
    )


def write_linked(folder, y, trains, raw="raw.nwb", main="main.nwb"):
    """``raw``: the voltage alone; ``main``: a TimeSeries whose data is ``raw``'s dataset
    (hdmf writes it as an external link), and the units table."""
    from pynwb import NWBHDF5IO, TimeSeries

    raw_file = _nwb()
    raw_file.add_acquisition(TimeSeries(name="Raw", data=y, unit="a.u.", rate=float(RATE)))
    with NWBHDF5IO(str(folder / raw), "w") as io:
        io.write(raw_file)
    with NWBHDF5IO(str(folder / raw), "r") as source:
        data = source.read().acquisition["Raw"].data
        linked = _nwb()
        linked.add_acquisition(
            TimeSeries(name="ImagingVoltage", data=data, unit="a.u.", rate=float(RATE))
        )
        for i, times in enumerate(trains):
            linked.add_unit(spike_times=times, id=100 + i)
        with NWBHDF5IO(str(folder / main), "w") as io:
            io.write(linked)
    return folder / main


def spec(path):
    return {
        "name": "mine",
        "file": str(path),
        "format": "nwb",
        "voltage": ["ImagingVoltage"],
        "neuron": None,
        "units": "all",
        "truth": False,
        "baseline": "none",  # the samples as they are, to compare
    }


@pytest.fixture
def linked(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    y, trains, _ = planted(seconds=5, n_exc=2, n_inh=2, n_other=2)
    write_linked(tmp_path, y, trains)
    return Path("main.nwb"), y


def test_the_file_a_voltage_links_to_is_found_and_read(linked):
    main, y = linked
    with h5py.File(main) as f:  # the layout under test: an external link, as hdmf writes it
        assert isinstance(
            f["acquisition/ImagingVoltage"].get("data", getlink=True), h5py.ExternalLink
        )
    assert linked_files(main) == ["raw.nwb"]
    recording = recording_files.read(spec(main))
    assert recording.linked == ["raw.nwb"]
    assert np.array_equal(recording.voltages[0], y)
    assert recording_files.facts(spec(main)).linked == ["raw.nwb"]


def test_a_link_to_a_missing_file_is_refused_as_a_broken_link(linked):
    main, _ = linked
    Path("raw.nwb").unlink()
    with pytest.raises(ConfigError) as refused:
        recording_files.facts(spec(main))
    assert str(refused.value) == (
        "key 'recording.file': main.nwb: the link /acquisition/ImagingVoltage/data -> "
        "raw.nwb:/acquisition/Raw/data is broken (the file raw.nwb is missing): the data it "
        "points to cannot be read"
    )


def test_a_dangling_link_and_a_virtual_dataset_of_a_missing_file_are_refused(linked):
    main, _ = linked
    with h5py.File(main, "a") as f:
        f["general/dangling"] = h5py.SoftLink("/nowhere")
    with pytest.raises(ConfigError, match="the link /general/dangling -> /nowhere is broken"):
        linked_files(main)
    with h5py.File(main, "a") as f:
        del f["general/dangling"]
        layout = h5py.VirtualLayout(shape=(4,), dtype="f8")
        layout[:] = h5py.VirtualSource("gone.h5", "x", shape=(4,))
        f["general"].create_virtual_dataset("mapped", layout)
    with pytest.raises(ConfigError, match="the dataset /general/mapped maps data of gone.h5:x"):
        linked_files(main)


def test_the_plan_and_the_job_must_find_the_same_links(linked):
    main, _ = linked
    planned = {**spec(main), "linked": []}  # what a plan made before the link was there
    with pytest.raises(ConfigError, match=r"now reads data of the files \['raw.nwb'\], not of"):
        recording_files.read(planned)


@pytest.mark.workflow
@pytest.mark.slow
def test_a_change_to_the_linked_file_reruns_the_inference_and_is_recorded(tmp_path):
    workdir = copy_workflow(tmp_path / "wf")
    y, trains, _ = planted(seconds=5, n_exc=2, n_inh=2, n_other=2)
    write_linked(workdir, y, trains)
    (workdir / "mine.yaml").write_text(
        "experiments:\n  mine:\n    recording: {file: main.nwb, voltage: ImagingVoltage}\n"
        "    inference: {shuffles: 20, seed: 3, methods: [sta]}\n"
    )
    target = ["results/inference/mine.nc", "--configfile", "mine.yaml"]
    snakemake(workdir, *target, "--cores", "1")
    record = json.loads((workdir / "results/provenance/inference/mine.nc.json").read_text())
    inputs = json.dumps(record["inputs"])
    assert "raw.nwb" in inputs and sha256(workdir / "raw.nwb") in inputs
    assert planned_jobs(workdir, *target) == {}
    main_before = sha256(workdir / "main.nwb")
    with h5py.File(workdir / "raw.nwb", "a") as f:  # other data behind the same link
        f["acquisition/Raw/data"][:] = -f["acquisition/Raw/data"][:]
    assert sha256(workdir / "main.nwb") == main_before  # the linking file did not change
    assert planned_jobs(workdir, *target) == {"infer": 1}
