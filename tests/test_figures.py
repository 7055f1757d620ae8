"""Figures say what they draw: units on the axes, legends for what lines mean, populations told
apart, neurons named."""

import math

import matplotlib.colors as mcolors
import numpy as np
import pytest
import xarray as xr
import yaml

from voltage_to_wiring import config
from voltage_to_wiring.plots import activity, inference, registry, sweep, traces

from conftest import EI_EXPERIMENT, ROOT, simulated


@pytest.fixture(scope="module")
def ei_dataset():
    return simulated(EI_EXPERIMENT, "ei")[1]


def test_the_conductance_figure_of_an_ei_network_says_which_line_is_which(ei_dataset):
    fig = traces.conductance(ei_dataset)
    title = fig._suptitle.get_text().replace("\n", " ")  # wrapped to the width
    assert "excitatory synaptic conductance g_exc (solid)" in title
    assert "inhibitory synaptic conductance g_inh (dashed)" in title and "(nS)" in title
    legend = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert legend == ["g_exc", "g_inh", "excitatory neuron (E)", "inhibitory neuron (I)"]
    styles = {line.get_linestyle() for line in fig.axes[0].get_lines() if line.get_xdata().size}
    assert styles == {"-", "--"}
    assert [ax.get_ylabel() for ax in fig.axes] == [
        "neuron 0 (E)",
        "neuron 1 (E)",
        "neuron 2 (E)",
        "neuron 3 (E)",
        "neuron 45 (I)",
    ]
    assert fig.axes[-1].get_xlabel() == "time (ms)"


def _hex(line):
    return mcolors.to_hex(line.get_color())


def test_the_voltage_figure_of_an_ei_network_tells_excitatory_from_inhibitory(ei_dataset):
    # Issue 21 (4): a neuron's panel did not say whether it was excitatory or inhibitory.
    red, blue = mcolors.to_hex("C3"), mcolors.to_hex("C0")  # as in the raster
    fig = traces.voltage(ei_dataset)
    assert [ax.get_ylabel() for ax in fig.axes] == [
        "neuron 0 (E)",
        "neuron 1 (E)",
        "neuron 2 (E)",
        "neuron 3 (E)",
        "neuron 45 (I)",
    ]
    assert [_hex(ax.get_lines()[0]) for ax in fig.axes] == [red] * 4 + [blue]
    legend = fig.axes[0].get_legend()
    assert [t.get_text() for t in legend.get_texts()] == [
        "excitatory neuron (E)",
        "inhibitory neuron (I)",
    ]
    assert [_hex(h) for h in legend.legend_handles] == [red, blue]
    overlaid = traces.voltage(ei_dataset.isel(neuron=[0, 1, 4])).axes[0]
    texts = [t.get_text() for t in overlaid.get_legend().get_texts()]
    assert texts == ["neuron 0 (E)", "neuron 1 (E)", "neuron 45 (I)"]
    traces_drawn = overlaid.get_lines()[::2]  # each neuron's trace, then its spike dots
    first, second, inhibitory = (_hex(line) for line in traces_drawn)
    assert first == red and inhibitory == blue and second not in (red, blue)  # a darker red


def test_the_raster_tells_excitatory_from_inhibitory_neurons(ei_dataset):
    fig = activity.raster(ei_dataset)
    top = fig.axes[0]
    by_colour = {}
    for line in top.get_lines():
        by_colour[mcolors.to_hex(line.get_color())] = np.asarray(line.get_ydata())
    assert len(by_colour) == 2
    low, high = sorted(by_colour.values(), key=lambda y: y.min() if y.size else 0)
    assert low.max() < 40 <= high.min()  # excitatory neurons 0-39, inhibitory 40-49
    legend = [t.get_text() for t in fig.legends[0].get_texts()]
    assert legend == ["excitatory neurons", "inhibitory neurons"]
    assert top.get_legend() is None  # beside the panels, not over the spikes
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
    _, ds = simulated(yaml.safe_load(LONG_SEED)["long"], "long")
    voltage = traces.voltage(ds)
    assert voltage.axes[-1].get_xlabel() == "time (s)"
    assert voltage.axes[-1].get_xlim()[1] == pytest.approx(12.0, abs=1e-3)
    legend = [t.get_text() for t in voltage.axes[0].get_legend().get_texts()]
    assert legend == ["neuron 0", "neuron 1", "neuron 2"]  # one population: no E or I
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


