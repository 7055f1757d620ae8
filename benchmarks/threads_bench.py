"""The threads part of ``make bench``: the benchmark network at large N (100,000 and
1,000,000 neurons by default) on one and two threads, this project's engine against Brian2
``cpp_standalone`` with one and two OpenMP threads, side by side.

For each N and thread count, ``--repeats`` times, interleaved, each in a process of its
own:

- ``engine``: the engine alone (``engine_run.py``): generating the network, grouping it
  (CSR), the run; peak memory;
- ``job``: the pipeline's simulate step, params JSON to the netCDF file, as Snakemake runs
  it (the job's wall time and peak memory; from its provenance record, the seconds spent
  building the network, in the engine and writing the file);
- Brian2 ``cpp_standalone`` with ``openmp_threads`` = 1 and 2, each repeat a new project
  (code generation and compilation timed apart from the run).

All spike trains are compared: this project's on two threads with its own on one, and
Brian2's with this project's.
"""

import json
import shutil
import sys

from harness import (
    K,
    benchmark_params,
    brian2,
    engine,
    fmt,
    identity_summary,
    same_spikes,
    summarise,
    whole_process,
)

THREADS = (1, 2)


def bench(args, work):
    """Run the threads benchmark at every N of ``args.thread_sizes``; returns a JSON-ready
    list, one entry per N."""
    return [bench_size(n, args, work) for n in args.thread_sizes]


def bench_size(n, args, work):
    params = benchmark_params(n, args.duration)
    params_path = work / f"threads_params_{n}.json"
    params_path.write_text(json.dumps(params))
    network_path = work / f"threads_network_{n}.npz"
    engine_runs = {t: [] for t in THREADS}
    job_runs = {t: [] for t in THREADS}
    brian2_runs = {t: [] for t in THREADS} if args.brian2_python else {}
    identical = {}
    repeats = args.thread_repeats
    for repeat in range(repeats):
        for threads in THREADS:
            spikes = work / f"threads_spikes_{n}_{threads}.npz"
            export = network_path if repeat == 0 and threads == 1 and brian2_runs else None
            engine_runs[threads].append(engine(params_path, spikes, export, threads))
            output = work / f"threads_sim_{n}.nc"
            job_runs[threads].append(whole_process(params_path, output, threads=threads))
            output.unlink()
            if threads > 1:
                reference = work / f"threads_spikes_{n}_1.npz"
                same = same_spikes(reference, spikes, shift=0)
                identical[f"voltage_to_wiring {threads} threads"] = same
        for threads in brian2_runs:
            workdir = work / f"threads_brian2_{n}_{threads}"
            shutil.rmtree(workdir, ignore_errors=True)
            run = brian2(args.brian2_python, network_path, "cpp_standalone", workdir, threads)
            brian2_runs[threads].append(run)
            compared = same_spikes(work / f"threads_spikes_{n}_1.npz", workdir / "spikes.npz")
            identical[f"Brian2 {threads} OpenMP threads"] = compared
            shutil.rmtree(workdir / "project", ignore_errors=True)  # its copy of the network
        print(f"  threads, N = {n}: run {repeat + 1} of {repeats} done", file=sys.stderr)
    network_path.unlink(missing_ok=True)
    engine_keys = ("generate_s", "csr_s", "build_s", "run_s", "peak_mb")
    job_keys = ("whole_s", "whole_peak_mb", "network_s", "engine_s", "write_s")
    brian2_keys = ("build_s", "run_s", "whole_s", "peak_mb")
    result = {
        "n": n,
        "synapses": n * K,
        "duration_s": args.duration,
        "engine": {t: summarise(runs, engine_keys) for t, runs in engine_runs.items()},
        "job": {t: summarise(runs, job_keys) for t, runs in job_runs.items()},
        "brian2": {t: summarise(runs, brian2_keys) for t, runs in brian2_runs.items()},
        "identical": identical,
    }
    result["speedup"] = {
        "voltage_to_wiring": _ratio(result["engine"], 1, 2),
        "brian2": _ratio(result["brian2"], 1, 2) if brian2_runs else None,
    }
    result["ratio_to_brian2"] = {
        t: result["engine"][t]["run_s"] / result["brian2"][t]["run_s"] for t in brian2_runs
    }
    return result


def _ratio(entries, a, b):
    return entries[a]["run_s"] / entries[b]["run_s"]


def markdown(results):
    """The threads benchmark as Markdown lines."""
    lines = []
    for size in results:
        same = identity_summary(size["identical"])
        lines += [
            f"## Threads: N = {size['n']:,} ({size['duration_s']:g} s; spike trains against "
            f"this project's on one thread: {same})",
            "",
            "| simulator | threads | run | speed-up | network: generate + group "
            "| job: whole (network / engine / write) | peak memory (job) |",
            "|---|---|---|---|---|---|---|",
        ]
        for t, entry in size["engine"].items():
            job = size["job"][t]
            speedup = size["engine"][1]["run_s"] / entry["run_s"]
            lines.append(
                f"| voltage_to_wiring | {t} | {fmt(entry['run_s'])} | {speedup:.2f} "
                f"| {fmt(entry['generate_s'])} + {fmt(entry['csr_s'])} "
                f"| {fmt(job['whole_s'])} ({fmt(job['network_s'])} / {fmt(job['engine_s'])} / "
                f"{fmt(job['write_s'])}) | {fmt(job['whole_peak_mb'], 4)} |"
            )
        for t, entry in size["brian2"].items():
            speedup = size["brian2"][1]["run_s"] / entry["run_s"]
            lines.append(
                f"| Brian2 cpp_standalone | {t} | {fmt(entry['run_s'])} | {speedup:.2f} "
                f"| compile {fmt(entry['build_s'])} | {fmt(entry['whole_s'])} "
                f"| {fmt(entry['peak_mb'], 4)} |"
            )
        for t, ratio in size["ratio_to_brian2"].items():
            lines.append(f"| ratio to Brian2 | {t} | **{ratio:.2f}** | | | | |")
        lines.append("")
    return lines
