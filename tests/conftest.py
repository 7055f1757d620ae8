"""Shared fixtures: the repository's config, small configs written from text, bit comparisons."""

from pathlib import Path

import numpy as np
import pytest
import yaml

from voltage_to_wiring import config

ROOT = Path(__file__).resolve().parents[1]

# The seed's printed result (notebook 2021-01-02), time-step indices per neuron.
SEED_SPIKES = [[203, 880, 1656, 2441], [400, 1096, 1871, 2655], [658, 1436, 2222]]
# The synchronous (Brian2) schedule on the seed network, as given in the engine issue.
SEED_SPIKES_SYNCHRONOUS = [[197, 869, 1643, 2425], [394, 1086, 1858, 2639], [652, 1428, 2211, 2993]]


def assert_bits_equal(actual, expected, what=""):
    """Assert two float arrays are identical bit for bit (signed zeros and NaNs included)."""
    actual, expected = np.ascontiguousarray(actual), np.ascontiguousarray(expected)
    assert actual.shape == expected.shape, f"{what}: shape {actual.shape} != {expected.shape}"
    assert actual.dtype == expected.dtype, f"{what}: dtype {actual.dtype} != {expected.dtype}"
    if actual.size == 0:
        return
    same = actual.view(np.uint8).reshape(actual.shape + (-1,)) == expected.view(np.uint8).reshape(
        expected.shape + (-1,)
    )
    bad = ~np.all(same, axis=-1) if actual.ndim else ~np.all(same)
    assert not np.any(bad), (
        f"{what}: {int(np.sum(bad))} values differ; first at {np.argwhere(bad)[:1].tolist()}: "
        f"{actual[bad][:3]} vs {expected[bad][:3]}"
    )


def spikes_per_neuron(step, neuron, n):
    """Spike steps per neuron as lists, from the flat event list."""
    step, neuron = np.asarray(step), np.asarray(neuron)
    return [step[neuron == i].tolist() for i in range(n)]


@pytest.fixture(scope="session")
def repo_config():
    """The repository's config.yaml, loaded."""
    return config.load(ROOT / "config.yaml")


@pytest.fixture(scope="session")
def seed_params(repo_config):
    """Resolved parameters of the 'seed' experiment of config.yaml."""
    return config.resolve(repo_config, "seed")


def make_config(experiments, defaults=None):
    """A config dict with the repository's defaults (or given ones) and the experiments."""
    base = config.load(ROOT / "config.yaml")["defaults"]
    return {
        "defaults": defaults if defaults is not None else base,
        "experiments": yaml.safe_load(experiments) if isinstance(experiments, str) else experiments,
    }
