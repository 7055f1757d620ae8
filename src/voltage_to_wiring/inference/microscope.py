"""A simulated microscope: what a camera records of a simulated neuron through a voltage
indicator (``inference.imaging``, resolved by ``config/imaging.py``).

For the membrane potential v (sampled every dt), relative to its median ``v_rest``:

1. **Indicator kinetics**: ``x`` is ``v - v_rest`` through a rise and a decay, the unit-area
   kernel ``(exp(-t / decay) - exp(-t / rise)) / (decay - rise)``: the difference of two
   first-order low-passes, ``(decay L_decay - rise L_rise) / (decay - rise)``, each
   ``L[n] = a L[n-1] + (1 - a) u[n]``, ``a = exp(-dt / tau)`` (exponential Euler).
2. **Fluorescence**: ``F = F0 b(t) (1 + sensitivity x)``, ``b = exp(-t / bleaching)``;
   ``F0`` photons per frame at rest.
3. **Camera**: frame k starts at ``k / frame_rate`` plus Gaussian jitter and integrates F
   over its exposure (the mean of the samples within it); some frames are dropped; each
   frame's photons are Poisson, plus Gaussian read noise.
4. **Per-frame SNR**, as labs state it: a spike's dF per frame (the median over the
   neuron's own spikes of the largest excursion, in the indicator's direction, of the
   noiseless frames from the one exposed at the spike to 10 ms after it) over the
   per-frame noise SD at rest (``sqrt(F0 + read_noise^2)``). Given ``snr``, ``F0`` is the
   one that gives it: ``F0 k / sqrt(F0 + r^2) = snr`` for a relative spike amplitude ``k``.

The frames and their timestamps then go through the same reading as a lab's file
(:mod:`.clocks`, :mod:`.conditioning`: dF/F, the indicator's polarity, which the simulation
knows): the NWB export writes them in the ophys layout, and reading that file back gives the
same recording.
"""

from dataclasses import dataclass

import numpy as np

from .. import rng as rng_module
from ..config.imaging import n_frames
from ..errors import ConfigError
from . import clocks, from_arrays
from .sta import low_pass

SPIKE_WINDOW = 10e-3  # s after a spike in which its largest dF per frame is looked for


@dataclass
class Camera:
    """A camera's frames: when each was taken (s), and which of them it kept."""

    starts: np.ndarray  # s: every frame's start (jittered)
    kept: np.ndarray  # bool: the frames not dropped


def camera(imaging, duration, seed):
    """The frame times of a camera recording ``duration`` s (one clock for every neuron)."""
    n = n_frames(imaging, duration)
    rng = rng_module.generator(seed, "microscope_clock")
    starts = np.arange(n) * imaging["period"]
    if imaging["jitter"]:
        starts = starts + rng.normal(0.0, imaging["jitter"], n)
        starts = np.clip(starts, 0.0, duration - imaging["exposure"])
    kept = rng.random(n) >= imaging["dropped"]
    kept[0] = kept[-1] = True  # the recording's span is the camera's
    return Camera(starts, kept)


def indicator(v, dt, imaging):
    """The indicator's relative fluorescence ``1 + sensitivity x`` of ``v`` (V), per sample."""
    u = np.asarray(v, dtype=np.float64) - np.median(v)
    rise, decay = imaging["rise"], imaging["decay"]
    slow = _low_pass(u, decay, dt)
    x = slow if rise == 0 else (decay * slow - rise * _low_pass(u, rise, dt)) / (decay - rise)
    return np.maximum(1.0 + imaging["sensitivity"] * x, 0.0)


def _low_pass(u, tau, dt):
    return low_pass(u, np.exp(-dt / tau))


def exposed(relative, dt, imaging, cam):
    """Each frame's mean of ``relative`` over its exposure, and its bleaching factor."""
    first = np.round(cam.starts / dt).astype(np.int64)
    width = max(1, int(round(imaging["exposure"] / dt)))
    last = np.minimum(first + width, len(relative))
    sums = np.concatenate([[0.0], np.cumsum(relative)])
    mean = (sums[last] - sums[first]) / (last - first)
    middle = cam.starts + imaging["exposure"] / 2
    bleach = 1.0 if imaging["bleaching"] is None else np.exp(-middle / imaging["bleaching"])
    return mean, bleach


def spike_amplitude(mean, imaging, cam, spike_times):
    """A spike's relative dF per frame (see the module's docstring), or None without
    spikes."""
    if len(spike_times) == 0:
        return None
    sign = np.sign(imaging["sensitivity"])
    after = int(np.ceil(SPIKE_WINDOW / imaging["period"]))
    # from the frame whose exposure holds the spike (a fast indicator's whole dF is there)
    first = np.searchsorted(cam.starts + imaging["exposure"], spike_times, side="right")
    peaks = [
        np.max(sign * (mean[k : k + after] - 1.0)) for k in first.tolist() if k + after <= len(mean)
    ]
    return float(np.median(peaks)) if peaks else None


