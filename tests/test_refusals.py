"""Bad input off the main path, through the real entry points (the CLI, Snakemake): strict YAML,
experiments defined twice, resources a machine cannot give, unknown targets, orphaned steps.
Each case checks the one-line message and that nothing was written under results/."""

import os
import signal
import subprocess
import sys
import time

import pytest
import yaml

from voltage_to_wiring import cli

from conftest import TEST_CONFIG
from workflow import copy_workflow, snakemake

SEED = yaml.safe_load(TEST_CONFIG.read_text())["experiments"]["seed"]


def check(path, capsys, *more):
    """check_config on ``path`` (and ``more`` files); return (status, stderr)."""
    status = cli.main(["check_config", str(path), *map(str, more)])
    return status, capsys.readouterr().err


YAML_CASES = {
    "a key given twice": (
        "experiments:\n  x:\n    sim: {dt: 0.1 ms}\n    sim: {dt: 0.2 ms}\n",
        "config file '{path}', line 4: the key 'sim' is given twice in one mapping (first at "
        "line 3)",
    ),
    "an alias": (
        "a: &a [1, 2]\nb: [*a, *a]\n",
        "config file '{path}', line 2: YAML aliases (*a) are not allowed in config files",
    ),
    "a file too large": (
        "experiments: {}\n" + "# padding\n" * 120_000,
        "config file '{path}' is 1.1 MB; config files are limited to 1 MB: put large arrays in "
        "an edge file",
    ),
    "a binary file": (
        bytes(range(256)),
        "config file '{path}' is not text (not UTF-8)",
    ),
}


@pytest.mark.parametrize("case", YAML_CASES)
def test_strict_yaml(case, tmp_path, capsys):
    text, expected = YAML_CASES[case]
    path = tmp_path / "bad.yaml"
    path.write_text(text) if isinstance(text, str) else path.write_bytes(text)
    status, message = check(path, capsys)
    assert status == 1 and expected.format(path=path) in message
    assert "Traceback" not in message


def test_an_experiment_defined_in_two_files_is_refused_naming_both(tmp_path, capsys):
    other = tmp_path / "other.yaml"
    other.write_text(yaml.safe_dump({"experiments": {"seed": SEED}}))
    status, message = check(TEST_CONFIG, capsys, other)
    assert status == 1
    assert f"experiment 'seed': is defined in both '{TEST_CONFIG}' and '{other}'" in message


def test_a_file_of_extra_experiments_is_checked_with_the_defaults_of_config_yaml(
    tmp_path, capsys, monkeypatch
):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "config.yaml").write_text(TEST_CONFIG.read_text())
    (tmp_path / "mine.yaml").write_text(
        yaml.safe_dump({"experiments": {"mine": {"network": SEED["network"]}}})
    )
    status = cli.main(["check_config", "mine.yaml"])
    out = capsys.readouterr()
    assert status == 0, out.err
    assert "checking mine.yaml with the defaults of config.yaml" in out.err
    assert "mine: 3 neurons, synchronous, 0.3 s" in out.out


def test_a_delay_that_is_not_a_whole_number_of_steps_is_a_warning(tmp_path, capsys):
    path = tmp_path / "config.yaml"
    settings = yaml.safe_load(TEST_CONFIG.read_text())
    settings["experiments"]["seed"]["synapse"] = {"delay": "4.55 ms"}
    path.write_text(yaml.safe_dump(settings))
    status, message = check(path, capsys)
    assert status == 0
    assert (
        "WARNING voltage_to_wiring: experiment 'seed', key 'synapse.delay': 4.55 ms is not a "
        "whole number of time steps of 0.1 ms; it is rounded to 46 steps" in message
    )


# Settings a machine cannot hold: refused before any job, in little time and memory.
ALLOCATION_CASES = {
    "a billion neurons": (
        {
            "sim": {"seed": 1},
            "network": {
                "n": 1_000_000_000,
                "connectivity": {"rule": "fixed_indegree", "k": 10, "allow_multiple": True},
                "weight": "0.1 nS",
            },
        },
        "key 'network': the simulation needs about",
    ),
    "a million seconds of traces": (
        {"sim": {"duration": "1000000 s"}, "network": SEED["network"]},
        "key 'record': its recorded traces take 960.0 GB",
    ),
    "10^21 Poisson inputs": (
        {
            "sim": {"seed": 1},
            "network": SEED["network"],
            "drive": {"poisson": {"inputs": 10**21, "rate": "10 Hz", "weight": "1 nS"}},
        },
        "key 'drive.poisson': inputs x rate x neurons x dt = 3e+18 input spikes per step",
    ),
}


