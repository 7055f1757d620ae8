"""Every step runs without Snakemake, as `python -m voltage_to_wiring STEP`."""

import json
import math
import subprocess
import sys

import pytest
import yaml

from voltage_to_wiring.data import dataset

from conftest import ROOT, SEED_SPIKES, spikes_per_neuron


def step(*args, cwd, check=True):
    done = subprocess.run(
        [sys.executable, "-m", "voltage_to_wiring", *map(str, args)],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
    )
    if check:
        assert done.returncode == 0, done.stderr
    return done


@pytest.fixture(scope="module")
def seed_run(tmp_path_factory):
    work = tmp_path_factory.mktemp("cli")
    step(
        "resolve_params",
        ROOT / "config.yaml",
        "--experiment",
        "seed",
        "--output",
        "params/seed.json",
        "--record",
        "records/params.json",
        cwd=work,
    )
    step(
        "simulate",
        "--params",
        "params/seed.json",
        "--output",
        "sims/seed.nc",
        "--record",
        "records/sim.json",
        "--log",
        "logs/sim.log",
        cwd=work,
    )
    return work


def test_the_steps_run_by_hand(seed_run):
    ds = dataset.read(seed_run / "sims/seed.nc")
    assert spikes_per_neuron(ds["spike_step"], ds["spike_neuron"], 3) == SEED_SPIKES
    record = json.loads((seed_run / "records/sim.json").read_text())
    assert record["output"] == "sims/seed.nc" and record["step"] == "simulate"
    assert "simulating 'seed'" in (seed_run / "logs/sim.log").read_text()


def test_plot_and_report_by_hand(seed_run):
    step(
        "plot_figure",
        "--dataset",
        "sims/seed.nc",
        "--figure",
        "raster",
        "--output",
        "figures/raster.png",
        "--record",
        "records/raster.json",
        cwd=seed_run,
    )
    assert (seed_run / "figures/raster.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    step(
        "report_provenance",
        "records/params.json",
        "records/sim.json",
        "records/raster.json",
        "--json",
        "prov.json",
        "--markdown",
        "prov.md",
        cwd=seed_run,
    )
    report = json.loads((seed_run / "prov.json").read_text())
    assert [e["status"] for e in report["outputs"]] == ["ok"] * 3
    (seed_run / "figures/raster.png").write_bytes(b"tampered")
    step(
        "report_provenance",
        "records/raster.json",
        "--json",
        "prov.json",
        "--markdown",
        "prov.md",
        cwd=seed_run,
    )
    assert "changed since made" in (seed_run / "prov.md").read_text()


def test_the_users_config_passes_check_config(tmp_path):
    """config.yaml, as shipped, must stay valid: check_config resolves every experiment and
    every sweep point of it and lists them."""
    settings = yaml.safe_load((ROOT / "config.yaml").read_text())
    points = sum(
        math.prod(len(values) for values in sweep["grid"].values())
        for sweep in (settings.get("sweeps") or {}).values()
    )
    done = step("check_config", ROOT / "config.yaml", cwd=tmp_path)
    lines = done.stdout.splitlines()
    assert len(lines) == len(settings["experiments"]) + points
    assert [line.split(":")[0] for line in lines[: len(settings["experiments"])]] == list(
        settings["experiments"]
    )
    assert "seed: 3 neurons, sequential, 0.3 s" in lines


def test_a_config_error_is_one_clear_line_and_no_output(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text((ROOT / "config.yaml").read_text().replace("tau: 7 ms", "tua: 7 ms"))
    done = step(
        "resolve_params",
        bad,
        "--experiment",
        "seed",
        "--output",
        "p.json",
        cwd=tmp_path,
        check=False,
    )
    assert done.returncode == 1
    assert "key 'defaults.synapse.tua': unknown key; did you mean 'tau'?" in done.stderr
    assert "Traceback" not in done.stderr
    assert not (tmp_path / "p.json").exists()


@pytest.mark.parametrize("name", ["resolve_params", "infer"])
def test_steps_take_config_files_or_settings_not_both_nor_neither(tmp_path, name):
    settings = tmp_path / "settings.json"
    settings.write_text("{}")
    common = ["--experiment", "seed", "--output", "out"]
    common += ["--dataset", "sim.nc"] if name == "infer" else []
    for given, message in [
        ([ROOT / "config.yaml", "--settings", settings], "not both"),
        ([], "give config files, or "),
    ]:
        done = step(name, *given, *common, cwd=tmp_path, check=False)
        assert done.returncode == 1, done.stderr
        assert message in done.stderr and "--settings" in done.stderr
        assert "Traceback" not in done.stderr
        assert not (tmp_path / "out").exists()


def test_provenance_outside_a_git_checkout(tmp_path):
    """A copy of the package outside any git checkout records that, and does not fail."""
    from voltage_to_wiring.provenance import record as provenance

    state = provenance.git_state(tmp_path)
    assert (
        state["commit"] is None and state["dirty"] is None and "not a git checkout" in state["note"]
    )


def test_a_datasets_software_versions_are_the_installed_ones():
    """The key packages' versions in every output's attrs (looked up one by one) are those
    of the whole environment's list in the provenance report."""
    from voltage_to_wiring.provenance import record as provenance

    installed = provenance.packages()
    software = json.loads(provenance.attrs({"a": 1})["software"])
    assert software == {k: installed[k.lower()] for k in provenance.KEY_PACKAGES}
    assert software["netCDF4"] and software["snakemake"]
