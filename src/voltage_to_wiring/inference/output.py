"""The inference dataset (``results/inference/{experiment}.nc``): one row per tested pair.

Dims ``pair``, ``lag`` (the STA window), ``inference_method`` (not ``method``, an argument
of xarray's ``sel``) and ``generated_spike`` (the spikes of the generated unconnected
trains); every variable's units and long name come from
:mod:`voltage_to_wiring.core.variables`; the settings are in the attributes
(``settings_json``, and the main ones on their own), so that a reader needs no code.
"""

import json

import numpy as np
import xarray as xr

from ..core.variables import VARIABLES, attrs
from ..data.dataset import CONVENTIONS

FLAGS = {
    "flag_values": np.array([-1, 0, 1], dtype=np.int8),
    "flag_meanings": "inhibitory none excitatory",
}


def _variable(name, values, extra=None):
    return xr.Variable(VARIABLES[name].dims, values, {**attrs(name), **(extra or {})})


def build(experiment, result, recording, settings, extra_attrs=None):
    """The dataset of experiment ``experiment``'s inference ``result`` (see
    :func:`.run.infer`) on ``recording`` (a :class:`.recording.Recording`)."""
    methods = settings["methods"]
    window, dt = settings["window"]["steps"], recording.dt
    units = None if recording.units == "V" else {"units": recording.units}
    per_method = {
        name: np.array([result[f"{name}/{m}"] for m in methods])
        for name in ("statistic", "p_value", "predicted")
    }
    per_method["q_value"] = np.array([q_values(p) for p in per_method["p_value"]])
    data = {
        "post": _variable("post", result["post"]),
        "pre": _variable("pre", result["pre"]),
        "pre_spikes": _variable("pre_spikes", result["pre_spikes"]),
        "statistic": _variable("statistic", per_method["statistic"]),
        "p_value": _variable("p_value", per_method["p_value"]),
        "q_value": _variable("q_value", per_method["q_value"]),
        "predicted": _variable("predicted", per_method["predicted"].astype(np.int8), FLAGS),
        "sta": _variable("sta", result["sta"], units),
        "seconds": _variable("seconds", np.array([result["seconds"][m] for m in methods])),
    }
    if "true_type" in result:  # the wiring is known
        data["true_type"] = _variable("true_type", result["true_type"].astype(np.int8), FLAGS)
        data["true_weight"] = _variable("true_weight", result["true_weight"])
    for name in ("shadow_of", "shared_inputs"):
        if name in result:
            data[name] = _variable(name, result[name])
    for name in ("sta_low", "sta_high"):
        if name in result:
            data[name] = _variable(name, result[name], units)
    data["generated_spike_time"] = _variable("generated_spike_time", result["generated_step"] * dt)
    data["generated_spike_pair"] = _variable("generated_spike_pair", result["generated_pair"])
    coords = {
        "pair": _variable("pair", np.arange(len(result["pre"]), dtype=np.int64)),
        "lag": _variable("lag", np.arange(window, dtype=np.int64) * dt),
        "inference_method": _variable("inference_method", np.array(methods, dtype=object)),
    }
    snr = settings["snr"]
    summary = {
        "Conventions": CONVENTIONS,
        "title": f"voltage_to_wiring inference '{experiment}': {len(result['pre'])} pairs, "
        f"methods {', '.join(methods)}, on the "
        f"{'simulation' if recording.simulated else 'recording'} '{recording.name}'",
        "experiment": experiment,
        "simulation" if recording.simulated else "recording": recording.name,
        "voltage_units": recording.units,
        "methods": ",".join(methods),
        "alpha": settings["alpha"],
        "snr": "inf" if snr is None else snr,
        "noise_std": settings["noise_std"],
        "window": settings["window"]["seconds"],
        "duration": settings["duration"],
        "shuffles": np.int64(settings["shuffles"]),
        "settings_json": json.dumps(settings, sort_keys=True, allow_nan=False),
        "warnings": "\n".join(result.get("warnings", [])),
    }
    if recording.assumed:  # how a recording was read (a simulation's is exact)
        summary["assumed"] = "\n".join(recording.assumed)
    return xr.Dataset(data, coords, attrs={**summary, **(extra_attrs or {})})


def q_values(p):
    """Benjamini-Hochberg adjusted p-values (q-values) of all the pairs a method tested:
    ``min over j >= i of p_(j) m / j`` for the i-th smallest of ``m`` p-values, at most 1
    (Benjamini & Hochberg 1995; the step-up form of R's ``p.adjust`` and of
    ``scipy.stats.false_discovery_control``, which the tests compare it with; written here
    because importing scipy.stats costs each inference job 0.6 s)."""
    p = np.asarray(p, dtype=np.float64)
    order = np.argsort(p, kind="stable")
    ranked = p[order] * (len(p) / np.arange(1, len(p) + 1))
    np.minimum.accumulate(ranked[::-1], out=ranked[::-1])
    q = np.empty_like(ranked)
    q[order] = np.clip(ranked, 0.0, 1.0)
    return q
