"""Bad input is refused before any work, with a message naming the experiment, key and problem,
and leaves no output behind. Each case runs the `resolve_params` step as the pipeline does."""

import copy
import os

import numpy as np
import pytest
import yaml

from voltage_to_wiring import cli
from voltage_to_wiring.errors import ConfigError

from conftest import TEST_CONFIG
from workflow import copy_workflow, snakemake

BASE = yaml.safe_load(TEST_CONFIG.read_text())
SEED = BASE["experiments"]["seed"]


def config_with(experiment=None, defaults=None, name="x"):
    """The repository config plus one experiment ``name`` (default: the seed's network)."""
    config = copy.deepcopy(BASE)
    if defaults is not None:
        config["defaults"] = defaults(config["defaults"])
    config["experiments"] = {name: {"network": SEED["network"], **(experiment or {})}}
    return config


def without(section, key):
    def change(defaults):
        del defaults[section][key]
        return defaults

    return change


def edge_file(text, n=3):
    return lambda tmp: config_with(
        {"network": {"n": n, "edges": {"file": str(_write(tmp, text)), "unit": "nS"}}}
    )


def _write(tmp, text):
    path = tmp / "edges.csv"
    path.write_text(text) if isinstance(text, str) else path.write_bytes(text)
    return path


def npz_edges(**arrays):
    def make(tmp):
        path = tmp / "edges.npz"
        np.savez(path, **arrays)
        return config_with({"network": {"n": 3, "edges": {"file": str(path), "unit": "nS"}}})

    return make


def neuron(**values):
    return config_with({"neuron": values})


ADEX = {"model": "adex", "C": "104 pF", "g_L": "4.3 nS", "E_L": "-65 mV", "V_T": "-52 mV",
        "Delta_T": "0.8 mV", "V_s": "40 mV", "V_r": "-53 mV", "a": "-0.8 nS", "b": "65 pA",
        "tau_w": "88 ms"}  # fmt: skip
LIF = {"model": "lif", "C": "200 pF", "g_L": "10 nS", "E_L": "-70 mV", "V_th": "-50 mV",
       "V_reset": "-60 mV", "t_ref": "2 ms"}  # fmt: skip


def model(base, **changes):
    return config_with({"neuron": {**base, **changes}})


