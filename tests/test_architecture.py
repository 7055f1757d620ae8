"""The package's shape: layers, what each step imports, the code hash, one home per concept.

The expectations here are computed independently of the package's own helper
(``voltage_to_wiring.core.code``): imports from ``sys.modules`` in a fresh interpreter,
the hash with hashlib, the layers from the source text.
"""

import ast
import json
import shutil
import subprocess
import sys

import pytest

from voltage_to_wiring.core import code

from conftest import ROOT, package_sha256

PACKAGE = ROOT / "src" / "voltage_to_wiring"
STEPS = sorted(p.stem for p in (PACKAGE / "steps").glob("*.py") if not p.stem.startswith("_"))
# Layers, bottom up: a module may import from its own layer and those below, never above.
LAYERS = [
    {"errors", "units", "rng", "files", "cpus", "plugins", "core"},
    {"engine"},
    {"model"},
    {"config"},
    {"data"},
    {"analysis"},
    {"inference"},
    {"plots"},
    {"provenance"},
    {"report"},
    {"steps", "cli", "__main__"},
]
# Third-party libraries a step must not load when it does not need them (job start-up).
HEAVY = ("numba", "xarray", "pandas", "matplotlib", "pint", "netCDF4")
# xarray (and pandas) are for users and for the steps that write datasets: the steps that
# only read one use data.view, which starts faster.
NOT_NEEDED = {
    "resolve_params": {"numba", "xarray", "pandas", "matplotlib", "netCDF4"},
    "check_config": {"numba", "xarray", "pandas", "matplotlib", "netCDF4"},
    "simulate": {"matplotlib", "xarray", "pandas"},
    "compute_stats": {"numba", "xarray", "pandas", "matplotlib"},
    "plot_figure": {"numba", "xarray", "pandas"},
    "tabulate_sweep": {"numba", "xarray", "pandas", "matplotlib", "netCDF4"},
    "report_provenance": {"numba", "xarray", "pandas", "matplotlib", "pint", "netCDF4"},
    "infer": {"matplotlib"},
    "evaluate": {"numba", "xarray", "pandas", "matplotlib", "pint"},
    "show_sweep": {"numba", "xarray", "pandas", "matplotlib", "pint", "netCDF4"},
    "export_nwb": {"matplotlib"},
    "report_tables": {"numba", "xarray", "pandas", "matplotlib", "pint", "netCDF4"},
    "report_figure": {"numba", "xarray", "pandas", "matplotlib", "pint", "netCDF4"},
}


def modules_of_the_package():
    return sorted(
        ".".join(p.relative_to(PACKAGE).with_suffix("").parts)
        for p in PACKAGE.rglob("*.py")
        if "__pycache__" not in p.parts
    )


def layer(module):
    """The layer of a module (dotted, without the package prefix): its longest match."""
    best = None
    for index, names in enumerate(LAYERS):
        for name in names:
            if module == name or module.startswith(name + "."):
                if best is None or len(name) > len(best[1]):
                    best = (index, name)
    assert best is not None, f"{module} is in no layer: add it to LAYERS"
    return best[0]


def package_imports(module):
    """Package modules named by the import statements of a module (relative ones resolved)."""
    path = PACKAGE.joinpath(*module.split(".")).with_suffix(".py")
    if not path.exists():
        path = PACKAGE.joinpath(*module.split("."), "__init__.py")
    parts = module.split(".")
    # a package's own __init__.py (listed as "x.__init__") imports relative to "x"
    package = parts if path.name == "__init__.py" and parts[-1] != "__init__" else parts[:-1]
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.level:
            base = package[: len(package) - node.level + 1]
            target = [*base, *(node.module.split(".") if node.module else [])]
            for alias in node.names:
                full = [*target, alias.name]
                is_module = PACKAGE.joinpath(*full).with_suffix(".py").exists() or (
                    PACKAGE.joinpath(*full).is_dir()
                )
                names.add(".".join(full if is_module else target))
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            named = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module]
            names.update(n.split(".", 1)[1] for n in named if n.startswith("voltage_to_wiring."))
    return {n for n in names if n}


