"""``make bench``: this project's engine against Brian2 on the same network, side by side.

The benchmark network (performance issue): N Izhikevich neurons with the seed notebook's
parameters, each receiving exactly K = 100 synapses from uniformly drawn other neurons
(repeats allowed), weight 0.1 nS, delay 4.5 ms, a constant drive per neuron uniform in
[30, 70] pA, v from v_r, dt 0.1 ms, 1 s, synchronous scheme, spikes recorded only.

For each N the network is generated once by this project (from a config experiment, as the
pipeline would) and exported with its drives to ``network.npz``; Brian2 runs that very
file (``brian2_run.py``, in its own environment), so both simulate the same synapses. Every
measurement runs in a process of its own (peak memory is per process), ``--repeats`` times,
interleaved, and the tables give medians:

- engine: ``build_s`` (generation and CSR), ``run_s`` (the simulation), peak memory;
- whole process: ``python -m voltage_to_wiring simulate`` from params JSON to the netCDF file
  (numba's cache warm, and once cold), against Brian2's script from the network file to its
  spikes (import, code generation, compilation, run);
- Brian2 ``cpp_standalone`` (one thread; each repeat a new project, so code generation and
  compilation are timed, plus one rerun in the last project, which make finds up to date)
  and ``cython`` (its extension cache warm after the first run): its own build and run times.

The spike trains are compared (Brian2 stamps a spike at the step it computed, one index
before this project's sample index). Then: run time against N and against duration, a
profile of the engine (``profile_engine.py``), one and two threads at large N against
Brian2's OpenMP (``threads_bench.py``; 1,000,000 neurons included), the pipeline's own
costs through Snakemake (``pipeline_bench.py``), a 10-minute recording of the 1000-neuron
E/I network (``ei_network`` of ``config.yaml``) streamed to netCDF, the inference
workload against Elephant (``inference_bench.py``), and the AdEx neuron against Brian2 (its
spike trains, and its speed beside Izhikevich's; ``adex_bench.py``). Results go to
``benchmarks/results/*.json`` and ``results.md``.

Usage: ``python benchmarks/bench.py [--brian2-python PATH] [--sizes N ...] [--repeats R]``
(``--help`` lists the rest; ``make bench`` runs it all with Brian2).
"""

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import adex_bench
import inference_bench
import numpy as np
import pipeline_bench
import threads_bench
from harness import (
    HERE,
    ROOT,
    K,
    benchmark_params,
    brian2,
    engine,
    fmt,
    identity_summary,
    last_json,
    same_spikes,
    simulate_step,
    summarise,
    timed,
    whole_process,
)

from voltage_to_wiring import config
from voltage_to_wiring.provenance import record as provenance


def long_recording_params(duration_s, n_recorded):
    """``ei_network`` of config.yaml, run for ``duration_s``, recording v of ``n_recorded``
    neurons spread over both populations."""
    merged = config.load([ROOT / "config.yaml"])
    settings = merged["experiments"]["ei_network"]
    n = settings["network"]["n"]
    settings["sim"]["duration"] = f"{duration_s} s"
    neurons = sorted({round(i) for i in np.linspace(0, n - 1, n_recorded)})
    settings["record"] = {"variables": ["v"], "neurons": neurons}
    merged["experiments"] = {"ei_long": settings}
    return config.resolve(merged, "ei_long")


