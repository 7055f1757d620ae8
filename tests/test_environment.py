"""The two install routes pin the same versions, and the pins are exact."""

import re

import yaml

from conftest import ROOT


def lock_pins():
    lines = (ROOT / "requirements.lock").read_text().splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def test_every_lock_entry_is_an_exact_pin():
    pins = lock_pins()
    assert pins, "requirements.lock is empty"
    for pin in pins:
        assert re.fullmatch(r"[A-Za-z0-9_.\-]+==[A-Za-z0-9_.+\-]+", pin), pin


def test_environment_yml_pins_exactly_what_requirements_lock_pins():
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    pip = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    assert sorted(p for p in pip if p != "-e .") == sorted(lock_pins())
    assert "python=3.11" in env["dependencies"]


def test_the_pipeline_imports_are_pinned():
    names = {pin.split("==")[0].lower() for pin in lock_pins()}
    for package in (
        "numpy",
        "numba",
        "llvmlite",
        "xarray",
        "netcdf4",
        "matplotlib",
        "pint",
        "pyyaml",
        "jsonschema",
        "tqdm",
        "snakemake",
        "pytest",
        "pillow",
        "snakemake-executor-plugin-slurm",
    ):
        assert package in names, package
