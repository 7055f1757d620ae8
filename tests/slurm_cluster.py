"""A throwaway single-node Slurm cluster on this machine, for tests (Debian's slurm-wlm, munge).

:func:`start` writes a ``slurm.conf`` (node at 127.0.0.1 named as ``hostname -s`` says, one
partition ``debug``, no accounting), starts ``munged`` if it is not running, then
``slurmctld`` and ``slurmd`` in the foreground, and waits for the node to be idle;
:func:`stop` ends them by their process ids. Needs root (slurmd does).

The jobstep plugin of snakemake-executor-plugin-slurm drops every ``SLURM_*`` variable, so
also ``SLURM_CONF``, before its nested ``srun``: the configuration must also be found at
Slurm's default path, so :func:`start` links ``/etc/slurm/slurm.conf`` to it when no
configuration is there (and removes the link in :func:`stop`).
"""

import os
import shutil
import signal
import socket
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_CONF = Path("/etc/slurm/slurm.conf")
PARTITION = "debug"


@dataclass
class Cluster:
    conf: Path
    env: dict
    processes: list = field(default_factory=list)
    munged_pid: int = None
    linked: bool = False


def missing():
    """Why a cluster cannot be started here, or None."""
    absent = [
        c for c in ("slurmctld", "slurmd", "munged", "sbatch", "squeue") if shutil.which(c) is None
    ]
    if absent:
        return f"Slurm is not installed (no {', '.join(absent)})"
    if os.geteuid() != 0:
        return "starting slurmd needs root"
    if DEFAULT_CONF.exists() and not DEFAULT_CONF.is_symlink():
        return f"{DEFAULT_CONF} exists: this machine has a Slurm of its own"
    return None


def _conf(directory):
    host = socket.gethostname().split(".")[0]
    memory_mb = int(Path("/proc/meminfo").read_text().split()[1]) // 1024 - 1024
    for sub in ("state", "spool"):
        (directory / sub).mkdir(parents=True, exist_ok=True)
    conf = directory / "slurm.conf"
    conf.write_text(
        "\n".join(
            [
                "ClusterName=vtw-test",
                f"SlurmctldHost={host}(127.0.0.1)",
                "SlurmUser=root",
                "SlurmctldPort=16817",
                "SlurmdPort=16818",
                "AuthType=auth/munge",
                f"StateSaveLocation={directory}/state",
                f"SlurmdSpoolDir={directory}/spool",
                f"SlurmctldPidFile={directory}/slurmctld.pid",
                f"SlurmdPidFile={directory}/slurmd.pid",
                f"SlurmctldLogFile={directory}/slurmctld.log",
                f"SlurmdLogFile={directory}/slurmd.log",
                "ProctrackType=proctrack/linuxproc",
                "TaskPlugin=task/none",
                "SelectType=select/cons_tres",
                "SelectTypeParameters=CR_Core_Memory",
                "AccountingStorageType=accounting_storage/none",
                "JobAcctGatherType=jobacct_gather/none",
                "MpiDefault=none",
                "ReturnToService=2",
                "MinJobAge=300",  # finished jobs stay visible to squeue, the status command here
                f"NodeName={host} NodeAddr=127.0.0.1 CPUs={os.cpu_count()} "
                f"RealMemory={memory_mb} State=UNKNOWN",
                f"PartitionName={PARTITION} Nodes={host} Default=YES MaxTime=INFINITE State=UP",
                "",
            ]
        )
    )
    return conf


def _munge_works():
    try:
        token = subprocess.run(["munge", "-n"], capture_output=True, timeout=10, check=True)
        subprocess.run(["unmunge"], input=token.stdout, capture_output=True, timeout=10, check=True)
        return True
    except (OSError, subprocess.SubprocessError):
        return False


def _start_munged():
    run = Path("/run/munge")
    run.mkdir(parents=True, exist_ok=True)
    shutil.chown(run, "munge", "munge")
    subprocess.run(["runuser", "-u", "munge", "--", "munged"], check=True, timeout=30)
    for _ in range(100):
        if _munge_works():
            return int((run / "munged.pid").read_text())
        time.sleep(0.1)
    raise RuntimeError("munged did not start")


def start(directory):
    """Start the cluster; return a :class:`Cluster` (its ``env`` has ``SLURM_CONF``)."""
    directory = Path(directory)
    conf = _conf(directory)
    cluster = Cluster(conf=conf, env={**os.environ, "SLURM_CONF": str(conf)})
    if not _munge_works():
        cluster.munged_pid = _start_munged()
    if not DEFAULT_CONF.exists():
        DEFAULT_CONF.parent.mkdir(parents=True, exist_ok=True)
        DEFAULT_CONF.symlink_to(conf)
        cluster.linked = True
    for daemon in ("slurmctld", "slurmd"):
        log = open(directory / f"{daemon}.out", "w")  # noqa: SIM115 (closed with the process)
        cluster.processes.append(
            subprocess.Popen([daemon, "-D"], env=cluster.env, stdout=log, stderr=subprocess.STDOUT)
        )
    deadline = time.time() + 60
    while time.time() < deadline:
        done = subprocess.run(
            ["sinfo", "-h", "-o", "%t"], env=cluster.env, capture_output=True, text=True
        )
        if done.stdout.strip() == "idle":
            return cluster
        time.sleep(0.5)
    stop(cluster)
    raise RuntimeError(f"the Slurm node did not become idle; see {directory}/*.log")


def stop(cluster):
    """End the daemons this cluster started, by their process ids, and undo the link."""
    for process in cluster.processes:
        process.terminate()
    for process in cluster.processes:
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
    if cluster.munged_pid:
        os.kill(cluster.munged_pid, signal.SIGTERM)
    if cluster.linked and DEFAULT_CONF.is_symlink():
        DEFAULT_CONF.unlink()
