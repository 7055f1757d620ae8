"""The inference part of ``make bench``: the N-to-1 experiment of ``config.yaml`` simulated by
the pipeline's simulate step, then the baseline test's workload (the STA of each of the 300
tested trains and of its 100 ISI shuffles, 20 ms windows at 0.1 ms) by this project and by
Elephant's ``spike_triggered_average`` on the same voltage and trains, side by side.

Elephant takes about 0.6 ms per spike here, so it is timed on a few trains and its time for
the whole workload extrapolated linearly in the number of spike windows (its cost per spike
does not depend on the train); the table says so.
"""

import json
import sys
from pathlib import Path

from voltage_to_wiring import config

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


# Beside config.yaml's own inference: its methods with ``joint``, on the same 300 trains
# and on every input (6500) with 1000 unconnected trains (the all-inputs protocol).
VARIANTS = {
    "joint": {"add_joint": True},
    "all_inputs": {"add_joint": True, "trains": "all", "unconnected": 1000, "per_type": None},
}  # None: the key removed


def nto1(duration_s, variant=None):
    """Resolved parameters and inference settings of config.yaml's ``nto1``, run for
    ``duration_s`` seconds (its inference changed as ``VARIANTS[variant]`` says)."""
    merged = config.load([ROOT / "config.yaml"])
    experiment = merged["experiments"]["nto1"]
    experiment["sim"]["duration"] = f"{duration_s} s"
    merged.pop("sweeps", None)
    params = config.resolve(merged, "nto1")
    if variant is not None:
        change = dict(VARIANTS[variant])
        inference = experiment.setdefault("inference", {})
        if change.pop("add_joint"):
            methods = config.resolve_inference_settings(merged, "nto1", params)["methods"]
            inference["methods"] = [*methods, "joint"]
        inference.update(change)
        for key in [k for k, v in change.items() if v is None]:
            del inference[key]
    return params, config.resolve_inference_settings(merged, "nto1", params)


def bench(args, work, timed, last_json, simulate_step):
    """Run the inference benchmark; returns its results (a JSON-ready dict)."""
    params, settings = nto1(args.inference_duration)
    params_path, settings_path = work / "nto1.json", work / "nto1_inference.json"
    params_path.write_text(json.dumps(params))
    settings_path.write_text(json.dumps(settings))
    variants = []
    for variant in VARIANTS:
        variants += [variant, work / f"nto1_{variant}.json"]
        variants[-1].write_text(json.dumps(nto1(args.inference_duration, variant)[1]))
    dataset = work / "nto1.nc"
    simulate_s, simulate_mb, _ = timed(simulate_step(params_path, dataset, "--no-progress"))
    print("  N-to-1 simulated", file=sys.stderr)
    export = work / "nto1_trains.npz"
    command = [sys.executable, HERE / "inference_run.py", dataset, settings_path, export]
    _, peak_mb, stdout = timed([*command, str(args.repeats), *map(str, variants)])
    ours = last_json(stdout) | {"peak_mb": peak_mb}
    result = {
        "duration_s": args.inference_duration,
        "simulate": {
            "whole_s": simulate_s,
            "peak_mb": simulate_mb,
            "file_mb": dataset.stat().st_size / 2**20,
        },
        "ours": ours,
    }
    if args.brian2_python and args.elephant_trains:
        command = [args.brian2_python, HERE / "elephant_run.py", export, str(args.elephant_trains)]
        theirs = last_json(timed(command)[2])
        theirs["extrapolated_s"] = theirs["seconds_per_spike"] * ours["windows"]
        result["elephant"] = theirs
        result["ratio"] = ours["total_s"] / theirs["extrapolated_s"]
    print("  inference workload done", file=sys.stderr)
    return result


def markdown(result, fmt):
    """The inference benchmark's table."""
    ours, sim = result["ours"], result["simulate"]
    lines = [
        f"## Inference: N-to-1, {result['duration_s']:g} s "
        f"({ours['trains']} trains x (1 + {ours['shuffles']}) STAs, "
        f"{ours['windows']:,} windows of {ours['window']} samples)",
        "",
        "| | STAs and shuffles (s) | per spike window (ns) | peak memory (MB) |",
        "|---|---|---|---|",
        f"| voltage_to_wiring, 1 thread | {fmt(ours['total_s'])} (shuffles "
        f"{fmt(ours['shuffles_s'])}, sums {fmt(ours['sums_s'])}) "
        f"| {fmt(ours['total_s'] / ours['windows'] * 1e9)} | {fmt(ours['peak_mb'], 4)} |",
    ]
    if "elephant" in result:
        theirs = result["elephant"]
        lines += [
            f"| Elephant 1.2 `spike_triggered_average` | {fmt(theirs['extrapolated_s'])} "
            f"(extrapolated from {theirs['trains']} trains, {theirs['spikes']:,} spikes: "
            f"{fmt(theirs['seconds'])} s) | {fmt(theirs['seconds_per_spike'] * 1e9)} | |",
            f"| ratio (ours / Elephant) | **{result['ratio']:.2g}** | | |",
            "",
            f"Largest difference between the two STAs of the same train: "
            f"{theirs['max_difference_v']:.2g} V.",
        ]
    methods = ", ".join(f"{m} {fmt(s)} s" for m, s in ours["infer_methods_s"].items())
    two = ours.get("infer_2_threads_s")
    lines += [
        "",
        f"The whole inference of the experiment (methods {', '.join(ours['infer_methods_s'])}; "
        f"one neuron; median of the runs): {fmt(ours['infer_s'])} s on one thread"
        + (f", {fmt(two)} s on two (x{ours['infer_s'] / two:.2f})" if two else "")
        + f" (one thread: {methods}; shared shuffles counted for each)."
        + "".join(_variant(name, run, fmt) for name, run in ours.get("variants", {}).items())
        + " The "
        f"simulation (pipeline's simulate step): {fmt(sim['whole_s'])} s, peak memory "
        f"{fmt(sim['peak_mb'], 4)} MB, a {fmt(sim['file_mb'], 4)} MB netCDF file.",
        "",
    ]
    return lines


def _variant(name, run, fmt):
    """A sentence on one of ``VARIANTS``' runs (2 threads)."""
    methods = ", ".join(f"{m} {fmt(s)} s" for m, s in run["methods_s"].items())
    what = {"joint": "With `joint`", "all_inputs": "Every input with `joint` (all-inputs)"}[name]
    return (
        f" {what}: {run['trains']} trains, {fmt(run['infer_2_threads_s'])} s on two threads "
        f"(median of {len(run['runs_s'])}; {methods}, thread-seconds)."
    )
