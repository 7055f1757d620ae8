"""Provenance: where an output came from (code, parameters, inputs, command, machine).

Modelled on the seed's ``print_reproducibility_info`` (itself after the ``watermark``
package): user, host and time; git commit, its time and uncommitted changes, and the hash
of the package's source (``code_sha256``, see :mod:`.code`); platform, Python and CPU; the
installed version of every dependency. Each pipeline step writes a
*record* for its output (:func:`record`); the ``report_provenance`` step gathers the records
into ``results/provenance.json`` and ``results/provenance.md``. Nothing here fails for want
of git or of a git checkout: it says so instead.
"""

import datetime
import getpass
import importlib.metadata
import json
import os
import platform
import re
import socket
import subprocess
import sys
from pathlib import Path

from ..core.code import code_sha256
from ..files import atomic_path, params_hash, sha256

# Distributions whose versions matter for results, shown first in the report.
KEY_PACKAGES = (
    "voltage_to_wiring",
    "numpy",
    "numba",
    "llvmlite",
    "xarray",
    "netCDF4",
    "matplotlib",
    "pint",
    "PyYAML",
    "jsonschema",
    "tqdm",
    "snakemake",
)
# Environment variables that say where a job ran (cluster schedulers).
EXECUTOR_VARIABLES = ("SLURM_JOB_ID", "SLURM_JOB_NAME", "SLURM_CLUSTER_NAME", "SLURM_JOB_NODELIST")


def _git(*args, cwd):
    try:
        done = subprocess.run(
            ["git", *args], cwd=cwd, capture_output=True, text=True, timeout=30, check=False
        )
    except (OSError, subprocess.SubprocessError) as err:
        return None, f"git not available ({err.__class__.__name__}: {err})"
    if done.returncode != 0:
        return None, done.stderr.strip() or f"git exited with {done.returncode}"
    return done.stdout, None


def git_state(directory="."):
    """The git commit of ``directory``, its time and the uncommitted changes.

    Returns a dict with ``commit`` (None outside a checkout or without git), ``commit_time``,
    ``dirty`` (bool or None), ``changes`` (``git status --porcelain`` lines) and, when git
    could not tell, ``note`` saying why.
    """
    head, problem = _git("log", "-1", "--format=%H %cI", cwd=directory)
    if head is None or not head.strip():
        return {
            "commit": None,
            "commit_time": None,
            "dirty": None,
            "changes": [],
            "note": f"not a git checkout, or git unavailable: {problem or 'no commits'}",
        }
    commit, commit_time = head.split()
    status, problem = _git("status", "--porcelain", "--untracked-files=no", cwd=directory)
    changes = status.splitlines() if status is not None else []
    state = {
        "commit": commit,
        "commit_time": commit_time,
        "dirty": bool(changes) if status is not None else None,
        "changes": changes,
    }
    if problem:
        state["note"] = problem
    return state


def cpu_name():
    """The CPU's model name, as the kernel reports it (platform.processor() elsewhere)."""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def packages():
    """Installed distributions and their versions (names lower-cased), key packages first."""
    installed = {}
    for dist in importlib.metadata.distributions():
        name = dist.metadata["Name"]
        if name:
            installed[name.lower()] = dist.version
    first = {k.lower(): installed[k.lower()] for k in KEY_PACKAGES if k.lower() in installed}
    rest = {k: installed[k] for k in sorted(installed) if k not in first}
    return {**first, **rest}


def _key_versions():
    """The versions of the key packages, each looked up by name (reading every installed
    distribution's metadata, as :func:`packages` does, took 0.2-0.3 s of every job)."""
    versions = {}
    for name in KEY_PACKAGES:
        try:
            versions[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            continue
    return versions


def environment():
    """The run-level environment: platform, CPU, Python and package versions."""
    return {
        "platform": platform.platform(),
        "machine": platform.machine(),
        "cpu": cpu_name(),
        "cpu_count": os.cpu_count(),
        "python": f"{platform.python_implementation()} {platform.python_version()}",
        "python_executable": sys.executable,
        "packages": packages(),
    }


def user():
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return str(os.getuid()) if hasattr(os, "getuid") else "unknown"


def now():
    """The local time with its UTC offset, ISO 8601."""
    return datetime.datetime.now().astimezone().isoformat(timespec="seconds")


def executor():
    """Where this process runs: host, and the scheduler's job id when there is one."""
    info = {"host": socket.gethostname()}
    info.update({k.lower(): os.environ[k] for k in EXECUTOR_VARIABLES if k in os.environ})
    job = os.environ.get("SLURM_JOB_ID", "")
    info["executor"] = "slurm" if re.fullmatch(r"[0-9]+(_[0-9]+)?", job) else "local"
    return info


def record(output, inputs=(), params=None, started=None, command=None):
    """Provenance of one output file, without the run-level environment.

    Parameters
    ----------
    output : path
        The output, already complete (its sha256 is taken).
    inputs : sequence of path
        Files it was made from (their sha256 are taken).
    params : dict, optional
        Resolved parameters of its experiment (their hash is recorded).
    started : str, optional
        When the step started (ISO 8601); defaults to now.
    command : list of str, optional
        The command line; defaults to ``sys.argv``.
    """
    return {
        "output": str(output),
        "sha256": sha256(output),
        "bytes": os.path.getsize(output),
        "inputs": {str(p): sha256(p) for p in inputs},
        "experiment": params["experiment"] if params else None,
        "params_hash": params_hash(params) if params else None,
        "command": list(command if command is not None else sys.argv),
        "cwd": os.getcwd(),
        "started": started or now(),
        "finished": now(),
        "user": user(),
        **executor(),
        "git": git_state(Path(__file__).resolve().parent),
        "code_sha256": code_sha256(),
    }


def attrs(params, inputs=(), started=None):
    """Provenance fields for a netCDF file's global attrs (strings only)."""
    git = git_state(Path(__file__).resolve().parent)
    return {
        "history": f"{now()}: {' '.join(sys.argv)}",
        "git_commit": git["commit"] or "unknown (" + git.get("note", "") + ")",
        "git_dirty": "unknown" if git["dirty"] is None else str(int(git["dirty"])),
        "git_changes": "\n".join(git["changes"]),
        "code_sha256": code_sha256(),
        "params_hash": params_hash(params),
        "inputs_sha256": json.dumps({str(p): sha256(p) for p in inputs}),
        "created": started or now(),
        "user": user(),
        **{k: str(v) for k, v in executor().items()},
        "software": json.dumps(_key_versions()),
    }


def write_record(entry, path):
    """Write one record as JSON (atomically)."""
    with atomic_path(path) as tmp:
        tmp.write_text(json.dumps(entry, indent=2, sort_keys=True) + "\n")
