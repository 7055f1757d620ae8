"""Neuron models: AdEx and LIF against plain-Python transcriptions of their equations, bit for
bit; per-population parameters; threads; what the declarations give the rest of the package."""

import numpy as np
import pytest

from voltage_to_wiring import config
from voltage_to_wiring.core import neurons
from voltage_to_wiring.core.variables import VARIABLES, recordable
from voltage_to_wiring.engine.driver import simulate
from voltage_to_wiring.model import build
from voltage_to_wiring.plots import registry

from conftest import assert_bits_equal, make_config, spikes_per_neuron
from naive import adex_run, izhikevich_run, lif_run

# The thesis's AdEx cortical RS neuron (Fiers 2024; tfiers/phd, pkg/Nto1AdEx).
ADEX = {
    "model": "adex",
    "C": "104 pF",
    "g_L": "4.3 nS",
    "E_L": "-65 mV",
    "V_T": "-52 mV",
    "Delta_T": "0.8 mV",
    "V_s": "40 mV",
    "V_r": "-53 mV",
    "a": "-0.8 nS",
    "b": "65 pA",
    "tau_w": "88 ms",
}
LIF = {
    "model": "lif",
    "C": "200 pF",
    "g_L": "10 nS",
    "E_L": "-70 mV",
    "V_th": "-50 mV",
    "V_reset": "-60 mV",
    "t_ref": "2 ms",
}
# Izhikevich (2007, ch. 8) fast-spiking interneuron values (its u nonlinearity left out), on
# top of the default RS neuron.
FAST_SPIKING = dict(C="20 pF", k="1 nS/mV", v_r="-55 mV", v_t="-40 mV", v_peak="25 mV",
                    a="0.2 /ms", b="-2 nS", c="-45 mV", d="0 pA")  # fmt: skip
RUNS = {"adex": adex_run, "lif": lif_run, "izhikevich": izhikevich_run}


def resolve(experiment):
    return config.resolve(make_config({"x": experiment}), "x")


def dense(neuron, n=10, seed=3, current=(150, 400)):
    """A small random network of one synapse type and a heterogeneous drive."""
    rng = np.random.default_rng(seed)
    weights = np.where(rng.random((n, n)) < 0.3, rng.uniform(0.5, 3.0, (n, n)), 0.0)
    np.fill_diagonal(weights, 0.0)
    return {
        "neuron": neuron,
        "sim": {"duration": "0.3 s"},
        "network": {"weights": {"unit": "nS", "values": weights.tolist()}},
        "synapse": {"delay": "2 ms"},
        "drive": {"current": {"unit": "pA", "values": rng.uniform(*current, n).tolist()}},
        "record": {"variables": list(neurons.get(neuron.get("model", "izhikevich")).recordable())
                   + ["g", "I"]},
    }  # fmt: skip


def ei(neuron, n=24, current=("150 pA", "350 pA")):
    """A small E/I network: two synapse types, generated wiring, a drawn drive."""
    return {
        "neuron": neuron,
        "sim": {"duration": "0.3 s", "seed": 4},
        "network": {
            "n": n,
            "populations": {"exc": 0.75, "inh": 0.25},
            "connectivity": {"rule": "erdos_renyi", "p": 0.3},
            "weight": {"E->E": "1 nS", "E->I": "1 nS", "I->E": "3 nS", "I->I": "3 nS"},
        },
        "synapse": {
            "delay": "1.5 ms",
            "exc": {"v_syn": "0 mV", "tau": "5 ms"},
            "inh": {"v_syn": "-80 mV", "tau": "10 ms"},
        },
        "drive": {"current": {"uniform": list(current)}},
        "record": {"variables": ["v", "g_exc", "g_inh", "I"]},
    }


def compare_with_transcription(params):
    sim = build.simulation(params)
    net = sim.network
    types = net.type.tolist() if len(net.type) else [None] * net.n_synapses
    edges = (net.pre.tolist(), net.post.tolist(), net.weight.tolist(), types)
    expected, spikes = RUNS[sim.model.name](params, edges, sim.I_ext)
    result = simulate(sim)
    conductances = {"g": "g0", "g_exc": "g0", "g_inh": "g1"}
    for name, values in result.traces.items():
        assert_bits_equal(values, expected[conductances.get(name, name)], name)
    assert spikes_per_neuron(result.spike_step, result.spike_neuron, params["n"]) == spikes
    assert sum(map(len, spikes)) >= 2 * params["n"], "the case should spike"
    return result, spikes


@pytest.mark.parametrize("model", ["adex", "lif"])
@pytest.mark.parametrize("network", [pytest.param("dense", marks=pytest.mark.slow), "ei"])
def test_each_model_is_its_transcription_bit_for_bit(model, network):
    neuron = {"adex": ADEX, "lif": LIF}[model]
    params = resolve(dense(neuron) if network == "dense" else ei(neuron))
    compare_with_transcription(params)


