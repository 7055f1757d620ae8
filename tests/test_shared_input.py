"""Unconnected neurons that share input with the recorded one (a recurrent network's classic
false positives): counted per pair from the synapse table, their false-positive rate reported
apart from the other unconnected trains'."""

import copy

import numpy as np
import pytest
import xarray as xr

from voltage_to_wiring.config.inference import resolve_inference
from voltage_to_wiring.inference import evaluate, output
from voltage_to_wiring.inference.recording import Recording
from voltage_to_wiring.inference.run import infer

from conftest import simulated


@pytest.fixture(scope="module")
def recurrent_inference(tests_config):
    """The tests' ei_small (200 neurons, p = 0.1, 1 s), inputs of neurons 0 and 160 and 30
    unconnected neurons each, by sta and kernel: (synapse table, dataset, evaluation)."""
    experiment = copy.deepcopy(tests_config["experiments"]["ei_small"])
    experiment["record"] = {"variables": ["v"], "neurons": [0, 160]}
    experiment["inference"] = {
        "neurons": [0, 160],
        "trains": "inputs",
        "unconnected": 30,
        "shuffles": 20,
        "methods": ["sta", "kernel"],
    }
    params, ds = simulated(experiment, "recurrent")
    settings = resolve_inference(experiment["inference"], params)
    recording = Recording.of_simulation(ds, params, settings["neurons"])
    built = output.build("recurrent", infer(recording, settings), recording, settings)
    pre, post = ds["synapse_pre"].values.tolist(), ds["synapse_post"].values.tolist()
    synapses = list(zip(pre, post, strict=True))
    return synapses, built, evaluate.evaluation(built), (ds, recording)


def test_shared_inputs_are_the_common_presynaptic_neurons_of_each_pair(recurrent_inference):
    synapses, ds, _, _ = recurrent_inference
    onto = {}
    for pre, post in synapses:  # a plain transcription: the sets of presynaptic neurons
        onto.setdefault(post, set()).add(pre)
    shared = ds["shared_inputs"].values
    for k, (post, pre) in enumerate(zip(ds["post"].values, ds["pre"].values, strict=True)):
        expected = len(onto[int(post)] & onto.get(int(pre), set())) if pre >= 0 else 0
        assert shared[k] == expected
    unconnected = ds["true_type"].values == 0
    # p = 0.1 of 200 neurons: about 2 shared each, some none (both groups are here)
    assert np.any(shared[unconnected] > 0) and np.any(shared[unconnected] == 0)


def test_the_false_positives_among_neurons_sharing_input_are_reported_apart(recurrent_inference):
    _, ds, evaluation, _ = recurrent_inference
    unconnected, shared = ds["true_type"].values == 0, ds["shared_inputs"].values > 0
    unconnected &= ds["pre"].values >= 0
    for method, metrics in evaluation["methods"].items():
        called = ds["predicted"].sel(inference_method=method).values != 0
        assert metrics["fpr_shared_input"] == pytest.approx(np.mean(called[unconnected & shared]))
        assert metrics["fpr_no_shared_input"] == pytest.approx(
            np.mean(called[unconnected & ~shared])
        )


def test_an_nwb_files_ground_truth_gives_the_same_counts(recurrent_inference, tmp_path):
    """The NWB export holds every synapse (``ground_truth``): read back, the counts are the
    simulation's, unit by unit."""
    from voltage_to_wiring.data import nwb
    from voltage_to_wiring.inference import recording_files

    ds, simulation = recurrent_inference[3]
    file = tmp_path / "recurrent.nwb"
    nwb.write(ds, file, {"git_commit": "test", "params_hash": "abc"})
    spec = {"name": "recurrent", "file": str(file), "format": "nwb", "units": "all"}
    spec |= {"voltage": ["v_neuron_0", "v_neuron_160"], "neuron": [0, 160], "truth": True}
    read = recording_files.read(spec)
    for neuron in (0, 160):
        by_id = dict(zip(read.ids.tolist(), read.common_inputs[neuron].tolist(), strict=True))
        expected = simulation.common_inputs[neuron]
        assert by_id == {i: int(expected[i]) for i in simulation.ids.tolist() if i in by_id}
        assert len(by_id) > 150 and sum(by_id.values()) > 0


def groups_of(true_type, shared, pre=None):
    pre = np.arange(len(true_type)) if pre is None else np.array(pre)
    ds = xr.Dataset(
        {
            "true_type": ("pair", np.array(true_type)),
            "shared_inputs": ("pair", np.array(shared)),
            "pre": ("pair", pre),
        }
    )
    return {name: mask.tolist() for name, mask in evaluate.unconnected_groups(ds).items()}


def test_the_groups_split_the_unconnected_trains_by_shared_input():
    assert groups_of([1, -1, 0, 0, 0], [3, 0, 2, 0, 1]) == {
        "fpr_shared_input": [False, False, True, False, True],
        "fpr_no_shared_input": [False, False, False, True, False],
    }
    # only inputs share input (an N-to-1 experiment's sources have none): no split
    assert groups_of([1, 1, 0, 0], [4, 2, 0, 0]) == {}
    # a generated train (pre -1) is in neither group
    assert groups_of([1, 0, 0, 0], [3, 2, 0, 0], pre=[5, 6, 7, -1]) == {
        "fpr_shared_input": [False, True, False, False],
        "fpr_no_shared_input": [False, False, True, False],
    }


def test_shared_presynaptic_counts_each_neuron_once_and_sources_as_inputs_only():
    """A hand-worked table: neuron 0's inputs are 2, 3 and source 9 (two synapses from 3);
    neuron 1 gets two synapses from 3 and one from 9; neuron 4 one from 2; neuron 5 none of
    0's; the source itself receives nothing."""
    from voltage_to_wiring.inference.recording import shared_presynaptic

    pre = [2, 3, 3, 9, 3, 3, 9, 2, 6]
    post = [0, 0, 0, 0, 1, 1, 1, 4, 5]
    counts = shared_presynaptic(pre, post, 0, [0, 1, 4, 5, 9, 7])
    assert counts.tolist() == [3, 2, 1, 0, 0, 0]  # 0 itself: its in-degree (never tested)
