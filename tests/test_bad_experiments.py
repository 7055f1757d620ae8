"""One bad experiment does not hide or block the others (issue 35, item 7).

Every experiment is checked and every bad one reported at once (check_config, the plan, the
workflow), in the config's order, one line each; a target that needs none of the bad ones
runs, one that needs one stops before any job, naming it.
"""

import subprocess
import sys

import pytest

from voltage_to_wiring import config
from voltage_to_wiring.errors import ConfigErrors
from voltage_to_wiring.inference import recording_files

from planted import planted, write_npz
from workflow import copy_workflow, planned_jobs, snakemake

MINE = """\
experiments:
  rec_a:                         # good
    recording: {file: a.npz}
    inference: {shuffles: 20, seed: 3, methods: [sta]}
  rec_b:                         # its file is not there
    recording: {file: b.npz}
  rec_c:                         # a misspelt key
    recording: {file: a.npz}
    inference: {shufles: 20}
  sim_bad:                       # a delay shorter than a step, with a sweep on it
    network: {weights: {unit: nS, values: [[0, 1], [1, 0]]}}
    synapse: {delay: 0.01 ms}
sweeps:
  bad_sweep:
    base: sim_bad
    grid: {synapse.tau: [5 ms, 7 ms]}
  good_sweep:
    base: rec_a
    grid: {inference.alpha: [0.01, 0.05]}
"""
EXPECTED = [
    "experiment 'rec_b', key 'recording.file': b.npz does not exist",
    "experiment 'rec_c', key 'inference.shufles': unknown key; did you mean 'shuffles'?",
    "experiment 'sim_bad', key 'synapse.delay': ",
    "sweep 'bad_sweep': its base experiment 'sim_bad' is refused",
]


@pytest.fixture
def folder(tmp_path, monkeypatch):
    from conftest import TEST_CONFIG

    monkeypatch.chdir(tmp_path)
    (tmp_path / "config.yaml").write_text(TEST_CONFIG.read_text())  # its defaults
    y, trains, signs = planted(seconds=5, n_exc=2, n_inh=2, n_other=2)
    write_npz(tmp_path / "a.npz", y, trains, signs)
    (tmp_path / "mine.yaml").write_text(MINE)
    return tmp_path


def _merged():
    return config.load(["config.yaml", "mine.yaml"])


def _lines_match(lines, expected):
    assert len(lines) == len(expected), lines
    for line, start in zip(lines, expected, strict=True):
        assert line.startswith(start), (line, start)


def test_every_bad_experiment_is_reported_once_in_the_configs_order(folder):
    with pytest.raises(ConfigErrors) as refused:
        config.plan(_merged(), recording_facts=recording_files.facts)
    _lines_match(str(refused.value).splitlines(), EXPECTED)


def test_the_others_are_planned_without_the_bad_ones(folder):
    plan = config.plan(_merged(), recording_facts=recording_files.facts, keep_going=True)
    assert {"rec_b", "rec_c", "sim_bad", "bad_sweep"} <= set(plan.refused)
    # the bad sweep's points are refused with it, and said once (by the sweep)
    assert {p for p in plan.refused if p.startswith("bad_sweep_")} == {
        "bad_sweep_tau=5ms",
        "bad_sweep_tau=7ms",
    }
    assert "rec_a" in plan.inference and "good_sweep" in plan.sweeps
    assert not set(plan.refused) & (set(plan.simulation_of) | set(plan.inference))
    _lines_match(str(plan.refusal()).splitlines(), EXPECTED)


def test_check_config_lists_every_bad_experiment(folder):
    done = subprocess.run(
        [sys.executable, "-m", "voltage_to_wiring", "check_config", "mine.yaml"],
        capture_output=True,
        text=True,
        cwd=folder,
    )
    assert done.returncode == 1
    errors = [line.split("ERROR voltage_to_wiring: ")[1] for line in done.stderr.splitlines()
              if "ERROR" in line]  # fmt: skip
    _lines_match(errors, EXPECTED)


@pytest.mark.workflow
def test_a_target_without_the_bad_experiments_runs_and_one_with_them_is_refused(tmp_path):
    workdir = copy_workflow(tmp_path / "wf")
    y, trains, signs = planted(seconds=5, n_exc=2, n_inh=2, n_other=2)
    write_npz(workdir / "a.npz", y, trains, signs)
    (workdir / "mine.yaml").write_text(MINE)
    mine = ("--configfile", "mine.yaml")
    everything = snakemake(workdir, "-n", *mine, check=False)  # the default target
    said = everything.stdout + everything.stderr
    assert everything.returncode != 0
    for line in EXPECTED:
        assert f"invalid config: {line}" in said
    one = planned_jobs(workdir, "rec_a", extra=mine)
    assert one == {"infer": 1, "evaluate": 1, "plot_inference": 1, "rec_a": 1}
    done = snakemake(workdir, "rec_a", "good_sweep", "--cores", "2", *mine)
    assert "Note: left out, refused (no target needs them)" in done.stderr
    assert (workdir / "results/sweeps/good_sweep.csv").exists()
    for target in ("rec_b", "results/inference/rec_c.nc", "bad_sweep", "all"):
        refused = snakemake(workdir, target, "-n", *mine, check=False)
        assert refused.returncode != 0, target
        assert "invalid config: experiment 'rec_b'" in refused.stdout + refused.stderr, target
