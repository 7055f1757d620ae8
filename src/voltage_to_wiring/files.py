"""Files: write atomically (nothing half-written under a final name), hash contents."""

import contextlib
import errno
import glob
import hashlib
import json
import os
import shutil
import socket
import tempfile
from pathlib import Path

from .errors import OutputError, SimulationError

# Free space kept in reserve beyond an output's estimated size.
SPACE_MARGIN = 1 << 20
# The process that started this one: if it is gone when an output is complete (a killed
# job's shell), the output is not renamed into place (see atomic_path).
PARENT = os.getppid()


def _stat(pid):
    """(parent pid, state, start time) of process ``pid`` from Linux's /proc, or None."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return int(fields[1]), fields[0], int(fields[19])
    except (OSError, ValueError, IndexError):
        return None


def _snakemake_ancestor():
    """(pid, start time) of the nearest ancestor that is a Snakemake process (its command
    line runs ``snakemake``), or None: a step run by hand has none. Snakemake starts a job as
    a shell that starts the step: Snakemake killed alone leaves both running."""
    pid = os.getppid()
    for _ in range(64):
        stat = _stat(pid)
        if stat is None or pid <= 1:
            return None
        try:
            argv = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
        except OSError:
            return None
        if any(Path(a.decode(errors="replace")).name == "snakemake" for a in argv[:3]):
            return pid, stat[2]
        pid = stat[0]
    return None


# The Snakemake process this step's job belongs to, when it started: if it is gone when an
# output is complete, the job is an orphan (Snakemake killed, its job's shell left running).
SNAKEMAKE = _snakemake_ancestor()


def orphaned():
    """Whether the process that started this one, or the Snakemake process above it, is
    gone (a running Snakemake's own parent may change: nohup, a closed terminal)."""
    if os.getppid() != PARENT:
        return True
    if SNAKEMAKE is None:
        return False
    stat = _stat(SNAKEMAKE[0])
    return stat is None or stat[1] == "Z" or stat[2] != SNAKEMAKE[1]


@contextlib.contextmanager
def atomic_path(path, expected_bytes=0):
    """Yield a temporary path next to ``path``; rename it into place only on success.

        A crash or an exception leaves nothing under the final name (the temporary file is
        removed or, after SIGKILL, left as a hidden ``.NAME.HOST.PID-*.tmp`` file, which the next
        write of the same output removes once that process is gone). Nor does a process whose
        parent, or any ancestor's parent, died (an orphan of a killed job, or of a killed Snakemake
    whose job's shell ran on) rename its output into place. If the folder cannot
        be written, or has less free space than ``expected_bytes``, an :class:`OutputError`
        says so before anything is written; a failure while writing is explained the same way.
    """
    path = Path(path)
    tmp = _temporary(path, expected_bytes)
    try:
        yield tmp
        if orphaned():
            raise OutputError(
                f"not writing '{path}': a process that started this step is gone (a killed "
                "job, or Snakemake killed); rerun it"
            )
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp made it private; give normal permissions
        os.replace(tmp, path)
    except (OutputError, SimulationError):  # a run that fails while its output is streamed
        raise
    except (OSError, RuntimeError) as err:
        raise OutputError(_explain(path, err)) from err
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)


def _temporary(path, expected_bytes):
    prefix = _prefix(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        _remove_stale(path.parent, prefix)
        fd, tmp = tempfile.mkstemp(prefix=f"{prefix}{os.getpid()}-", suffix=".tmp", dir=path.parent)
        os.close(fd)
        free = shutil.disk_usage(path.parent).free
    except OSError as err:
        raise OutputError(_explain(path, err)) from err
    if expected_bytes and free < expected_bytes + SPACE_MARGIN:
        os.unlink(tmp)
        raise OutputError(
            f"cannot write '{path}': it needs about {_mb(expected_bytes)} but only "
            f"{_mb(free)} is free on that disk; free some space or write elsewhere"
        )
    return Path(tmp)


def _prefix(path):
    """Temporary files of ``path`` are named ``.NAME.HOST.PID-RANDOM.tmp``."""
    return f".{path.name}.{socket.gethostname()}."


def _remove_stale(folder, prefix):
    """Remove the temporary files named ``prefix`` + PID left by killed processes of this host
    (a streamed simulation's can be gigabytes). Files of other hosts, or of live processes,
    are kept."""
    for stale in folder.glob(f"{glob.escape(prefix)}*-*.tmp"):
        pid = stale.name[len(prefix) :].split("-")[0]
        if pid.isdigit() and not _alive(int(pid)):
            with contextlib.suppress(FileNotFoundError):
                stale.unlink()


def _alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process
        return True
    return True


def _mb(nbytes):
    return f"{nbytes / 2**20:.1f} MB"


def _explain(path, err):
    """One line saying why ``path`` could not be written."""
    code = getattr(err, "errno", None)
    with contextlib.suppress(OSError):
        if code is None and shutil.disk_usage(path.parent).free < SPACE_MARGIN:
            code = errno.ENOSPC  # netCDF/HDF5 report a full disk as "HDF error"
    reasons = {
        errno.ENOSPC: "the disk is full",
        errno.EDQUOT: "the disk quota is exceeded",
        errno.EROFS: "the file system is read-only",
        errno.EACCES: "permission denied",
        errno.EPERM: "permission denied",
    }
    reason = reasons.get(code) or f"{err.__class__.__name__}: {err}"
    return f"cannot write '{path}': {reason}"


def _umask():
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_text(path, text):
    """Write a text file atomically."""
    with atomic_path(path) as tmp:
        tmp.write_text(text)


def not_a_file(path):
    """What keeps ``path`` from being read as a file, as a phrase ("does not exist", "is a
    folder, not a file", "is not a regular file ..."), or None if it is a regular file."""
    path = Path(path)
    if not path.exists():
        return "does not exist"
    if path.is_dir():
        return "is a folder, not a file"
    if not path.is_file():
        return "is not a regular file (a FIFO, socket or device): give the file itself"
    return None


def sha256(path):
    """Hex sha256 of a file's bytes."""
    digest = hashlib.sha256()
    with open(path, "rb") as file:
        for block in iter(lambda: file.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def dumps(params):
    """Canonical JSON text of resolved parameters (sorted keys; floats round-trip exactly)."""
    return json.dumps(params, sort_keys=True, allow_nan=False)


def params_hash(params):
    """Short sha256 of the resolved parameters (canonical JSON), to label outputs."""
    return hashlib.sha256(dumps(params).encode()).hexdigest()[:16]
