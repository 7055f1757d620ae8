"""Write a simulation as an NWB file (``results/nwb/{experiment}.nwb``): spikes of every
neuron and source, the recorded variables, the true wiring and the parameters (see
:mod:`voltage_to_wiring.data.nwb`)."""

import logging
from pathlib import Path

from ..data import dataset, nwb
from ..data.view import require

log = logging.getLogger("voltage_to_wiring")
PROVENANCE = ("git_commit", "git_dirty", "code_sha256", "params_hash", "created", "software")


def add_arguments(parser):
    parser.add_argument("--dataset", required=True, type=Path, help="the simulation (netCDF)")
    parser.add_argument("--output", required=True, type=Path)


def run(args):
    ds = require(dataset.read(args.dataset), "simulation", args.dataset)
    provenance = {key: str(ds.attrs[key]) for key in PROVENANCE if key in ds.attrs}
    provenance["source_dataset"] = str(args.dataset)
    nwb.write(ds, args.output, provenance)
    log.info("wrote %s", args.output)
    return args.output, [args.dataset], dataset.params_of(ds)
