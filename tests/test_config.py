"""Config resolution: units to the notebook's exact floats, defaults, schema in step."""

import re
import subprocess
import sys

import numpy as np
import pytest
import yaml

from voltage_to_wiring import config, units
from voltage_to_wiring.errors import ConfigError

from conftest import ROOT, TEST_CONFIG, make_config

# The notebook's definitions (support.units: second = volt = ampere = 1, ms = mV = 1e-3,
# nS = 1e-9, pF = pA = 1e-12) and its parameter cells, written out as it wrote them.
ms = mV = 1e-3
nS = 1e-9
pF = pA = 1e-12
NOTEBOOK = {
    "neuron": {
        "C": 100 * pF,
        "k": 0.7 * (nS / mV),
        "b": -2 * nS,
        "v_r": -60 * mV,
        "v_t": -40 * mV,
        "v_peak": 35 * mV,
        "c": -50 * mV,
        "a": 0.03 / ms,
        "d": 100 * pA,
    },
    "synapse": {"v_syn": 0 * mV, "tau": 7 * ms},
}


def test_seed_parameters_are_the_notebooks_floats_bit_for_bit(seed_params):
    for section, values in NOTEBOOK.items():
        for key, expected in values.items():
            assert seed_params[section][key].hex() == float(expected).hex(), f"{section}.{key}"
    weights = np.array([[0, 1, 0], [0, 0, 0.8], [1, 0, 0]]) * 12 * nS
    assert seed_params["network"]["weight"] == [weights[0, 1], weights[1, 2], weights[2, 0]]
    assert seed_params["initial"]["g"] == (np.array([10, 0, 0]) * nS).tolist()
    assert seed_params["sim"]["dt"] == 0.1 * ms
    assert seed_params["sim"]["n_samples"] == round(0.3 / (0.1 * ms)) == 3000
    assert seed_params["synapse"]["delay_steps"] == round((4 + 0.5) * ms / (0.1 * ms)) == 45


def test_pints_own_conversion_would_lose_the_last_bit():
    """Why units.py composes factors itself: pint's answer differs from the notebook's."""
    assert units.registry().Quantity("0.7 nS/mV").to("S/V").magnitude != 0.7 * (nS / mV)
    assert units.parse_quantity("0.7 nS/mV", "S/V") == 0.7 * (nS / mV)


@pytest.mark.parametrize(
    ("text", "unit", "expected"),
    [
        ("4.5 ms", "s", 4.5 * 1e-3),
        ("10 Hz", "1/s", 10.0),
        ("1 uS", "S", 1e-6),
        ("2 second", "s", 2.0),
        ("-65 mV", "V", -65 * 1e-3),
        ("1.5", "", 1.5),
    ],
)
def test_quantities_in_other_spellings(text, unit, expected):
    assert units.parse_quantity(text, unit) == expected


def _through_pint(text, unit):
    """A quantity's SI float the way units.py reads text it has no table for (pint's parse,
    the notebook's composition of factors)."""
    quantity = units.registry().Quantity(text)
    magnitude = quantity.magnitude
    return units._apply(float(magnitude), units._combine(dict(quantity.unit_items())))


def test_common_units_are_read_without_pint_to_the_same_bits():
    """The table of common units (read without creating pint's registry) gives pint's path's
    factors and dimensions, and every spelling of a number the same float, sign of zero
    included."""
    for symbol, (factor, si) in units.SIMPLE_UNITS.items():
        parsed = units.registry().parse_units(symbol)
        assert parsed.dimensionality == units._dimensionality(si), symbol
        assert units._combine(dict(parsed._units)) == (factor, None), symbol
    texts = ["4.5 ms", "-65 mV", "-0 mV", "-0.0 mV", "+2 nS", ".5 ms", "1e-3 s", "2.5E2 Hz"]
    texts += ["100 pA", "0.1 ms", "22 pS", "7 ms", "30 pA", "10000 fF", "3.0kHz", "1 uS"]
    compound = {"0.7 nS/mV": "S/V", "0.03 /ms": "1/s", "-2 nS / mV": "S/V", "4 /s": "1/s"}
    for text in texts + list(compound):
        symbol = text.split()[-1].lstrip("0123456789.")
        unit = compound.get(text) or units.SIMPLE_UNITS[symbol][1]
        expected = _through_pint(text, unit)
        fast = units._simple(text, unit)
        assert fast is not None and fast.hex() == expected.hex(), text
        assert units.parse_quantity(text, unit).hex() == expected.hex(), text
    assert units._simple("4 ms", "V") is None and units._simple("2 ms^2", "s") is None
    assert units._simple("1 Hz/mV", "1/s/V") is None and units._simple("1 nS/mV", "S") is None
    with pytest.raises(ConfigError, match="wrong dimension"):
        units.parse_quantity("4 ms", "V")  # the table's unit, another dimension: pint's message
    assert units.parse_array({"unit": "nS", "values": [1, 2], "scale": 12}, "S").tolist() == [
        1 * 12 * nS,
        2 * 12 * nS,
    ]


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("007 ms", "leading zeros"),  # pint reads it as 0 (the tokens 00 and 7)
        ("٥ ms", "cannot read"),  # an Arabic-Indic five: pint reads ASCII digits only
        ("9" * 5000 + " ms", "not finite"),  # beyond int()'s digit limit and the floats
        ("1" + "0" * 400 + " ms", "not finite"),
    ],
)
def test_numbers_either_path_would_misread_are_refused_in_a_sentence(text, problem):
    with pytest.raises(ConfigError, match=problem):
        units.parse_quantity(text, "s")


