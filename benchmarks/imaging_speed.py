"""The inference of a 10-minute recording imaged at 1 kHz against today's at 10 kHz (issue 30:
"no slower"), whole ``infer`` jobs as Snakemake runs them, on one simulation.

``workflow/configs/imaging.yaml``'s ``img_nto1`` (600 s, seed 21) is simulated once (or
``--dataset`` names that simulation, e.g. ``make imaging``'s ``results/sims/img_rate_seed=21.nc``);
then ``--repeats`` times, interleaved, each a process of its own
(``python -m voltage_to_wiring infer --threads 2``, start-up included):

- ``ideal_10kHz``: the simulation's every sample (10 kHz) plus the ideal white noise of SNR 10,
  the inference before the microscope;
- ``microscope_1kHz``: the simulated microscope's 1 kHz frames (per-frame SNR 10), made in
  the job and read as a lab's file is (the clock, dF/F, the polarity).

The same 300 trains (top-rate, four methods). Prints a table and writes the medians, every run
and the machine to ``--output`` (JSON).

Usage: ``python benchmarks/imaging_speed.py [--dataset SIM.nc] [--repeats 5] [--output F]``
"""

import argparse
import copy
import json
import re
import statistics
import sys
import tempfile
from pathlib import Path

import yaml
from bench import machine
from harness import ROOT, timed

from voltage_to_wiring import config

CASES = ("ideal_10kHz", "microscope_1kHz")
COMMAND = [sys.executable, "-m", "voltage_to_wiring"]


def plan_cases():
    """The plan of the benchmark's experiments: ``img_nto1`` and its ideal twin."""
    imaging = yaml.safe_load((ROOT / "workflow/configs/imaging.yaml").read_text())
    base = imaging["experiments"]["img_nto1"]
    ideal = copy.deepcopy(base)
    del ideal["inference"]["imaging"]
    ideal["inference"]["snr"] = 10
    merged = config.load([ROOT / "config.yaml"])
    merged["experiments"] = {"microscope_1kHz": base, "ideal_10kHz": ideal}
    merged["sweeps"] = {}
    return config.plan(merged)


def write(path, value):
    path.write_text(json.dumps(value, sort_keys=True))
    return path


def infer(work, case, dataset, settings):
    """One timed infer job: wall time (s), peak RSS (MB) and the step's own seconds."""
    log = work / f"{case}.log"
    command = [
        *COMMAND, "infer", "--settings", settings, "--experiment", case, "--dataset", dataset,
        "--output", work / f"{case}.nc", "--threads", "2", "--log", log,
    ]  # fmt: skip
    wall, rss, _ = timed(command)
    inside = re.search(r"\.nc in ([0-9.]+) s", log.read_text())
    return {"wall_s": wall, "peak_mb": rss, "step_s": float(inside.group(1))}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dataset", type=Path, help="img_nto1's simulation (else simulated)")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--output", type=Path, default=ROOT / "benchmarks/results/imaging.json")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        planned = plan_cases()
        dataset = args.dataset
        if dataset is None:
            dataset = work / "sim.nc"
            params = write(work / "params.json", planned.params["microscope_1kHz"])
            timed([*COMMAND, "simulate", "--params", params, "--output", dataset])
        inputs = {
            case: (dataset, write(work / f"{case}.json", planned.inference[case])) for case in CASES
        }
        for case in CASES:  # compile or load the kernels first
            infer(work, case, *inputs[case])
        runs = {case: [] for case in CASES}
        for _ in range(args.repeats):
            for case in CASES:
                runs[case].append(infer(work, case, *inputs[case]))
    medians = {
        case: {key: statistics.median(r[key] for r in runs[case]) for key in runs[case][0]}
        for case in CASES
    }
    print("| recording | whole job (s) | inference in the step (s) | peak memory (MB) |")
    print("|---|---|---|---|")
    for case in CASES:
        m = medians[case]
        print(f"| {case} | {m['wall_s']:.2f} | {m['step_s']:.2f} | {m['peak_mb']:.0f} |")
    result = {"machine": machine(), "repeats": args.repeats, "medians": medians, "runs": runs}
    args.output.write_text(json.dumps(result, indent=1) + "\n")
    print(f"wrote {args.output}")


if __name__ == "__main__":
    main()
