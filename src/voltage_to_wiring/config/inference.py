"""The ``inference`` section: which recorded neurons to infer the inputs of, which spike trains
to test, the methods and their settings.

Its settings reach only the inference rules: changing them reruns inference and evaluation,
never the simulation. Resolved settings are SI (windows and durations in s, voltages in V).
"""

import math

from ..core import methods as declared
from ..core import neurons
from ..errors import ConfigError
from ..units import SECOND, VOLT
from .checks import choice, count, quantity, refuse_unknown, seed_of
from .imaging import resolve_imaged
from .keys import SECTIONS
from .trains import resolve_shadows, resolve_surrogates

METHODS = declared.NAMES
TRAINS = ("top_rate", "random", "inputs", "all")
KEYS = tuple(SECTIONS["inference"])
DEFAULTS = {
    "trains": "inputs",
    "per_type": 100,
    "unconnected": 100,
    "methods": list(declared.DEFAULTS),
    "window": "20 ms",
    "shuffles": 100,
    "alpha": 0.05,
    "clip": {"sd": 0.5},  # model-free: the median + 0.5 robust SD of the 2 ms-smoothed trace
    "snr": "inf",
    "surrogates": "isi_shuffle",
}


def resolve_inference(spec, params):
    """Resolved inference settings of an experiment whose simulation has resolved ``params``,
    or None if it has no ``inference`` section."""
    if spec is None:
        return None
    sim, record = params["sim"], params["record"]
    if "v" not in record["variables"]:
        raise ConfigError(
            "inference needs the membrane potential: add v to record.variables",
            key="inference.neurons",
        )
    recorded = range(params["n"]) if record["neurons"] == "all" else record["neurons"]
    if isinstance(spec, dict) and spec.get("imaging") is not None:
        return resolve_imaged(spec, params, recorded, _resolve, _snr)
    resolved = _resolve(spec, sim["dt"], sim["n_samples"], recorded, sim.get("seed", 0))
    values = neurons.values_of(params, resolved["neurons"][0])
    model = neurons.of(params["neuron"])
    if resolved["clip"] == "v_t":  # the model's threshold: v_t, V_T or V_th
        resolved["clip"] = {"level": values[model.threshold]}
    resolved["spike_height"] = height = model.height(values)
    resolved["noise_std"] = 0.0 if resolved["snr"] is None else height / resolved["snr"]
    return resolved


def resolve_recording_inference(spec, recording):
    """Resolved inference settings for a recording (no model, no imaging noise: the recording
    has its own; every recorded neuron and every train by default). ``recording`` tells
    ``dt``, ``n_samples``, ``neurons`` (recorded), ``units`` (of the voltage) and
    ``has_truth``: a :class:`~voltage_to_wiring.inference.recording.Recording`, or the facts
    of a recording file."""
    spec = dict(spec or {})
    if not recording.has_truth:
        for key in ("trains", "per_type", "unconnected", "shadows"):
            if key in spec and not (key == "trains" and spec[key] == "all"):
                raise ConfigError(
                    "without the true wiring every train is tested: remove it",
                    key=f"inference.{key}",
                )
    spec.setdefault("trains", "all")
    spec.setdefault("neurons", list(recording.neurons))
    if _snr(spec.get("snr", "inf")) is not None:
        raise ConfigError(
            "imaging noise is added to simulations only: a recording has its own noise",
            key="inference.snr",
        )
    if spec.get("imaging") is not None:
        raise ConfigError(
            "the simulated microscope images simulations: a recording was made by its own",
            key="inference.imaging",
        )
    if spec.get("clip") in ("v_t", "threshold"):
        raise ConfigError(
            "a recording has no model threshold: use {percentile: P}, {sd: k} or a level",
            key="inference.clip",
        )
    resolved = _resolve(
        spec, recording.dt, recording.n_samples, list(recording.neurons), 0, recording.units
    )
    resolved["spike_height"] = None
    resolved["noise_std"] = 0.0
    return resolved


def _resolve(spec, dt, n_samples, recorded, seed, units="V"):
    """The settings every source of data shares; ``clip`` may be left as ``v_t``."""
    key = "inference"
    if not isinstance(spec, dict):
        raise ConfigError("must be a mapping of inference settings", key=key)
    refuse_unknown(spec, KEYS, key)
    settings = {**DEFAULTS, **spec}
    resolved = {
        "neurons": _neurons(settings.get("neurons"), recorded),
        "trains": choice(settings["trains"], TRAINS, f"{key}.trains", "choice of trains"),
        "methods": _methods(settings["methods"]),
        "shuffles": count(settings["shuffles"], f"{key}.shuffles"),
        "alpha": _alpha(settings["alpha"]),
        "snr": _snr(settings["snr"]),
        "seed": seed_of({"seed": settings.get("seed", seed)}, "inference.seed"),
    }
    resolved["duration"] = _duration(settings.get("duration"), n_samples * dt)
    resolved["window"] = _window(settings["window"], dt, resolved["duration"], "window" in spec)
    resolved.update(_trains(settings, spec, resolved["trains"]))
    resolved["clip"] = _clip(settings["clip"], units)
    resolved["surrogates"] = resolve_surrogates(settings["surrogates"], dt)
    resolved["shadows"] = resolve_shadows(settings.get("shadows"), dt)
    return resolved


