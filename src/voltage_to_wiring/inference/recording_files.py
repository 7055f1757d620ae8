"""Recordings from files, as :class:`.recording.Recording`: each format's reader
(:mod:`.nwb_file`, :mod:`.npz_file`) in :data:`READERS`, the facts the plan checks the
inference settings against, and one place that names the file in every refusal.

An experiment names its recording in the config (see ``config/recording.py`` for the keys).
``neuron`` (optional) is the recorded neuron's own unit id: its train is not tested, and the
truth's ``post`` is matched to it. What every reader checks (and sorts) is :mod:`.arrays`'.
"""

import json
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import ConfigError
from . import npz_file, nwb_file

# Each format's reader: a resolved recording section -> a Recording (its ConfigErrors name
# the problem, and the config key where it is not ``recording``; read() adds the file).
READERS = {"nwb": nwb_file.recording, "npz": npz_file.recording}


@dataclass
class Facts:
    """What the inference settings are checked against (kept, not the recording's data)."""

    dt: float
    n_samples: int
    neurons: list
    units: str
    has_truth: bool
    linked: list = field(default_factory=list)  # other files the recording's data is in
    assumed: list = field(default_factory=list)  # how it was read, in sentences


def read(spec):
    """The :class:`.recording.Recording` of a resolved ``recording`` section; refuses a
    recording that cannot be analysed, naming the file and the problem. An NWB file's data
    in other files (external links: :func:`~voltage_to_wiring.data.hdf5.linked_files`) is
    in ``recording.linked``; if ``spec`` lists the files the plan found (``linked``), they
    must be the same."""
    try:
        recording = READERS[spec["format"]](spec)
    except ConfigError as err:
        raise _refuse(spec, err.problem, err.key or "recording") from None
    planned = spec.get("linked")
    if planned is not None and list(planned) != recording.linked:
        raise _refuse(
            spec,
            f"now reads data of the files {recording.linked}, not of {list(planned)} as when "
            "the workflow planned: run snakemake again",
        )
    return recording


def facts(spec):
    """The :class:`Facts` of a resolved ``recording`` section: the file is read and checked
    whole, so that a bad recording is refused before any job (once per file and section:
    a sweep's grid points share it)."""
    same = {k: v for k, v in spec.items() if k not in ("name", "linked")}  # points share it
    key = (json.dumps(same, sort_keys=True), Path(spec["file"]).stat().st_mtime_ns)
    if key not in _FACTS:
        recording = read(spec)
        _FACTS[key] = Facts(
            recording.dt,
            recording.n_samples,
            recording.neurons,
            recording.units,
            recording.truth is not None,
            recording.linked,
            recording.assumed,
        )
    return _FACTS[key]


_FACTS = {}


def _refuse(spec, problem, key="recording"):
    return ConfigError(f"{spec['file']}: {problem}", key=key)
