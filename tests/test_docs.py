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