def _neurons(listed, recorded):
    key = "inference.neurons"
    if listed is None:
        raise ConfigError("give the recorded neurons whose inputs to infer, e.g. [0]", key=key)
    if (
        not isinstance(listed, list)
        or not listed
        or not all(isinstance(i, int) and not isinstance(i, bool) for i in listed)
    ):
        raise ConfigError(f"must be a non-empty list of neuron indices, got {listed!r}", key=key)
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


MIN_SNR = 1e-3  # the imaging noise's SD at most 1000 x the spike height


def _snr(snr):
    """None for no imaging noise (inf), else a positive number."""
    key = "inference.snr"
    if isinstance(snr, str) and snr.strip().lower() in ("inf", "infinity", "none"):
        return None
    if isinstance(snr, bool) or not isinstance(snr, (int, float)) or not snr > 0:
        raise ConfigError(
            f"must be a positive number, or inf for no imaging noise, got {snr!r}", key=key
        )
    if not math.isinf(snr) and snr < MIN_SNR:
        raise ConfigError(
            f"{snr!r} is below {MIN_SNR:g}: the imaging noise would be more than "
            f"{1 / MIN_SNR:g} x the spike height (nothing could be inferred; use e.g. 1 to 100)",
            key=key,
        )
    return None if math.isinf(snr) else float(snr)


def _duration(duration, recorded):
    """The recording time the inference uses (s): the first part of the recording."""
    if duration is None:
        return recorded
    value = quantity(duration, SECOND, "inference.duration", positive=True)
    if value > recorded * (1 + 1e-9):
        raise ConfigError(
            f"{duration} is longer than the recording ({recorded:g} s)", key="inference.duration"
        )
    return value


def _window(window, dt, duration, given=True):
    """{seconds, steps} of the STA window: a whole number of samples (a window given that is
    not one is refused; the default is rounded to one, for recordings at any rate)."""
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
    steps = value / dt
    whole = abs(steps - round(steps)) <= 1e-6 * steps
    if not given and not whole:
        return {"seconds": round(steps) * dt, "steps": int(round(steps))}
    if not whole:
        raise ConfigError(
            f"a window of {window} is not a whole number of time steps (dt = {dt * 1e3:g} ms): "
            f"use {round(steps) * dt * 1e3:g} ms",
            key="inference.window",
        )
    return {"seconds": value, "steps": int(round(steps))}


def _trains(settings, spec, trains):
    """{per_type (top_rate, random), unconnected} for the choice of trains."""
    key = "inference"
    resolved = {}
    if trains in ("top_rate", "random"):
        resolved["per_type"] = count(settings["per_type"], f"{key}.per_type")
    elif "per_type" in spec:
        raise ConfigError(
            f"'per_type' is for trains: top_rate or random, not {trains}: remove it",
            key=f"{key}.per_type",
        )
    if trains == "all" and "unconnected" not in spec:
        resolved["unconnected"] = 0  # every train that is not an input is tested already
        return resolved
    unconnected = settings["unconnected"]
    least = 0 if trains == "all" else 1
    if isinstance(unconnected, bool) or not isinstance(unconnected, int) or unconnected < least:
        raise ConfigError(
            "needs unconnected trains to test (at least 1): without them no false positive "
            f"can be counted; got {unconnected!r}"
            if least
            else f"must be a whole number of generated trains (>= 0), got {unconnected!r}",
            key=f"{key}.unconnected",
        )
    resolved["unconnected"] = unconnected
    return resolved


def _clip(clip, units):
    """The level the voltage is clipped at ({level: x}, in the voltage's units), {percentile:
    P}, {sd: k} (the median plus k robust standard deviations), None, or ``v_t`` (the
    model's threshold, resolved by the caller)."""
    key = "inference.clip"
    if clip is None or (isinstance(clip, str) and clip.strip().lower() == "none"):
        return None
    if isinstance(clip, str) and clip.strip() in ("v_t", "threshold"):
        return "v_t"
    if isinstance(clip, dict):
        refuse_unknown(clip, ("percentile", "sd"), key)
        if len(clip) != 1:
            raise ConfigError(f"give one of percentile or sd, got {clip!r}", key=key)
        if "sd" in clip:
            k = clip["sd"]
            if isinstance(k, bool) or not isinstance(k, (int, float)) or not k > 0:
                raise ConfigError(f"sd must be a positive number, got {k!r}", key=key)
            return {"sd": float(k)}
        p = clip["percentile"]
        if isinstance(p, bool) or not isinstance(p, (int, float)) or not 0 < p <= 100:
            raise ConfigError(f"percentile must lie in (0, 100], got {p!r}", key=key)
        return {"percentile": float(p)}
    if units != "V":  # a recording in arbitrary units: a plain number in them
        if isinstance(clip, bool) or not isinstance(clip, (int, float)):
            raise ConfigError(f"must be a number in the voltage's units, got {clip!r}", key=key)
        return {"level": float(clip)}
    return {"level": quantity(clip, VOLT, key)}