def test_planning_the_default_config_creates_no_pint_registry():
    """pint's registry costs 0.3 s of every plan and job: the default config's quantities
    are all in the table of common units, or read by the jobs that need them."""
    script = (
        "import sys; sys.path.insert(0, 'src')\n"
        "from voltage_to_wiring import config, units\n"
        "config.plan(config.load(['config.yaml']))\n"
        "print(units.registry.cache_info().currsize)\n"
    )
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "0"


def test_defaults_apply_and_experiments_override_key_by_key(repo_config):
    params = config.resolve(repo_config, "seed_synchronous")
    assert params["sim"]["scheme"] == "synchronous"  # from defaults
    assert config.resolve(repo_config, "seed")["sim"]["scheme"] == "sequential"
    assert params["sim"]["dt"] == 0.1 * ms  # defaults kept next to the override
    assert params["initial"]["v"] == -60 * mV  # v_r by default
    assert params["initial"]["u"] == 0.0 and params["drive"]["current"] == 0.0


def test_drive_and_initial_state_forms():
    experiment = {
        "network": {"weights": {"unit": "nS", "values": [[0, 1], [1, 0]]}},
        "drive": {"current": "50 pA"},
        "initial": {"v": {"unit": "mV", "values": [-70, -65]}, "u": "10 pA"},
    }
    params = config.resolve(make_config({"x": experiment}), "x")
    assert params["drive"]["current"] == 50 * pA
    assert params["initial"]["v"] == [-70 * mV, -65 * mV]
    assert params["initial"]["u"] == 10 * pA


def test_recorded_neurons_are_sorted_and_checked():
    experiment = {
        "network": {"weights": {"unit": "nS", "values": np.zeros((5, 5)).tolist()}},
        "record": {"variables": ["v"], "neurons": [4, 0]},
    }
    params = config.resolve(make_config({"x": experiment}), "x")
    assert params["record"] == {"variables": ["v"], "neurons": [0, 4]}
    experiment["record"]["neurons"] = [5]
    with pytest.raises(ConfigError, match="record.neurons.*out of range"):
        config.resolve(make_config({"x": experiment}), "x")


def test_several_config_files_merge_like_snakemake(tmp_path):
    extra = tmp_path / "extra.yaml"
    extra.write_text(
        yaml.safe_dump(
            {"experiments": {"mine": {"network": {"weights": {"unit": "nS", "values": [[0]]}}}}}
        )
    )
    merged = config.load([TEST_CONFIG, extra])
    assert config.experiment_names(merged)[:5] == [
        "seed",
        "seed_synchronous",
        "ei_small",
        "nto1_small",
        "mine",
    ]
    assert merged["defaults"] == config.load(TEST_CONFIG)["defaults"]


def config_schema():
    """The workflow's config schema (workflow/schemas/config.schema.yaml), as Snakemake reads it."""
    return yaml.safe_load((ROOT / "workflow/schemas/config.schema.yaml").read_text())


def _schema_keys(schema):
    experiment = schema["$defs"]["experiment"]["properties"]
    return {section: set(spec["properties"]) for section, spec in experiment.items()}


