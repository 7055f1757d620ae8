"""At run time: blow-ups stop cleanly, killed jobs leave nothing half-written, full or read-only
disks give a clear error, reruns are bit-identical, provenance never crashes."""

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
import yaml

from voltage_to_wiring.data import dataset
from voltage_to_wiring.files import atomic_path
from voltage_to_wiring.provenance import record as provenance

from conftest import ROOT, TEST_CONFIG, assert_bits_equal
from workflow import copy_workflow, snakemake

# Dataset attributes that say when, where and by what a file was made (they may differ).
PROVENANCE_ATTRS = {
    "history",
    "created",
    "user",
    "host",
    "executor",
    "git_commit",
    "git_dirty",
    "git_changes",
    "software",
    "inputs_sha256",
    "slurm_job_id",
}


def run_step(*args, cwd, env=None):
    return subprocess.run(
        [sys.executable, "-m", "voltage_to_wiring", *map(str, args)],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
    )


def write_config(path, experiments):
    path.write_text(yaml.safe_dump({"experiments": experiments}))
    return path


def seed_network():
    return yaml.safe_load(TEST_CONFIG.read_text())["experiments"]["seed"]["network"]


def test_numerical_blow_up_stops_with_neuron_step_value_and_writes_nothing(tmp_path):
    config = write_config(
        tmp_path / "boom.yaml",
        {
            "boom": {
                "network": seed_network(),
                "drive": {"current": {"unit": "nA", "values": [0, -1e300, 0]}},
            }
        },
    )
    merged = tmp_path / "merged.yaml"
    shutil.copy(TEST_CONFIG, merged)
    assert (
        run_step(
            "resolve_params",
            merged,
            config,
            "--experiment",
            "boom",
            "--output",
            "boom.json",
            cwd=tmp_path,
        ).returncode
        == 0
    )
    done = run_step("simulate", "--params", "boom.json", "--output", "sims/boom.nc", cwd=tmp_path)
    assert done.returncode == 1
    assert (
        "numerical blow-up: the membrane potential v of neuron 1 became inf at sample 2"
        in done.stderr
        and "try a smaller dt" in done.stderr
    )
    assert "Traceback" not in done.stderr
    assert not (tmp_path / "sims").exists() or not list((tmp_path / "sims").iterdir())


def slow_experiment(work):
    """An experiment that simulates for several seconds (1000 neurons, 1000 s, spikes only)."""
    (work / "edges.csv").write_text("pre,post,weight\n0,1,1\n1,2,1\n")
    return {
        "slow": {
            "network": {"n": 1000, "edges": {"file": "edges.csv", "unit": "nS"}},
            "drive": {"current": "100 pA"},
            "sim": {"duration": "1000 s"},
            "record": {"variables": [], "neurons": []},
        }
    }