def _inference(weights_ns):
    """An inference dataset of two methods and four tested trains with true ``weights_ns``."""
    true_type = np.array([1, -1, 0, 1])
    return xr.Dataset(
        {
            "statistic": (("inference_method", "pair"), np.arange(8.0).reshape(2, 4) - 3),
            "true_type": ("pair", true_type),
            "true_weight": ("pair", np.array(weights_ns) * 1e-9),
        },
        coords={"inference_method": ["sta", "linefit"]},
        attrs={"experiment": "x"},
    )


def test_weights_below_one_nS_are_drawn_in_pS():
    # Issue 21 (4): weights of 0.2 nS read 0.2 on an nS axis.
    fig = inference.connections(_inference([0.2, 0.5, 0.0, 0.1]))
    ax = fig.axes[0]
    assert ax.get_xlabel() == "true weight (pS; inhibitory < 0)"
    excitatory, inhibitory = ax.get_lines()[:2]
    assert excitatory.get_xdata().tolist() == pytest.approx([200.0, 100.0])
    assert inhibitory.get_xdata().tolist() == pytest.approx([-500.0])
    strong = inference.connections(_inference([2.0, 5.0, 0.0, 0.1])).axes[0]
    assert strong.get_xlabel() == "true weight (nS; inhibitory < 0)"
    assert strong.get_lines()[0].get_xdata().tolist() == pytest.approx([2.0, 0.1])
    assert "nS or pS" in registry.caption("connections", experiment="x")


def _statistics(key, values, silent=0.0):
    return [
        {
            "experiment": f"p{i}",
            key: value,
            "mean_rate_hz": 2.0 * i,
            "cv_isi_mean": 1.0,
            "synchrony_chi": 0.1,
            "fraction_silent": silent,
        }
        for i, value in enumerate(values)
    ]


def test_the_sweep_axis_names_the_quantity_and_its_unit():
    # Issue 21 (4): the x axis read the raw key, its unit nowhere.
    fig = sweep.summary(
        "s", ["drive.poisson.rate"], _statistics("drive.poisson.rate", ["10 Hz", "20 Hz"])
    )
    assert fig.axes[0].get_xlabel() == "Poisson input rate (Hz)\ndrive.poisson.rate"
    assert "against Poisson input rate (drive.poisson.rate)" in fig._suptitle.get_text()
    snr = sweep.summary("s", ["inference.snr"], _statistics("inference.snr", [4, 40]))
    assert snr.axes[0].get_xlabel() == "SNR = spike height / noise sd\ninference.snr"
    other = sweep.summary("s", ["synapse.tau"], _statistics("synapse.tau", ["2 ms", "8 ms"]))
    assert other.axes[0].get_xlabel() == "synapse.tau (ms)"


def test_a_table_with_the_recall_at_5_percent_fpr_gets_the_design_panel():
    # Issue 30 (6): the recording length that finds 80 % of the excitatory inputs at 5 % FPR
    table = [
        {
            "experiment": f"p{i}",
            "inference.duration": d,
            "inference.duration (SI)": float(d.split()[0]),
            "kernel auc": 0.5 + i / 10,
            "kernel auc_detection": 0.6,
            "kernel tpr_exc_at_fpr_0.05": recall,
        }
        for i, (d, recall) in enumerate([("30 s", 0.3), ("120 s", 0.6), ("600 s", 0.9)])
    ]
    axes = sweep.summary("s", ["inference.duration"], table).get_axes()
    assert [ax.get_ylabel() for ax in axes][2] == sweep.RECALL[1]
    assert axes[2].get_lines()[0].get_ydata().tolist() == [0.3, 0.6, 0.9]
    assert [line.get_ydata()[0] for line in axes[2].get_lines()[1:]] == [0.8]  # the aim
    older = [{k: v for k, v in row.items() if "tpr" not in k} for row in table]
    assert len(sweep.summary("s", ["inference.duration"], older).get_axes()) == 2