CASES = {
    "unknown key with a suggestion": (
        config_with({"synapse": {"tua": "7 ms"}}),
        "key 'synapse.tua': unknown key; did you mean 'tau'?",
    ),
    "unknown section": (
        config_with({"neurons": {}}),
        "key 'neurons': unknown key; did you mean 'neuron'?",
    ),
    "missing required key": (
        config_with(defaults=without("neuron", "C")),
        "key 'neuron.C': is required by the izhikevich model but missing",
    ),
    "wrong type": (
        config_with({"sim": {"dt": [0.1]}}),
        "key 'sim.dt': expected a quantity such as '4.5 ms', got [0.1]",
    ),
    "number without unit": (
        config_with({"synapse": {"tau": 7}}),
        "key 'synapse.tau': 7 has no unit",
    ),
    "wrong dimension": (
        config_with({"synapse": {"delay": "4.5 mV"}}),
        "key 'synapse.delay': '4.5 mV' has the wrong dimension: expected a time (e.g. 'ms'), "
        "got a voltage",
    ),
    "unit that does not parse": (
        config_with({"synapse": {"tau": "7 mss"}}),
        "key 'synapse.tau': cannot read '7 mss' as a quantity",
    ),
    "zero dt": (config_with({"sim": {"dt": "0 ms"}}), "key 'sim.dt': must be positive"),
    "zero threads": (
        config_with({"sim": {"threads": 0}}),
        "key 'sim.threads': must be a positive whole number, got 0",
    ),
    "threads as a word": (
        config_with({"sim": {"threads": "all"}}),
        "key 'sim.threads': must be a whole number >= 1 or 'auto', got 'all'",
    ),
    "negative duration": (
        config_with({"sim": {"duration": "-1 s"}}),
        "key 'sim.duration': must be positive",
    ),
    "zero tau": (config_with({"synapse": {"tau": "0 ms"}}), "key 'synapse.tau': must be positive"),
    "negative C": (config_with({"neuron": {"C": "-100 pF"}}), "key 'neuron.C': must be positive"),
    "duration not whole steps": (
        config_with({"sim": {"duration": "0.30005 s"}}),
        "key 'sim.duration': 0.30005 s is not a whole number of time steps",
    ),
    "delay under one step": (
        config_with({"synapse": {"delay": "0.05 ms"}}),
        "key 'synapse.delay': a delay of 0.05 ms is under one time step",
    ),
    "weights not square": (
        config_with({"network": {"weights": {"unit": "nS", "values": [[0, 1, 0], [1, 0, 0]]}}}),
        "key 'network.weights': the weight matrix must be square",
    ),
    "negative weight": (
        config_with({"network": {"weights": {"unit": "nS", "values": [[0, -1], [1, 0]]}}}),
        "key 'network.weights': weights must not be negative",
    ),
    "NaN weight": (
        config_with({"network": {"weights": {"unit": "nS", "values": [[0, np.nan], [1, 0]]}}}),
        "key 'network.weights': weights must be finite numbers; found NaN or infinity",
    ),
    "infinite weight": (
        config_with({"network": {"weights": {"unit": "nS", "values": [[0, np.inf], [1, 0]]}}}),
        "key 'network.weights': weights must be finite numbers; found NaN or infinity",
    ),
    "initial array of the wrong length": (
        config_with({"initial": {"g": {"unit": "nS", "values": [10, 0]}}}),
        "key 'initial.g': needs one value per neuron (3), got shape (2,)",
    ),
    "drive array of the wrong length": (
        config_with({"drive": {"current": {"unit": "pA", "values": [1, 2, 3, 4]}}}),
        "key 'drive.current': needs one value per neuron (3), got shape (4,)",
    ),
    "recorded neuron out of range": (
        config_with({"record": {"neurons": [0, 3]}}),
        "key 'record.neurons': index 3 is out of range: the network has 3 neurons (0 to 2)",
    ),
    "recorded neuron repeated": (
        config_with({"record": {"neurons": [1, 1]}}),
        "key 'record.neurons': lists neuron(s) [1] more than once",
    ),
    "unknown variable to record": (
        config_with({"record": {"variables": ["v", "w"]}}),
        "key 'record.variables': cannot record 'w'",
    ),
    "empty network": (
        config_with({"network": {"weights": {"unit": "nS", "values": []}}}),
        "key 'network.weights': the network is empty",
    ),
    "edge file missing": (
        config_with({"network": {"n": 3, "edges": {"file": "nowhere.csv", "unit": "nS"}}}),
        "key 'network.edges.file': edge file 'nowhere.csv' does not exist",
    ),
    "edge file with wrong columns": (
        edge_file("pre,post,w\n0,1,1\n"),
        "key 'network.edges.file': edge file '{tmp}/edges.csv' lacks the column(s) ['weight']",
    ),
    "edge file index out of range": (
        edge_file("pre,post,weight\n0,1,1\n2,7,1\n"),
        "key 'network.edges.file': 'post' index 7 is out of range: the network has n = 3",
    ),
    "edge file with a non-numeric value": (
        edge_file("pre,post,weight\n0,1,strong\n"),
        "key 'network.edges.file': edge file '{tmp}/edges.csv' has a value that is not a number",
    ),
    "a reset above the spike peak": (
        neuron(c="40 mV"),
        "key 'neuron.c': c = 40 mV is not below v_peak = 35 mV: the reset must lie below the "
        "spike peak, or the neuron spikes again at every step",
    ),
    "a threshold above the spike peak": (
        neuron(v_t="50 mV"),
        "key 'neuron.v_t': v_t = 50 mV is not below v_peak = 35 mV",
    ),
    "a rest above the threshold": (
        neuron(v_r="-30 mV"),
        "key 'neuron.v_r': v_r = -30 mV is not below v_t = -40 mV",
    ),
    "a negative k": (neuron(k="-0.7 nS/mV"), "key 'neuron.k': must be positive"),
    "a negative a": (neuron(a="-0.03 /ms"), "key 'neuron.a': must be positive"),
    "a negative initial conductance": (
        config_with({"initial": {"g": {"unit": "nS", "values": [10, -1, 0]}}}),
        "key 'initial.g': a conductance cannot be negative",
    ),
    "E/I synapse settings in a one-type network": (
        config_with({"synapse": {"exc": {"v_syn": "0 mV", "tau": "5 ms"}}}),
        "key 'synapse.exc': the network has one synapse type (no populations)",
    ),
    "an edge file with a repeated column": (
        edge_file("pre,post,weight,weight\n0,1,1,2\n"),
        "key 'network.edges.file': edge file '{tmp}/edges.csv': the header names ['weight'] "
        "more than once",
    ),
    "a binary file named .csv": (
        edge_file(bytes(range(256))),
        "key 'network.edges.file': edge file '{tmp}/edges.csv' is not a text CSV file",
    ),
    "an edge file with 2-D index arrays": (
        npz_edges(pre=np.zeros((1, 2)), post=np.ones((1, 2)), weight=np.ones(2)),
        "key 'network.edges.file': edge file '{tmp}/edges.npz': array 'pre' has shape (1, 2); "
        "it must be 1-D",
    ),
    "an unknown neuron model": (
        neuron(model="adexp"),
        "key 'neuron.model': unknown neuron model 'adexp'; did you mean 'adex'? (choose from "
        "adex, izhikevich, lif)",
    ),
    "a parameter of another model": (
        model(ADEX, k="0.7 nS/mV"),
        "key 'neuron.k': 'k' is a parameter of izhikevich, not of adex (set neuron.model to use "
        "another model); adex takes: C, g_L, E_L, V_T, Delta_T, V_s, V_r, a, b, tau_w",
    ),
    "a key no model has": (
        model(LIF, tau_m="10 ms"),
        "key 'neuron.tau_m': unknown key (lif takes: C, g_L, E_L, V_th, V_reset, t_ref;",
    ),
    "a model's missing parameter": (
        config_with({"neuron": {k: v for k, v in ADEX.items() if k != "tau_w"}}),
        "key 'neuron.tau_w': is required by the adex model but missing (adaptation time constant",
    ),
    "a negative capacitance (adex)": (model(ADEX, C="-104 pF"), "key 'neuron.C': must be positive"),
    "a zero leak conductance": (model(ADEX, g_L="0 nS"), "key 'neuron.g_L': must be positive"),
    "a zero slope factor": (model(ADEX, Delta_T="0 mV"), "key 'neuron.Delta_T': must be positive"),
    "a negative adaptation time": (model(ADEX, tau_w="-1 ms"), "key 'neuron.tau_w': must be posit"),
    "a zero refractory period": (model(LIF, t_ref="0 ms"), "key 'neuron.t_ref': must be positive"),
    "a reset above the cut-off": (
        model(ADEX, V_r="45 mV"),
        "key 'neuron.V_r': V_r = 45 mV is not below V_s = 40 mV: the reset must lie below the "
        "cut-off",
    ),
    "an upstroke above the cut-off": (
        model(ADEX, V_T="40 mV"),
        "key 'neuron.V_T': V_T = 40 mV is not below V_s = 40 mV",
    ),
    "a lif reset above its threshold": (
        model(LIF, V_reset="-40 mV"),
        "key 'neuron.V_reset': V_reset = -40 mV is not below V_th = -50 mV",
    ),
    "per-population parameters without populations": (
        neuron(inh={"C": "20 pF"}),
        "key 'neuron.inh': per-population parameters need E/I populations (network.populations)",
    ),
    "parameters of a population that does not exist": (
        neuron(fast={"C": "20 pF"}),
        "key 'neuron.fast': unknown key (izhikevich takes: C, k, b, v_r, v_t, v_peak, c, a, d; "
        "also 'model', and per-population parameters under exc and inh)",
    ),
    "an initial value of another model's state": (
        config_with({"neuron": ADEX, "initial": {"u": "10 pA"}}),
        "key 'initial.u': 'u' is a state variable of izhikevich; initial values of the adex "
        "model: v, w, g",
    ),
    "recording another model's state": (
        config_with({"neuron": LIF, "record": {"variables": ["v", "w"]}}),
        "key 'record.variables': cannot record 'w' (choose from v, g, I)",
    ),
    "unknown scheme": (
        config_with({"sim": {"scheme": "synchronus"}}),
        "key 'sim.scheme': unknown scheme 'synchronus'; did you mean 'synchronous'?",
    ),
}


