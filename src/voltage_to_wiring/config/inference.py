"""The ``inference`` section: which recorded neurons to infer the inputs of, which spike trains
to test, the methods and their settings.

Its settings reach only the inference rules: changing them reruns inference and evaluation,
never the simulation. Resolved settings are SI (windows and durations in s, voltages in V).
"""

import math

from ..errors import ConfigError
from ..model import neurons
from ..units import SECOND, VOLT
from .checks import choice, count, quantity, refuse_unknown, seed_of
from .keys import SECTIONS

METHODS = ("sta", "matched")
TRAINS = ("top_rate", "inputs", "all")
KEYS = tuple(SECTIONS["inference"])
DEFAULTS = {
    "trains": "inputs",
    "top": 100,
    "unconnected": 100,
    "methods": list(METHODS),
    "window": "20 ms",
    "shuffles": 100,
    "alpha": 0.05,
    "clip": "v_t",
    "snr": "inf",
}


def resolve_inference(spec, params):
    """Resolved inference settings of an experiment whose simulation has resolved ``params``,
    or None if it has no ``inference`` section."""
    if spec is None:
        return None
    key = "inference"
    if not isinstance(spec, dict):
        raise ConfigError("must be a mapping of inference settings", key=key)
    refuse_unknown(spec, KEYS, key)
    settings = {**DEFAULTS, **spec}
    sim = params["sim"]
    resolved = {
        "neurons": _neurons(settings.get("neurons"), params),
        "trains": choice(settings["trains"], TRAINS, f"{key}.trains", "choice of trains"),
        "methods": _methods(settings["methods"]),
        "shuffles": count(settings["shuffles"], f"{key}.shuffles"),
        "alpha": _alpha(settings["alpha"]),
        "snr": _snr(settings["snr"]),
        "seed": seed_of({"seed": settings.get("seed", sim.get("seed", 0))}),
    }
    resolved["duration"] = _duration(settings.get("duration"), sim)
    resolved["window"] = _window(settings["window"], sim["dt"], resolved["duration"])
    resolved.update(_trains(settings, spec, resolved["trains"]))
    values = neurons.values_of(params, resolved["neurons"][0])
    resolved["clip"] = _clip(settings["clip"], params, values)
    height = neurons.of(params["neuron"]).height(values)
    resolved["spike_height"] = height
    resolved["noise_std"] = 0.0 if resolved["snr"] is None else height / resolved["snr"]
    return resolved


def _neurons(listed, params):
    key = "inference.neurons"
    record = params["record"]
    if listed is None:
        raise ConfigError("give the recorded neurons whose inputs to infer, e.g. [0]", key=key)
    if (
        not isinstance(listed, list)
        or not listed
        or not all(isinstance(i, int) and not isinstance(i, bool) for i in listed)
    ):
        raise ConfigError(f"must be a non-empty list of neuron indices, got {listed!r}", key=key)
    recorded = range(params["n"]) if record["neurons"] == "all" else record["neurons"]
    if "v" not in record["variables"]:
        raise ConfigError(
            "inference needs the membrane potential: add v to record.variables", key=key
        )
    missing = [i for i in listed if i not in recorded]
    if missing:
        raise ConfigError(
            f"neuron(s) {missing} are not recorded: add them to record.neurons", key=key
        )
    if len(set(listed)) != len(listed):
        raise ConfigError(f"lists a neuron twice: {listed}", key=key)
    return sorted(listed)


def _methods(methods):
    key = "inference.methods"
    if isinstance(methods, str):
        methods = [methods]
    if not isinstance(methods, list) or not methods:
        raise ConfigError(
            f"must be a list of methods, e.g. [sta, matched], got {methods!r}", key=key
        )
    for method in methods:
        choice(method, METHODS, key, "method")
    if len(set(methods)) != len(methods):
        raise ConfigError(f"lists a method twice: {methods}", key=key)
    return list(methods)


def _alpha(alpha):
    if isinstance(alpha, bool) or not isinstance(alpha, (int, float)) or not 0 < alpha < 1:
        raise ConfigError(
            f"must be a significance level between 0 and 1, got {alpha!r}", key="inference.alpha"
        )
    return float(alpha)


def _snr(snr):
    """None for no imaging noise (inf), else a positive number."""
    key = "inference.snr"
    if isinstance(snr, str) and snr.strip().lower() in ("inf", "infinity", "none"):
        return None
    if isinstance(snr, bool) or not isinstance(snr, (int, float)) or not snr > 0:
        raise ConfigError(
            f"must be a positive number, or inf for no imaging noise, got {snr!r}", key=key
        )
    return None if math.isinf(snr) else float(snr)


def _duration(duration, sim):
    """The recording time the inference uses (s): the first part of the recording."""
    recorded = sim["n_samples"] * sim["dt"]
    if duration is None:
        return recorded
    value = quantity(duration, SECOND, "inference.duration", positive=True)
    if value > recorded * (1 + 1e-9):
        raise ConfigError(
            f"{duration} is longer than the recording ({recorded:g} s)", key="inference.duration"
        )
    return value


def _window(window, dt, duration):
    value = quantity(window, SECOND, "inference.window", positive=True)
    if value < dt * (1 - 1e-9):
        raise ConfigError(
            f"a window of {window} is under one time step (dt = {dt * 1e3:g} ms)",
            key="inference.window",
        )
    if value >= duration:
        raise ConfigError(
            f"a window of {window} is not shorter than the recording used ({duration:g} s)",
            key="inference.window",
        )
    return {"seconds": value, "steps": int(round(value / dt))}


def _trains(settings, spec, trains):
    """{top (top_rate), unconnected} for the choice of trains."""
    key = "inference"
    resolved = {}
    if trains == "top_rate":
        resolved["top"] = count(settings["top"], f"{key}.top")
    elif "top" in spec:
        raise ConfigError(
            f"'top' is for trains: top_rate, not {trains}: remove it", key=f"{key}.top"
        )
    if trains == "all":
        if "unconnected" in spec:
            raise ConfigError(
                "with trains: all, every neuron that is not an input is tested: remove "
                "'unconnected'",
                key=f"{key}.unconnected",
            )
        return resolved
    unconnected = settings["unconnected"]
    if isinstance(unconnected, bool) or not isinstance(unconnected, int) or unconnected < 1:
        raise ConfigError(
            "needs unconnected trains to test (at least 1): without them no false positive "
            f"can be counted; got {unconnected!r}",
            key=f"{key}.unconnected",
        )
    resolved["unconnected"] = unconnected
    return resolved


def _clip(clip, params, values):
    """The level the voltage is clipped at (V), {percentile: P}, or None; ``values``: the
    recorded neuron's parameters (the default ``v_t`` is the model's threshold: v_t of
    Izhikevich's, V_T of AdEx, V_th of LIF)."""
    key = "inference.clip"
    if clip is None or (isinstance(clip, str) and clip.strip().lower() == "none"):
        return None
    if isinstance(clip, str) and clip.strip() in ("v_t", "threshold"):
        return {"level": values[neurons.of(params["neuron"]).threshold]}
    if isinstance(clip, dict):
        refuse_unknown(clip, ("percentile",), key)
        p = clip.get("percentile")
        if isinstance(p, bool) or not isinstance(p, (int, float)) or not 0 < p <= 100:
            raise ConfigError(f"percentile must lie in (0, 100], got {p!r}", key=key)
        return {"percentile": float(p)}
    return {"level": quantity(clip, VOLT, key)}
