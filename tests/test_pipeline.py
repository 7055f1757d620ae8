"""The real Snakemake workflow, run from scratch in a temporary copy of the repository, on the
tests' own small config (tests/config/config.yaml)."""

import hashlib
import json
import os

import numpy as np
import pytest
import yaml
from PIL import Image

from voltage_to_wiring import config
from voltage_to_wiring.analysis import sweep_table
from voltage_to_wiring.data import dataset

from conftest import ROOT, assert_bits_equal, package_sha256, spikes_per_neuron
from workflow import TEST_CONFIG, copy_run, copy_source, copy_workflow, planned_jobs, snakemake

pytestmark = pytest.mark.workflow

REFERENCE = ROOT / "tests" / "reference"
SWEEP = "seed_delay_weight"
POINTS = tuple(f"{SWEEP}_delay={d}_scale={s}" for d in ("2ms", "8ms") for s in (12, 24))
EXPERIMENTS = ("seed", "seed_synchronous", "ei_small", "nto1_small", *POINTS)
ALL_FIGURES = ("voltage", "conductance", "recovery", "raster", "rates", "degrees")
# ei_small records v, g_exc and g_inh, not u: no recovery figure; nto1_small v only.
SHOWN = {
    "ei_small": ("voltage", "conductance", "raster", "rates", "degrees"),
    "nto1_small": ("voltage",),  # one neuron: no raster, rates or degrees
}
# Experiments with an inference; the sweep's points share nto1_small's simulation.
INFERENCE_SWEEP = "nto1_small_snr"
INFERRED = ("nto1_small", f"{INFERENCE_SWEEP}_snr=inf", f"{INFERENCE_SWEEP}_snr=10")
INFERENCE_FIGURES = ("sta", "roc", "connections")


@pytest.fixture(scope="module")
def finished(finished_run, tmp_path_factory):
    """A workflow directory after `snakemake --cores 2` from scratch (a copy of the shared
    one: this module's tests may change it)."""
    return copy_run(finished_run, tmp_path_factory.mktemp("pipeline") / "work")


def point_figures():
    """The figures of the sweeps' grid points: drawn on request (`snakemake SWEEP`), not by
    a default run."""
    figures = [f"results/figures/{p}/{f}.png" for p in POINTS for f in ALL_FIGURES]
    return figures + [
        f"results/figures/{p}/{f}.png" for p in INFERRED[1:] for f in INFERENCE_FIGURES
    ]


def expected_outputs():
    outputs = ["results/provenance.json", "results/provenance.md"]
    for sweep in (SWEEP, INFERENCE_SWEEP):
        outputs += [f"results/sweeps/{sweep}.csv", f"results/figures/sweeps/{sweep}/summary.png"]
    for name in EXPERIMENTS:
        outputs += [
            f"results/params/{name}.json",
            f"results/sims/{name}.nc",
            f"results/stats/{name}.json",
        ]
        if name not in POINTS:
            outputs += [f"results/figures/{name}/{f}.png" for f in SHOWN.get(name, ALL_FIGURES)]
    for name in INFERRED:
        outputs += [f"results/inference/{name}.nc", f"results/evaluation/{name}.json"]
    outputs += [f"results/figures/nto1_small/{f}.png" for f in INFERENCE_FIGURES]
    return outputs


def test_a_full_run_makes_every_output_and_nothing_half_written(finished):
    for output in expected_outputs():
        assert (finished / output).stat().st_size > 0, output
    assert not list((finished / "results").rglob("*.tmp"))
    assert not [f for f in point_figures() if (finished / f).exists()]
    for log in ("logs/simulate/seed.log", "logs/plot_figure/seed/voltage.log"):
        assert "wrote results/" in (finished / log).read_text()
    assert (finished / "logs/simulate/seed.benchmark.tsv").read_text().startswith("s\t")


def test_a_second_run_has_nothing_to_do(finished):
    assert planned_jobs(finished) == {}


def _diff(name, actual, expected):
    lines = [f"{name}: pipeline output differs from tests/reference"]
    for i, (a, e) in enumerate(zip(actual, expected, strict=False)):
        if a != e:
            lines.append(f"  neuron {i}: got {a}, reference {e}")
    return "\n".join(lines)