@pytest.mark.parametrize("case", CASES)
def test_bad_input_is_refused_with_a_clear_message(case, tmp_path, capsys):
    settings, expected = CASES[case]
    settings = settings(tmp_path) if callable(settings) else settings
    path = tmp_path / "config.yaml"
    path.write_text(yaml.safe_dump(settings))
    output = tmp_path / "results" / "x.json"
    status = cli.main(
        [
            "resolve_params",
            str(path),
            "--experiment",
            "x",
            "--output",
            str(output),
            "--record",
            str(tmp_path / "record.json"),
        ]
    )
    message = capsys.readouterr().err
    assert status == 1
    assert f"experiment 'x', {expected.format(tmp=tmp_path)}" in message
    assert "Traceback" not in message
    assert not output.exists() and not (tmp_path / "record.json").exists()
    assert not (tmp_path / "results").exists() or not any((tmp_path / "results").iterdir())


def test_names_ending_in_a_line_break_or_too_long_for_a_file_are_refused():
    # Issue 21 (19): "x\n" passed ("$" matches before a final line break) and 240
    # characters passed the check and failed in the job (300: a traceback).
    from voltage_to_wiring.config import check_name

    with pytest.raises(ConfigError, match="cannot be used in file names"):
        check_name("seed\n")
    check_name("x" * 200)
    for length in (240, 300):
        with pytest.raises(ConfigError, match=f"this name has {length} characters"):
            check_name("x" * length)