def test_the_adex_spike_sample_shows_the_cut_off_and_the_state_is_reset():
    params = resolve(dense(ADEX))
    result = simulate(build.simulation(params))
    v, w = result.traces["v"], result.traces["w"]
    steps, who = result.spike_step, result.spike_neuron
    assert len(steps) > 20
    assert np.all(v[steps, who] == 40e-3), "the sample of a spike shows V_s"
    # the next step starts from V_r (not from V_s): the sample after a spike is near V_r
    after = steps + 1 < v.shape[0]
    assert np.all(np.abs(v[steps[after] + 1, who[after]] - (-53e-3)) < 5e-3)
    assert np.all(w[steps, who] > 0), "w jumped by b"
    assert np.all(v[np.ones_like(v, dtype=bool)] <= 40e-3)


def test_lif_holds_v_at_the_reset_for_the_refractory_period():
    params = resolve(dense(LIF, current=(500, 800)))  # fast firing: refractoriness matters
    result = simulate(build.simulation(params))
    v = result.traces["v"]
    held = round(2e-3 / 1e-4)
    for step, i in zip(result.spike_step, result.spike_neuron, strict=True):
        stretch = v[step : min(step + held + 1, v.shape[0]), i]
        assert np.all(stretch == -60e-3), "v stays at V_reset from the spike for t_ref"
        if step + held + 1 < v.shape[0]:
            assert v[step + held + 1, i] > -60e-3, "then integrates again"
    gaps = np.diff(result.spike_step[result.spike_neuron == 0])
    assert len(gaps) > 5 and gaps.min() > held


@pytest.mark.slow
def test_populations_can_have_parameters_of_their_own():
    neuron = {"inh": FAST_SPIKING}
    params = resolve(ei(neuron, n=40, current=("100 pA", "200 pA")))
    assert set(params["neuron"]) == {"exc", "inh"}
    assert params["neuron"]["inh"]["C"] == 20e-12 and params["neuron"]["exc"]["C"] == 100e-12
    assert params["initial"]["v"] == {"exc": -60e-3, "inh": -55e-3}  # each population's rest
    result, spikes = compare_with_transcription(params)
    rates = [len(s) for s in spikes]
    assert np.mean(rates[30:]) > 2 * np.mean(rates[:30]), "fast-spiking interneurons fire more"


@pytest.mark.slow  # one thread against two: test_threads.py in the fast tier
@pytest.mark.parametrize("model", ["adex", "lif", "izhikevich"])
def test_two_threads_give_the_bits_of_one_for_every_model(model):
    neuron = {"adex": ADEX, "lif": LIF, "izhikevich": {"inh": FAST_SPIKING}}[model]
    params = resolve(ei(neuron, n=200))  # parts cut at 128, populations at 150
    params["record"]["neurons"] = "all"
    one = simulate(build.simulation(params), threads=1)
    two = simulate(build.simulation(params), threads=2)
    assert len(one.spike_step) > 200
    np.testing.assert_array_equal(two.spike_step, one.spike_step)
    np.testing.assert_array_equal(two.spike_neuron, one.spike_neuron)
    for name, values in one.traces.items():
        assert_bits_equal(two.traces[name], values, name)


def test_the_declarations_reach_variables_figures_and_units():
    adex = neurons.get("adex")
    assert recordable((), adex) == ("v", "w", "g", "I")
    assert recordable(("exc", "inh"), neurons.get("lif")) == ("v", "g_exc", "g_inh", "I")
    assert VARIABLES["w"].units == "A" and VARIABLES["w"].display_units == "pA"
    assert registry.FIGURES["adaptation"].applies(resolve(dense(ADEX)))
    assert "adaptation" not in registry.available(resolve(dense(LIF)))
    params = resolve(dense(ADEX))
    assert params["units"]["neuron.tau_w"] == "s" and "neuron.k" not in params["units"]
    assert params["initial"] == {"v": -65e-3, "w": 0.0, "g": 0.0}
    assert params["neuron"]["model"] == "adex"
    for model in neurons.MODELS.values():  # v means the same in every model
        assert model.state[0].unit == VARIABLES["v"].units
        assert model.state[0].long_name == VARIABLES["v"].long_name


def test_the_default_model_leaves_the_parameters_as_they_were(seed_params):
    """No ``model`` key for Izhikevich's (older configs keep their parameters' hash)."""
    assert set(seed_params["neuron"]) == {"C", "k", "b", "v_r", "v_t", "v_peak", "c", "a", "d"}
    explicit = resolve({**dense({"model": "izhikevich"})})
    assert "model" not in explicit["neuron"]


def test_another_model_replaces_the_defaults_neuron_section_whole():
    params = resolve(dense(ADEX))  # the defaults hold Izhikevich's k, v_r, ...: not mixed in
    assert set(params["neuron"]) == {"model", *neurons.get("adex").keys}
    assert "u" not in params["record"]["variables"]  # the defaults' record list, without u


