"""Shared fixtures: the repository's config, small configs written from text, bit comparisons.

Tiers (markers, see pyproject.toml): ``workflow`` tests start Snakemake, ``slow`` ones take
more than a few seconds, ``cluster`` ones start a Slurm cluster; ``make test-fast`` runs the
rest.
"""

import hashlib
import os
from pathlib import Path

# As the steps run (see voltage_to_wiring/__main__.py): numpy without huge pages, set before
# numpy is first imported (the in-process tests' large arrays fault 2 MB pages otherwise).
os.environ.setdefault("NUMPY_MADVISE_HUGEPAGE", "0")

import numpy as np  # noqa: E402
import pytest  # noqa: E402
import yaml  # noqa: E402

from voltage_to_wiring import config  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
# The tests' own small config (the workflow tests run it; unit tests take its defaults).
TEST_CONFIG = ROOT / "tests" / "config" / "config.yaml"

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
    """The repository's config.yaml, loaded (the user's: its seed must be the notebook's)."""
    return config.load(ROOT / "config.yaml")


@pytest.fixture(scope="session")
def tests_config():
    """The tests' own config, loaded."""
    return config.load(TEST_CONFIG)


@pytest.fixture(scope="session")
def finished_run(tmp_path_factory):
    """A workflow directory of the tests' config after `snakemake --cores 2` from scratch,
    made once for every test module that needs one: each takes its own copy
    (``workflow.copy_run``) and changes only that."""
    from workflow import copy_workflow, snakemake

    work = copy_workflow(tmp_path_factory.mktemp("finished") / "work")
    snakemake(work, "--cores", "2")
    return work


@pytest.fixture(scope="session")
def seed_params(repo_config):
    """Resolved parameters of the 'seed' experiment of config.yaml."""
    return config.resolve(repo_config, "seed")


# A small E/I network (50 neurons, 4:1, Poisson drive onto the excitatory conductance).
EI_EXPERIMENT = {
    "sim": {"duration": "0.3 s", "seed": 3},
    "network": {
        "n": 50,
        "populations": {"exc": 40, "inh": 10},
        "connectivity": {"rule": "erdos_renyi", "p": 0.2},
        "weight": {"E->E": "1 nS", "E->I": "1 nS", "I->E": "5 nS", "I->I": "5 nS"},
    },
    "synapse": {
        "delay": "1.5 ms",
        "exc": {"v_syn": "0 mV", "tau": "5 ms"},
        "inh": {"v_syn": "-80 mV", "tau": "10 ms"},
    },
    "drive": {"poisson": {"inputs": 100, "rate": "20 Hz", "weight": "0.8 nS", "type": "exc"}},
    "record": {"variables": ["v", "g_exc", "g_inh"], "neurons": [0, 1, 2, 3, 45]},
}


def simulated(experiment, name):
    """(resolved parameters, dataset) of one experiment on the tests' defaults, simulated."""
    from voltage_to_wiring.data import dataset
    from voltage_to_wiring.engine.driver import simulate
    from voltage_to_wiring.model import build

    params = config.resolve(make_config({name: experiment}), name)
    sim = build.simulation(params)
    result = simulate(sim, params["record"]["variables"], params["record"]["neurons"])
    rates = sim.sources.rate if sim.sources is not None else None
    return params, dataset.build(params, result, sim.network, rates)


def make_config(experiments, defaults=None):
    """A config dict with the tests' defaults (or given ones) and the experiments."""
    base = config.load(TEST_CONFIG)["defaults"]
    return {
        "defaults": defaults if defaults is not None else base,
        "experiments": yaml.safe_load(experiments) if isinstance(experiments, str) else experiments,
    }


def package_sha256(folder):
    """The documented definition (docs/pipeline.md) of ``code_sha256``, written out with
    hashlib: sha256 over the lines ``PATH\0SHA256\n`` of every ``.py`` file under ``folder``
    (outside ``__pycache__``), in the POSIX order of their relative paths."""
    folder = Path(folder)
    lines = []
    for directory, subdirectories, files in os.walk(folder):
        subdirectories[:] = [d for d in subdirectories if d != "__pycache__"]
        for name in files:
            if name.endswith(".py"):
                path = Path(directory) / name
                relative = path.relative_to(folder).as_posix()
                lines.append((relative, hashlib.sha256(path.read_bytes()).hexdigest()))
    text = "".join(f"{path}\0{digest}\n" for path, digest in sorted(lines))
    return hashlib.sha256(text.encode()).hexdigest()
