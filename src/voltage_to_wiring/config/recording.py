"""The ``recording`` section: an experimenter's recording to infer from, instead of a
simulation.

```yaml
experiments:
  mine:
    recording:
      file: data/mine.nwb      # NWB or NPZ (by its suffix), relative to the working directory
      voltage: ImagingVoltage  # NWB: the voltage series' name (acquisition or processing),
                               #   or a list of them (several recorded neurons)
      neuron: 7                # the recorded neuron's own unit id (a list with several series)
      units: all               # the units (spike trains) to test: all, or a list of ids
      truth: false             # score against the file's ground_truth/synapses table
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
from .checks import refuse_unknown
from .keys import SECTIONS

FORMATS = {".nwb": "nwb", ".npz": "npz"}
KEYS = tuple(SECTIONS["recording"])


def resolve_recording(spec, name):
    """The resolved ``recording`` section of experiment ``name``."""
    key = "recording"
    if not isinstance(spec, dict):
        raise ConfigError("must be a mapping: file, voltage, neuron, units, truth", key=key)
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
        if (
            not isinstance(voltage, list)
            or not voltage
            or not all(isinstance(v, str) and v for v in voltage)
            or len(set(voltage)) != len(voltage)
        ):
            raise ConfigError(
                "name the voltage series of the NWB file (e.g. voltage: ImagingVoltage), or "
                "list them",
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
        if fmt == "nwb" and len(neuron) != len(voltage):
            raise ConfigError(
                f"gives {len(neuron)} unit id(s) for {len(voltage)} voltage series",
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
        "name": name,
        "file": str(path),
        "format": fmt,
        "voltage": voltage,
        "neuron": neuron,
        "units": units,
        "truth": truth,
    }