@pytest.mark.parametrize("name", ["../x", "a b", "a/b", ".hidden"])
def test_unsafe_experiment_names_are_refused(name, tmp_path, capsys):
    path = tmp_path / "config.yaml"
    path.write_text(yaml.safe_dump(config_with(name=name)))
    status = cli.main(
        ["resolve_params", str(path), "--experiment", name, "--output", str(tmp_path / "out.json")]
    )
    assert status == 1
    assert f"experiment '{name}': this name cannot be used in file names" in capsys.readouterr().err
    assert not (tmp_path / "out.json").exists()


def test_invalid_yaml_names_file_line_and_column(tmp_path, capsys):
    path = tmp_path / "config.yaml"
    path.write_text("defaults:\n  neuron: {C: 100 pF\nexperiments: {}\n")
    status = cli.main(
        ["resolve_params", str(path), "--experiment", "x", "--output", str(tmp_path / "out.json")]
    )
    assert status == 1
    assert f"config file '{path}' is not valid YAML at line 3, column 12" in capsys.readouterr().err


BAD_SWEEP = {"sweeps": {"bad": {"base": "seed", "grid": {"synapse.dleay": ["2 ms"]}}}}
# (change to config.yaml's text, extra config file, extra arguments, expected message)
WORKFLOW_CASES = {
    "a quantity of the wrong dimension": (
        lambda text: text.replace("delay: 4.5 ms", "delay: 4.5 mV"),
        None,
        (),
        "experiment 'seed', key 'synapse.delay': '4.5 mV' has the wrong dimension: expected a "
        "time (e.g. 'ms'), got a voltage",
    ),
    "an unsafe experiment name": (
        lambda text: text.replace("seed:", "../seed:", 1),
        None,
        (),
        "experiment '../seed': this name cannot be used in file names",
    ),
    "invalid YAML": (
        lambda text: text.replace("c: -50 mV,", "c: -50 mV", 1),
        None,
        (),
        "config file 'config.yaml' is not valid YAML at line",
    ),
    "an unknown scheme": (
        lambda text: text.replace("scheme: sequential", "scheme: sequentail"),
        None,
        (),
        "experiment 'seed', key 'sim.scheme': unknown scheme 'sequentail'; did you mean",
    ),
    "a sweep over a key that does not exist, in another config file": (
        None,
        BAD_SWEEP,
        (),
        "sweep 'bad', key 'grid.synapse.dleay': no such config key",
    ),
    "an unknown inference method": (
        lambda text: text.replace("unconnected: 20}", "unconnected: 20, methods: [granger]}"),
        None,
        (),
        "experiment 'nto1_small', key 'inference.methods': unknown method 'granger'",
    ),
    "an unknown neuron model": (
        lambda text: text.replace(
            "    sim: {scheme: sequential}",
            "    sim: {scheme: sequential}\n    neuron: {model: hodgkin_huxley}",
        ),
        None,
        (),
        "invalid config: experiment 'seed', key 'neuron.model': unknown neuron model "
        "'hodgkin_huxley' (choose from adex, izhikevich, lif)",
    ),
    "a population's parameters for a population that does not exist": (
        lambda text: text.replace(
            "  ei_small:                        # 200 neurons, 4:1 E/I, Poisson input, 1 s\n",
            "  ei_small:\n    neuron: {fs: {C: 20 pF}}\n",
        ),
        None,
        (),
        "invalid config: experiment 'ei_small', key 'neuron.fs': unknown key",
    ),
    "a setting on the command line": (
        None,
        None,
        ("--config", "extra=1"),
        "put settings in a YAML file and pass it with --configfile",
    ),
}


