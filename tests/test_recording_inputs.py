"""No answer depends on the order of the input or on how it reaches the inference (issue 35).

The same spikes in another order, the same trains in another order, through the Python API
or a recording file (NWB, NPZ): the same per-unit statistics, p-values and calls, bit for
bit. Driven by hypothesis: each example permutes a small planted recording (tests/planted.py)
and compares with its clean twin, computed once. Reference: the clean twin itself, whose
planted inputs are found (the recordings' tests hold that); what is checked here is that
nothing in the answer moves with the order.
"""

import functools
from datetime import UTC, datetime

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from voltage_to_wiring.inference import recording_files
from voltage_to_wiring.inference.api import infer_inputs

from conftest import assert_bits_equal
from planted import RATE, planted

METHODS = ["sta", "linefit", "matched", "kernel", "xcorr", "template"]
SETTINGS = {"shuffles": 20, "seed": 3, "methods": METHODS}
IDS = np.array([40, 7, 12, 99, 3, 58, 21, 5, 80, 64])  # a spike sorter's arbitrary labels
EXAMPLES = settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@functools.cache
def recording():
    """Ten planted trains (3 excitatory, 3 inhibitory, 4 not connected) over 10 s."""
    return planted(seconds=10, n_exc=3, n_inh=3, n_other=4)


@functools.cache
def clean():
    """The clean twin: trains as {unit id: sorted times}, in the order drawn."""
    y, trains, _ = recording()
    return infer_inputs(y, RATE, dict(zip(IDS.tolist(), trains, strict=True)), settings=SETTINGS)


def assert_same_answer(ds, twin):
    assert ds["pre"].values.tolist() == sorted(IDS.tolist())  # rows in ascending unit id
    for name in (v for v in twin.data_vars if v != "seconds"):
        assert_bits_equal(ds[name].values, twin[name].values, name)


permutations = st.randoms(use_true_random=False)


@pytest.mark.slow
@EXAMPLES
@given(permutations)
def test_any_order_of_spikes_and_trains_gives_the_same_answer_through_the_api(random):
    y, trains, _ = recording()
    order = list(range(len(trains)))
    random.shuffle(order)
    shuffled = {}
    for j in order:
        times = trains[j].copy()
        random.shuffle(times)  # spikes within a train in any order
        shuffled[int(IDS[j])] = times
    assert_same_answer(infer_inputs(y, RATE, shuffled, settings=SETTINGS), clean())


def test_a_list_is_ids_by_position_and_another_id_is_another_draw():
    """A list is ids 0, 1, ...: the same as {0: ..., 1: ...}. The same trains under other
    ids have the same STAs (the data's: no surrogate in them) and p-values from other
    surrogates (they are keyed by the id, as by the seed)."""
    y, trains, _ = recording()
    as_list = infer_inputs(y, RATE, trains, settings=SETTINGS)
    as_dict = infer_inputs(y, RATE, dict(enumerate(trains)), settings=SETTINGS)
    for name in ("statistic", "p_value", "predicted", "sta"):
        assert_bits_equal(as_list[name].values, as_dict[name].values, name)
    relabelled = clean()  # the same trains under IDS
    row = {int(i): k for k, i in enumerate(relabelled["pre"].values)}
    assert_bits_equal(relabelled["sta"].values[[row[int(i)] for i in IDS]], as_list["sta"].values)
    p_value = as_list["p_value"].sel(inference_method="sta").values
    relabelled_p = relabelled["p_value"].sel(inference_method="sta").values
    assert relabelled_p[[row[int(i)] for i in IDS]].tolist() != p_value.tolist()


