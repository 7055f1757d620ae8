"""Editing any module of the package reruns exactly the rules that run it, and what depends on
their outputs, nothing else.

For a module of each set of rules that import the same modules, in a copy of a finished run,
a comment is appended and `snakemake -n` asked what it would run. The expectation is computed
without the workflow's own helper: a rule runs a module if importing its step (``python -m
voltage_to_wiring STEP``) puts the module in ``sys.modules`` of a fresh interpreter; a rule
also reruns when a rule upstream of it does.
"""

from concurrent.futures import ThreadPoolExecutor

import pytest
from test_architecture import imported_by, modules_of_the_package

from conftest import ROOT
from workflow import copy_run, copy_source, planned_jobs

pytestmark = [pytest.mark.workflow, pytest.mark.slow]

# Each rule's step (with the modules it imports by name as it runs: the figures' modules of
# the run's figures), and the rules that consume its outputs (the workflow's DAG, by hand).
PLOTS = "voltage_to_wiring.plots."
STEP_OF = {
    "resolve_params": ("resolve_params",),
    "simulate": ("simulate",),
    "plot_figure": ("plot_figure", *(PLOTS + m for m in ("traces", "activity", "wiring"))),
    "compute_stats": ("compute_stats",),
    "tabulate_sweep": ("tabulate_sweep",),
    "plot_sweep": ("plot_figure", PLOTS + "sweep"),
    "report_provenance": ("report_provenance",),
    "infer": ("infer",),
    "evaluate": ("evaluate",),
    "plot_inference": ("plot_figure", PLOTS + "inference"),
}
DOWNSTREAM = {
    "resolve_params": {"simulate"},
    "simulate": {"plot_figure", "compute_stats", "infer"},
    "compute_stats": {"tabulate_sweep"},
    "infer": {"evaluate", "plot_inference"},
    "evaluate": {"tabulate_sweep"},
    "tabulate_sweep": {"plot_sweep"},
}
# Steps for users (by hand), the notebook API, the NWB export and the report's material, which
# run only when their files are asked for (their code inputs are checked with every step's in
# test_architecture; the report's rules in test_report).
NOT_IN_THE_WORKFLOW = {
    "steps.check_config",
    "steps.show_sweep",
    "inference.api",
    "steps.export_nwb",
    "data.nwb",
    "steps.report_tables",
    "steps.report_figure",
    "report.__init__",
    "report.tables",
    "report.markdown",
    "report.images",
}
# Every output but the report's has a provenance record, which the report reads.
FINAL = {"report_provenance", "all"}


def expected_rules(module, imports):
    """``module`` as its path under the package, dotted (``config.__init__``, ``cli``)."""
    name = ".".join(["voltage_to_wiring", *module.split(".")]).removesuffix(".__init__")
    rules = {rule for rule, step in STEP_OF.items() if name in imports[step]}
    todo = set(rules)
    while todo:
        rule = todo.pop()
        new = DOWNSTREAM.get(rule, set()) - rules
        rules |= new
        todo |= new
    return rules | FINAL if rules else set()


@pytest.fixture(scope="module")
def finished(finished_run, tmp_path_factory):
    """A copy of the shared finished run (each test edits a copy of this one)."""
    return copy_run(finished_run, tmp_path_factory.mktemp("deps") / "work")


def test_editing_any_module_reruns_exactly_the_rules_that_run_it(finished, tmp_path):
    imports = {step: imported_by(*step)[0] for step in set(STEP_OF.values())}
    # every module but the steps no rule runs (check_config is for users, by hand)
    modules = [m for m in modules_of_the_package() if m not in NOT_IN_THE_WORKFLOW]
    expected = {m: frozenset(expected_rules(m, imports)) for m in modules}
    # every module is run by some rule: the package has no dead code the pipeline skips
    unused = [m for m in modules if not expected[m]]
    assert unused == [], f"modules no step imports: {unused}"
    # Which files a rule lists as code inputs is checked per step against a fresh
    # interpreter's imports (test_architecture); here, that Snakemake reruns what it should
    # when one is edited: one module for each set of rules that import the same modules.
    chosen = {}
    for module in modules:
        chosen.setdefault(expected[module], module)
    assert len(chosen) >= 5, chosen  # steps import different code: the sample is not trivial

    def check(module):
        work = copy_run(finished, tmp_path / module)
        path = copy_source(work) / (module.replace(".", "/") + ".py")
        path.write_text(path.read_text() + "\n# an edit\n")
        return module, set(planned_jobs(work))

    with ThreadPoolExecutor(max_workers=3) as pool:
        results = list(pool.map(check, sorted(chosen.values())))
    wrong = [(m, planned) for m, planned in results if planned != expected[m]]
    assert not wrong, "\n".join(
        f"{m}: reruns {sorted(p)}, expected {sorted(expected[m])}" for m, p in wrong
    )
    assert ROOT.exists()


def test_editing_a_figures_module_redraws_its_figures_and_no_other(finished, tmp_path):
    """A figure's code inputs are the figure step and its own module: editing traces.py
    redraws the trace figures of the run, not its rasters, rates or degrees."""
    work = copy_run(finished, tmp_path / "traces")
    path = copy_source(work) / "plots" / "traces.py"
    path.write_text(path.read_text() + "\n# an edit\n")
    figures = [p.stem for p in (work / "results" / "figures").glob("*/*.png")]
    traced = [f for f in figures if f in ("voltage", "conductance", "recovery", "adaptation")]
    assert 0 < len(traced) < len(figures)
    assert planned_jobs(work) == {"plot_figure": len(traced), **dict.fromkeys(FINAL, 1)}
