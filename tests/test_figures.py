"""Figures say what they draw: units on the axes, legends for what lines mean, populations told
apart, neurons named."""

import matplotlib.colors as mcolors
import numpy as np
import pytest

from voltage_to_wiring import config
from voltage_to_wiring.data import dataset
from voltage_to_wiring.engine.driver import simulate
from voltage_to_wiring.model import build
from voltage_to_wiring.plots import activity, traces

from conftest import ROOT, make_config


@pytest.fixture(scope="module")
def ei_dataset():
    experiment = {
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
    params = config.resolve(make_config({"ei": experiment}), "ei")
    sim = build.simulation(params)
    result = simulate(sim, params["record"]["variables"], params["record"]["neurons"])
    return dataset.build(params, result, sim.network)


def test_the_conductance_figure_of_an_ei_network_says_which_line_is_which(ei_dataset):
    fig = traces.conductance(ei_dataset)
    title = fig._suptitle.get_text()
    assert "excitatory synaptic conductance g_exc (solid)" in title
    assert "inhibitory synaptic conductance g_inh (dashed)" in title and "(nS)" in title
    legend = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert legend == ["g_exc", "g_inh"]
    styles = {line.get_linestyle() for line in fig.axes[0].get_lines() if line.get_xdata().size}
    assert styles == {"-", "--"}
    assert [ax.get_ylabel() for ax in fig.axes] == [f"neuron {i}" for i in (0, 1, 2, 3, 45)]
    assert fig.axes[-1].get_xlabel() == "time (ms)"


def test_the_raster_tells_excitatory_from_inhibitory_neurons(ei_dataset):
    fig = activity.raster(ei_dataset)
    top = fig.axes[0]
    by_colour = {}
    for line in top.get_lines():
        by_colour[mcolors.to_hex(line.get_color())] = np.asarray(line.get_ydata())
    assert len(by_colour) == 2
    low, high = sorted(by_colour.values(), key=lambda y: y.min() if y.size else 0)
    assert low.max() < 40 <= high.min()  # excitatory neurons 0-39, inhibitory 40-49
    legend = [t.get_text() for t in top.get_legend().get_texts()]
    assert legend == ["excitatory neurons", "inhibitory neurons"]
    assert fig.axes[1].get_ylabel().startswith("rate (Hz)")


def test_long_traces_are_drawn_as_their_envelope_in_time_order():
    rng = np.random.default_rng(0)
    y = rng.normal(size=100_003)
    y[50_000] = 30.0  # a spike
    t = np.arange(len(y)) * 0.1
    te, ye = traces.envelope(t, y, bins=1000)
    assert len(ye) == 2 * 1000 + 3 and np.all(np.diff(te) > 0)
    index = np.round(te / 0.1).astype(int)
    np.testing.assert_array_equal(ye, y[index])  # samples of the trace, nothing made up
    for b in range(1000):  # each stretch's extremes
        stretch = y[b * 100 : (b + 1) * 100]
        assert {stretch.min(), stretch.max()} <= set(ye[2 * b : 2 * b + 2])
    assert ye.max() == 30.0
    short = rng.normal(size=4000)
    assert traces.envelope(t[:4000], short, bins=1000)[1] is short


def test_a_single_neuron_gets_no_population_figures():
    # Issue 21 (4): one neuron got a raster ("all 1 neurons"), a rate histogram
    # ("inhibitory (mean nan Hz)") and degree distributions.
    from voltage_to_wiring.plots import registry

    merged = config.load([ROOT / "config.yaml"])
    one = registry.available(config.resolve(merged, "nto1"))
    assert "voltage" in one and not {"raster", "rates", "degrees"} & set(one)
    many = registry.available(config.resolve(merged, "ei_network"))
    assert {"raster", "rates", "degrees"} <= set(many)


def test_a_long_recording_is_drawn_against_seconds():
    # Issue 21 (4): a 10-minute recording's axis read 600,000 ms.
    from voltage_to_wiring.plots.common import time_unit

    assert time_unit(0.3) == (1e3, "ms") and time_unit(10.0) == (1e3, "ms")
    assert time_unit(600.0) == (1.0, "s")
    params = config.resolve(make_config(LONG_SEED), "long")
    sim = build.simulation(params)
    result = simulate(sim, params["record"]["variables"], params["record"]["neurons"])
    ds = dataset.build(params, result, sim.network)
    voltage = traces.voltage(ds)
    assert voltage.axes[-1].get_xlabel() == "time (s)"
    assert voltage.axes[-1].get_xlim()[1] == pytest.approx(12.0, abs=1e-3)
    raster = activity.raster(ds)
    assert raster.axes[-1].get_xlabel() == "time (s)"
    assert raster.axes[-1].get_xlim() == pytest.approx((0.0, 12.0))


LONG_SEED = """
long:
  sim: {duration: 12 s}
  network:
    weights: {unit: nS, scale: 12, values: [[0, 1, 0], [0, 0, 0.8], [1, 0, 0]]}
  initial:
    g: {unit: nS, values: [10, 0, 0]}
  record: {variables: [v], neurons: all}
"""
