"""Every way in refuses what cannot be analysed, in one line naming where and what (issue 35).

A catalogue of mutations of one small planted recording, for the Python API and for each
recording file format: permuted, duplicated, NaN, mistyped and mis-shaped inputs. Each is
either refused with a ConfigError whose one-line message names the argument (or file) and
the problem, or gives exactly the clean twin's answer: the API's dataset bit for bit, a
reader's Recording array for array (the inference is a function of the Recording and the
settings; tests/test_recording_inputs.py shows a reader's answer is the API's). Hypothesis
draws where each mutation strikes (which train, which spike, which sample) and the orders.
"""

import functools
import re
from datetime import UTC, datetime

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from voltage_to_wiring.errors import ConfigError
from voltage_to_wiring.inference import recording_files
from voltage_to_wiring.inference.api import infer_inputs

from conftest import assert_bits_equal
from planted import RATE, add_ophys, planted

SAME = "the clean twin's answer"
SETTINGS = {"shuffles": 10, "seed": 3, "methods": ["sta", "matched"]}
IDS = [40, 7, 12, 99, 3, 58]
RANDOM = st.randoms(use_true_random=False)
EXAMPLES = settings(
    max_examples=4, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@functools.cache
def clean():
    """The voltage (2 s), {unit id: spike times} and the clean twin's API answer."""
    y, trains, _ = planted(seconds=2, n_exc=2, n_inh=2, n_other=2)
    trains = dict(zip(IDS, trains, strict=True))
    return y, trains, infer_inputs(y, RATE, trains, settings=SETTINGS)


def _train(random, trains):
    return random.choice(sorted(trains))


def _with(trains, unit, times):
    return {**trains, unit: times}


def _spike_into(random, trains, value):
    unit = _train(random, trains)
    times = trains[unit].copy()
    times[random.randrange(len(times))] = value
    return _with(trains, unit, times), unit


def _outside(random, trains, end):
    """Spikes added before the voltage's first sample and after its end (ms to s away)."""
    unit = _train(random, trains)
    extra = [-random.uniform(0.001, 5), end + random.uniform(0.001, 5)]
    return _with(trains, unit, np.concatenate([trains[unit], extra]))


def _permuted(random, trains):
    order = sorted(trains)
    random.shuffle(order)
    out = {}
    for unit in order:
        times = list(trains[unit])
        random.shuffle(times)
        out[unit] = np.array(times)
    return out


# name -> (mutate(random, y, trains) -> (kwargs of infer_inputs, expected)); expected is SAME
# or a regular expression the refusal must match.
def api_cases():
    return {
        "trains and spikes permuted": lambda r, y, t: ({"trains": _permuted(r, t)}, SAME),
        "trains as lists, ids as numpy integers": lambda r, y, t: (
            {"trains": {np.int64(k): list(v) for k, v in t.items()}},
            SAME,
        ),
        "voltage as a list": lambda r, y, t: ({"voltage": y.tolist()}, SAME),
        "rate as numpy int64": lambda r, y, t: ({"rate": np.int64(RATE)}, SAME),
        "rate as numpy float32": lambda r, y, t: ({"rate": np.float32(RATE)}, SAME),
        "rate as a 0-d array": lambda r, y, t: ({"rate": np.array(float(RATE))}, SAME),
        "a NaN spike": lambda r, y, t: _refused(
            _spike_into(r, t, np.nan), r"argument 'trains', unit {unit}: spike times must be finite"
        ),
        "an infinite spike": lambda r, y, t: _refused(
            _spike_into(r, t, np.inf), r"argument 'trains', unit {unit}: spike times must be finite"
        ),
        "spikes outside the voltage (not tested)": lambda r, y, t: (
            {"trains": _outside(r, t, len(y) / RATE)},
            SAME,
        ),
        "every spike outside the voltage": lambda r, y, t: (
            {"trains": {u: v + len(y) / RATE + r.uniform(0.01, 5) for u, v in t.items()}},
            r"argument 'trains': no spike of any train falls within the voltage's 2 s: are the "
            r"spike times in s, on the voltage's clock\?",
        ),
        "a NaN sample": lambda r, y, t: (
            {"voltage": _sample_into(r, y, np.nan)},
            r"argument 'voltage' holds NaN or infinite samples \(1 of",
        ),
        "voltage of strings": lambda r, y, t: (
            {"voltage": y.astype(str)},
            r"argument 'voltage' must be a 1-D array of samples, got .* \(dtype <U",
        ),
        "voltage 2-D": lambda r, y, t: (
            {"voltage": y.reshape(-1, 2)},
            r"argument 'voltage' must be a 1-D array of samples \(at least 2\), got shape",
        ),
        "voltage of one sample": lambda r, y, t: (
            {"voltage": y[:1]},
            r"argument 'voltage' must be a 1-D array .* got shape \(1,\)",
        ),
        "voltage constant": lambda r, y, t: (
            {"voltage": np.full_like(y, r.uniform(-1, 1))},
            r"argument 'voltage' is constant \(.* over \d+ samples\): there is nothing to infer",
        ),
        "voltage scaled to overflow": lambda r, y, t: (
            {"voltage": y * 10.0 ** r.randint(101, 307)},
            r"argument 'voltage' has samples up to .* the inference's sums would overflow",
        ),
        "voltages of different lengths": lambda r, y, t: (
            {"voltage": {0: y, 1: y[: -r.randint(1, 100)]}},
            r"argument 'voltage': the recorded neurons' voltages differ in length",
        ),
        "neuron label a string": lambda r, y, t: (
            {"voltage": {"soma": y}},
            r"argument 'voltage': neuron labels: unit ids must be whole numbers, got 'soma'",
        ),
        "a flat array of spike times": lambda r, y, t: (
            {"trains": t[_train(r, t)]},
            r"argument 'trains' must be a list of spike-time arrays, one per train; got a flat",
        ),
        "trains a string": lambda r, y, t: (
            {"trains": "spikes.csv"},
            r"argument 'trains' must be a list of spike-time arrays \(s\), one per train, or",
        ),
        "trains None": lambda r, y, t: (
            {"trains": None},
            r"argument 'trains' must be a list of spike-time arrays .* got NoneType",
        ),
        "no trains": lambda r, y, t: (
            {"trains": {}},
            r"argument 'trains': no spike trains to test",
        ),
        "a 2-D train": lambda r, y, t: _refused(
            _replace(r, t, lambda v: v[: len(v) // 2 * 2].reshape(-1, 2)),
            r"argument 'trains', unit {unit}: spike times must be a 1-D array, got shape",
        ),
        "a train of strings": lambda r, y, t: _refused(
            _replace(r, t, lambda v: v.astype(str)),
            r"argument 'trains', unit {unit} must be a 1-D array of spike times \(s\), got",
        ),
        "a fractional unit id": lambda r, y, t: (
            {"trains": {**t, 2.5: t[IDS[0]]}},
            r"argument 'trains': unit ids must be whole numbers, got \[2.5\]",
        ),
        "a NaN unit id": lambda r, y, t: (
            {"trains": {**t, float("nan"): t[IDS[0]]}},
            r"argument 'trains': unit ids must be whole numbers, got \[nan\]",
        ),
        "a boolean unit id": lambda r, y, t: (
            {"trains": {True: t[IDS[0]]}},
            r"argument 'trains': unit ids must be whole numbers, got True",
        ),
        "a string unit id": lambda r, y, t: (
            {"trains": {"u7": t[IDS[0]]}},
            r"argument 'trains': unit ids must be whole numbers, got 'u7'",
        ),
        "rate zero": lambda r, y, t: ({"rate": 0}, r"argument 'rate' \(the sampling rate\) must"),
        "rate infinite": lambda r, y, t: (
            {"rate": np.inf},
            r"argument 'rate' \(the sampling rate\) must be a finite number > 0 \(Hz\), got inf",
        ),
        "rate NaN": lambda r, y, t: ({"rate": np.nan}, r"must be a finite number > 0 \(Hz\)"),
        "rate negative": lambda r, y, t: ({"rate": -RATE}, r"must be a finite number > 0"),
        "rate a string": lambda r, y, t: ({"rate": "10 kHz"}, r"must be one number \(Hz\), got"),
        "rate a list": lambda r, y, t: (
            {"rate": [RATE] * r.randint(1, 3)},
            r"argument 'rate' \(the sampling rate\) must be one number \(Hz\), got an array",
        ),
        "rate nested": lambda r, y, t: (
            {"rate": [[RATE]]},
            r"must be one number .* shape \(1, 1\)",
        ),
        "rate a boolean": lambda r, y, t: ({"rate": True}, r"must be one number \(Hz\), got True"),
        "rate None": lambda r, y, t: ({"rate": None}, r"must be one number \(Hz\), got None"),
        "settings not a mapping": lambda r, y, t: (
            {"settings": ["sta"]},
            r"argument 'settings' must be a mapping of inference settings",
        ),
        "units not a string": lambda r, y, t: (
            {"units": 1e-3},
            r"arguments 'units' and 'name' must be strings",
        ),
        "truth of the wrong length": lambda r, y, t: (
            {"truth": [1] * r.randint(1, 5)},
            r"argument 'truth' gives \d signs for 6 trains",
        ),
        "truth naming another unit": lambda r, y, t: (
            {"truth": {0: {1000: 1}}},
            r"argument 'truth', neuron 0: unit 1000 is not among the trains",
        ),
        "truth with a sign of 2": lambda r, y, t: (
            {"truth": {0: {IDS[0]: 2}}},
            r"argument 'truth', neuron 0, unit 40: a sign must be \+1 \(excitatory\) or -1",
        ),
    }


def _refused(mutated, pattern):
    trains, unit = mutated
    return {"trains": trains}, pattern.replace("{unit}", str(unit))


def _replace(random, trains, change):
    unit = _train(random, trains)
    return _with(trains, unit, change(trains[unit])), unit


def _sample_into(random, y, value):
    y = y.copy()
    y[random.randrange(len(y))] = value
    return y


API_CASES = api_cases()


def assert_refused(call, pattern, prefix=""):
    """``call()`` raises a ConfigError of one line, starting with ``prefix`` (a regular
    expression: where), that holds ``pattern`` (what)."""
    with pytest.raises(ConfigError) as refused:
        call()
    message = str(refused.value)
    assert "\n" not in message, message
    assert re.match(prefix, message), f"{message!r} does not start with {prefix!r}"
    assert re.search(pattern, message), f"{message!r} does not match {pattern!r}"


def file_prefix(path):
    return rf"key 'recording(\.\w+)?': {re.escape(str(path))}: "


@pytest.mark.parametrize("case", API_CASES)
@EXAMPLES
@given(random=RANDOM)
def test_the_api_refuses_or_gives_the_clean_answer(case, random):
    y, trains, twin = clean()
    kwargs, expected = API_CASES[case](random, y, trains)
    given_kwargs = {"voltage": y, "rate": RATE, "trains": trains, "settings": SETTINGS, **kwargs}
    if expected is SAME:
        ds = infer_inputs(**given_kwargs)
        for name in (v for v in twin.data_vars if v != "seconds"):
            assert_bits_equal(ds[name].values, twin[name].values, name)
    else:
        assert_refused(lambda: infer_inputs(**given_kwargs), expected)


# The NPZ format: name -> (arrays(random, clean arrays) -> (arrays to save, extra spec,
# expected)); written with numpy.savez, read as the pipeline reads it.
def _npz_clean():
    y, trains, _ = clean()
    times = np.concatenate([trains[u] for u in IDS])
    owner = np.concatenate([np.full(len(trains[u]), u) for u in IDS])
    return {"voltage": y, "rate": float(RATE), "spike_times": times, "spike_units": owner}


def _shuffled_spikes(random, z):
    order = list(range(len(z["spike_times"])))
    random.shuffle(order)
    return {**z, "spike_times": z["spike_times"][order], "spike_units": z["spike_units"][order]}


def _one_unit_value(random, z, value):
    units = z["spike_units"].astype(np.float64)
    units[random.randrange(len(units))] = value
    return {**z, "spike_units": units}


def _without(z, name):
    arrays = {k: v for k, v in z.items() if k != name}
    return arrays, {}, rf"lacks the arrays \['{name}'\] \(has \[.*\]\)"


TRUTH = {"truth_pre": np.array([40, 7]), "truth_type": np.array([1, -1])}
NPZ_CASES = {
    "spikes in any order": lambda r, z: (_shuffled_spikes(r, z), {}, SAME),
    "unit ids as whole floats": lambda r, z: (
        {**z, "spike_units": z["spike_units"].astype(np.float64)},
        {},
        SAME,
    ),
    "unit ids as int32": lambda r, z: (
        {**z, "spike_units": z["spike_units"].astype(np.int32)},
        {},
        SAME,
    ),
    "rate as an integer": lambda r, z: ({**z, "rate": np.int64(RATE)}, {}, SAME),
    "a NaN unit id": lambda r, z: (
        _one_unit_value(r, z, np.nan),
        {},
        r"array 'spike_units': unit ids must be whole numbers, got \[nan\]",
    ),
    "a fractional unit id": lambda r, z: (
        _one_unit_value(r, z, 7.5),
        {},
        r"array 'spike_units': unit ids must be whole numbers, got \[7.5\]",
    ),
    "rate of shape (3,)": lambda r, z: (
        {**z, "rate": np.full(3, RATE)},
        {},
        r"array 'rate' must be one number \(Hz\), got an array of shape \(3,\)",
    ),
    "rate [[1e4]]": lambda r, z: ({**z, "rate": np.array([[1e4]])}, {}, r"shape \(1, 1\)"),
    "rate a string": lambda r, z: ({**z, "rate": np.array("10 kHz")}, {}, r"array 'rate' must"),
    "rate infinite": lambda r, z: ({**z, "rate": np.inf}, {}, r"array 'rate' must be a finite"),
    "voltage of strings": lambda r, z: (
        {**z, "voltage": z["voltage"].astype(str)},
        {},
        r"array 'voltage' must be a 1-D array of samples",
    ),
    "voltage 2-D": lambda r, z: ({**z, "voltage": z["voltage"].reshape(2, -1)}, {}, r"shape \(2,"),
    "voltage constant": lambda r, z: (
        {**z, "voltage": np.zeros(len(z["voltage"]))},
        {},
        "constant",
    ),
    "spike arrays of different lengths": lambda r, z: (
        {**z, "spike_units": z["spike_units"][: -r.randint(1, 10)]},
        {},
        r"arrays 'spike_times' and 'spike_units' differ in length",
    ),
    "spike times of strings": lambda r, z: (
        {**z, "spike_times": z["spike_times"].astype(str)},
        {},
        r"array 'spike_times' must be a 1-D array of numbers",
    ),
    "a missing array": lambda r, z: _without(z, r.choice(sorted(z))),
    "voltage_units not a string": lambda r, z: (
        {**z, "voltage_units": np.array([1.0, 2.0])},
        {},
        r"array 'voltage_units' must be one string",
    ),
    "truth arrays of different lengths": lambda r, z: (
        {**z, **TRUTH, "truth_weight": np.ones(r.choice([1, 3]))},
        {"truth": True},
        r"the truth's arrays differ in length or shape",
    ),
    "truth with a NaN unit": lambda r, z: (
        {**z, **TRUTH, "truth_pre": np.array([40.0, np.nan])},
        {"truth": True},
        r"array 'truth_pre': unit ids must be whole numbers",
    ),
}


def npz_spec(path, **extra):
    spec = {"name": "mine", "file": str(path), "format": "npz", "voltage": None}
    return {**spec, "neuron": None, "units": "all", "truth": False, **extra}


def assert_same_recording(recording, twin):
    assert recording.ids.tolist() == twin.ids.tolist()
    assert recording.dt == twin.dt and recording.units == twin.units
    for name in ("spike_step", "spike_train"):
        assert_bits_equal(getattr(recording, name), getattr(twin, name), name)
    assert sorted(recording.voltages) == sorted(twin.voltages)
    for neuron, v in twin.voltages.items():
        assert_bits_equal(recording.voltages[neuron], v, f"voltage {neuron}")


@functools.cache
def _npz_twin(folder):
    path = folder / "clean.npz"
    np.savez(path, **_npz_clean())
    return recording_files.read(npz_spec(path))


@pytest.mark.parametrize("case", NPZ_CASES)
@EXAMPLES
@given(random=RANDOM)
def test_an_npz_recording_is_refused_or_read_as_its_clean_twin(case, random, tmp_path):
    arrays, extra, expected = NPZ_CASES[case](random, _npz_clean())
    path = tmp_path / f"{random.getrandbits(40)}.npz"
    np.savez(path, **arrays)
    spec = npz_spec(path, **extra)
    if expected is SAME:
        assert_same_recording(recording_files.read(spec), _npz_twin(tmp_path))
    else:
        assert_refused(lambda: recording_files.read(spec), expected, file_prefix(path))


def test_files_that_are_not_npz_archives_are_named(tmp_path):
    y = _npz_clean()["voltage"]
    np.save(tmp_path / "single.npy", y)
    (tmp_path / "single.npy").rename(tmp_path / "single.npz")
    assert_refused(
        lambda: recording_files.read(npz_spec(tmp_path / "single.npz")),
        r"single.npz: is a single array \(.npy\), not an NPZ archive of named arrays",
    )
    np.savez(tmp_path / "pickled.npz", **{**_npz_clean(), "voltage": np.array([{}], dtype=object)})
    assert_refused(
        lambda: recording_files.read(npz_spec(tmp_path / "pickled.npz")),
        r"key 'recording.file': .*pickled.npz: cannot be read as NPZ \(Object arrays cannot",
    )


# The NWB format, written by pynwb directly: name -> (write(random, path) -> (extra spec,
# expected)).
START = 5.0


def _nwb_file():
    from pynwb import NWBFile

    return NWBFile(
        session_description="planted",
        identifier="planted",
        session_start_time=datetime(2026, 1, 1, tzinfo=UTC),
    )


def _series(y, **changes):
    from pynwb import TimeSeries

    fields = {"name": "ImagingVoltage", "data": y, "unit": "a.u.", "rate": float(RATE)}
    fields.update(starting_time=START, **changes)
    if "timestamps" in changes:
        del fields["rate"], fields["starting_time"]
    return TimeSeries(**fields)


def write_nwb(path, series=None, units=None, extra=None):
    """The clean recording as NWB (or with ``series``, ``units`` = [(id, times), ...] and
    ``extra(nwb)`` changed)."""
    from pynwb import NWBHDF5IO

    y, trains, _ = clean()
    nwb = _nwb_file()
    nwb.add_acquisition(series if series is not None else _series(y))
    for unit, times in units if units is not None else [(u, trains[u]) for u in IDS]:
        nwb.add_unit(spike_times=np.asarray(times) + START, id=int(unit))
    if extra is not None:
        extra(nwb)
    with NWBHDF5IO(str(path), "w") as io:
        io.write(nwb)


def _rows(random, change=None):
    _, trains, _ = clean()
    rows = [(u, trains[u].copy()) for u in IDS]
    random.shuffle(rows)
    for _, times in rows:
        random.shuffle(times)
    return change(random, rows) if change else rows


def _duplicate_id(random, rows):
    k = random.randrange(1, len(rows))
    rows[k] = (rows[0][0], rows[k][1])
    return rows


def _nan_spike(random, rows):
    k = random.randrange(len(rows))
    rows[k][1][random.randrange(len(rows[k][1]))] = np.nan
    return rows


def _outside_spikes(random, rows):
    """Spikes on the session's clock before the imaging (which starts at START) and after."""
    k = random.randrange(len(rows))
    extra = [-random.uniform(0.001, START), 2.0 + random.uniform(0.001, 60)]
    rows[k] = (rows[k][0], np.concatenate([rows[k][1], extra]))
    return rows


def _fluorescence(nwb):
    add_ophys(nwb, clean()[0], RATE)


NWB_CASES = {
    "rows and spikes in any order": lambda r, p: (write_nwb(p, units=_rows(r)), {}, SAME),
    "a duplicated unit id": lambda r, p: (
        write_nwb(p, units=_rows(r, _duplicate_id)),
        {},
        r"the units table's ids: unit id\(s\) \[\d+\] occur more than once",
    ),
    "a NaN spike time": lambda r, p: (
        write_nwb(p, units=_rows(r, _nan_spike)),
        {},
        r"the units table, unit \d+: spike times must be finite",
    ),
    "spikes before and after the imaging (not tested)": lambda r, p: (
        write_nwb(p, units=_rows(r, _outside_spikes)),
        {},
        SAME,
    ),
    "timestamps all equal": lambda r, p: (
        write_nwb(
            p, series=_series(clean()[0], timestamps=np.full(len(clean()[0]), r.uniform(0, 9)))
        ),
        {},
        r"series 'acquisition/ImagingVoltage': the timestamps do not increase from sample to "
        r"sample",
    ),
    "a conversion that overflows": lambda r, p: (
        write_nwb(p, series=_series(clean()[0], conversion=1e308)),
        {},
        r"series 'acquisition/ImagingVoltage' \(its data x conversion 1e\+308 \+ offset 0\) "
        r"has samples up to .* in magnitude",
    ),
    "a conversion of zero": lambda r, p: (
        write_nwb(p, series=_series(clean()[0], conversion=0.0)),
        {},
        r"series 'acquisition/ImagingVoltage' \(its data x conversion 0 \+ offset 0\) is "
        r"constant",
    ),
    "a container named as the voltage": lambda r, p: (
        write_nwb(p, extra=_fluorescence),
        {"voltage": ["Fluorescence"]},
        r"'Fluorescence' is a Fluorescence, not a series: name one of its series, "
        r"\['RoiResponseSeries'\]",
    ),
    "a series that is not there": lambda r, p: (
        write_nwb(p, extra=_fluorescence),
        {"voltage": ["Voltage"]},
        r"has no series 'Voltage'; its series: acquisition/ImagingVoltage \(20000,\), "
        r"processing/ophys/Fluorescence/RoiResponseSeries \(20000, 1\)$",
    ),
    "a series of one ROI's column": lambda r, p: (
        write_nwb(p, series=_series(clean()[0].reshape(-1, 1))),
        {},
        SAME,
    ),
    "a series of 3-D data": lambda r, p: (
        write_nwb(p, series=_series(clean()[0].reshape(-1, 1, 1))),
        {},
        r"series 'acquisition/ImagingVoltage' has shape \(20000, 1, 1\): a voltage is 1-D, "
        r"or frames x ROIs",
    ),
    "a units table without spike times": lambda r, p: (
        write_nwb(p, units=[], extra=_unit_without_spikes),
        {},
        r"its units table has no spike_times column \(columns: \['quality'\]\)",
    ),
}


def _unit_without_spikes(nwb):
    nwb.add_unit_column("quality", "the sorter's quality")
    nwb.add_unit(quality=1.0, id=3)


def nwb_spec(path, **extra):
    spec = {"name": "mine", "file": str(path), "format": "nwb", "voltage": ["ImagingVoltage"]}
    return {**spec, "neuron": None, "units": "all", "truth": False, **extra}


@functools.cache
def _nwb_twin(folder):
    path = folder / "clean.nwb"
    write_nwb(path)
    return recording_files.read(nwb_spec(path))


@pytest.mark.parametrize("case", NWB_CASES)
@EXAMPLES
@given(random=RANDOM)
def test_an_nwb_recording_is_refused_or_read_as_its_clean_twin(case, random, tmp_path):
    path = tmp_path / f"{random.getrandbits(40)}.nwb"
    _, extra, expected = NWB_CASES[case](random, path)
    spec = nwb_spec(path, **extra)
    if expected is SAME:
        assert_same_recording(recording_files.read(spec), _nwb_twin(tmp_path))
    else:
        assert_refused(lambda: recording_files.facts(spec), expected, file_prefix(path))
