"""Per-neuron arrays from a file, as edge files are (issue 35, item 10).

A drive or an initial state of one value per neuron can be a CSV column or an NPZ array,
``{file: PATH, unit: pA}``: resolved to the same parameters as the same values written in the
config (the reference), tracked as an input of the parameters, refused clearly when it does
not fit; and inline settings too large to hand to a job name the key that holds them.
"""

import copy

import numpy as np
import pytest
import yaml

from voltage_to_wiring import config
from voltage_to_wiring.errors import ConfigError

from conftest import TEST_CONFIG
from workflow import copy_workflow, planned_jobs, snakemake

N = 50
BASE = yaml.safe_load(TEST_CONFIG.read_text())
EXPERIMENT = {
    "sim": {"duration": "20 ms", "seed": 1},
    "network": {"n": N, "connectivity": {"rule": "fixed_indegree", "k": 5}, "weight": "0.5 nS"},
}


def whole(**sections):
    merged = copy.deepcopy(BASE)
    merged["experiments"] = {"x": {**copy.deepcopy(EXPERIMENT), **sections}}
    merged.pop("sweeps", None)
    return merged


@pytest.fixture
def values():
    return np.random.default_rng(4).uniform(20, 80, N)  # pA, one per neuron


def test_a_drive_and_an_initial_state_from_files_are_the_configs_own_values(
    tmp_path, monkeypatch, values
):
    monkeypatch.chdir(tmp_path)
    np.savez("drive.npz", current=values)
    v0 = np.linspace(-70, -60, N)
    with open("initial.csv", "w") as file:  # a header, two columns: one is chosen
        file.write(
            "v,other\n"
            + "".join(f"{a!r},{b!r}\n" for a, b in zip(v0.tolist(), (-v0).tolist(), strict=True))
        )
    from_files = whole(
        drive={"current": {"file": "drive.npz", "unit": "pA"}},
        initial={"v": {"file": "initial.csv", "column": "v", "unit": "mV"}},
    )
    inline = whole(
        drive={"current": {"unit": "pA", "values": values.tolist()}},
        initial={"v": {"unit": "mV", "values": v0.tolist()}},
    )
    assert config.resolve(from_files, "x") == config.resolve(inline, "x")
    assert config.input_files(config.experiment_config(from_files, "x")) == [
        "drive.npz",
        "initial.csv",
    ]


@pytest.mark.parametrize(
    ("spec", "write", "message"),
    [
        (
            {"file": "absent.npz", "unit": "pA"},
            None,
            "key 'drive.current.file': array file 'absent.npz' does not exist",
        ),
        (
            {"file": "short.npz", "unit": "pA"},
            lambda: np.savez("short.npz", current=np.ones(N - 1)),
            "key 'drive.current': needs one value per neuron (50), got shape (49,)",
        ),
        (
            {"file": "two.npz", "unit": "pA"},
            lambda: np.savez("two.npz", a=np.ones(N), b=np.ones(N)),
            "key 'drive.current.column': 'two.npz' holds ['a', 'b']: name the one to use",
        ),
        (
            {"file": "two.npz", "unit": "pA", "column": "c"},
            lambda: np.savez("two.npz", a=np.ones(N), b=np.ones(N)),
            "key 'drive.current.column': 'two.npz' has no column 'c'",
        ),
        (
            {"file": "flat.npz", "unit": "pA"},
            lambda: np.savez("flat.npz", current=np.ones((N, 2))),
            "key 'drive.current.file': array file 'flat.npz': array 'current' has shape (50, 2)",
        ),
        (
            {"file": "ok.npz"},
            lambda: np.savez("ok.npz", current=np.ones(N)),
            "key 'drive.current.unit': give the unit of the file's values, e.g. unit: pA",
        ),
        (
            {"file": "ok.npz", "unit": "mV"},
            lambda: np.savez("ok.npz", current=np.ones(N)),
            "key 'drive.current': ",
        ),
        (
            {"file": "ok.npz", "unit": "pA", "colum": "current"},
            lambda: np.savez("ok.npz", current=np.ones(N)),
            "key 'drive.current.colum': unknown key; did you mean 'column'?",
        ),
        (
            {"file": "nan.csv", "unit": "pA"},
            lambda: open("nan.csv", "w").write("current\n" + "nan\n" * N),
            "key 'drive.current': values must be finite",
        ),
    ],
)
def test_array_files_that_do_not_fit_are_refused_naming_the_key(
    tmp_path, monkeypatch, spec, write, message
):
    monkeypatch.chdir(tmp_path)
    if write:
        write()
    with pytest.raises(ConfigError) as refused:
        config.plan(whole(drive={"current": spec}), check_machine=False)
    assert str(refused.value).startswith(f"experiment 'x', {message}"), str(refused.value)


def test_settings_too_large_for_a_job_name_the_key_and_a_file_takes_them(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    n = 40_000  # the COBA benchmark scaled ten times: a drive per neuron
    big = whole(drive={"current": {"unit": "pA", "values": [12.5] * n}})
    big["experiments"]["x"]["network"]["n"] = n
    with pytest.raises(ConfigError) as refused:
        config.plan(big, check_machine=False)
    said = str(refused.value)
    assert said.startswith("experiment 'x', key 'drive.current': the settings are too large")
    assert "give its values in a CSV or NPZ file ({file: PATH, unit: UNIT}" in said
    assert "weight" not in said
    np.savez("drive.npz", current=np.full(n, 12.5))
    big["experiments"]["x"]["drive"] = {"current": {"file": "drive.npz", "unit": "pA"}}
    plan = config.plan(big, check_machine=False)
    assert plan.params["x"]["drive"]["current"] == [12.5e-12] * n


@pytest.mark.workflow
def test_a_changed_array_file_reruns_the_parameters(tmp_path, values):
    workdir = copy_workflow(tmp_path / "wf")
    np.savez(workdir / "drive.npz", current=values)
    experiment = {**EXPERIMENT, "drive": {"current": {"file": "drive.npz", "unit": "pA"}}}
    (workdir / "mine.yaml").write_text(yaml.safe_dump({"experiments": {"x": experiment}}))
    target = ["results/params/x.json", "--configfile", "mine.yaml"]
    snakemake(workdir, *target, "--cores", "1")
    assert planned_jobs(workdir, *target) == {}
    np.savez(workdir / "drive.npz", current=values + 1.0)
    assert planned_jobs(workdir, *target) == {"resolve_params": 1}