def bench_size(n, args, work):
    """All measurements at one N."""
    params = benchmark_params(n, args.duration)
    params_path = work / f"params_{n}.json"
    params_path.write_text(json.dumps(params))
    network_path = work / f"network_{n}.npz"
    devices = ("cpp_standalone", "cython") if args.brian2_python else ()
    ours, whole, theirs = [], [], {device: [] for device in devices}
    identical = {}
    for repeat in range(args.repeats):
        spikes_path = work / f"spikes_{n}.npz"
        ours.append(engine(params_path, spikes_path, network_path if repeat == 0 else None))
        whole.append(whole_process(params_path, work / f"sim_{n}.nc"))
        for device in devices:
            workdir = work / f"{device}_{n}"
            if device == "cpp_standalone":  # a new project: generate, compile, run
                shutil.rmtree(workdir, ignore_errors=True)
            theirs[device].append(brian2(args.brian2_python, network_path, device, workdir))
            identical[device] = same_spikes(spikes_path, workdir / "spikes.npz")
        print(f"  N = {n}: run {repeat + 1} of {args.repeats} done", file=sys.stderr)
    rebuilt = None
    if devices:  # once more in the last project directory: make finds nothing to compile
        workdir = work / f"cpp_standalone_{n}"
        rebuilt = brian2(args.brian2_python, network_path, "cpp_standalone", workdir)
    n_steps = params["sim"]["n_samples"] - 1
    result = {
        "n": n,
        "synapses": n * K,
        "steps": n_steps,
        "engine": summarise(ours, ("build_s", "run_s", "peak_mb", "baseline_mb")),
        "whole_process": summarise(whole, ("whole_s", "whole_peak_mb")),
        "spikes": ours[0]["spikes"],
        "events": ours[0]["events"],
        "connectivity_mb": ours[0]["connectivity_mb"],
        "spikes_mb": ours[0]["spikes_mb"],
        "identical": identical,
    }
    if n == args.cold_n:
        with tempfile.TemporaryDirectory() as cache:
            result["whole_process"]["cold_s"] = whole_process(
                params_path, work / f"sim_{n}.nc", cache
            )["whole_s"]
    keys = ("build_s", "run_s", "peak_mb", "whole_s")
    result["brian2"] = {device: summarise(runs, keys) for device, runs in theirs.items()}
    if rebuilt:
        result["brian2"]["cpp_standalone"]["whole_cached_s"] = rebuilt["whole_s"]
    for entry in (result["engine"], *result["brian2"].values()):
        entry["neuron_steps_per_s"] = n * n_steps / entry["run_s"]
        entry["events_per_s"] = result["events"] / entry["run_s"]
    result["ratios"] = ratios(result)
    return result


def ratios(result):
    """This project's times as a fraction of Brian2's (whole process: numba's cache warm)."""
    ours = {"run_s": result["engine"]["run_s"], "whole_s": result["whole_process"]["whole_s"]}
    found = {}
    for device, theirs in result["brian2"].items():
        found[device] = {key: ours[key] / theirs[key] for key in ours}
        if "whole_cached_s" in theirs:
            found[device]["whole_cached_s"] = ours["whole_s"] / theirs["whole_cached_s"]
    return found


def scaling(args, sizes, work):
    """Engine run time against N (the runs above) and against duration (N = scaling_n)."""
    against_n = [
        row(size["n"], args.duration, size["steps"], [r["run_s"] for r in size["engine"]["runs"]])
        for size in sizes
    ]
    against_duration = []
    for duration in sorted(set(args.durations) | {args.duration}):
        done = [r for r in against_n if r["n"] == args.scaling_n and duration == args.duration]
        if done:
            against_duration += done
            continue
        params_path = work / f"scaling_{duration}.json"
        params = benchmark_params(args.scaling_n, duration)
        params_path.write_text(json.dumps(params))
        runs = [engine(params_path, work / "scaling.npz")["run_s"] for _ in range(args.repeats)]
        against_duration.append(row(args.scaling_n, duration, params["sim"]["n_samples"] - 1, runs))
    return {"against_n": against_n, "against_duration": against_duration}


def row(n, duration, steps, runs):
    run_s = statistics.median(runs)
    ns = run_s / (n * steps) * 1e9
    return {"n": n, "duration_s": duration, "run_s": run_s, "ns_per_neuron_step": ns, "runs": runs}