@pytest.mark.workflow
@pytest.mark.parametrize("case", WORKFLOW_CASES)
def test_the_workflow_refuses_bad_input_before_any_job(case, tmp_path):
    change, extra_config, extra_args, expected = WORKFLOW_CASES[case]
    work = copy_workflow(tmp_path / "work")
    if change:
        (work / "config.yaml").write_text(change((work / "config.yaml").read_text()))
    if extra_config:
        (work / "extra.yaml").write_text(yaml.safe_dump(extra_config))
        extra_args = (*extra_args, "--configfile", "extra.yaml")
    done = snakemake(work, "--cores", "1", *extra_args, check=False)
    assert done.returncode != 0
    assert expected in done.stdout + done.stderr
    assert "Traceback" not in done.stdout + done.stderr
    assert not (work / "results").exists() and not (work / "logs").exists()


SWEEP_CASES = {
    "a sweep over a key that does not exist": (
        {"base": "seed", "grid": {"synapse.dleay": ["2 ms"]}},
        "sweep 'bad', key 'grid.synapse.dleay': no such config key; did you mean 'synapse.delay'?",
    ),
    "a sweep over a section that does not exist": (
        {"base": "seed", "grid": {"synaps.delay": ["2 ms"]}},
        "sweep 'bad', key 'grid.synaps.delay': no such config key; did you mean 'synapse'?",
    ),
    "a sweep inside a mapping the base does not have": (
        {"base": "seed", "grid": {"drive.current.scale": [1, 2]}},
        "sweep 'bad', key 'grid.drive.current.scale': no such config key",
    ),
    "a sweep whose grid is empty": ({"base": "seed", "grid": {}}, "sweep 'bad': the grid is empty"),
    "a sweep with an empty list of values": (
        {"base": "seed", "grid": {"synapse.delay": []}},
        "sweep 'bad', key 'grid.synapse.delay': needs a non-empty list of values",
    ),
    "a sweep of an unknown experiment": (
        {"base": "sead", "grid": {"synapse.delay": ["2 ms"]}},
        "sweep 'bad': base experiment 'sead' does not exist; did you mean 'seed'?",
    ),
    "a sweep value with the wrong dimension": (
        {"base": "seed", "grid": {"synapse.delay": ["2 mV"]}},
        "experiment 'bad_delay=2mV', key 'synapse.delay': '2 mV' has the wrong dimension",
    ),
}