@pytest.mark.parametrize(
    "values", [[1, 4, 10, "inf"], ["inf", 10, 4, 1], [1.0, 4.0, 10.0, math.inf]]
)
def test_an_infinite_swept_value_is_drawn_past_a_break_in_the_axis(values):
    # Issue 21 (4): inf (no imaging noise) was dropped, or drawn at an arbitrary place.
    auc = {1: 0.5, 4: 0.6, 10: 0.7, math.inf: 0.9}
    table = [
        {
            "experiment": f"p{i}",
            "inference.snr": v,
            "sta auc": auc[float(v)],
            "sta auc_detection": 0.6,
        }
        for i, v in enumerate(values)
    ]
    ax = sweep.summary("s", ["inference.snr"], table).axes[0]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["1", "4", "10", "∞"]
    data = ax.get_lines()[0]  # left to right, a gap (nan) where the axis breaks
    x, y = np.asarray(data.get_xdata(), float), np.asarray(data.get_ydata(), float)
    assert np.all(np.isfinite(x)) and 10 < x[3] < x[4]
    np.testing.assert_array_equal(y, [0.5, 0.6, 0.7, np.nan, 0.9])
    assert any(line.get_marker() is sweep.BREAK for line in ax.get_lines())


def test_a_single_swept_value_is_ticked_and_nan_or_minus_inf_are_categories():
    """A reviewer's cases: one point got matplotlib's own ticks (3.7 ... 4.3), not its
    value; -inf and nan vanished from the number line without a word."""
    one = [{"experiment": "p0", "synapse.delay": "4 ms", "sta auc": 0.6, "sta auc_detection": 0.7}]
    ax = sweep.summary("s", ["synapse.delay"], one).axes[0]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["4"]
    odd = [
        {"experiment": f"p{i}", "inference.snr": v, "sta auc": 0.6, "sta auc_detection": 0.7}
        for i, v in enumerate(["-inf", "1", "nan"])
    ]
    ax = sweep.summary("s", ["inference.snr"], odd).axes[0]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["-inf", "1", "nan"]


def test_the_sweep_statistics_are_never_drawn_below_zero():
    # Issue 21 (4): a fraction silent of 0 everywhere was drawn on [-0.05, 0.05].
    fig = sweep.summary("s", ["synapse.delay"], _statistics("synapse.delay", ["2 ms", "8 ms"]))
    limits = {ax.get_ylabel(): ax.get_ylim() for ax in fig.axes}
    bottom, top = limits["fraction silent"]
    assert bottom >= 0 and top <= 1.05
    assert all(bottom == 0 for bottom, _ in limits.values())


@pytest.mark.parametrize("figure", ["voltage", "conductance", "raster", "rates", "degrees"])
def test_a_long_experiment_name_is_wrapped_not_cut_at_the_figures_edges(ei_dataset, figure):
    """A new user saw "_duration=10s_snr=40: spike-triggered ..." and "_network: ... STA":
    titles ran past both edges of the figure."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    from voltage_to_wiring.plots import draw

    ds = ei_dataset.copy()
    ds.attrs = {**ds.attrs, "experiment": "nto1_duration_duration=10s_snr=40_seed=12345_x"}
    fig = draw.draw(figure, ds)
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    renderer = canvas.get_renderer()
    texts = [fig._suptitle] if fig._suptitle else []
    texts += [ax.title for ax in fig.axes if ax.get_title()]
    assert any(ds.attrs["experiment"][:20] in t.get_text() for t in texts)
    width = fig.bbox.width
    for text in texts:
        box = text.get_window_extent(renderer)
        assert box.x0 >= 0 and box.x1 <= width, (figure, text.get_text())


def test_degree_histograms_have_whole_number_bins(ei_dataset):
    """Bins 1.5 degrees wide held one or two whole numbers each: a comb not in the data."""
    from voltage_to_wiring.plots import wiring

    fig = wiring.degrees(ei_dataset)
    for ax in fig.axes:
        edges = sorted(
            {p.get_x() for p in ax.patches} | {p.get_x() + p.get_width() for p in ax.patches}
        )
        widths = np.diff(edges)
        assert np.allclose(widths, np.round(widths)) and widths.min() >= 1
        assert np.allclose(np.asarray(edges) % 1, 0.5)  # centred on whole numbers