def photons_for(snr, k, read_noise):
    """The photons per frame at rest for a per-frame SNR ``snr`` of a relative spike
    amplitude ``k``: the root of ``F0^2 k^2 = snr^2 (F0 + r^2)``."""
    s2 = snr * snr
    return (s2 + np.sqrt(s2 * s2 + 4 * k * k * s2 * read_noise**2)) / (2 * k * k)


def frames(v, dt, imaging, cam, seed, neuron, spike_times):
    """The photons of each kept frame of ``v``, and what it took, in a sentence."""
    mean, bleach = exposed(indicator(v, dt, imaging), dt, imaging, cam)
    k = spike_amplitude(mean, imaging, cam, spike_times)
    read = imaging["read_noise"]
    if imaging["snr"] is not None:
        if k is None or k <= 0:
            raise ConfigError(
                f"neuron {neuron} has no spike to state a per-frame SNR by: give "
                "imaging.photons instead",
                key="inference.imaging.snr",
            )
        f0 = photons_for(imaging["snr"], k, read)
    else:
        f0 = imaging["photons"]
    rng = rng_module.generator(seed, "microscope_noise", neuron)
    expected = f0 * bleach * mean
    counts = rng.poisson(expected).astype(np.float64) + rng.normal(0.0, read, len(expected))
    snr = "no spike" if not k else f"{f0 * k / np.sqrt(f0 + read * read):.3g}"
    said = (
        f"neuron {neuron} imaged: {f0:.4g} photons per frame at rest, a spike's dF/F per "
        f"frame {100 * (k or 0):.3g} %, per-frame SNR {snr}"
    )
    return counts[cam.kept], said


def through(recording, settings):
    """``recording`` as the inference reads it: a simulation's through the microscope of
    ``settings["imaging"]`` if it has one, else as it is."""
    return imaged(recording, settings) if settings.get("imaging") else recording


@dataclass
class Frames:
    """What the camera recorded: the kept frames' start times (s) and each neuron's photons
    per kept frame, and what it took, in sentences."""

    timestamps: np.ndarray
    photons: dict  # recorded neuron -> photons per frame
    said: list


def record(recording, settings, trains=None):
    """The :class:`Frames` the microscope of ``settings["imaging"]`` records of each neuron
    of ``settings["neurons"]`` of the simulated ``recording`` (``trains``: its
    :meth:`~.recording.Recording.spike_times`, if already grouped)."""
    imaging, seed, dt = settings["imaging"], settings["seed"], recording.dt
    cam = camera(imaging, recording.n_samples * dt, seed)
    trains = recording.spike_times() if trains is None else trains
    photons, said = {}, [describe(imaging)]
    for post in settings["neurons"]:
        own = trains.get(recording.own_train.get(post), np.zeros(0))
        photons[post], sentence = frames(
            recording.voltages[post], dt, imaging, cam, seed, post, own
        )
        said.append(sentence)
    return Frames(cam.starts[cam.kept], photons, said)


def imaged(recording, settings):
    """The recording the microscope of ``settings["imaging"]`` makes of the simulated
    ``recording``: its :class:`Frames` read as a lab's file would be."""
    trains = recording.spike_times()
    recorded = record(recording, settings, trains)
    grid = clocks.grid(recorded.timestamps, "the simulated camera")
    polarity = "negative" if settings["imaging"]["sensitivity"] < 0 else "positive"
    out = from_arrays.recording(
        recording.name,
        {post: grid.placed(v) for post, v in recorded.photons.items()},
        grid.rate,
        trains,
        units="photons",
        start=grid.start,
        where={
            "voltage": {post: f"neuron {post}'s frames" for post in recorded.photons},
            "rate": "the simulated camera",
            "trains": "the simulation's spike trains",
        },
        reading={"polarity": polarity},
        said=recorded.said + grid.said,
    )
    out.truth, out.own_train, out.simulated = recording.truth, recording.own_train, True
    out.common_inputs = recording.common_inputs
    return out


def describe(imaging):
    """The microscope, in a sentence."""
    ms = {k: imaging[k] * 1e3 for k in ("exposure", "rise", "decay")}
    noise = (
        f"per-frame SNR {imaging['snr']:g}"
        if imaging["snr"] is not None
        else f"{imaging['photons']:g} photons per frame at rest"
    )
    bleaching = "none" if imaging["bleaching"] is None else f"{imaging['bleaching']:g} s"
    per_mv = imaging["sensitivity"] * 100 / 1e3  # 1/V -> % per mV
    return (
        f"simulated microscope: {imaging['frame_rate']:g} Hz frames of {ms['exposure']:g} ms "
        f"exposure, an indicator of rise {ms['rise']:g} ms and decay {ms['decay']:g} ms, "
        f"sensitivity {per_mv:g} %/mV, {noise} (shot noise) and read noise "
        f"{imaging['read_noise']:g}, bleaching {bleaching}, jitter {imaging['jitter'] * 1e6:g} "
        f"us, {100 * imaging['dropped']:g} % of frames dropped"
    )
