"""Helpers to run the real Snakemake workflow in a temporary copy of the repository."""

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# What a workflow run needs from the repository (src/: the package the workflow runs).
WORKFLOW_FILES = ("Snakefile", "workflow", "profiles")
# The workflow tests' own small config, copied in as config.yaml.
TEST_CONFIG = ROOT / "tests" / "config" / "config.yaml"


def copy_workflow(destination, config=TEST_CONFIG, own_source=False):
    """Copy the workflow into ``destination``, with ``config`` (default: the tests' own small
    config) as its config.yaml. Its ``src`` links to the repository's (the workflow runs the
    package of its folder: the repository's code, with numba's cache already filled), or,
    with ``own_source``, is a copy of it, for tests that edit the code."""
    destination = Path(destination)
    destination.mkdir(parents=True, exist_ok=True)
    shutil.copy2(config, destination / "config.yaml")
    for name in WORKFLOW_FILES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, destination / name, ignore=IGNORED)
        else:
            shutil.copy2(source, destination / name)
    (destination / "src").symlink_to(ROOT / "src", target_is_directory=True)
    if own_source:
        copy_source(destination)
    return destination


IGNORED = shutil.ignore_patterns("__pycache__", "*.egg-info")


def copy_source(workdir):
    """Give a workflow directory a copy of the package's source of its own (to edit it)."""
    src = Path(workdir) / "src"
    if src.is_symlink():
        src.unlink()
        shutil.copytree(ROOT / "src", src, ignore=IGNORED)
    return src / "voltage_to_wiring"


def snakemake(workdir, *args, check=True, timeout=600, env=None):
    """Run ``snakemake ARGS`` in ``workdir`` (with ``env``, default this process's
    environment); return the CompletedProcess (text output)."""
    done = subprocess.run(
        [sys.executable, "-m", "snakemake", *args],
        cwd=workdir,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if check and done.returncode != 0:
        raise AssertionError(
            f"snakemake {' '.join(args)} failed ({done.returncode}):\n"
            f"{done.stdout[-3000:]}\n{done.stderr[-5000:]}"
        )
    return done


def planned_jobs(workdir, *targets, extra=()):
    """The jobs a dry run would execute, as {rule: count} ({} if nothing to do)."""
    done = snakemake(workdir, *targets, "-n", "--quiet", "rules", *extra)
    text = done.stdout + done.stderr
    if "Nothing to be done" in text:
        return {}
    jobs, table = {}, False
    for line in text.splitlines():
        parts = line.split()
        if parts[:2] == ["job", "count"]:
            table = True
        elif table and len(parts) == 2 and parts[1].isdigit():
            if parts[0] == "total":
                break
            jobs[parts[0]] = int(parts[1])
    return jobs


def copy_run(source, destination):
    """Copy a finished workflow directory, keeping modification times and Snakemake's state."""
    shutil.copytree(source, destination, symlinks=True)
    return Path(destination)