def test_results_reproduce_the_committed_reference(finished):
    reference_spikes = json.loads((REFERENCE / "spikes.json").read_text())
    assert set(reference_spikes) == set(EXPERIMENTS) - {"ei_small", "nto1_small"}
    for name in reference_spikes:
        ds = dataset.read(finished / f"results/sims/{name}.nc")
        spikes = spikes_per_neuron(ds["spike_step"], ds["spike_neuron"], ds.attrs["n_neurons"])
        assert spikes == reference_spikes[name], _diff(name, spikes, reference_spikes[name])
    seed = dataset.read(finished / "results/sims/seed.nc")
    with np.load(REFERENCE / "seed_traces.npz") as traces:
        for x in ("v", "u", "g", "I"):
            assert_bits_equal(seed[x].values, traces[x], f"seed {x}")


def test_statistics_and_the_sweep_table(finished):
    ei = json.loads((finished / "results/stats/ei_small.json").read_text())
    ds = dataset.read(finished / "results/sims/ei_small.nc")
    counts = np.bincount(ds["spike_neuron"].values, minlength=200)
    assert ei["n_spikes"] == counts.sum() and ei["mean_rate_hz"] == pytest.approx(counts.mean())
    assert ei["populations"]["exc"]["mean_hz"] == pytest.approx(counts[:160].mean())
    assert ei["populations"]["inh"]["mean_hz"] == pytest.approx(counts[160:].mean())
    # Erdos-Renyi, p = 0.1: the mean in-degree is 0.1 x 199, within 4 sd of the binomial total
    assert abs(ei["degrees"]["in"]["mean"] - 0.1 * 199) < 4 * np.sqrt(200 * 199 * 0.09) / 200
    seed = json.loads((finished / "results/stats/seed.json").read_text())
    assert seed["n_spikes"] == 11 and seed["mean_rate_hz"] == pytest.approx(11 / 3 / 0.3)
    table = (finished / f"results/sweeps/{SWEEP}.csv").read_text().splitlines()
    assert table[0].startswith(
        "experiment,synapse.delay,synapse.delay (SI),"
        "network.weights.scale,network.weights.scale (SI),mean_rate_hz"
    )
    reference = json.loads((REFERENCE / "spikes.json").read_text())
    for line, name in zip(table[1:], POINTS, strict=True):
        cells = line.split(",")
        assert cells[0] == name
        assert int(cells[-1]) == sum(map(len, reference[name]))  # n_spikes


def test_params_files_hold_the_resolved_si_values(finished):
    merged = config.load(TEST_CONFIG)
    for name in EXPERIMENTS:
        params = json.loads((finished / f"results/params/{name}.json").read_text())
        assert params == config.resolve(merged, name)
        assert params["units"]["synapse.delay"] == "s"
    seed = json.loads((finished / "results/params/seed.json").read_text())
    # SI as the notebook computed it: value x unit factor (ms = 1e-3, pF = 1e-12)
    assert seed["synapse"]["delay"] == 4.5 * 1e-3 and seed["neuron"]["C"] == 100 * 1e-12


def test_provenance_report_traces_every_output(finished):
    report = json.loads((finished / "results/provenance.json").read_text())
    made = {e["output"]: e for e in report["outputs"]}
    assert set(made) == set(expected_outputs()) - {
        "results/provenance.json",
        "results/provenance.md",
    }
    code = package_sha256(ROOT / "src" / "voltage_to_wiring")  # the code the jobs ran
    # issue 21 (6): the infer command read its settings from stdin (`--settings -`): the
    # record's command names a file of them beside it, so that it reruns as it stands
    infer = made["results/inference/nto1_small.nc"]["command"]
    kept = infer[infer.index("--settings") + 1]
    assert kept == "results/provenance/inference/nto1_small.nc.settings.json"
    inferred = dataset.read(finished / "results/inference/nto1_small.nc")
    assert json.loads((finished / kept).read_text()) == json.loads(inferred.attrs["settings_json"])
    for output, entry in made.items():
        assert entry["status"] == "ok", output
        assert entry["sha256"] == file_sha256(finished / output)
        assert entry["code_sha256"] == code, output
        assert entry["git"]["commit"] is None or len(entry["git"]["commit"]) == 40
        assert entry["command"][0].endswith("__main__.py") or "voltage_to_wiring" in " ".join(
            entry["command"]
        )
        assert entry["user"] and entry["host"] and entry["started"] <= entry["finished"]
    sim = made["results/sims/seed.nc"]
    assert list(sim["inputs"]) == ["results/params/seed.json"]
    assert sim["inputs"]["results/params/seed.json"] == file_sha256(
        finished / "results/params/seed.json"
    )
    params = json.loads((finished / "results/params/seed.json").read_text())
    assert sim["params_hash"] == params_hash(params)
    packages = report["environment"]["packages"]
    for name in (
        "numpy",
        "numba",
        "llvmlite",
        "xarray",
        "netcdf4",
        "matplotlib",
        "snakemake",
        "pint",
        "voltage_to_wiring",
    ):
        assert packages[name], name
    markdown = (finished / "results/provenance.md").read_text()
    assert "| `results/sims/seed.nc` | seed | simulate |" in markdown
    assert f"`{sim['sha256'][:16]}`" in markdown and "## Environment" in markdown
    assert f"source code (code_sha256): `{code}`" in markdown
    assert report["code_sha256"] == code