@pytest.mark.parametrize("case", SWEEP_CASES)
def test_bad_sweeps_are_refused_before_any_simulation(case, tmp_path, capsys):
    sweep, expected = SWEEP_CASES[case]
    config = copy.deepcopy(BASE)
    config["sweeps"] = {"bad": sweep}
    path = tmp_path / "config.yaml"
    path.write_text(yaml.safe_dump(config))
    assert cli.main(["check_config", str(path)]) == 1
    message = capsys.readouterr().err
    assert expected in message and "Traceback" not in message


NTO1_SMALL = BASE["experiments"]["nto1_small"]
INFERENCE_CASES = {
    "an unknown method": (
        {"methods": ["sta", "granger"]},
        "key 'inference.methods': unknown method 'granger'",
    ),
    "a window under one step": (
        {"window": "0.05 ms"},
        "key 'inference.window': a window of 0.05 ms is under one time step (dt = 0.1 ms)",
    ),
    "a window longer than the recording": (
        {"window": "40 s"},
        "key 'inference.window': a window of 40 s is not shorter than the recording used (30 s)",
    ),
    "an analysed duration longer than the recording": (
        {"duration": "31 s"},
        "key 'inference.duration': 31 s is longer than the recording (30 s)",
    ),
    "alpha outside (0, 1)": (
        {"alpha": 1.5},
        "key 'inference.alpha': must be a significance level between 0 and 1, got 1.5",
    ),
    "a neuron whose voltage is not recorded": (
        {"neurons": [0, 1]},
        "key 'inference.neurons': neuron(s) [1] are not recorded: add them to record.neurons",
    ),
    "no unconnected trains": (
        {"unconnected": 0},
        "key 'inference.unconnected': needs unconnected trains to test (at least 1)",
    ),
    "an unknown setting": (
        {"shufles": 10},
        "key 'inference.shufles': unknown key; did you mean 'shuffles'?",
    ),
    "a negative SNR": (
        {"snr": -3},
        "key 'inference.snr': must be a positive number, or inf for no imaging noise",
    ),
    "per_type with every train tested": (
        {"trains": "all", "unconnected": 5},
        "key 'inference.per_type': 'per_type' is for trains: top_rate or random, not all",
    ),
    "an unknown null": (
        {"surrogates": "shift"},
        "key 'inference.surrogates': must be isi_shuffle or {jitter: WIDTH}",
    ),
    # Issue 21 (20): reported as sim.seed; rounded silently to 200 lags; ran with overflow
    # warnings and reported AUC 0.
    "a bad inference seed": (
        {"seed": -1},
        "key 'inference.seed': must be a whole number >= 0, got -1",
    ),
    "a window not a whole number of steps": (
        {"window": "20.05 ms"},
        "key 'inference.window': a window of 20.05 ms is not a whole number of time steps "
        "(dt = 0.1 ms): use 20 ms",
    ),
    "a vanishing SNR": (
        {"snr": 1e-300},
        "key 'inference.snr': 1e-300 is below 0.001: the imaging noise would be more than 1000 x",
    ),
    "a jitter window not a whole number of steps": (
        {"surrogates": {"jitter": "2.05 ms"}},
        "key 'inference.surrogates.jitter': the jitter window must be a whole number (>= 2) "
        "of time steps (dt = 0.1 ms), got 2.05 ms",
    ),
}


@pytest.mark.parametrize("case", INFERENCE_CASES)
def test_bad_inference_settings_are_refused_before_any_job(case, tmp_path, capsys):
    change, expected = INFERENCE_CASES[case]
    config = {"defaults": BASE["defaults"], "experiments": {"x": copy.deepcopy(NTO1_SMALL)}}
    config["experiments"]["x"]["inference"].update(change)
    path = tmp_path / "config.yaml"
    path.write_text(yaml.safe_dump(config))
    assert cli.main(["check_config", str(path)]) == 1
    message = capsys.readouterr().err
    assert f"experiment 'x', {expected}" in message and "Traceback" not in message


