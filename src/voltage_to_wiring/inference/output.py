"""The inference dataset (``results/inference/{experiment}.nc``): one row per tested pair.

Dims ``pair``, ``lag`` (the STA window) and ``method``; every variable's units and long name
come from :mod:`voltage_to_wiring.data.variables`; the settings are in the attributes
(``settings_json``, and the main ones on their own), so that a reader needs no code.
"""

import json

import numpy as np
import xarray as xr

from ..data.dataset import CONVENTIONS
from ..data.variables import VARIABLES, attrs

FLAGS = {
    "flag_values": np.array([-1, 0, 1], dtype=np.int8),
    "flag_meanings": "inhibitory none excitatory",
}


def _variable(name, values, extra=None):
    return xr.Variable(VARIABLES[name].dims, values, {**attrs(name), **(extra or {})})


def build(experiment, result, params, settings, extra_attrs=None):
    """The dataset of experiment ``experiment``'s inference ``result`` (see
    :func:`.run.infer`) on the simulation of resolved ``params``."""
    methods = settings["methods"]
    window, dt = settings["window"]["steps"], params["sim"]["dt"]
    per_method = {
        name: np.array([result[f"{name}/{m}"] for m in methods])
        for name in ("statistic", "p_value", "predicted")
    }
    data = {
        "post": _variable("post", result["post"]),
        "pre": _variable("pre", result["pre"]),
        "pre_spikes": _variable("pre_spikes", result["pre_spikes"]),
        "true_type": _variable("true_type", result["true_type"].astype(np.int8), FLAGS),
        "true_weight": _variable("true_weight", result["true_weight"]),
        "statistic": _variable("statistic", per_method["statistic"]),
        "p_value": _variable("p_value", per_method["p_value"]),
        "predicted": _variable("predicted", per_method["predicted"].astype(np.int8), FLAGS),
        "sta": _variable("sta", result["sta"]),
        "seconds": _variable("seconds", np.array([result["seconds"][m] for m in methods])),
    }
    for name in ("sta_low", "sta_high"):
        if name in result:
            data[name] = _variable(name, result[name])
    coords = {
        "pair": _variable("pair", np.arange(len(result["pre"]), dtype=np.int64)),
        "lag": _variable("lag", np.arange(window, dtype=np.int64) * dt),
        "method": _variable("method", np.array(methods, dtype=object)),
    }
    snr = settings["snr"]
    summary = {
        "Conventions": CONVENTIONS,
        "title": f"voltage_to_wiring inference '{experiment}': {len(result['pre'])} pairs, "
        f"methods {', '.join(methods)}, on the simulation '{params['experiment']}'",
        "experiment": experiment,
        "simulation": params["experiment"],
        "methods": ",".join(methods),
        "alpha": settings["alpha"],
        "snr": "inf" if snr is None else snr,
        "noise_std": settings["noise_std"],
        "window": settings["window"]["seconds"],
        "duration": settings["duration"],
        "shuffles": np.int64(settings["shuffles"]),
        "settings_json": json.dumps(settings, sort_keys=True, allow_nan=False),
    }
    return xr.Dataset(data, coords, attrs={**summary, **(extra_attrs or {})})