def test_the_layers_are_folders_and_root_modules():
    """A layer is a list of the package's folders (and, at the bottom, its root modules):
    a module shared by several layers lives in core/, not in the folder of one of them."""
    for index, names in enumerate(LAYERS):
        for name in names:
            assert "." not in name, f"{name}: a layer names folders, not modules in them"
            is_folder = (PACKAGE / name).is_dir()
            assert is_folder or index == 0 or name in ("cli", "__main__"), name
            assert is_folder or (PACKAGE / f"{name}.py").is_file(), name
    folders = {p.name for p in PACKAGE.iterdir() if p.is_dir() and p.name != "__pycache__"}
    assert folders <= set().union(*LAYERS)


@pytest.mark.parametrize("module", modules_of_the_package())
def test_no_module_imports_one_above_it(module):
    for imported in package_imports(module):
        assert layer(imported) <= layer(module), f"{module} imports {imported}, a layer above"


def test_modules_import_each_other_at_module_level_only():
    """The rule that makes the workflow's code dependencies exact (see core/code.py)."""
    for path in PACKAGE.rglob("*.py"):
        tree = ast.parse(path.read_text())
        top = {id(node) for node in tree.body}
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and id(node) not in top:
                assert not node.level and not (node.module or "").startswith("voltage_to"), path
            if isinstance(node, ast.Import) and id(node) not in top:
                assert not any(a.name.startswith("voltage_to") for a in node.names), path


def test_modules_are_short_except_the_numba_kernels():
    for path in PACKAGE.rglob("*.py"):
        lines = len(path.read_text().splitlines())
        if path.name != "kernels.py":
            assert lines <= 300, f"{path.relative_to(PACKAGE)} has {lines} lines"