# Runs a command and prints its peak resident memory (kB). A child forked from this large test
# process would report the parent's size: Linux keeps the high-water mark across exec. So a
# small interpreter starts the command and measures it.
PEAK_MEMORY = """
import os, subprocess, sys
process = subprocess.Popen(sys.argv[1:])
_, status, usage = os.wait4(process.pid, 0)
print(f"peak memory {usage.ru_maxrss} kB", flush=True)
sys.exit(os.waitstatus_to_exitcode(status))
"""


@pytest.mark.workflow
@pytest.mark.parametrize("case", ALLOCATION_CASES)
def test_what_a_machine_cannot_hold_is_refused_before_any_job(case, tmp_path):
    experiment, expected = ALLOCATION_CASES[case]
    work = copy_workflow(tmp_path / "work")
    (work / "big.yaml").write_text(yaml.safe_dump({"experiments": {"big": experiment}}))
    command = [sys.executable, "-m", "snakemake", "--cores", "1", "--configfile", "big.yaml"]
    result = subprocess.run(
        [sys.executable, "-c", PEAK_MEMORY, *command],
        cwd=work,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    assert result.returncode != 0
    assert f"invalid config: experiment 'big', {expected}" in result.stdout
    peak_kb = int(result.stdout.rsplit("peak memory ", 1)[1].split()[0])
    assert peak_kb / 1024 < 500, "the refusal itself allocates nothing big (MB)"
    assert not (work / "results").exists()


@pytest.mark.workflow
@pytest.mark.parametrize(
    ("target", "expected"),
    [
        (
            "results/sims/nope.nc",
            "invalid target: no experiment 'nope' with a simulation of its own in the config",
        ),
        (
            "results/figures/nto1_small/recovery.png",
            "invalid target: experiment 'nto1_small': has no recovery figure: it does not record "
            "what the figure shows",
        ),
        (
            "results/inference/seed.nc",
            "invalid target: no experiment 'seed' with an inference in the config",
        ),
    ],
)
def test_a_target_the_config_cannot_make_is_named(target, expected, tmp_path):
    work = copy_workflow(tmp_path / "work")
    done = snakemake(work, target, "--cores", "1", check=False)
    assert done.returncode != 0
    assert expected in done.stdout + done.stderr
    assert not (work / "results").exists()


@pytest.mark.workflow
def test_an_experiment_in_two_config_files_is_refused_by_the_workflow(tmp_path):
    work = copy_workflow(tmp_path / "work")
    (work / "other.yaml").write_text(yaml.safe_dump({"experiments": {"seed": SEED}}))
    done = snakemake(work, "--cores", "1", "--configfile", "other.yaml", check=False)
    assert done.returncode != 0
    assert "experiment 'seed': is defined in both 'config.yaml' and 'other.yaml'" in done.stderr
    assert not (work / "results").exists()


@pytest.mark.slow
def test_a_step_whose_parent_is_killed_stops_and_writes_nothing(tmp_path):
    """A job's shell killed with SIGKILL (a scheduler's timeout): its python step must not run
    on as an orphan and write its output later."""
    command = _simulate_command(tmp_path, "slow", "2000 s")
    shell = subprocess.Popen(["sh", "-c", f"{command} --no-progress; echo done"], cwd=tmp_path)
    deadline = time.time() + 60
    while not list(tmp_path.glob("results/.slow.nc.*.tmp")) and time.time() < deadline:
        time.sleep(0.05)
    child = [p for p in _children(shell.pid)]
    assert child, "the step did not start"
    os.kill(shell.pid, signal.SIGKILL)
    shell.wait()
    deadline = time.time() + 30
    while any(_alive(pid) for pid in child) and time.time() < deadline:
        time.sleep(0.05)
    assert not any(_alive(pid) for pid in child), "the orphaned step is still running"
    assert not (tmp_path / "results" / "slow.nc").exists()


@pytest.mark.slow
@pytest.mark.parametrize("killed", ["snakemake", "the parent of snakemake"])
def test_a_step_whose_snakemake_is_killed_alone_does_not_write_its_output_later(killed, tmp_path):
    """Issue 21 (11): Snakemake killed alone (kill -9 of its PID) while a job runs leaves the
    job's shell and its step running; the orphaned step wrote its output seconds later, over a
    newer one. It must not rename into place once its Snakemake is gone; but a Snakemake
    that lives on under another parent (nohup, a closed terminal) keeps its outputs."""
    command = _simulate_command(tmp_path, "short", "8 s")
    job = f"{command} --no-progress > step.log 2>&1; echo $? > status"
    # stand-ins: a process named snakemake whose child shell runs the step, and its parent
    (tmp_path / "snakemake").write_text(
        f"import subprocess\nsubprocess.run(['sh', '-c', {job!r}])\n"
    )
    parent = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import subprocess, sys; subprocess.run([sys.executable, 'snakemake'])",
        ],
        cwd=tmp_path,
    )
    deadline = time.time() + 60
    while not list(tmp_path.glob("results/.short.nc.*.tmp")) and time.time() < deadline:
        time.sleep(0.05)
    assert list(tmp_path.glob("results/.short.nc.*.tmp")), "the step did not start"
    snakemake = _children(parent.pid)
    os.kill(snakemake[0] if killed == "snakemake" else parent.pid, signal.SIGKILL)
    parent.wait()
    deadline = time.time() + 120
    while not (tmp_path / "status").exists() and time.time() < deadline:
        time.sleep(0.1)
    log = (tmp_path / "step.log").read_text()
    if killed == "snakemake":
        assert (tmp_path / "status").read_text().strip() == "1"  # ran to its end, refused
        assert not (tmp_path / "results" / "short.nc").exists()
        assert "not writing 'results/short.nc': a process that started this step is gone" in log
    else:
        assert (tmp_path / "status").read_text().strip() == "0", log
        assert (tmp_path / "results" / "short.nc").exists()


