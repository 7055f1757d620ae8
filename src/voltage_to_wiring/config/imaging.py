"""``inference.imaging``: the simulated microscope a simulation's neuron is recorded through
(see ``inference/microscope.py``), instead of the ideal trace (every sample of v, plus white
noise of ``inference.snr``).

```yaml
inference:
  neurons: [0]
  imaging:
    frame_rate: 1 kHz      # frames per second
    exposure: 1 ms         # each frame integrates the fluorescence this long (default: the
                           #   whole frame)
    rise: 1 ms             # the indicator's kinetics: a rise and a decay time constant
    decay: 5 ms
    sensitivity: -0.5 %/mV # dF/F per volt (negative: dims with depolarisation, ASAP, Voltron)
    photons: 10000         # per frame at rest: shot noise (Poisson) ...
    read_noise: 10         # ... plus the camera's read noise (photons, SD)
    snr: 10                # or, instead of photons: a spike's dF over the per-frame noise SD
    bleaching: 200 s       # time constant of the fluorescence's exponential decay (or none)
    jitter: 20 us          # SD of the frame times (timestamps); 0 for none
    dropped: 0.001         # fraction of frames the camera drops
```

Resolved (SI): every key above, ``period`` (1 / frame_rate) and ``photons`` or ``snr`` (the
other None).
"""

from ..core import neurons
from ..errors import ConfigError
from ..units import PER_SECOND, SECOND
from .checks import quantity, refuse_unknown

KEYS = (
    "frame_rate",
    "exposure",
    "rise",
    "decay",
    "sensitivity",
    "photons",
    "snr",
    "read_noise",
    "bleaching",
    "jitter",
    "dropped",
)
DEFAULTS = {
    "frame_rate": "1 kHz",
    "rise": "1 ms",
    "decay": "5 ms",
    "sensitivity": "-0.5 %/mV",
    "read_noise": 10,
    "bleaching": "200 s",
    "jitter": "0 s",
    "dropped": 0,
}
PHOTONS = 10_000  # per frame at rest, unless snr or photons is given


def resolve_imaging(spec, dt, duration):
    """The resolved imaging of a simulation sampled every ``dt`` s for ``duration`` s."""
    key = "inference.imaging"
    if not isinstance(spec, dict):
        raise ConfigError(
            "must be a mapping of the microscope's settings (see The config)", key=key
        )
    refuse_unknown(spec, KEYS, key)
    given = {**DEFAULTS, **spec}
    rate = quantity(given["frame_rate"], PER_SECOND, f"{key}.frame_rate", positive=True)
    period = 1.0 / rate
    if period < dt * (1 - 1e-9) or period > duration / 10:
        raise ConfigError(
            f"a frame of {period * 1e3:g} ms must last at least one step of the simulation "
            f"(dt = {dt * 1e3:g} ms) and a tenth of its {duration:g} s at most",
            key=f"{key}.frame_rate",
        )
    resolved = {"frame_rate": rate, "period": period}
    exposure = given.get("exposure", period)
    resolved["exposure"] = period if exposure == period else _time(exposure, f"{key}.exposure")
    if not dt * (1 - 1e-9) <= resolved["exposure"] <= period * (1 + 1e-9):
        raise ConfigError(
            f"must last from one simulation step ({dt * 1e3:g} ms) to one frame "
            f"({period * 1e3:g} ms)",
            key=f"{key}.exposure",
        )
    resolved["rise"] = _time(given["rise"], f"{key}.rise", zero=True)
    resolved["decay"] = _time(given["decay"], f"{key}.decay")
    if not resolved["rise"] < resolved["decay"]:
        raise ConfigError("the rise must be faster than the decay", key=f"{key}.rise")
    resolved["sensitivity"] = quantity(given["sensitivity"], "1/V", f"{key}.sensitivity")
    if resolved["sensitivity"] == 0:
        raise ConfigError(
            "an indicator of no sensitivity records nothing", key=f"{key}.sensitivity"
        )
    resolved.update(_noise(given, spec, key))
    resolved["bleaching"] = (
        None
        if str(given["bleaching"]).strip().lower() in ("none", "inf")
        else _time(given["bleaching"], f"{key}.bleaching")
    )
    resolved["jitter"] = _time(given["jitter"], f"{key}.jitter", zero=True)
    if resolved["jitter"] > period / 20:  # the reader takes up to a tenth (clocks.py)
        raise ConfigError(
            f"a jitter over a twentieth of a frame ({period * 1e3:g} ms) is not a camera's",
            key=f"{key}.jitter",
        )
    resolved["dropped"] = _fraction(given["dropped"], f"{key}.dropped")
    return resolved


def _noise(given, spec, key):
    if "photons" in spec and "snr" in spec:
        raise ConfigError("give photons or snr, not both (one sets the other)", key=f"{key}.snr")
    photons = spec.get("photons", None if "snr" in spec else PHOTONS)
    out = {"photons": None, "snr": None}
    if photons is not None:
        out["photons"] = _positive(photons, f"{key}.photons")
    else:
        out["snr"] = _positive(spec["snr"], f"{key}.snr")
    out["read_noise"] = _positive(given["read_noise"], f"{key}.read_noise", zero=True)
    return out


def _time(value, key, zero=False):
    seconds = quantity(value, SECOND, key)
    if not (seconds >= 0 if zero else seconds > 0) or seconds == float("inf"):
        raise ConfigError(
            f"must be a {'' if zero else 'positive '}duration, got {value!r}", key=key
        )
    return seconds


def _positive(value, key, zero=False):
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ConfigError(f"must be a number, got {value!r}", key=key)
    if not (value >= 0 if zero else value > 0) or value == float("inf"):
        raise ConfigError(
            f"must be a finite number {'>= 0' if zero else '> 0'}, got {value!r}", key=key
        )
    return float(value)


def _fraction(value, key):
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value < 0.5:
        raise ConfigError(f"must be a fraction of the frames in [0, 0.5), got {value!r}", key=key)
    return float(value)


def n_frames(imaging, duration):
    """How many frames a camera takes of ``duration`` s: each frame's exposure within it."""
    return int((duration - imaging["exposure"]) / imaging["period"] + 1e-9) + 1


def resolve_imaged(spec, params, recorded, resolve_common, snr_of):
    """The settings of an inference from the simulated microscope's frames
    (``inference.imaging``): a sample is a frame, the trace is fluorescence (dF/F once
    conditioned), the noise is the camera's. ``resolve_common`` and ``snr_of`` are
    :mod:`.inference`'s (the settings every source of data shares)."""
    sim, key = params["sim"], "inference"
    imaging = resolve_imaging(spec["imaging"], sim["dt"], sim["duration"])
    if snr_of(spec.get("snr", "inf")) is not None:
        raise ConfigError(
            "with imaging the noise is the camera's: give imaging.photons or imaging.snr",
            key=f"{key}.snr",
        )
    if spec.get("clip") in ("v_t", "threshold"):
        raise ConfigError(
            "imaged frames are fluorescence (dF/F): clip at {percentile: P}, {sd: k} or a level",
            key=f"{key}.clip",
        )
    others = {k: v for k, v in spec.items() if k != "imaging"}
    n = n_frames(imaging, sim["duration"])
    resolved = resolve_common(others, imaging["period"], n, recorded, sim.get("seed", 0), "dF/F")
    resolved["imaging"] = imaging
    resolved["spike_height"] = neurons.of(params["neuron"]).height(
        neurons.values_of(params, resolved["neurons"][0])
    )
    resolved["noise_std"] = 0.0
    return resolved