def write_units_nwb(path, y, trains, ids, start=5.0):
    """The planted recording as NWB written by pynwb directly: ``ImagingVoltage`` from
    ``start`` s of the session, units with ``ids`` in the order given, spike times as given
    (any order) on the session's clock."""
    from pynwb import NWBHDF5IO, NWBFile, TimeSeries

    nwb = NWBFile(
        session_description="planted",
        identifier="planted",
        session_start_time=datetime(2026, 1, 1, tzinfo=UTC),
    )
    nwb.add_acquisition(
        TimeSeries(
            name="ImagingVoltage", data=y, unit="a.u.", rate=float(RATE), starting_time=start
        )
    )
    for i, times in zip(ids, trains, strict=True):
        nwb.add_unit(spike_times=np.asarray(times) + start, id=int(i))
    with NWBHDF5IO(str(path), "w") as io:
        io.write(nwb)


def nwb_spec(path, **extra):
    spec = {"name": "mine", "file": str(path), "format": "nwb", "voltage": ["ImagingVoltage"]}
    return {**spec, "neuron": None, "units": "all", "truth": False, **extra}


def infer_file(spec):
    """As the pipeline's infer step: the file read, the settings resolved against it."""
    from voltage_to_wiring.config.inference import resolve_recording_inference
    from voltage_to_wiring.inference import output
    from voltage_to_wiring.inference.run import infer

    recording = recording_files.read(spec)
    resolved = resolve_recording_inference(SETTINGS, recording)
    return output.build("recording", infer(recording, resolved), recording, resolved)


@pytest.mark.slow
@EXAMPLES
@given(permutations)
def test_an_nwb_units_table_in_any_order_gives_the_apis_answer(tmp_path, random):
    """Rows in any order, spike times within a row unsorted: the pipeline's reader gives
    what infer_inputs gives on the clean arrays (the same seed, the same surrogates)."""
    y, trains, _ = recording()
    order = list(range(len(trains)))
    random.shuffle(order)
    shuffled = []
    for j in order:
        times = trains[j].copy()
        random.shuffle(times)
        shuffled.append(times)
    path = tmp_path / f"units-{random.getrandbits(32)}.nwb"
    write_units_nwb(path, y, shuffled, IDS[order])
    ds = infer_file(nwb_spec(path))
    twin = clean()
    # on the session's clock, less the voltage's start: the same steps as the API's times
    assert ds["pre"].values.tolist() == twin["pre"].values.tolist()
    for name in ("statistic", "p_value", "q_value", "predicted", "sta"):
        assert_bits_equal(ds[name].values, twin[name].values, name)


def test_a_units_selection_in_any_order_is_the_same_selection(tmp_path):
    y, trains, _ = recording()
    path = tmp_path / "units.nwb"
    write_units_nwb(path, y, trains, IDS)
    chosen = [99, 3, 40, 7]
    one = infer_file(nwb_spec(path, units=chosen))
    other = infer_file(nwb_spec(path, units=sorted(chosen)))
    assert one["pre"].values.tolist() == sorted(chosen)
    for name in ("statistic", "p_value", "predicted"):
        assert_bits_equal(one[name].values, other[name].values, name)


@EXAMPLES
@given(permutations)
def test_an_npz_in_any_spike_order_gives_the_apis_answer(tmp_path, random):
    y, trains, _ = recording()
    times = np.concatenate(trains)
    owner = np.concatenate([np.full(len(t), i) for t, i in zip(trains, IDS, strict=True)])
    order = list(range(len(times)))
    random.shuffle(order)
    path = tmp_path / f"rec-{random.getrandbits(32)}.npz"
    np.savez(path, voltage=y, rate=float(RATE), spike_times=times[order], spike_units=owner[order])
    spec = {"name": "mine", "file": str(path), "format": "npz", "voltage": None}
    ds = infer_file({**spec, "neuron": None, "units": "all", "truth": False})
    twin = clean()
    for name in ("statistic", "p_value", "predicted", "sta"):
        assert_bits_equal(ds[name].values, twin[name].values, name)


@pytest.mark.parametrize("rate", [np.int64(RATE), np.float32(RATE), np.array(float(RATE))])
def test_numpy_scalar_rates_are_numbers(rate):
    y, trains, _ = recording()
    ds = infer_inputs(y, rate, dict(zip(IDS.tolist(), trains, strict=True)), settings=SETTINGS)
    assert_same_answer(ds, clean())