def test_schema_and_resolver_know_the_same_keys():
    schema = config_schema()
    by_model = {"neuron": {"model", "exc", "inh"}, "initial": {"g"}}  # the rest: any quantity
    known = {s: by_model.get(s, set(keys)) for s, keys in config.SECTIONS.items()}
    assert _schema_keys(schema) == known
    experiment = schema["$defs"]["experiment"]["properties"]
    for section in by_model:
        assert "additionalProperties" in experiment[section], section
    assert tuple(schema["properties"]) == config.TOP_LEVEL
    names = schema["properties"]["experiments"]["propertyNames"]
    assert names["pattern"] == f"^{config.NAME_PATTERN.pattern}$"
    assert names["maxLength"] == config.MAX_NAME
    scheme = schema["$defs"]["experiment"]["properties"]["sim"]["properties"]["scheme"]
    assert scheme["enum"] == list(config.SCHEMES)


def test_the_repository_config_passes_the_schema(repo_config):
    import jsonschema

    schema = config_schema()
    jsonschema.validate(repo_config, schema)


@pytest.mark.parametrize(
    "extra", sorted(p.name for p in (ROOT / "workflow/configs").glob("*.yaml"))
)
def test_every_workflow_config_passes_the_schema_and_the_plan(extra):
    """What Snakemake validates (config.yaml extended by the --configfile) is what the plan
    resolves: `bleaching: none` was resolved and refused by the schema (a quantity is any
    string, so `oneOf` a word and a quantity matched both)."""
    import jsonschema

    schema = config_schema()
    merged = config.load([ROOT / "config.yaml", ROOT / "workflow/configs" / extra])
    jsonschema.validate(merged, schema)
    config.plan(merged, check_machine=False)


@pytest.mark.parametrize(
    "key, value",
    [("recording.baseline", "none"), ("recording.baseline", "auto"),
     ("recording.baseline", "2 s"), ("inference.imaging.bleaching", "none"),
     ("inference.imaging.bleaching", "200 s")],
)  # fmt: skip
def test_the_schema_takes_the_words_a_key_takes_beside_quantities(key, value):
    import jsonschema

    schema = config_schema()
    node = schema["$defs"]["experiment"]
    for part in key.split("."):
        node = node["properties"][part]
    jsonschema.validate(value, {**node, "$defs": schema["$defs"]})


SWEEP = {
    "delay_weight": {
        "base": "seed_synchronous",
        "grid": {"synapse.delay": ["2 ms", "4.5 ms"], "network.weights.scale": [8, 16]},
    }
}


def test_a_sweep_makes_one_named_experiment_per_grid_point(tests_config):
    swept = {**tests_config, "sweeps": SWEEP}
    names = config.experiment_names(swept)
    points = [
        "delay_weight_delay=2ms_scale=8",
        "delay_weight_delay=2ms_scale=16",
        "delay_weight_delay=4.5ms_scale=8",
        "delay_weight_delay=4.5ms_scale=16",
    ]
    assert names == ["seed", "seed_synchronous", "ei_small", "nto1_small", *points]
    base = config.resolve(tests_config, "seed_synchronous")
    point = config.resolve(swept, "delay_weight_delay=2ms_scale=16")
    assert point["synapse"]["delay"] == 2 * ms and point["synapse"]["delay_steps"] == 20
    assert (
        point["network"]["weight"]
        == (np.array([[0, 1, 0], [0, 0, 0.8], [1, 0, 0]]) * 16 * nS)[[0, 1, 2], [1, 2, 0]].tolist()
    )
    unchanged = {k: v for k, v in point.items() if k not in ("experiment", "synapse", "network")}
    assert unchanged == {
        k: v for k, v in base.items() if k not in ("experiment", "synapse", "network")
    }
    assert config.sweep_points(swept)["delay_weight"][1] == (
        points[1],
        {"synapse.delay": "2 ms", "network.weights.scale": 16},
    )


def test_a_sweep_over_one_connection_types_weight(tests_config):
    swept = {
        **tests_config,
        "sweeps": {
            "inh": {"base": "ei_small", "grid": {"network.weight.I->E": ["10 nS", "20 nS"]}}
        },
    }
    names = config.experiment_names(swept)
    assert names[-2:] == ["inh_ItoE=10nS", "inh_ItoE=20nS"]
    weights = config.resolve(swept, "inh_ItoE=20nS")["network"]["weight"]
    base = config.resolve(tests_config, "ei_small")["network"]["weight"]
    assert weights == {**base, "I->E": 20 * nS}