def imported_by(step, *modules):
    """Package modules and heavy libraries in sys.modules after importing what
    ``python -m voltage_to_wiring STEP`` imports (and ``modules``, which the step imports by
    name as it runs: a figure's module), in a fresh interpreter."""
    script = (
        "import sys, json, importlib\n"
        "import voltage_to_wiring.cli\n"
        f"importlib.import_module('voltage_to_wiring.steps.{step}')\n"
        + "".join(f"importlib.import_module('{m}')\n" for m in modules)
        + "print(json.dumps(sorted(sys.modules)))\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    loaded = json.loads(done.stdout)
    package = {m for m in loaded if m == "voltage_to_wiring" or m.startswith("voltage_to_wiring.")}
    return package | {"voltage_to_wiring.__main__"}, {m.split(".")[0] for m in loaded}


@pytest.mark.parametrize("step", STEPS)
def test_the_workflows_code_inputs_are_the_modules_each_step_imports(step):
    modules, libraries = imported_by(step)
    assert code.step_modules(step, PACKAGE) == modules
    files = {str(PACKAGE.joinpath(*m.split(".")[1:])) for m in modules}
    expected = {f + ".py" if not (PACKAGE / f).is_dir() else f + "/__init__.py" for f in files}
    assert set(code.step_sources(step, PACKAGE)) == expected
    assert not NOT_NEEDED.get(step, set()) & libraries, f"{step} loads what it does not need"


def test_every_step_is_known_to_the_tests():
    assert set(NOT_NEEDED) == set(STEPS)


def test_code_sha256_is_the_documented_hash_and_changes_with_any_file(tmp_path):
    assert code.code_sha256() == package_sha256(PACKAGE)
    copy = tmp_path / "voltage_to_wiring"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__"))
    assert code.code_sha256(copy) == package_sha256(PACKAGE)
    (copy / "rng.py").write_text((copy / "rng.py").read_text() + "# a comment\n")
    changed = code.code_sha256(copy)
    assert changed != package_sha256(PACKAGE) and changed == package_sha256(copy)
    (copy / "new.py").write_text("")
    assert code.code_sha256(copy) not in (changed, package_sha256(PACKAGE))


def test_every_figure_of_the_registry_can_be_drawn():
    from voltage_to_wiring.plots import draw, registry

    for name, figure in registry.FIGURES.items():
        assert figure.scope in ("experiment", "inference", "sweep")
        assert callable(draw.function(name)), name
        where = {"sweep": "x"} if figure.scope == "sweep" else {"experiment": "x"}
        assert "{" not in registry.caption(name, **where)


# Figures drawn by each plot module, by hand (the registry's ``draw`` must agree).
FIGURE_MODULES = {
    "traces": {"voltage", "conductance", "recovery", "adaptation"},
    "activity": {"raster", "rates"},
    "wiring": {"degrees"},
    "inference": {"sta", "roc", "connections"},
    "sweep": {"summary"},
}


def test_a_figures_code_inputs_are_the_figure_step_and_its_own_module():
    """Editing traces.py redraws the trace figures and no other: the plot_figure step does
    not import the figures' modules, and each figure's code inputs add its own one."""
    from voltage_to_wiring.plots import registry

    by_registry = {}
    for name, figure in registry.FIGURES.items():
        by_registry.setdefault(figure.draw.split(".")[0], set()).add(name)
    assert by_registry == FIGURE_MODULES
    alone = code.step_modules("plot_figure", PACKAGE)
    assert not {f"voltage_to_wiring.plots.{m}" for m in FIGURE_MODULES} & alone
    for module, figures in FIGURE_MODULES.items():
        dotted = f"voltage_to_wiring.plots.{module}"
        loaded, _ = imported_by("plot_figure", dotted)
        for name in figures:
            assert registry.module_of(name) == dotted
            assert code.step_modules("plot_figure", PACKAGE, [dotted]) == loaded, name
        others = {f"voltage_to_wiring.plots.{m}" for m in FIGURE_MODULES if m != module}
        assert not others & loaded, f"{module} imports another figure module"


def test_the_cli_lists_every_step_without_importing_them():
    done = subprocess.run(
        [sys.executable, "-m", "voltage_to_wiring", "--help"], capture_output=True, text=True
    )
    assert done.returncode == 0
    for step in STEPS:
        assert f"  {step} " in done.stdout


def test_every_output_path_is_written_once_in_the_rules():
    """The rules, the targets' lists and the records read the paths of PATHS (common.smk):
    no other line of the workflow spells one out."""
    import re

    files = [ROOT / "Snakefile", *sorted((ROOT / "workflow" / "rules").glob("*.smk"))]
    table = (ROOT / "workflow/rules/common.smk").read_text().split("\nPATHS = {\n")[1]
    table = table.split("\n}\n")[0]
    assert re.findall(r'"(results/[^"]*)"', table), "PATHS lists the outputs"
    for path in files:
        text = path.read_text().replace(table, "")
        spelled = re.findall(r"""["'](results/[^"']*)["']""", text)
        assert spelled == [], f"{path.name} spells out {spelled}: use PATHS"


def test_a_steps_sources_follow_the_files_as_they_are_now(tmp_path):
    """What the code inputs remember of a file (its imports) is kept per version of the file;
    which files exist is looked up each time: a module renamed away leaves the list."""
    copy = tmp_path / "voltage_to_wiring"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__"))
    before = code.step_sources("plot_figure", copy)
    common = copy / "plots" / "common.py"
    assert str(common) in before
    common.rename(copy / "plots" / "common_gone.py")
    after = code.step_sources("plot_figure", copy)
    assert str(common) not in after and "None" not in after


def test_the_architecture_page_names_every_module_in_its_layers_row():
    """docs/architecture.md's layer table: each module of a folder in that folder's row
    (``folder/name.py`` or ``name.py`` after it; ``steps/*.py`` for the steps; a folder of
    modules, as ``core/neurons/``, by its name)."""
    text = (ROOT / "docs" / "architecture.md").read_text()
    rows = [line.split("|")[2] for line in text.splitlines() if line.startswith("| ")][1:]
    missing = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if "__pycache__" in path.parts or path.name == "__init__.py":
            continue
        parts = path.relative_to(PACKAGE).parts
        if len(parts) == 1:
            named = any(f"`{path.name}`" in row for row in rows)
        elif parts[0] == "steps":
            named = any("`steps/*.py`" in row for row in rows)
        else:
            folder = parts[0]
            name = f"{parts[1]}/" if len(parts) > 2 else parts[1]
            named = any(
                f"`{folder}/" in row and (f"`{name}`" in row or f"`{folder}/{name}`" in row)
                for row in rows
            )
        if not named:
            missing.append("/".join(parts))
    assert not missing, f"not in docs/architecture.md's layer table: {missing}"
