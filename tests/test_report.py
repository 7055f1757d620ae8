"""The HTML report (`make report`): the tables (statistics, evaluation, sweeps), the provenance
and small copies of the figures; the report's steps on hand-made inputs, then the real
workflow on a small config."""

import base64
import csv
import json
import re
import subprocess
import sys

import numpy as np
import pytest
from PIL import Image

from voltage_to_wiring.provenance import report as provenance_report
from voltage_to_wiring.report import images, markdown, tables

from conftest import ROOT
from workflow import copy_run, planned_jobs, snakemake


def step(*args, cwd):
    done = subprocess.run(
        [sys.executable, "-m", "voltage_to_wiring", *map(str, args)],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return done


def _evaluation(experiment, methods, truth=True):
    return {"experiment": experiment, "alpha": 0.05, "truth": truth, "methods": methods}


SCORED = {  # every score defined
    "auc": 0.8125,
    "auc_exc": 0.75,
    "auc_inh": 0.875,
    "tpr_at_fpr_0.01": 0.5,
    "called_excitatory": 3,
    "called_inhibitory": 2,
    "interval": {"auc": [0.7, 0.9], "auc_exc": None},
    "pairs": {"tested": 30, "excitatory": 10, "inhibitory": 10, "unconnected": 10},
    "seconds": 1.5,
}
UNDEFINED = {  # no unconnected train tested: no AUC, no TPR at an FPR
    "auc": None,
    "auc_exc": None,
    "auc_inh": None,
    "tpr_at_fpr_0.01": None,
    "called_excitatory": 4,
    "called_inhibitory": 0,
    "interval": {"auc": None},
    "pairs": {"tested": 20, "excitatory": 10, "inhibitory": 10, "unconnected": 0},
    "seconds": 0.5,
}
NO_TRUTH = {"called_excitatory": 1, "called_inhibitory": 1, "pairs": {"tested": 5}, "seconds": 0.1}


@pytest.fixture
def made(tmp_path):
    """The report_tables step run on hand-made statistics, evaluations, a sweep table and a
    provenance.md; returns the folder it wrote to."""
    stats = tmp_path / "stats.json"
    stats.write_text(
        json.dumps(
            {
                "experiment": "net",
                "n_neurons": 10,
                "mean_rate_hz": 4.25,
                "cv_isi_mean": None,  # no neuron with 3 spikes
                "degrees": {"in": {"mean": 2.0}, "out": {"mean": 2.0}},
                "populations": {"exc": {"mean_hz": 5.0, "fraction_silent": 0.1}},
            }
        )
    )
    scored, recording = tmp_path / "scored.json", tmp_path / "recording.json"
    scored.write_text(json.dumps(_evaluation("scored", {"sta": SCORED, "linefit": UNDEFINED})))
    recording.write_text(json.dumps(_evaluation("recorded", {"sta": NO_TRUTH}, truth=False)))
    sweep = tmp_path / "grid.csv"
    sweep.write_text("experiment,synapse.delay,sta auc\ngrid_a,2 ms,0.6125\ngrid_b,8 ms,\n")
    entry = {
        "output": "results/x <script>.json",
        "sha256": "ab" * 32,
        "finished": "now",
        "status": "ok",
        "git": {},
        "step": "a|b",
    }
    report = {
        "generated": "today",
        "by": {"user": "me", "host": "here"},
        "git": {"commit": "c0ffee", "dirty": True, "changes": [" M a.py", " M b.py"]},
        "code_sha256": "f" * 64,
        "environment": {
            "platform": "p",
            "cpu": "c",
            "cpu_count": 2,
            "python": "3",
            "python_executable": "py",
            "packages": {"numpy": "2.4"},
        },
        "outputs": [entry],
    }
    (tmp_path / "provenance.md").write_text(provenance_report.markdown(report))
    out = tmp_path / "out"
    step(
        "report_tables", "--stats", stats, "--evaluations", scored, recording,
        "--sweeps", sweep, "--provenance", tmp_path / "provenance.md",
        "--statistics-table", out / "statistics.csv", "--statistics-page", out / "statistics.html",
        "--evaluation-table", out / "evaluation.csv", "--evaluation-page", out / "evaluation.html",
        "--provenance-page", out / "provenance.html", "--sweep-pages", out / "sweeps",
        cwd=tmp_path,
    )  # fmt: skip
    return out


def _csv(path):
    with open(path, newline="") as file:
        return list(csv.DictReader(file))


def test_the_evaluation_table_has_a_row_per_experiment_and_method_and_no_made_up_numbers(made):
    rows = {(r["experiment"], r["method"]): r for r in _csv(made / "evaluation.csv")}
    assert list(rows) == [("scored", "sta"), ("scored", "linefit"), ("recorded", "sta")]
    scored = rows["scored", "sta"]
    assert float(scored["auc"]) == SCORED["auc"]
    assert (scored["auc bootstrap low"], scored["auc bootstrap high"]) == ("0.7", "0.9")
    assert scored["auc_exc bootstrap low"] == ""  # an interval that is undefined
    assert scored["pairs unconnected"] == "10" and scored["truth"] == "yes"
    undefined = rows["scored", "linefit"]
    for column in ("auc", "auc_exc", "tpr_at_fpr_0.01", "auc bootstrap low", "auc bootstrap high"):
        assert undefined[column] == "", column  # undefined: empty, never a number
    assert undefined["called_excitatory"] == "4"
    recorded = rows["recorded", "sta"]
    assert recorded["truth"] == "no" and recorded["auc"] == "" and recorded["called_excitatory"]
    page = (made / "evaluation.html").read_text()
    assert "<td>0.8125</td>" in page and "<td>0.7</td>" in page
    linefit = re.search(r"<tr><td class=text>scored</td><td class=text>yes</td>"
                        r"<td class=text>linefit</td><td>([^<]*)</td>", page)  # fmt: skip
    assert linefit and linefit.group(1) == ""
    assert "undefined" in page and "nan" not in page.lower()


def test_the_statistics_table_has_a_row_per_experiment(made):
    (row,) = _csv(made / "statistics.csv")
    assert row["experiment"] == "net" and float(row["mean_rate_hz"]) == 4.25
    assert row["cv_isi_mean"] == "" and row["exc mean_rate_hz"] == "5.0"
    assert row["duration_s"] == ""  # not in the file: empty
    assert "<td>4.25</td>" in (made / "statistics.html").read_text()


def test_sweep_tables_and_the_provenance_become_pages(made):
    sweep = (made / "sweeps" / "grid.html").read_text()
    assert "grid_a" in sweep and "0.6125" in sweep and "2 ms" in sweep
    page = (made / "provenance.html").read_text()
    assert "<h2>Provenance of the results</h2>" in page and page.count("<h2>") == 1
    assert "<script>" not in page and "&lt;script&gt;" in page  # values are text, not markup
    outputs = page.split("<h3>Outputs</h3>")[1].split("</table>")[0]
    rows = re.findall(r"<tr>(.*?)</tr>", outputs)
    assert len(rows) == 2 and rows[1].count("<td>") == 9  # the escaped | splits no cell
    assert "<code>abababababababab</code>" in rows[1] and "a|b" in rows[1]
    assert "<li>git commit: <code>c0ffee</code>" in page
    assert "<ul><li><code>M a.py</code></li><li><code>M b.py</code></li></ul>" in page


def test_every_statistics_column_is_a_statistic_the_step_computes():
    """The table's columns are paths into results/stats/{experiment}.json: each reaches a
    number in what compute_stats writes for a network of two populations (a misspelt path
    would be a column always empty, which the page would call undefined)."""
    from voltage_to_wiring.analysis import stats

    from conftest import EI_EXPERIMENT, simulated

    experiment = {**EI_EXPERIMENT, "record": {"variables": [], "neurons": []}}
    params, ds = simulated(experiment, "pops")
    summary = json.loads(json.dumps(stats.summary(ds, params)))  # as the JSON file holds it
    for column, path in tables.STATISTICS:
        value = tables._get(summary, path)
        assert isinstance(value, int | float) and np.isfinite(value), column


def test_markdown_inline_code_and_escapes():
    assert markdown.inline(r"a \_b\_ `x|y` <i>") == "a _b_ <code>x|y</code> &lt;i&gt;"


def test_a_figure_copy_is_small_and_at_most_800_px_wide(tmp_path):
    figure = tmp_path / "big.png"
    rng = np.random.default_rng(0)
    pixels = np.full((1000, 2000, 4), 255, np.uint8)
    pixels[::7, :, :3] = rng.integers(0, 255, (len(pixels[::7]), 2000, 3), dtype=np.uint8)
    Image.fromarray(pixels, "RGBA").save(figure)
    size = images.shrink(figure, tmp_path / "small.png")
    with Image.open(tmp_path / "small.png") as small:
        assert small.size == size == (800, 400) and small.mode == "P"
    assert (tmp_path / "small.png").stat().st_size < figure.stat().st_size / 4
    narrow = tmp_path / "narrow.png"
    Image.new("RGB", (300, 200), "white").save(narrow)
    assert images.shrink(narrow, tmp_path / "narrow_copy.png") == (300, 200)  # never enlarged


def test_a_cell_shows_numbers_short_text_as_written_and_undefined_as_empty():
    values = (None, 0.123456789, 3, "inf", "12", "2 ms", float("inf"), "1e3", "0.123456789")
    assert [tables.cell(v) for v in values] == [
        "",
        "0.1235",
        "3",
        "inf",
        "12",
        "2 ms",
        "inf",
        "1e3",  # an experiment's name: text, never a number reformatted
        "0.123456789",  # a sweep's CSV: as written there
    ]


# --- the real workflow --------------------------------------------------------------------

SWEEP = "seed_delay_weight"  # of the tests' config (tests/config/config.yaml)


@pytest.fixture(scope="module")
def reported(finished_run, tmp_path_factory):
    """A workflow directory after `make report`'s commands: `snakemake`, `snakemake
    report_contents`, `snakemake report_contents --report results/report.html` (on a copy
    of the tests' finished run)."""
    work = copy_run(finished_run, tmp_path_factory.mktemp("report") / "work")
    made_by_run = (work / "results" / "report").exists()
    snakemake(work, "report_contents", "--cores", "2")
    snakemake(work, "report_contents", "--report", "results/report.html")
    return work, made_by_run


def embedded(report):
    """{file name: bytes} of every file embedded in a Snakemake report."""
    text = report.read_text()
    found = re.findall(r"data:([\w/+.-]+);charset=[\w-]+;filename=([^;]+);base64,([\w+/=]+)", text)
    items = {}
    for mime, name, data in found:
        items.setdefault(mime, []).append((name, base64.b64decode(data)))
    return items


@pytest.mark.workflow
@pytest.mark.slow
def test_the_report_holds_the_tables_and_the_provenance(reported):
    work, _ = reported
    pages = dict(embedded(work / "results" / "report.html")["text/html"])
    assert {"statistics.html", "evaluation.html", "provenance.html", f"{SWEEP}.html"} <= set(pages)
    statistics = pages["statistics.html"].decode()
    for stats in (work / "results" / "stats").glob("*.json"):
        assert f">{json.loads(stats.read_text())['experiment']}<" in statistics
    evaluation = json.loads((work / "results/evaluation/nto1_small.json").read_text())
    auc = evaluation["methods"]["sta"]["auc"]
    assert f"<td>{auc:.4g}</td>" in pages["evaluation.html"].decode()
    rows = _csv(work / "results/report/evaluation.csv")
    (sta,) = [r for r in rows if (r["experiment"], r["method"]) == ("nto1_small", "sta")]
    assert float(sta["auc"]) == auc
    provenance = json.loads((work / "results/provenance.json").read_text())
    page = pages["provenance.html"].decode()
    assert provenance["outputs"] and all(o["sha256"][:16] in page for o in provenance["outputs"])
    sweep = pages[f"{SWEEP}.html"].decode()
    assert f"{SWEEP}_delay=2ms_scale=12" in sweep


@pytest.mark.workflow
@pytest.mark.slow
def test_the_report_shows_every_figure_small_and_make_run_makes_none(reported):
    work, made_by_run = reported
    assert not made_by_run  # `snakemake` alone (make run) makes none of the report's material
    assert planned_jobs(work) == {}
    full = sorted((work / "results" / "figures").rglob("*.png"))
    shown = embedded(work / "results" / "report.html")["image/png"]
    assert len(shown) == len(full) >= 5
    full_bytes = sum(p.stat().st_size for p in full)
    shown_bytes = sum(len(data) for _, data in shown)
    assert shown_bytes < full_bytes / 2, (shown_bytes, full_bytes)
    for name, data in shown:
        small = work / "results" / "report" / "figures"
        assert any(p.read_bytes() == data for p in small.rglob(name)), name
    for copy in (work / "results" / "report" / "figures").rglob("*.png"):
        with Image.open(copy) as image:
            assert image.width <= images.MAX_WIDTH
    report = work / "results" / "report.html"
    text = report.read_text()  # each figure with the registry's caption
    assert "Membrane potential v (mV) of the recorded neurons of experiment seed" in text
    assert "ROC curve of each inference method of experiment nto1_small" in text
    assert report.stat().st_size < 6e6  # Snakemake's own scripts are about 3 MB of it


def test_make_clean_removes_what_the_report_made():
    recipe = (ROOT / "Makefile").read_text().split("\nclean:")[1].split("\n\n")[0]
    for made in ("results/report", "results/report.html"):
        assert re.search(rf"\s{re.escape(made)}(\s|$)", recipe), made


def test_the_makefile_report_asks_for_the_reports_material():
    recipe = (ROOT / "Makefile").read_text().split("\nreport:")[1].split("\n\n")[0]
    assert "snakemake report_contents --cores" in recipe
    assert "snakemake report_contents --report results/report.html" in recipe


def test_a_broken_input_stops_with_one_line(tmp_path):
    (tmp_path / "cut.json").write_text('{"experiment": "x", "meth')
    (tmp_path / "cut.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    tables_outputs = (
        *("--statistics-table", "s.csv", "--statistics-page", "s.html"),
        *("--evaluation-table", "e.csv", "--evaluation-page", "e.html"),
        *("--provenance-page", "p.html", "--sweep-pages", "sweeps"),
    )
    for args in (
        ("report_tables", "--stats", "cut.json", "--provenance", "p.md", *tables_outputs),
        ("report_figure", "--figure", "cut.png", "--output", "small.png"),
    ):
        done = subprocess.run(
            [sys.executable, "-m", "voltage_to_wiring", *args],
            cwd=tmp_path, capture_output=True, text=True, timeout=60,
        )  # fmt: skip
        assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr
        assert "cut." in done.stderr.strip().splitlines()[-1]
    assert not (tmp_path / "small.png").exists() and not (tmp_path / "s.csv").exists()
    # good statistics but no provenance file: every input is read before anything is written
    (tmp_path / "stats.json").write_text(json.dumps({"experiment": "x", "n_neurons": 3}))
    args = ["report_tables", "--stats", "stats.json", "--provenance", "p.md", *tables_outputs]
    done = subprocess.run(
        [sys.executable, "-m", "voltage_to_wiring", *args],
        cwd=tmp_path, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr
    assert not list(tmp_path.glob("[se].*")) and not (tmp_path / "sweeps").exists()