def readme_sweeps():
    """The sweep examples of the config reference, as written: its YAML block and its inline
    grid."""
    text = (ROOT / "docs" / "config.md").read_text()
    section = text[text.index("## Sweeps") : text.index("## The two update schemes")]
    block = section[
        section.index("```yaml") + len("```yaml") : section.index(
            "```", section.index("```yaml") + 7
        )
    ]
    sweeps = yaml.safe_load(block)["sweeps"]
    inline = re.search(r"`grid: (\{network\.weight\.I->E: \[[^`]*\]\})`", section).group(1)
    sweeps["inline"] = {"base": "ei_network", "grid": yaml.safe_load(inline)}
    return sweeps


def test_the_readmes_sweep_examples_pass_the_checks_and_the_schema(repo_config):
    import jsonschema

    schema = config_schema()
    swept = {**repo_config, "sweeps": readme_sweeps()}
    jsonschema.validate(swept, schema)
    names = config.experiment_names(swept)
    assert "seed_delay_weight_delay=2ms_scale=12" in names
    assert {"inline_ItoE=10nS", "inline_ItoE=15nS", "inline_ItoE=20nS"} <= set(names)
    params = config.resolve(swept, "inline_ItoE=20nS")
    assert params["network"]["weight"]["I->E"] == 20 * nS


@pytest.mark.parametrize(
    ("key", "values", "check"),
    [
        ("drive.poisson.rate", ["10 Hz", "30 Hz"], lambda p: p["drive"]["poisson"]["rate"]),
        ("network.connectivity.p", [0.05, 0.2], lambda p: p["network"]["p"]),
        (
            "network.weight.E->E.mean",
            ["1 nS", "2 nS"],
            lambda p: p["network"]["weight"]["E->E"]["mean"],
        ),
        ("inference.snr", [10, 40], None),
    ],
)
def test_sweeps_reach_keys_at_any_depth(repo_config, key, values, check):
    import jsonschema

    swept = {**repo_config, "sweeps": {"s": {"base": "ei_network", "grid": {key: values}}}}
    jsonschema.validate(swept, config_schema())
    plan = config.plan(swept)
    points = [name for name, _ in plan.sweeps["s"]]
    if check is None:  # inference settings only: the points share the base's simulation
        assert [plan.simulation_of[p] for p in points] == ["ei_network"] * 2
        assert [plan.inference[p]["snr"] for p in points] == [10.0, 40.0]
    else:
        resolved = [check(plan.params[p]) for p in points]
        assert resolved[0] != resolved[1]


def test_threads_say_how_to_run_not_what_and_stay_out_of_the_parameters():
    small = {"network": {"weights": {"unit": "nS", "values": [[0, 1], [1, 0]]}}}
    large = {
        "sim": {"seed": 1},
        "network": {
            "n": 20_000,
            "connectivity": {"rule": "fixed_indegree", "k": 1},
            "weight": "1 nS",
        },
    }
    experiments = {
        "small": {**small, "sim": {"threads": 2}},
        "large": large,
        "large_one": {**large, "sim": {"seed": 1, "threads": 1}},
        "large_two": {**large, "sim": {"seed": 1, "threads": 2}},
    }
    whole = make_config(experiments)
    plan = config.plan(whole, check_machine=False)
    # "auto" (the default): every core for 10,000 neurons or more, else one
    assert plan.simulation_threads("large", cores=4) == 4
    assert plan.simulation_threads("large_one", cores=4) == 1
    assert plan.simulation_threads("large_two", cores=4) == 2
    # asked for, but fewer than 1,000 neurons a thread: one (issue 21, item 23: 2 threads
    # made a 1-neuron run 370 x slower on a busy machine)
    assert plan.simulation_threads("small", cores=4) == 1
    # results do not depend on threads: they are not a parameter, nor a tracked setting
    assert "threads" not in plan.params["small"]["sim"]
    merged = config.experiment_config(whole, "small")
    assert "threads" not in config.simulation_settings(merged)["sim"]
    assert config.resolve(whole, "small") == config.resolve(make_config({"small": small}), "small")


REPLICATED = {
    "seeds": {
        "base": "nto1_small",
        "grid": {"inference.snr": ["inf", 10]},
        "replicates": {"sim.seed": [2, 3]},
    }
}


