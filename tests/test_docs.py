"""The documentation: the site builds with no warning (mkdocs build --strict: every page,
link, anchor and API reference resolves), and the README's links reach existing files."""

import os
import re
import subprocess
import sys

import pytest

from conftest import ROOT


@pytest.mark.slow
def test_the_site_builds_strictly(tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(tmp_path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        timeout=300,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    api = (tmp_path / "api" / "index.html").read_text()
    assert "infer_inputs" in api and "Parameters" in api  # the API read from the docstrings


def test_the_readme_links_reach_files_and_every_page_is_in_the_site():
    readme = (ROOT / "README.md").read_text()
    targets = re.findall(r"\]\(([^)#]+)(?:#[^)]*)?\)", readme)
    assert targets and all((ROOT / t).exists() for t in targets), targets
    site = (ROOT / "mkdocs.yml").read_text()
    pages = sorted(p.name for p in (ROOT / "docs").glob("*.md"))
    assert all(f": {page}" in site for page in pages), "a page is missing from the nav"
    assert len(readme.splitlines()) <= 200  # the front page; the reference is in docs/


def _reference():
    """The config reference's writer (workflow/scripts/config_reference.py), as a module."""
    import importlib.util

    path = ROOT / "workflow" / "scripts" / "config_reference.py"
    spec = importlib.util.spec_from_file_location("config_reference", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_config_reference_is_written_from_the_schema_and_covers_every_key():
    import yaml

    from voltage_to_wiring import config
    from voltage_to_wiring.config.inference import DEFAULTS, METHODS

    reference = _reference()
    text = (ROOT / "docs" / "config.md").read_text()
    block = reference.between(text, reference.BEGIN, reference.END)
    assert block == reference.table(), "run: python workflow/scripts/config_reference.py --write"
    rows = {line.split("|")[1].strip(" `"): line.split("|") for line in block.splitlines()[2:]}
    by_model = {"neuron": ("model", "exc", "inh", "*"), "initial": ("g", "*")}
    for section, keys in config.SECTIONS.items():
        for key in by_model.get(section, keys):
            row = rows[f"{section}.{key}"]
            assert row[3].strip(), f"{section}.{key} has no meaning in the schema"
    # a default the package holds is shown as the package holds it, not written twice
    for key, default in DEFAULTS.items():
        shown = rows[f"inference.{key}"][4].strip()
        assert shown.startswith("`") and yaml.safe_load(shown.strip("`")) == default, key
    schema = yaml.safe_load((ROOT / "workflow/schemas/config.schema.yaml").read_text())
    assert schema["$defs"]["method"]["enum"] == list(METHODS)
    inference = schema["$defs"]["experiment"]["properties"]["inference"]["properties"]
    assert not {k for k, spec in inference.items() if "x-default" in spec} & set(DEFAULTS)
    # and the table changes with the schema: a new key gets a row
    schema["$defs"]["experiment"]["properties"]["sim"]["properties"]["new_key"] = {
        "type": "integer",
        "description": "a new key",
    }
    assert "| `sim.new_key` | integer | a new key |" in reference.table(schema)


def test_the_methods_table_is_written_from_the_declarations():
    from voltage_to_wiring.core import methods

    reference = _reference()
    page = (ROOT / "docs" / "inference.md").read_text()
    block = reference.between(page, reference.METHODS_BEGIN, reference.METHODS_END)
    assert block == reference.methods_table(), "run: workflow/scripts/config_reference.py --write"
    rows = [line.split("|")[1].strip(" `") for line in block.splitlines()[2:]]
    assert rows == list(methods.NAMES)
    # a changed declaration shows up in the table (and in the config's default list)
    changed = methods.Method("sta", "sta", False, "thesis", "a changed summary")
    saved = methods.DECLARED
    try:
        methods.DECLARED = (changed, *saved[1:])
        assert "| `sta` | sta |  | thesis | a changed summary |" in reference.methods_table()
    finally:
        methods.DECLARED = saved


def test_the_front_pages_own_experiment_is_a_valid_config(tmp_path):
    """The README's `mine.yaml` (a new user's first file of their own) passes every check
    with config.yaml's defaults, as `snakemake mine --configfile mine.yaml` reads them."""
    from voltage_to_wiring import config

    readme = (ROOT / "README.md").read_text()
    block = readme.split("`mine.yaml`, for instance:\n\n```yaml\n")[1].split("```")[0]
    (tmp_path / "mine.yaml").write_text(block)
    merged = config.load([ROOT / "config.yaml", tmp_path / "mine.yaml"])
    plan = config.plan(merged)
    assert "mine" in plan.params and plan.params["mine"]["n"] == 100
    assert block in (ROOT / "docs" / "index.md").read_text()  # the site's front page too