def profile_engine(params_path, repeats):
    """Where the engine's time goes (benchmarks/profile_engine.py, a process of its own)."""
    command = [sys.executable, HERE / "profile_engine.py", params_path, str(repeats)]
    return last_json(timed(command)[2])


def long_recording(args, work):
    """The E/I network for ``args.long_duration`` s, v of ``args.long_neurons`` neurons,
    streamed to netCDF by the pipeline's simulate step (with its progress bar)."""
    params = long_recording_params(args.long_duration, args.long_neurons)
    params_path = work / "ei_long.json"
    params_path.write_text(json.dumps(params))
    output = work / "ei_long.nc"
    wall, peak, _ = timed(simulate_step(params_path, output))
    samples, neurons = params["sim"]["n_samples"], len(params["record"]["neurons"])
    result = {
        "duration_s": args.long_duration,
        "neurons": params["n"],
        "recorded": neurons,
        "samples": samples,
        "trace_gb": 8 * samples * neurons / 1e9,
        "file_gb": output.stat().st_size / 1e9,
        "whole_s": wall,
        "peak_mb": peak,
    }
    output.unlink()
    return result


def machine():
    env = provenance.environment()
    git = provenance.git_state(ROOT)
    return {
        "cpu": env["cpu"],
        "cpu_count": env["cpu_count"],
        "platform": env["platform"],
        "python": env["python"],
        "packages": env["packages"],
        "commit": git.get("commit"),
        "date": time.strftime("%Y-%m-%d"),
    }


def main(argv=None):
    args = parse(argv)
    args.output_dir.mkdir(parents=True, exist_ok=True)
    if args.brian2_python and not Path(args.brian2_python).exists():
        raise SystemExit(f"no Python at {args.brian2_python}: run `make bench`, or leave it out")
    info = machine()
    if args.brian2_python:
        for package in ("brian2", "elephant"):
            version = subprocess.run(
                [args.brian2_python, "-c", f"import {package}; print({package}.__version__)"],
                capture_output=True,
                text=True,
                check=True,
            )
            info[package] = version.stdout.strip()
    with tempfile.TemporaryDirectory(dir=args.work_dir) as tmp:
        work = Path(tmp)
        sizes = []
        for n in args.sizes:
            sizes.append(bench_size(n, args, work))
            write(args.output_dir / f"network_{n}.json", {"machine": info, **sizes[-1]})
        rows = scaling(args, sizes, work)
        write(args.output_dir / "scaling.json", {"machine": info, **rows})
        profile_params = work / "profile.json"
        profile_params.write_text(json.dumps(benchmark_params(args.scaling_n, args.duration)))
        profile = profile_engine(profile_params, max(5, args.repeats))
        write(args.output_dir / "profile.json", {"machine": info, **profile})
        long = long_recording(args, work) if args.long_duration else None
        if long:
            write(args.output_dir / "long_recording.json", {"machine": info, **long})
        threads = threads_bench.bench(args, work) if args.thread_sizes else None
        if threads:
            write(args.output_dir / "threads.json", {"machine": info, "sizes": threads})
        pipeline = pipeline_bench.bench(args, work) if args.pipeline_n else None
        if pipeline:
            write(args.output_dir / "pipeline.json", {"machine": info, **pipeline})
        inference = None
        if args.inference_duration:
            inference = inference_bench.bench(args, work, timed, last_json, simulate_step)
            write(args.output_dir / "inference.json", {"machine": info, **inference})
        adex = None
        if args.brian2_python and args.adex_sizes:
            izhikevich = {
                size["n"]: size["ratios"]["cpp_standalone"]["run_s"]
                for size in sizes
                if "cpp_standalone" in size["ratios"]
            }
            adex = adex_bench.bench(args, work, izhikevich)
            write(args.output_dir / "adex.json", {"machine": info, **adex})
    text = markdown(info, sizes, rows, profile, long)
    if threads:
        text += "\n" + "\n".join(threads_bench.markdown(threads))
    if pipeline:
        brian2_whole = {
            size["n"]: size["brian2"]["cpp_standalone"]["whole_s"]
            for size in sizes
            if "cpp_standalone" in size["brian2"]
        }
        text += "\n" + "\n".join(pipeline_bench.markdown(pipeline, brian2_whole.get(pipeline["n"])))
    if inference:
        text += "\n" + "\n".join(inference_bench.markdown(inference, fmt))
    if adex:
        text += "\n" + "\n".join(adex_bench.markdown(adex)) + "\n"
    (args.output_dir / "results.md").write_text(text)
    print(text)