def test_replicates_repeat_every_grid_point_and_share_simulations(tests_config):
    swept = {**tests_config, "sweeps": {**tests_config["sweeps"], **REPLICATED}}
    plan = config.plan(swept, check_machine=False)
    points = [name for name, _ in plan.sweeps["seeds"]]
    assert points == [
        "seeds_snr=inf_seed=2",
        "seeds_snr=inf_seed=3",
        "seeds_snr=10_seed=2",
        "seeds_snr=10_seed=3",
    ]
    # one simulation per seed, shared by the noise levels; not a point, so no inference
    assert {plan.simulation_of[p] for p in points} == {"seeds_seed=2", "seeds_seed=3"}
    assert plan.simulation_of["seeds_snr=10_seed=3"] == "seeds_seed=3"
    assert plan.params["seeds_seed=3"]["sim"]["seed"] == 3
    assert "seeds_seed=3" not in plan.inference
    assert plan.inference["seeds_snr=10_seed=3"]["seed"] == 3  # the noise's seed follows
    assert plan.replicates["seeds"] == ["sim.seed"] and plan.replicates["nto1_small_snr"] == []
    # a sweep over inference keys alone still infers from its base's simulation
    assert {plan.simulation_of[p] for p, _ in plan.sweeps["nto1_small_snr"]} == {"nto1_small"}


@pytest.mark.parametrize(
    ("replicates", "expected"),
    [
        ({"sim.seed": [1]}, "key 'replicates.sim.seed': needs a list of at least two"),
        ({"sim.seed": [1, 1]}, "key 'replicates.sim.seed': needs a list of at least two"),
        ({"inference.snr": [1, 2]}, "key 'replicates.inference.snr': is also a key of the grid"),
        ({"sim.sead": [1, 2]}, "key 'replicates.sim.sead': no such config key"),
        ([1, 2], "key 'replicates': must map keys to lists of values"),
    ],
)
def test_bad_replicates_are_refused(tests_config, replicates, expected):
    sweep = {**REPLICATED["seeds"], "replicates": replicates}
    with pytest.raises(ConfigError, match="sweep 'seeds', " + re.escape(expected)):
        config.plan({**tests_config, "sweeps": {"seeds": sweep}}, check_machine=False)


def test_a_replicated_table_has_the_mean_and_a_t_interval_per_grid_point():
    from voltage_to_wiring.analysis import sweep_table

    table = [
        {"experiment": f"p{s}{n}", "x": n, "x (SI)": n, "seed": s, "seed (SI)": s, "sta auc": a}
        for n, aucs in ((1, [0.8, 0.9, 0.7, 0.85, 0.75]), (2, [0.5, None, 0.6, 0.4, 0.5]))
        for s, a in zip(range(5), aucs, strict=True)
    ]
    rows = sweep_table.aggregate(table, ["x", "seed"], ["seed"])
    assert [r["x"] for r in rows] == [1, 2] and rows[0]["replicates"] == 5
    assert rows[0]["seed values"] == "0;1;2;3;4"
    assert rows[0]["sta auc"] == pytest.approx(0.8)
    sd = np.sqrt(sum((a - 0.8) ** 2 for a in (0.8, 0.9, 0.7, 0.85, 0.75)) / 4)
    half = 2.776445105 * sd / np.sqrt(5)  # Student's t, 4 degrees of freedom, 97.5 %
    assert rows[0]["sta auc ci95 low"] == pytest.approx(0.8 - half, abs=1e-9)
    assert rows[0]["sta auc ci95 high"] == pytest.approx(0.8 + half, abs=1e-9)
    assert rows[1]["sta auc"] == pytest.approx(0.5)  # of the four replicates that have one
    half = 3.182446305 * np.std([0.5, 0.6, 0.4, 0.5], ddof=1) / 2  # 3 degrees of freedom
    assert rows[1]["sta auc ci95 high"] == pytest.approx(0.5 + half, abs=1e-9)
    assert rows[1]["sta auc values"] == "0.5;;0.6;0.4;0.5"
    text = sweep_table.markdown(rows)
    assert "| x | sta auc |" in text and "0.80 [" in text and "over 5 replicates" in text


def test_planning_computes_a_sweeps_grid_once_not_once_per_point(monkeypatch):
    # Issue 21 (13): sweep_points() ran 4,029 times for 1,000 points (28 s; 10,000 points
    # never finished). Counted, not timed: the grid is made a bounded number of times.
    from voltage_to_wiring.config import sweeps

    made = []
    original = sweeps.points
    monkeypatch.setattr(sweeps, "points", lambda *a: made.append(a[0]) or original(*a))
    merged = config.load([ROOT / "config.yaml"])
    merged["sweeps"] = {
        "grid400": {
            "base": "seed_synchronous",
            "grid": {
                "synapse.delay": [f"{1 + i / 10:.1f} ms" for i in range(20)],
                "network.weights.scale": list(range(1, 21)),
            },
        }
    }
    plan = config.plan(merged, check_machine=False)
    assert len(plan.sweeps["grid400"]) == 400
    assert made.count("grid400") <= 2, len(made)
