"""The ``recording`` section: an experimenter's recording to infer from, instead of a
simulation.

```yaml
experiments:
  mine:
    recording:
      file: data/mine.nwb      # NWB or NPZ (by its suffix), relative to the working directory
      voltage: ImagingVoltage  # NWB: the voltage series' name or path (default: the only one),
                               #   or a list of them (several recorded neurons)
      rois: all                # of 2-D (frames x ROIs) data: all, or a list of ROI ids
      neuron: 7                # the recorded neuron's own unit id (a list: one per trace)
      units: all               # the units (spike trains) to test: all, or a list of ids
      truth: false             # score against the file's ground_truth/synapses table
      polarity: auto           # auto, positive or negative: does the trace rise with v?
      baseline: auto           # auto, none or a window (2 s): dF/F of fluorescence
    inference: {methods: [sta, matched]}
```

An experiment with a recording runs no simulation: it may hold only ``recording`` and
``inference``. The file's contents are checked where the settings need them (its sampling
rate and length, by the workflow before any job, see :func:`voltage_to_wiring.inference.
recording_files.facts`).
"""

from pathlib import Path

from ..errors import ConfigError
from ..files import not_a_file
from ..units import SECOND
from .checks import quantity, refuse_unknown
from .keys import SECTIONS

FORMATS = {".nwb": "nwb", ".npz": "npz"}
KEYS = tuple(SECTIONS["recording"])


def resolve_recording(spec, name):
    """The resolved ``recording`` section of experiment ``name``."""
    key = "recording"
    if not isinstance(spec, dict):
        raise ConfigError(f"must be a mapping: {', '.join(KEYS)}", key=key)
    refuse_unknown(spec, KEYS, key)
    if "file" not in spec or not isinstance(spec["file"], str) or not spec["file"].strip():
        raise ConfigError("give the recording's file (NWB or NPZ)", key=f"{key}.file")
    path = Path(spec["file"])
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise ConfigError(
            f"{spec['file']}: a recording is an NWB (.nwb) or NPZ (.npz) file", key=f"{key}.file"
        )
    problem = not_a_file(path)
    if problem:
        raise ConfigError(f"{spec['file']} {problem}", key=f"{key}.file")
    voltage = spec.get("voltage")
    if fmt == "nwb":
        voltage = [voltage] if isinstance(voltage, str) else voltage
        if voltage is not None and (
            not isinstance(voltage, list)
            or not voltage
            or not all(isinstance(v, str) and v for v in voltage)
            or len(set(voltage)) != len(voltage)
        ):
            raise ConfigError(
                "name the voltage series of the NWB file by name or path (e.g. voltage: "
                "ImagingVoltage, or processing/ophys/Fluorescence/RoiResponseSeries), or list "
                "them; without it, the file's only series",
                key=f"{key}.voltage",
            )
    elif voltage is not None:
        raise ConfigError("an NPZ recording's voltage is its array 'voltage'", key=f"{key}.voltage")
    neuron = spec.get("neuron")
    if neuron is not None:
        neuron = [neuron] if not isinstance(neuron, list) else neuron
        if not all(isinstance(i, int) and not isinstance(i, bool) for i in neuron) or len(
            set(neuron)
        ) != len(neuron):
            raise ConfigError(
                f"must be the recorded neuron's unit id (a list of distinct ids with several "
                f"series), got {spec.get('neuron')!r}",
                key=f"{key}.neuron",
            )
    units = spec.get("units", "all")
    if units != "all" and (
        not isinstance(units, list)
        or not units
        or not all(isinstance(i, int) and not isinstance(i, bool) for i in units)
        or len(set(units)) != len(units)
    ):
        raise ConfigError(
            f"must be all or a list of distinct unit ids, got {units!r}", key=f"{key}.units"
        )
    truth = spec.get("truth", False)
    if not isinstance(truth, bool):
        raise ConfigError(f"must be true or false, got {truth!r}", key=f"{key}.truth")
    return {
        **resolve_reading(spec, key),
        "name": name,
        "file": str(path),
        "format": fmt,
        "voltage": voltage,
        "neuron": neuron,
        "units": units,
        "truth": truth,
        "rois": _rois(spec.get("rois", "all"), f"{key}.rois"),
    }


POLARITIES = ("auto", "positive", "negative")


def resolve_reading(spec, key="recording"):
    """``{polarity, baseline}`` of a recording section (or the API's arguments): polarity
    auto, positive or negative; baseline auto, none or a window (s, a float or a duration
    such as ``5 s``). See ``inference/conditioning.py``."""
    polarity = spec.get("polarity", "auto")
    if polarity not in POLARITIES:
        raise ConfigError(
            f"must be one of {', '.join(POLARITIES)} (does the trace rise with "
            f"depolarisation?), got {polarity!r}",
            key=f"{key}.polarity",
        )
    baseline = spec.get("baseline", "auto")
    if baseline not in ("auto", "none"):
        if isinstance(baseline, (int, float)) and not isinstance(baseline, bool):
            window = float(baseline)
        else:
            window = quantity(baseline, SECOND, f"{key}.baseline")
        if not window > 0 or window == float("inf"):
            raise ConfigError(
                f"must be auto, none or a window such as 2 s, got {baseline!r}",
                key=f"{key}.baseline",
            )
        baseline = window
    return {"polarity": polarity, "baseline": baseline}


def _rois(rois, key):
    if rois == "all":
        return rois
    if (
        not isinstance(rois, list)
        or not rois
        or not all(isinstance(i, int) and not isinstance(i, bool) for i in rois)
        or len(set(rois)) != len(rois)
    ):
        raise ConfigError(f"must be all or a list of distinct ROI ids, got {rois!r}", key=key)
    return rois
