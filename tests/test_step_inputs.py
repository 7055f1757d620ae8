"""The step commands run by hand on wrong input (issue 21, item 22): each says what is wrong
in one line, with no traceback, and never blocks (a FIFO as the dataset)."""

import json
import os
import threading
import time

import pytest

from voltage_to_wiring import cli
from voltage_to_wiring.data import dataset
from voltage_to_wiring.errors import ConfigError
from voltage_to_wiring.inference.api import infer_inputs
from voltage_to_wiring.inference.recording import Recording

from conftest import TEST_CONFIG
from planted import RATE, planted


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    """A simulation (the seed network), an inference (of a planted recording), their params."""
    folder = tmp_path_factory.mktemp("inputs")
    params, simulation = folder / "seed.json", folder / "seed.nc"
    resolve = ["resolve_params", str(TEST_CONFIG), "--experiment", "seed", "--output"]
    assert cli.main([*resolve, str(params)]) == 0
    assert cli.main(["simulate", "--params", str(params), "--output", str(simulation)]) == 0
    y, trains, signs = planted(seconds=10)
    inference = folder / "inference.nc"
    dataset.write(infer_inputs(y, RATE, trains, settings={"shuffles": 20, "seed": 1}), inference)
    return {"params": params, "simulation": simulation, "inference": inference, "folder": folder}


def said(capsys, *argv):
    status = cli.main([str(a) for a in argv])
    message = capsys.readouterr().err
    assert "Traceback" not in message
    return status, message


def test_a_dataset_of_the_other_kind_is_named(files, capsys):
    status, message = said(
        capsys, "evaluate", "--inference", files["simulation"], "--output", files["folder"] / "e"
    )
    assert status == 1 and f"{files['simulation']} is a simulation, not an inference" in message
    for step in ("plot_figure", "compute_stats"):
        extra = ["--figure", "voltage"] if step == "plot_figure" else []
        status, message = said(
            capsys, step, "--dataset", files["inference"], "--output", files["folder"] / "o", *extra
        )
        assert status == 1 and f"{files['inference']} is an inference, not a simulation" in message


@pytest.mark.parametrize("bad", ["truncated", "text", "fifo", "missing"])
def test_a_dataset_that_is_not_netcdf_is_refused_in_a_sentence(bad, files, capsys):
    path = files["folder"] / f"{bad}.nc"
    whole = files["simulation"].read_bytes()
    if bad == "truncated":
        path.write_bytes(whole[: len(whole) // 2])
    elif bad == "text":
        path.write_text("spike_step,spike_neuron\n1,2\n")
    elif bad == "fifo":
        if not path.exists():
            os.mkfifo(path)
        # a step that opens it (a regression) then fails instead of hanging
        threading.Thread(target=_release, args=[path], daemon=True).start()
    expected = {
        "truncated": "cannot be read as netCDF",
        "text": "is not a netCDF file",
        "fifo": "is not a regular file",
        "missing": "does not exist",
    }[bad]
    for step in ("compute_stats", "infer"):
        argv = [step, "--dataset", path, "--output", files["folder"] / "out"]
        if step == "infer":
            argv += [TEST_CONFIG, "--experiment", "seed"]
        status, message = said(capsys, *argv)
        assert status == 1 and f"{path} {expected}" in message, (step, message)


def _release(fifo):
    """For a minute, every second: open ``fifo`` for writing if a reader waits on it (and
    close it: the reader reads an empty file); without one, nothing."""
    for _ in range(60):
        time.sleep(1)
        try:
            os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
        except OSError:
            pass


def test_garbage_settings_params_and_records_are_refused(files, capsys):
    garbage = files["folder"] / "garbage.json"
    garbage.write_text('{"neurons": [0], "methods": ')
    status, message = said(
        capsys, "infer", "--settings", garbage, "--experiment", "x",
        "--dataset", files["simulation"], "--output", files["folder"] / "i.nc",
    )  # fmt: skip
    assert status == 1 and f"--settings {garbage}: not valid JSON" in message
    status, message = said(
        capsys, "simulate", "--params", garbage, "--output", files["folder"] / "s.nc"
    )
    assert status == 1 and f"--params {garbage}: not valid JSON" in message
    record = files["folder"] / "record.json"
    record.write_text(json.dumps({"output": "x"})[:-3])
    status, message = said(
        capsys, "report_provenance", record, "--json", files["folder"] / "p.json",
        "--markdown", files["folder"] / "p.md",
    )  # fmt: skip
    assert status == 1 and f"provenance record {record} is not a whole record" in message


def test_zero_threads_is_a_usage_error(files, capsys):
    with pytest.raises(SystemExit) as stop:
        out = files["folder"] / "zero.nc"
        cli.main(
            ["simulate", "--params", str(files["params"]), "--output", str(out), "--threads", "0"]
        )
    assert stop.value.code == 2
    assert "--threads: must be at least 1, got 0" in capsys.readouterr().err


def test_a_neuron_without_a_recorded_voltage_is_named(files):
    ds = dataset.read(files["simulation"])
    params = json.loads(files["params"].read_text())
    with pytest.raises(ConfigError, match=r"neuron\(s\) \[7\] have no recorded voltage in the "):
        Recording.of_simulation(ds, params, [0, 7])