def _simulate_command(folder, name, duration):
    """The shell command of the simulate step of experiment ``name`` in ``folder``: 1,000
    driven neurons and one synapse for ``duration``, nothing recorded (its parameters
    resolved first); it writes ``results/NAME.nc``."""
    (folder / "edges.csv").write_text("pre,post,weight\n0,1,1\n")
    settings = yaml.safe_load(TEST_CONFIG.read_text())
    settings["experiments"] = {
        name: {
            "network": {"n": 1000, "edges": {"file": "edges.csv", "unit": "nS"}},
            "drive": {"current": "100 pA"},
            "sim": {"duration": duration},
            "record": {"variables": [], "neurons": []},
        }
    }
    (folder / "config.yaml").write_text(yaml.safe_dump(settings))
    step = [sys.executable, "-m", "voltage_to_wiring"]
    resolve = ["resolve_params", "config.yaml", "--experiment", name, "--output", f"{name}.json"]
    subprocess.run([*step, *resolve], cwd=folder, check=True, capture_output=True)
    return " ".join(map(str, step)) + f" simulate --params {name}.json --output results/{name}.nc"


def _children(pid):
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as file:
                    if int(file.read().rsplit(")", 1)[1].split()[1]) == pid:
                        found.append(int(entry))
            except OSError:
                continue
    return found


def _alive(pid):
    try:
        with open(f"/proc/{pid}/stat") as file:
            return file.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


@pytest.mark.slow
def test_infer_refuses_a_simulation_of_other_parameters_under_the_expected_name(tmp_path, capsys):
    # Issue 21 (16): another experiment's file under the right name was inferred and labelled.
    import json

    from voltage_to_wiring.files import params_hash

    params, dataset = tmp_path / "params.json", tmp_path / "sim.nc"
    resolve = ["resolve_params", str(TEST_CONFIG), "--experiment", "nto1_small"]
    assert cli.main([*resolve, "--output", str(params)]) == 0
    assert cli.main(["simulate", "--params", str(params), "--output", str(dataset)]) == 0
    right = params_hash(json.loads(params.read_text()))
    infer = ["infer", str(TEST_CONFIG), "--experiment", "nto1_small", "--dataset", str(dataset)]
    capsys.readouterr()
    wrong = tmp_path / "wrong.nc"
    assert cli.main([*infer, "--output", str(wrong), "--params-hash", "0123abcd"]) == 1
    message = capsys.readouterr().err
    assert (
        f"experiment 'nto1_small': {dataset} holds the simulation of 'nto1_small' with "
        f"params_hash {right}, not the expected 0123abcd: it is not this experiment's data"
    ) in message
    assert not wrong.exists() and "Traceback" not in message
    assert cli.main([*infer, "--output", str(tmp_path / "right.nc"), "--params-hash", right]) == 0


def test_the_disk_checked_is_the_one_simulations_are_written_to(tmp_path, monkeypatch):
    # Issue 21 (18): the free space of "." was measured, not of results/sims (a link to
    # another disk).
    from voltage_to_wiring.config import resources

    elsewhere = tmp_path / "big_disk"
    elsewhere.mkdir()
    work = tmp_path / "work"
    (work / "results").mkdir(parents=True)
    monkeypatch.chdir(work)
    assert resources.written_to(resources.SIMULATIONS) == work / "results"  # not made yet
    (work / "results" / "sims").symlink_to(elsewhere, target_is_directory=True)
    assert resources.written_to(resources.SIMULATIONS) == elsewhere