def find_process(*words, timeout=120):
    """The pid of a running process whose command line holds all ``words``."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
                except OSError:
                    continue
                if all(w in command for w in words):
                    return int(entry.name)
        time.sleep(0.05)
    raise AssertionError(f"no process with {words} appeared")


def wait_for_text(path, text, timeout=120):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if path.exists() and text in path.read_text():
            return
        time.sleep(0.05)
    raise AssertionError(f"'{text}' never appeared in {path}")


@pytest.mark.workflow
@pytest.mark.slow
def test_a_killed_simulation_leaves_no_output_and_rerun_incomplete_finishes(tmp_path):
    work = copy_workflow(tmp_path / "work")
    write_config(work / "slow.yaml", slow_experiment(work))
    target = "results/sims/slow.nc"
    runner = subprocess.Popen(
        [sys.executable, "-m", "snakemake", target, "--configfile", "slow.yaml", "--cores", "1"],
        cwd=work,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    wait_for_text(work / "logs/simulate/slow.log", "simulating 'slow'")
    streaming = work / "results/sims"
    deadline = time.time() + 120  # until the dataset is being streamed (not a fixed sleep)
    while not list(streaming.glob(".slow.nc.*")) and time.time() < deadline:
        time.sleep(0.05)
    time.sleep(0.2)
    os.kill(find_process("voltage_to_wiring", "simulate", "slow.json"), signal.SIGKILL)
    output, _ = runner.communicate(timeout=120)
    assert runner.returncode != 0, output
    assert not (work / target).exists()
    # the streamed file stays hidden under a temporary name, until the rerun removes it
    assert [p.name.startswith(".slow.nc.") for p in (work / "results/sims").iterdir()] == [True]
    snakemake(work, target, "--configfile", "slow.yaml", "--rerun-incomplete", "--cores", "1")
    assert [p.name for p in (work / "results/sims").iterdir()] == ["slow.nc"]
    ds = dataset.read(work / target)
    assert ds.sizes["spike"] > 1000 and ds.attrs["experiment"] == "slow"
    log = (work / "logs/simulate/slow.log").read_text()
    assert "100%|" in log and "step/s" in log  # the run took seconds: a progress bar showed


def in_small_disk(tmp_path, command, read_only=False):
    """Run ``command`` with results/ on a 256 kB tmpfs (in a private mount namespace)."""
    disk = tmp_path / "disk"
    disk.mkdir()
    remount = f" && mount -o remount,ro {disk}" if read_only else ""
    script = (
        f"mount -t tmpfs -o size=256k tmpfs {disk}{remount} && "
        f"{' '.join(map(str, command))}; status=$?; ls -A {disk}; exit $status"
    )
    done = subprocess.run(
        ["unshare", "--user", "--map-root-user", "--mount", "sh", "-c", script],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
    )
    return done, disk


@pytest.fixture(scope="module")
def seed_params_file(tmp_path_factory):
    where = tmp_path_factory.mktemp("params")
    assert (
        run_step(
            "resolve_params",
            TEST_CONFIG,
            "--experiment",
            "seed",
            "--output",
            "seed.json",
            cwd=where,
        ).returncode
        == 0
    )
    return where / "seed.json"


@pytest.mark.parametrize(
    ("read_only", "reason"),
    [
        (False, "it needs about 0.3 MB but only 0.2 MB is free on that disk"),
        (True, "the file system is read-only"),
    ],
)
def test_a_full_or_read_only_disk_gives_a_clear_error(
    tmp_path, seed_params_file, read_only, reason
):
    command = [
        sys.executable,
        "-m",
        "voltage_to_wiring",
        "simulate",
        "--params",
        seed_params_file,
        "--output",
        tmp_path / "disk/seed.nc",
    ]
    done, disk = in_small_disk(tmp_path, command, read_only)
    assert done.returncode == 1, done.stderr
    assert f"cannot write '{disk}/seed.nc': {reason}" in done.stderr
    assert "Traceback" not in done.stderr and "HDF" not in done.stderr
    assert done.stdout.strip() == ""  # `ls -A` of the disk: nothing was left there


def test_a_disk_that_fills_while_writing_is_named(tmp_path):
    """A params file has no size estimate: the full disk shows up as the write fails."""
    big = tmp_path / "big.yaml"
    big.write_text(
        yaml.safe_dump(
            {
                "experiments": {
                    "big": {
                        "network": {
                            "weights": {"unit": "nS", "values": np.ones((150, 150)).tolist()}
                        }
                    }
                },
                "defaults": yaml.safe_load(TEST_CONFIG.read_text())["defaults"],
            }
        )
    )
    command = [
        sys.executable,
        "-m",
        "voltage_to_wiring",
        "resolve_params",
        big,
        "--experiment",
        "big",
        "--output",
        tmp_path / "disk/big.json",
    ]
    done, disk = in_small_disk(tmp_path, command)
    assert done.returncode == 1, done.stderr
    assert f"cannot write '{disk}/big.json': the disk is full" in done.stderr
    assert done.stdout.strip() == ""


def compare_runs(first, second):
    sims = sorted(p.name for p in (first / "results/sims").glob("*.nc"))
    assert sims == sorted(p.name for p in (second / "results/sims").glob("*.nc"))
    assert len(sims) == 4
    for name in sims:
        a, b = (
            dataset.read(first / "results/sims" / name),
            dataset.read(second / "results/sims" / name),
        )
        assert set(a.variables) == set(b.variables)
        for var in a.variables:
            assert_bits_equal(a[var].values, b[var].values, f"{name} {var}")
            assert a[var].attrs == b[var].attrs
        same = {k: v for k, v in a.attrs.items() if k not in PROVENANCE_ATTRS}
        assert same == {k: v for k, v in b.attrs.items() if k not in PROVENANCE_ATTRS}
    for params in (first / "results/params").glob("*.json"):
        assert params.read_bytes() == (second / "results/params" / params.name).read_bytes()


@pytest.mark.workflow
@pytest.mark.slow
def test_reruns_are_bit_identical_with_one_core_and_four_on_a_cold_numba_cache(tmp_path):
    more = {
        "seed_again": {**yaml.safe_load(TEST_CONFIG.read_text())["experiments"]["seed"]},
        "synchronous_again": {
            "network": seed_network(),
            "initial": {"g": {"unit": "nS", "values": [10, 0, 0]}},
        },
    }
    runs = {}
    for cores in ("1", "4"):
        work = copy_workflow(tmp_path / f"cores{cores}")
        write_config(work / "more.yaml", more)
        env = None
        if cores == "4":  # four simulations compile the kernels at once into an empty cache
            env = {**os.environ, "NUMBA_CACHE_DIR": str(tmp_path / "numba_cache")}
        targets = [f"results/sims/{name}.nc" for name in (*more, "seed", "seed_synchronous")]
        snakemake(work, *targets, "--cores", cores, "--configfile", "more.yaml", env=env)
        runs[cores] = work
    assert list((tmp_path / "numba_cache").rglob("*.nbi")), "the cold cache was filled"
    compare_runs(runs["1"], runs["4"])


def git(*args, cwd):
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True)


def test_provenance_records_uncommitted_changes(tmp_path):
    git("init", "-q", cwd=tmp_path)
    (tmp_path / "model.py").write_text("a = 1\n")
    git("add", "model.py", cwd=tmp_path)
    git("-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qm", "one", cwd=tmp_path)
    assert provenance.git_state(tmp_path)["dirty"] is False
    (tmp_path / "model.py").write_text("a = 2\n")
    state = provenance.git_state(tmp_path)
    assert len(state["commit"]) == 40 and state["dirty"] is True
    assert state["changes"] == [" M model.py"]


def test_provenance_without_git_installed(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))  # no git on the PATH
    state = provenance.git_state(ROOT)
    assert state["commit"] is None and state["dirty"] is None
    assert "git not available" in state["note"]


def test_a_release_tarball_outside_git_records_that_and_runs(tmp_path):
    release = tmp_path / "release"
    shutil.copytree(
        ROOT / "src/voltage_to_wiring",
        release / "voltage_to_wiring",
        ignore=shutil.ignore_patterns("__pycache__"),
    )
    env = {
        **os.environ,
        "PYTHONPATH": str(release),
        "NUMBA_CACHE_DIR": str(tmp_path / "numba_cache"),
    }
    steps = [
        (
            "resolve_params",
            TEST_CONFIG,
            "--experiment",
            "seed",
            "--output",
            "seed.json",
            "--record",
            "seed.json.record",
        ),
        ("simulate", "--params", "seed.json", "--output", "seed.nc", "--record", "seed.nc.record"),
        (
            "report_provenance",
            "seed.json.record",
            "seed.nc.record",
            "--json",
            "p.json",
            "--markdown",
            "p.md",
        ),
    ]
    for args in steps:
        done = run_step(*args, cwd=tmp_path, env=env)
        assert done.returncode == 0, done.stderr
    record = json.loads((tmp_path / "seed.nc.record").read_text())
    assert record["git"]["commit"] is None and "not a git checkout" in record["git"]["note"]
    assert dataset.read(tmp_path / "seed.nc").attrs["git_commit"].startswith("unknown")
    assert "no git commit known (not a git checkout" in (tmp_path / "p.md").read_text()


def test_only_temporary_files_of_dead_processes_are_removed(tmp_path):
    """A write removes the temporary files a killed writer of the same output left on this
    host; those of live processes (a concurrent writer) and of other hosts stay."""
    host = socket.gethostname()
    command = [sys.executable, "-c", "import os; print(os.getpid())"]
    finished = subprocess.run(command, capture_output=True, text=True, check=True)
    dead_pid = int(finished.stdout)
    dead = tmp_path / f".x.nc.{host}.{dead_pid}-abc.tmp"
    live = tmp_path / f".x.nc.{host}.{os.getpid()}-abc.tmp"
    elsewhere = tmp_path / ".x.nc.another-host.1-abc.tmp"
    other_output = tmp_path / f".y.nc.{host}.{dead_pid}-abc.tmp"
    for path in (dead, live, elsewhere, other_output):
        path.write_text("partial")
    with atomic_path(tmp_path / "x.nc") as tmp:
        tmp.write_text("complete")
    assert (tmp_path / "x.nc").read_text() == "complete"
    assert not dead.exists()
    assert live.exists() and elsewhere.exists() and other_output.exists()


def test_environment_variables_cannot_inject_markdown_into_provenance_md(tmp_path, monkeypatch):
    # Issue 21 (21): a LOGNAME or SLURM_JOB_ID with a line break injected headings and links
    # into provenance.md, and marked a local run "slurm".
    from voltage_to_wiring.files import write_text
    from voltage_to_wiring.provenance import report

    monkeypatch.setenv("LOGNAME", "eve\n# Injected heading")
    monkeypatch.setenv("SLURM_JOB_ID", "x\n[click](http://example.org)")
    output = tmp_path / "out.txt"
    write_text(output, "data\n")
    record = provenance.record(output, command=["step"])
    record["experiment"] = "x\n| forged | row |"
    (tmp_path / "out.json").write_text(json.dumps(record))
    text = report.markdown(report.build([tmp_path / "out.json"]))
    headings = [line for line in text.splitlines() if line.startswith("#")]
    assert headings == ["# Provenance of the results", "## Outputs", "## Code", "## Environment"]
    assert "[click](" not in text and "| forged |" not in text
    assert "eve\\\\n\\# Injected heading" in text  # shown, escaped, on its line
    assert provenance.executor()["executor"] == "local"
    monkeypatch.setenv("SLURM_JOB_ID", "123456")
    assert provenance.executor()["executor"] == "slurm"
