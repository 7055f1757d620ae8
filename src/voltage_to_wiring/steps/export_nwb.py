"""Write a simulation as an NWB file (``results/nwb/{experiment}.nwb``): spikes of every
neuron and source, the recorded variables, the true wiring and the parameters (see
:mod:`voltage_to_wiring.data.nwb`)."""

import logging
import sys
from pathlib import Path

from ..data import dataset, nwb
from ..data.view import require
from ..inference import microscope
from ..inference.recording import Recording
from ._settings import json_of

log = logging.getLogger("voltage_to_wiring")
PROVENANCE = ("git_commit", "git_dirty", "code_sha256", "params_hash", "created", "software")


def add_arguments(parser):
    parser.add_argument("--dataset", required=True, type=Path, help="the simulation (netCDF)")
    parser.add_argument("--output", required=True, type=Path)
    parser.add_argument(
        "--inference",
        type=Path,
        default=None,
        help="the experiment's resolved inference settings (JSON; - for stdin): with "
        "inference.imaging, the simulated microscope's frames are written too",
    )


def run(args):
    ds = require(dataset.read(args.dataset), "simulation", args.dataset)
    provenance = {key: str(ds.attrs[key]) for key in PROVENANCE if key in ds.attrs}
    provenance["source_dataset"] = str(args.dataset)
    settings = _settings(args.inference)
    frames = None
    if settings.get("imaging"):  # the frames the inference reads, in the ophys layout
        recorded = Recording.of_simulation(ds, dataset.params_of(ds), settings["neurons"])
        frames = microscope.record(recorded, settings)
    nwb.write(ds, args.output, provenance, frames, settings.get("imaging"))
    log.info("wrote %s", args.output)
    return args.output, [args.dataset], dataset.params_of(ds)


def _settings(path):
    if path is None or str(path) == "":
        return {}
    text = sys.stdin.read() if str(path) == "-" else path.read_text()
    return json_of(text, f"--inference {path}", dict) if text.strip() else {}
