"""Score an inference against the true wiring: ROC, AUC and friends per method (JSON)."""

import json
import logging
from pathlib import Path

from ..data import view
from ..data.view import settings_of
from ..files import write_text
from ..inference.evaluate import evaluation

log = logging.getLogger("voltage_to_wiring")


def add_arguments(parser):
    parser.add_argument("--inference", required=True, type=Path, help="an inference (netCDF)")
    parser.add_argument("--output", required=True, type=Path)


def run(args):
    ds = view.require(view.open_view(args.inference), "inference", args.inference)
    result = evaluation(ds)
    write_text(args.output, json.dumps(result, indent=1) + "\n")
    log.info("wrote %s: %s", args.output, ", ".join(map(_summary, result["methods"].items())))
    described = {"experiment": ds.attrs["experiment"], "inference": settings_of(ds)}
    return args.output, [args.inference], described


def _summary(item):
    method, r = item
    auc = "AUC undefined" if r.get("auc") is None else f"AUC {r['auc']:.3f}"
    called = f"called {r['called_excitatory']} excitatory, {r['called_inhibitory']} inhibitory"
    return f"{method} {auc if 'auc' in r else called}"
