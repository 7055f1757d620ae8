"""A sweep through the SLURM executor profile, on a real (throwaway) single-node Slurm.

On a machine without Slurm this test is skipped with the way to enable it; under CI
(``CI=true``), where .ci/run installs Slurm, a missing Slurm is a failure.
"""

import json
import os
import subprocess
import sys

import pytest
import yaml

from voltage_to_wiring.data import dataset

import slurm_cluster
from conftest import assert_bits_equal
from workflow import copy_workflow, snakemake

pytestmark = [pytest.mark.cluster, pytest.mark.workflow, pytest.mark.slow]

SWEEP = {
    "sweeps": {
        "cluster": {
            "base": "seed_synchronous",
            "grid": {"synapse.tau": ["5 ms", "9 ms"], "network.weights.scale": [10, 20]},
        }
    }
}
POINTS = [f"cluster_tau={t}_scale={s}" for t in ("5ms", "9ms") for s in (10, 20)]
TARGETS = [
    "results/sweeps/cluster.csv",
    "results/figures/sweeps/cluster/summary.png",
    *(f"results/figures/{p}/{f}.png" for p in POINTS for f in ("voltage", "raster")),
]
# What a user adapts in workflow/profiles/slurm (partition, account), and what this
# accounting-free test cluster needs (squeue as the status command).
CLUSTER_FLAGS = [
    "--default-resources",
    f"slurm_partition={slurm_cluster.PARTITION}",
    "slurm_account=none",
    "mem_mb=1000",
    "runtime=10",
    "--slurm-status-command",
    "squeue",
    "--slurm-init-seconds-before-status-checks",
    "5",
    "--seconds-between-status-checks",
    "2",
    "--jobs",
    "4",
]


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    problem = slurm_cluster.missing()
    if problem:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{problem}: under CI, .ci/run must install slurm-wlm and munge")
        pytest.skip(f"{problem}; to run this test, as root: apt-get install -y slurm-wlm munge")
    running = slurm_cluster.start(tmp_path_factory.mktemp("slurm"))
    yield running
    slurm_cluster.stop(running)


def run_sweep(work, extra, env=None, targets=TARGETS):
    (work / "sweep.yaml").write_text(yaml.safe_dump(SWEEP, sort_keys=False))
    snakemake(work, *targets, "--configfile", "sweep.yaml", *extra, env=env, timeout=900)
    return work


def test_a_sweep_runs_as_slurm_jobs_and_matches_a_local_run(cluster, tmp_path):
    on_slurm = run_sweep(
        copy_workflow(tmp_path / "slurm"),
        ["--workflow-profile", "workflow/profiles/slurm", *CLUSTER_FLAGS],
        env=cluster.env,
    )
    local = run_sweep(
        copy_workflow(tmp_path / "local"), ["--cores", "2"], targets=["results/sweeps/cluster.csv"]
    )
    for target in TARGETS:
        assert (on_slurm / target).stat().st_size > 0, target
    job_ids = set()
    for point in POINTS:
        record = json.loads((on_slurm / f"results/provenance/sims/{point}.nc.json").read_text())
        assert record["executor"] == "slurm" and record["slurm_job_id"], record
        job_ids.add(record["slurm_job_id"])
        figure = json.loads(
            (on_slurm / f"results/provenance/figures/{point}/voltage.png.json").read_text()
        )
        assert figure["executor"] == "local"  # figures are local rules
        params = json.loads((on_slurm / f"results/provenance/params/{point}.json.json").read_text())
        assert params["executor"] == "local"  # so is the parameters' resolution (0.2 s)
        a = dataset.read(on_slurm / f"results/sims/{point}.nc")
        b = dataset.read(local / f"results/sims/{point}.nc")
        assert a.attrs["executor"] == "slurm" and b.attrs["executor"] == "local"
        for var in a.data_vars:
            assert_bits_equal(a[var].values, b[var].values, f"{point} {var}")
    assert len(job_ids) == len(POINTS)  # one Slurm job per simulation
    assert (on_slurm / "results/sweeps/cluster.csv").read_text() == (
        local / "results/sweeps/cluster.csv"
    ).read_text()
    # the provenance report says where each output was computed
    records = sorted(
        str(p)
        for p in (on_slurm / "results/provenance").rglob("*.json")
        if not p.name.endswith(".settings.json")  # an infer command's settings, not a record
    )
    snakemake(on_slurm, "--version")  # the environment still works after the cluster run
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "voltage_to_wiring",
            "report_provenance",
            *records,
            "--json",
            "p.json",
            "--markdown",
            "p.md",
        ],
        cwd=on_slurm,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    report = (on_slurm / "p.md").read_text()
    sim_row = next(line for line in report.splitlines() if f"results/sims/{POINTS[0]}.nc" in line)
    assert "slurm on " in sim_row and "Slurm job " in sim_row