def file_sha256(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def params_hash(params):
    """The documented parameter hash: sha256 of the canonical JSON (sorted keys), 16 digits."""
    text = json.dumps(params, sort_keys=True, allow_nan=False)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def test_datasets_and_figures_carry_commit_and_parameter_hash(finished):
    params = json.loads((finished / "results/params/seed.json").read_text())
    ds = dataset.read(finished / "results/sims/seed.nc")
    assert ds.attrs["params_hash"] == params_hash(params)
    assert ds.attrs["code_sha256"] == package_sha256(ROOT / "src" / "voltage_to_wiring")
    assert ds.attrs["git_commit"] and ds.attrs["git_dirty"] in ("0", "1", "unknown")
    assert "simulate" in ds.attrs["history"]
    assert json.loads(ds.attrs["inputs_sha256"])["results/params/seed.json"]
    with Image.open(finished / "results/figures/seed/voltage.png") as png:
        info = png.info
    assert info["experiment"] == "seed"
    assert info["params_hash"] == params_hash(params)
    assert info["git_commit"] == ds.attrs["git_commit"]
    assert info["code_sha256"] == ds.attrs["code_sha256"]
    # issue 21 (6): the inference figures lacked params_hash, the sweep summary git_commit
    inferred = dataset.read(finished / "results/inference/nto1_small.nc")
    small = json.loads((finished / "results/params/nto1_small.json").read_text())
    with Image.open(finished / "results/figures/nto1_small/roc.png") as png:
        assert png.info["params_hash"] == inferred.attrs["params_hash"] == params_hash(small)
    with Image.open(finished / f"results/figures/sweeps/{SWEEP}/summary.png") as png:
        assert png.info["git_commit"] == ds.attrs["git_commit"]
        assert png.info["code_sha256"] == ds.attrs["code_sha256"]


def test_changing_the_voltage_plot_reruns_that_figure_only(finished, tmp_path):
    work = copy_run(finished, tmp_path / "work")
    code = copy_source(work) / "plots/traces.py"
    code.write_text(code.read_text() + "\n# a change to the plotting code\n")
    target = "results/figures/seed/voltage.png"
    assert planned_jobs(work, target) == {"plot_figure": 1}
    report = ("results/provenance.json", "results/provenance.md")
    others = [p for p in expected_outputs() if p != target and p not in report]
    before = {p: os.stat(work / p).st_mtime_ns for p in others}
    snakemake(work, target, "--cores", "1")
    after = {p: os.stat(work / p).st_mtime_ns for p in before}
    assert after == before
    # the report follows the targeted run: it gives the redrawn figure's hash
    entries = json.loads((work / "results/provenance.json").read_text())["outputs"]
    figure = next(e for e in entries if e["output"] == target)
    assert figure["sha256"] == hashlib.sha256((work / target).read_bytes()).hexdigest()
    assert figure["status"] == "ok"


def test_changing_a_parameter_reruns_that_experiments_simulation_and_figures(finished, tmp_path):
    work = copy_run(finished, tmp_path / "work")
    settings = yaml.safe_load((work / "config.yaml").read_text())
    settings["experiments"]["seed"]["synapse"] = {"tau": "8 ms"}
    (work / "config.yaml").write_text(yaml.safe_dump(settings, sort_keys=False))
    assert planned_jobs(work) == {
        "resolve_params": 1,
        "simulate": 1,
        "compute_stats": 1,
        "plot_figure": 6,
        "report_provenance": 1,
        "all": 1,
    }
    snakemake(work, "--cores", "2")
    ds = dataset.read(work / "results/sims/seed.nc")
    assert dataset.params_of(ds)["synapse"]["tau"] == 8e-3
    assert planned_jobs(work) == {}


def test_threads_rerun_nothing_and_change_no_bit(finished, tmp_path):
    work = copy_run(finished, tmp_path / "work")
    settings = yaml.safe_load((work / "config.yaml").read_text())
    settings["experiments"]["ei_small"]["sim"]["threads"] = 2
    (work / "config.yaml").write_text(yaml.safe_dump(settings, sort_keys=False))
    assert planned_jobs(work) == {}  # how to run is not what to run
    target = "results/sims/ei_small.nc"
    snakemake(work, target, "--cores", "2", "--forcerun", "simulate")
    # 200 neurons: fewer than 1,000 a thread, so one (two threads' bits: test_threads.py)
    assert "1 thread(s)" in (work / "logs/simulate/ei_small.log").read_text()
    one, two = dataset.read(finished / target), dataset.read(work / target)
    assert sorted(two.variables) == sorted(one.variables)
    for name in one.variables:
        assert_bits_equal(two[name].values, one[name].values, name)


def test_an_experiment_from_another_config_file(finished, tmp_path):
    work = copy_run(finished, tmp_path / "work")
    (work / "other.yaml").write_text(
        yaml.safe_dump(
            {
                "experiments": {
                    "pair": {
                        "network": {"weights": {"unit": "nS", "values": [[0, 20], [0, 0]]}},
                        "drive": {"current": {"unit": "pA", "values": [120, 0]}},
                        "record": {"variables": ["v"], "neurons": [1]},
                    }
                }
            }
        )
    )
    snakemake(work, "results/sims/pair.nc", "--configfile", "other.yaml", "--cores", "1")
    ds = dataset.read(work / "results/sims/pair.nc")
    assert ds.attrs["experiment"] == "pair" and list(ds.data_vars)[0] == "v"
    assert ds["neuron"].values.tolist() == [1]
    assert set(ds["spike_neuron"].values.tolist()) == {0, 1}  # 0 is driven, 1 is excited by it


# The HTML report (figures with their captions, tables, provenance): tests/test_report.py.


def test_lint_leaves_only_the_explained_conda_warning(tmp_path):
    done = snakemake(copy_workflow(tmp_path / "work"), "--lint", check=False)
    text = done.stdout + done.stderr
    warnings = {line.strip() for line in text.splitlines() if line.strip().startswith("* ")}
    assert warnings == {"* Specify a conda environment or container for each rule.:"}


def test_a_sweep_runs_each_grid_point_as_an_experiment(finished, tmp_path):
    work = copy_run(finished, tmp_path / "work")
    (work / "sweep.yaml").write_text(
        yaml.safe_dump(
            {
                "sweeps": {
                    "delays": {
                        "base": "seed_synchronous",
                        "grid": {"synapse.delay": ["2 ms", "8 ms"]},
                    }
                }
            }
        )
    )
    assert planned_jobs(work, extra=("--configfile", "sweep.yaml")) == {
        "resolve_params": 2,
        "simulate": 2,
        "compute_stats": 2,
        "tabulate_sweep": 1,
        "plot_sweep": 1,
        "report_provenance": 1,
        "all": 1,
    }
    targets = ["results/sims/delays_delay=2ms.nc", "results/sims/delays_delay=8ms.nc"]
    snakemake(work, *targets, "--configfile", "sweep.yaml", "--cores", "2")
    delays = [dataset.params_of(dataset.read(work / t))["synapse"]["delay_steps"] for t in targets]
    assert delays == [20, 80]


def test_an_inference_sweep_runs_one_simulation(finished):
    sims = sorted(p.name for p in (finished / "results/sims").glob("nto1_small*.nc"))
    assert sims == ["nto1_small.nc"]
    record = json.loads(
        (finished / f"results/provenance/inference/{INFERENCE_SWEEP}_snr=10.nc.json").read_text()
    )
    assert list(record["inputs"]) == ["results/sims/nto1_small.nc"]


def test_an_inference_the_config_asks_for_twice_runs_once(finished):
    """The sweep's snr=inf point is nto1_small's inference (same simulation, same settings):
    relabelled, not computed again; every result bit for bit the same."""
    twin = dataset.read(finished / f"results/inference/{INFERENCE_SWEEP}_snr=inf.nc")
    own = dataset.read(finished / "results/inference/nto1_small.nc")
    assert twin.attrs["computed_for"] == "nto1_small" and "computed_for" not in own.attrs
    assert twin.attrs["experiment"] == f"{INFERENCE_SWEEP}_snr=inf"
    assert f"inference '{INFERENCE_SWEEP}_snr=inf'" in twin.attrs["title"]
    for name in ("statistic", "p_value", "predicted", "sta", "pre", "true_type"):
        assert_bits_equal(twin[name].values, own[name].values, name)
    log = (finished / f"logs/infer/{INFERENCE_SWEEP}_snr=inf.log").read_text()
    assert "the inference of 'nto1_small', the same data and settings" in log
    record = json.loads(
        (finished / f"results/provenance/inference/{INFERENCE_SWEEP}_snr=inf.nc.json").read_text()
    )
    assert sorted(record["inputs"]) == [
        "results/inference/nto1_small.nc",
        "results/sims/nto1_small.nc",
    ]


def test_a_replicated_sweep_runs_a_simulation_per_seed_and_tabulates_intervals(finished, tmp_path):
    work = copy_run(finished, tmp_path / "work")
    sweep = {"base": "nto1_small", "grid": {"inference.snr": ["inf", 10]},
             "replicates": {"sim.seed": [2, 3, 4]}}  # fmt: skip
    (work / "seeds.yaml").write_text(yaml.safe_dump({"sweeps": {"seeds": sweep}}))
    targets = ["results/sweeps/seeds.csv", "results/figures/sweeps/seeds/summary.png"]
    assert planned_jobs(work, *targets, extra=("--configfile", "seeds.yaml")) == {
        "resolve_params": 3,  # one simulation per seed, shared by both noise levels
        "simulate": 3,
        "compute_stats": 3,
        "infer": 6,
        "evaluate": 6,
        "tabulate_sweep": 1,
        "plot_sweep": 1,
    }
    snakemake(work, *targets, "--configfile", "seeds.yaml", "--cores", "2")
    rows = sweep_table.read_csv(work / "results/sweeps/seeds.csv")
    assert [(str(r["inference.snr"]), r["replicates"], r["sim.seed values"]) for r in rows] == [
        ("inf", 3, "2;3;4"),
        ("10", 3, "2;3;4"),
    ]
    for row in rows:
        aucs = []
        for seed in (2, 3, 4):
            point = f"seeds_snr={row['inference.snr']}_seed={seed}"
            evaluation = json.loads((work / f"results/evaluation/{point}.json").read_text())
            aucs.append(evaluation["methods"]["sta"]["auc"])
        assert row["sta auc"] == pytest.approx(np.mean(aucs))
        assert row["sta auc ci95 low"] < row["sta auc"] < row["sta auc ci95 high"]
        assert row["mean_rate_hz"] > 0  # each seed's simulation's statistics, averaged
    assert Image.open(work / "results/figures/sweeps/seeds/summary.png").size[0] > 500
    # The sweep's points and the simulations they share are the sweep's: their figures are
    # drawn by its name, not by a default run.
    default = planned_jobs(work, extra=("--configfile", "seeds.yaml"))
    assert "plot_figure" not in default and "plot_inference" not in default
    assert planned_jobs(work, "seeds", extra=("--configfile", "seeds.yaml")) == {
        "plot_figure": 3,  # the voltage of each seed's simulation
        "plot_inference": 6 * len(INFERENCE_FIGURES),
        "seeds": 1,
    }


def test_changing_an_inference_setting_reruns_inference_never_the_simulation(finished, tmp_path):
    work = copy_run(finished, tmp_path / "work")
    settings = yaml.safe_load((work / "config.yaml").read_text())
    settings["experiments"]["nto1_small"]["inference"]["shuffles"] = 50
    (work / "config.yaml").write_text(yaml.safe_dump(settings, sort_keys=False))
    assert planned_jobs(work) == {
        "infer": 3,  # nto1_small and its sweep's two points
        "evaluate": 3,
        "plot_inference": 3,  # nto1_small's (its sweep's points draw theirs on request)
        "tabulate_sweep": 1,
        "plot_sweep": 1,
        "report_provenance": 1,
        "all": 1,
    }


def test_the_inference_dataset_and_its_evaluation(finished):
    ds = dataset.read(finished / "results/inference/nto1_small.nc")
    sizes = dict(ds.sizes)
    assert sizes.pop("generated_spike") >= ds["pre_spikes"].values[40:].sum()  # saved trains
    assert sizes == {"pair": 60, "lag": 200, "inference_method": 4}
    assert ds["inference_method"].values.tolist() == ["sta", "linefit", "matched", "kernel"]
    assert ds["true_type"].values.tolist() == [1] * 20 + [-1] * 20 + [0] * 20
    assert ds["pre"].values.tolist()[40:] == [-1] * 20  # generated: every source is an input
    assert set(ds["pre"].values[:20]) <= set(range(1, 241))  # excitatory sources
    assert set(ds["pre"].values[20:40]) <= set(range(241, 301))  # inhibitory sources
    units = {name: ds[name].attrs.get("units") for name in ds.variables}
    assert units["sta"] == "V" and units["lag"] == "s" and units["true_weight"] == "S"
    assert all(ds[name].attrs["long_name"] for name in ds.variables)
    assert np.all(ds["true_weight"].values[:20] == 0.2 * 1e-9)  # 0.2 nS, one synapse each
    evaluation = json.loads((finished / "results/evaluation/nto1_small.json").read_text())
    assert set(evaluation["methods"]) == {"sta", "linefit", "matched", "kernel"}
    for metrics in evaluation["methods"].values():
        assert metrics["pairs"] == {
            "tested": 60,
            "excitatory": 20,
            "inhibitory": 20,
            "unconnected": 20,
        }
        assert metrics["auc"] > 0.6  # far above chance (0.25 with the sign required)
        assert metrics["seconds"] > 0
    table = (finished / f"results/sweeps/{INFERENCE_SWEEP}.csv").read_text().splitlines()
    assert table[0].startswith("experiment,inference.snr,inference.snr (SI),sta auc,")
    assert [line.split(",")[1] for line in table[1:]] == ["inf", "10"]


def test_a_copied_project_runs_its_own_code(finished, tmp_path):
    """An editable install points to the original folder; the workflow runs its own."""
    work = copy_run(finished, tmp_path / "work")
    package = copy_source(work)
    (package / "units.py").write_text((package / "units.py").read_text() + "# the copy's\n")
    snakemake(work, "results/params/seed.json", "--cores", "1")
    record = json.loads((work / "results/provenance/params/seed.json.json").read_text())
    assert record["code_sha256"] == package_sha256(package)
    assert record["code_sha256"] != package_sha256(ROOT / "src" / "voltage_to_wiring")


@pytest.mark.workflow
def test_one_experiment_or_sweep_runs_by_its_name_and_the_report_follows(tmp_path):
    # Issue 21 (1): `snakemake mine` was a MissingRuleException; files were listed by hand.
    work = copy_workflow(tmp_path / "work")
    figures = SHOWN.get("seed", ALL_FIGURES)
    assert planned_jobs(work, "seed") == {
        "resolve_params": 1,
        "simulate": 1,
        "compute_stats": 1,
        "plot_figure": len(figures),
        "seed": 1,
    }
    sweep = planned_jobs(work, SWEEP)
    assert sweep["simulate"] == 4 and sweep["tabulate_sweep"] == sweep["plot_sweep"] == 1
    assert sweep["plot_figure"] == len(POINTS) * len(ALL_FIGURES)  # the points' own, on request
    snakemake(work, "seed", "--cores", "2")
    made = sorted(str(p.relative_to(work)) for p in (work / "results").rglob("*.*"))
    assert "results/sims/seed.nc" in made and "results/sims/seed_synchronous.nc" not in made
    report = (work / "results/provenance.md").read_text()  # made after the targeted run
    for figure in figures:
        assert f"`results/figures/seed/{figure}.png` | seed |" in report
    assert planned_jobs(work, "seed") == {}

    named = yaml.safe_load((work / "config.yaml").read_text())
    named["experiments"]["infer"] = json.loads(json.dumps(named["experiments"]["seed"]))
    (work / "config.yaml").write_text(yaml.safe_dump(named))
    done = snakemake(work, "-n", check=False)
    assert done.returncode != 0
    said = done.stdout + done.stderr
    assert "experiment or sweep 'infer': this name is one of the workflow's rules" in said