def test_inference_needs_the_voltage_recorded(tmp_path, capsys):
    config = {"defaults": BASE["defaults"], "experiments": {"x": copy.deepcopy(NTO1_SMALL)}}
    config["experiments"]["x"]["record"] = {"variables": [], "neurons": []}
    path = tmp_path / "config.yaml"
    path.write_text(yaml.safe_dump(config))
    assert cli.main(["check_config", str(path)]) == 1
    message = capsys.readouterr().err
    assert (
        "experiment 'x', key 'inference.neurons': inference needs the membrane potential" in message
    )


def test_edge_files_too_large_to_read_are_refused_before_reading(tmp_path, monkeypatch, capsys):
    # Issue 21 (14): a 3 GB CSV was a MemoryError at planning; a 3.5 MB NPZ unpacking to
    # 3.6 GB an allocation traceback.
    from voltage_to_wiring.config import network

    big = tmp_path / "edges.csv"
    big.write_text("pre,post,weight\n0,1,1\n")
    os.truncate(big, 1_200_000_000)  # sparse: 1.2 GB, no disk used
    path = tmp_path / "config.yaml"
    experiment = {"network": {"n": 3, "edges": {"file": str(big), "unit": "nS"}}}
    path.write_text(yaml.safe_dump(config_with(experiment)))
    resolve = ["resolve_params", str(path), "--experiment", "x", "--output", str(tmp_path / "x")]
    assert cli.main(resolve) == 1
    message = capsys.readouterr().err
    assert f"edge file '{big}' is 1.2 GB; CSV edge files are limited to 1.1 GB" in message
    bomb = tmp_path / "edges.npz"
    np.savez_compressed(bomb, pre=np.zeros(20_000_000), post=np.zeros(1), weight=np.ones(1))
    assert bomb.stat().st_size < 1_000_000
    monkeypatch.setattr(network, "available_memory", lambda: 200e6)  # a machine of 200 MB
    experiment["network"]["edges"]["file"] = str(bomb)
    path.write_text(yaml.safe_dump(config_with(experiment)))
    assert cli.main(resolve) == 1
    message = capsys.readouterr().err
    assert f"edge file '{bomb}' unpacks to 0.2 GB, more than half of the 0.2 GB" in message
    assert "Traceback" not in message


@pytest.mark.parametrize(
    ("change", "key"),
    [
        ({"window": "29 s", "duration": "30 s"}, "window"),  # 4.99 s grew to 23 GB, was killed
        ({"shuffles": 10_000_000}, "shuffles"),  # "Unable to allocate 25.6 GiB"
        ({"unconnected": 100_000_000}, "unconnected"),  # ran without end
        ({"shadows": {"count": 10_000_000, "share": 0.3, "jitter": "1 ms"}}, "shadows"),
        ({"methods": ["joint"], "per_type": 100_000, "trains": "random"}, "methods"),  # Gram
    ],
)
def test_an_inference_too_large_for_the_machine_is_refused_before_any_job(change, key, tmp_path):
    # Issue 21 (12): the inference's memory was never estimated.
    from voltage_to_wiring.config import plan

    config = {"defaults": BASE["defaults"], "experiments": {"x": copy.deepcopy(NTO1_SMALL)}}
    config["experiments"]["x"]["sim"]["duration"] = "60 s"
    config["experiments"]["x"]["inference"].update(change)
    with pytest.raises(ConfigError) as refused:
        plan(config)
    message = str(refused.value)
    assert message.startswith(f"experiment 'x', key 'inference.{key}': the inference needs about")
    assert "GB of memory" in message and "this machine has" in message
    plan(config, check_machine=False)  # on a cluster the jobs run elsewhere