def write(path, data):
    path.write_text(json.dumps(data, indent=1, default=float) + "\n")


def parse(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--brian2-python", help="Python of the peers' environment (Brian2 and Elephant)"
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--duration", type=float, default=1.0, help="seconds (default 1)")
    parser.add_argument("--scaling-n", type=int, default=10000)
    parser.add_argument("--durations", type=float, nargs="+", default=[0.25, 0.5, 1, 2])
    parser.add_argument("--long-duration", type=float, default=600.0, help="0 to skip")
    parser.add_argument("--long-neurons", type=int, default=50)
    parser.add_argument(
        "--cold-n", type=int, default=10000, help="N of the cold-cache run (0: none)"
    )
    parser.add_argument(
        "--inference-duration", type=float, default=600.0, help="N-to-1 seconds (0: skip)"
    )
    parser.add_argument(
        "--elephant-trains", type=int, default=2, help="trains Elephant is timed on"
    )
    parser.add_argument(
        "--thread-sizes",
        type=int,
        nargs="*",
        default=[100_000, 1_000_000],
        help="N of the threads benchmark (none: skip)",
    )
    parser.add_argument("--thread-repeats", type=int, default=3)
    parser.add_argument(
        "--pipeline-n", type=int, default=10_000, help="N taken through Snakemake (0: skip)"
    )
    parser.add_argument(
        "--pipeline-grouped",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="also run the first default config with its short jobs in Snakemake groups",
    )
    parser.add_argument(
        "--adex-sizes",
        type=int,
        nargs="*",
        default=[10_000, 100_000],
        help="N of the AdEx speed comparison (needs Brian2; none: skip AdEx)",
    )
    parser.add_argument("--output-dir", type=Path, default=HERE / "results")
    parser.add_argument("--work-dir", type=Path, default=None, help="for temporary files")
    return parser.parse_args(argv)


def markdown(info, sizes, rows, profile, long):
    brian2 = info.get("brian2")
    lines = [
        "# Benchmark results",
        "",
        f"Machine: {info['cpu']}, {info['cpu_count']} cores; {info['platform']}; "
        f"{info['python']}; numba {info['packages'].get('numba')}; "
        f"Brian2 {brian2 or 'not run'}; commit {str(info['commit'])[:12]}; {info['date']}.",
        "Medians of the repeated runs, one thread each. Times in seconds, memory in MB (peak",
        "RSS of the process that ran the simulation). Whole process: this project's simulate",
        "step from params to netCDF with numba's cache warm (cold: empty cache); Brian2's script",
        "from the network file to its spikes, compiling a new project (rebuild: make finds the",
        "last project up to date). Ratios are this project's time over Brian2's.",
        "",
    ]
    for size in sizes:
        identical = identity_summary(size["identical"])
        lines += [
            f"## N = {size['n']:,} ({size['synapses']:,} synapses, {size['spikes']:,} spikes"
            f"{'; spike trains ' + identical if identical else ''})",
            "",
            "| simulator | run | build / compile | whole process | peak memory "
            "| neuron-steps/s | synaptic events/s |",
            "|---|---|---|---|---|---|---|",
        ]
        engine, whole = size["engine"], size["whole_process"]
        cold = f" (cold cache {fmt(whole['cold_s'])})" if "cold_s" in whole else ""
        lines.append(
            f"| voltage_to_wiring | {fmt(engine['run_s'])} | {fmt(engine['build_s'])} "
            f"| {fmt(whole['whole_s'])}{cold} "
            f"| {fmt(whole['whole_peak_mb'], 4)} | {fmt(engine['neuron_steps_per_s'])} "
            f"| {fmt(engine['events_per_s'])} |"
        )
        for device, theirs in size["brian2"].items():
            cached = theirs.get("whole_cached_s")
            whole = fmt(theirs["whole_s"]) + (f" (rebuild {fmt(cached)})" if cached else "")
            lines.append(
                f"| Brian2 {device} | {fmt(theirs['run_s'])} | {fmt(theirs['build_s'])} "
                f"| {whole} | {fmt(theirs['peak_mb'], 4)} "
                f"| {fmt(theirs['neuron_steps_per_s'])} | {fmt(theirs['events_per_s'])} |"
            )
        for device, ratio in size["ratios"].items():
            cached = ratio.get("whole_cached_s")
            whole = f"**{ratio['whole_s']:.2f}**" + (f" ({cached:.2f})" if cached else "")
            lines.append(f"| ratio to {device} | **{ratio['run_s']:.2f}** | | {whole} | | | |")
        above = engine["peak_mb"] - engine["baseline_mb"]
        needed = size["connectivity_mb"] + size["spikes_mb"]
        lines += [
            "",
            f"Engine memory above the interpreter's {fmt(engine['baseline_mb'], 4)} MB: "
            f"{fmt(above, 4)} MB for {fmt(size['connectivity_mb'], 4)} MB of synapse arrays "
            f"and {fmt(size['spikes_mb'], 3)} MB of spikes ({above / needed:.2f} x).",
            "",
        ]
    for key in ("against_n", "against_duration"):
        if not rows[key]:
            continue
        first = rows[key][0]
        title = (
            f"N ({first['duration_s']:g} s)"
            if key == "against_n"
            else f"duration (N = {first['n']:,})"
        )
        lines += [
            f"## Engine run time against {title}",
            "",
            "| N | duration (s) | run (s) | ns per neuron-step |",
            "|---|---|---|---|",
        ]
        lines += [
            f"| {r['n']:,} | {r['duration_s']:g} | {fmt(r['run_s'])} "
            f"| {fmt(r['ns_per_neuron_step'])} |"
            for r in rows[key]
        ]
        lines.append("")
    total = profile["seconds"]["full"]
    lines += [
        f"## Where the engine's time goes (N = {profile['n']:,}, {profile['duration_s']:g} s)",
        "",
        "By subtraction (benchmarks/profile_engine.py; fastest of several runs, "
        f"{fmt(total)} s in all):",
        "",
        "| part | s | share |",
        "|---|---|---|",
    ]
    lines += [
        f"| {part} | {fmt(seconds)} | {seconds / total:.0%} |"
        for part, seconds in profile["parts"].items()
    ]
    lines += [
        "",
        f"Of the update pass, the two IEEE divisions per neuron and step (/ C, / tau) take "
        f"{fmt(profile['divisions'])} s: the pass with multiplications by reciprocals instead "
        f"(what fast-math compilers do; it changes the last bits) takes "
        f"{fmt(profile['seconds']['update_reciprocal'])} s.",
        "",
    ]
    if long:
        lines += [
            "## Long recording",
            "",
            f"`ei_network` ({long['neurons']:,} neurons) for {long['duration_s']:g} s, v of "
            f"{long['recorded']} neurons ({long['samples']:,} samples, "
            f"{long['trace_gb']:.2f} GB of float64) streamed to a {long['file_gb']:.2f} GB "
            f"netCDF file: {fmt(long['whole_s'])} s, peak memory {fmt(long['peak_mb'], 4)} MB.",
        ]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