QIF = '''"""A quadratic integrate-and-fire neuron with an adaptation current (a test's model)."""

from ...units import AMPERE, FARAD, SECOND, SIEMENS, VOLT
from ._declaration import Below, NeuronModel, Parameter, StateVariable


def derivatives(v, a, current, drive, dt, p):
    upstroke = p.g * (v - p.v_rest) * (v - p.v_crit) / (p.v_crit - p.v_rest)
    return (upstroke - a - current + drive) / p.C, -a / p.tau_a


def spiked(v, a, p):
    return v >= p.v_peak


def reset(v, a, p):
    return p.v_reset, a + p.jump


MODEL = NeuronModel(
    name="qif",
    title="QIF",
    summary="quadratic integrate-and-fire with adaptation",
    reference="Latham et al. (2000), J. Neurophysiol. 83: 808-827",
    equations=("C dv/dt = g (v - v_rest)(v - v_crit) / (v_crit - v_rest) - a - I + I_ext",),
    parameters=(
        Parameter("C", FARAD, "capacitance", positive=True),
        Parameter("g", SIEMENS, "leak conductance", positive=True),
        Parameter("v_rest", VOLT, "rest"),
        Parameter("v_crit", VOLT, "critical potential"),
        Parameter("v_peak", VOLT, "cut-off"),
        Parameter("v_reset", VOLT, "reset"),
        Parameter("tau_a", SECOND, "adaptation time constant", positive=True),
        Parameter("jump", AMPERE, "adaptation jump"),
    ),
    state=(
        StateVariable("v", VOLT, "membrane potential", "mV", 1e3, initial="v_rest"),
        StateVariable("a", AMPERE, "adaptation current (QIF a)", "pA", 1e12, 0.0,
                      figure="qif_adaptation"),
    ),
    rules=(Below("v_rest", "v_crit", "rest below the critical potential"),
           Below("v_reset", "v_peak", "reset below the cut-off")),
    rest="v_rest",
    threshold="v_crit",
    peak="v_peak",
    spike_height=("v_peak", "v_rest"),
    derivatives=derivatives,
    spiked=spiked,
    reset=reset,
)
'''
MINE = """
experiments:
  mine:
    neuron: {model: qif, C: 100 pF, g: 5 nS, v_rest: -65 mV, v_crit: -50 mV, v_peak: 20 mV,
             v_reset: -60 mV, tau_a: 50 ms, jump: 20 pA}
    network:
      weights: {unit: nS, values: [[0, 2, 0], [0, 0, 2], [2, 0, 0]]}
    drive: {current: {unit: pA, values: [120, 100, 90]}}
    record: {variables: [v, a, I]}
"""


@pytest.mark.workflow
@pytest.mark.slow
def test_a_model_is_one_new_module_and_runs_through_the_pipeline(tmp_path):
    from workflow import copy_workflow, planned_jobs, snakemake

    work = copy_workflow(tmp_path / "work", own_source=True)
    package = work / "src" / "voltage_to_wiring"
    before = {p.relative_to(package) for p in package.rglob("*") if p.is_file()}
    (package / "core" / "neurons" / "qif.py").write_text(QIF)
    (work / "mine.yaml").write_text(MINE)
    targets = ["results/sims/mine.nc", "results/figures/mine/qif_adaptation.png",
               "results/figures/mine/voltage.png"]  # fmt: skip
    snakemake(work, *targets, "--configfile", "mine.yaml", "--cores", "2")
    after = {p.relative_to(package) for p in package.rglob("*") if p.is_file()}
    assert {p for p in after - before if "__pycache__" not in p.parts} == {
        package.joinpath("core/neurons/qif.py").relative_to(package)
    }, "one new module, no other file edited"
    from voltage_to_wiring.data import dataset

    ds = dataset.read(work / "results/sims/mine.nc")
    assert ds["a"].attrs == {"units": "A", "long_name": "adaptation current (QIF a)"}
    assert "3 QIF neurons" in ds.attrs["title"]
    assert len(ds["spike_step"]) > 10 and float(ds["a"].max()) > 0
    assert (work / "results/figures/mine/qif_adaptation.png").stat().st_size > 1000
    # the module is a code input of the rules that run it: editing it reruns the simulation
    model_file = package / "core" / "neurons" / "qif.py"
    model_file.write_text(model_file.read_text() + "# edited\n")
    jobs = planned_jobs(work, *targets, extra=("--configfile", "mine.yaml"))
    assert jobs.get("simulate") == 1 and jobs.get("resolve_params") == 1


def test_the_readmes_model_reference_is_the_declarations():
    from conftest import ROOT

    text = (ROOT / "docs" / "config.md").read_text()
    begin = text.index("<!-- neuron models: begin")
    block = text[text.index("\n", begin) + 1 : text.index("<!-- neuron models: end -->")]
    assert block == neurons.reference(), "paste neurons.reference() into docs/config.md"
    for model in neurons.MODELS.values():
        assert all(f"| `{key}` |" in block for key in model.keys)
