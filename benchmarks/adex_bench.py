"""The AdEx part of ``make bench``: spike trains against Brian2, and speed beside Izhikevich's.

- **Exactness**: a 1000-neuron E/I network of the thesis's AdEx neurons (Erdos-Renyi,
  p = 0.1, excitatory and inhibitory conductances, a constant drive per neuron uniform in
  [60, 200] pA, delay 1.5 ms), 1 s, synchronous scheme, run by this project's engine and by
  Brian2 ``cpp_standalone`` from the same exported network, with Brian2's default flags
  (``-ffast-math``) and without them. The spike trains are compared: identical or not, the
  fraction of spikes both have, and where the first one differs.
- **Speed**: the benchmark network of ``make bench`` (N neurons, 100 synapses each, 0.1 nS,
  4.5 ms, a drive uniform in [60, 120] pA) with AdEx neurons at N = 10,000 and 100,000, 1 s,
  one run each of the engine and of Brian2 ``cpp_standalone`` (one thread), beside the
  Izhikevich network's ratio at the same N from the same invocation.
"""

import json

import numpy as np
from harness import ROOT, benchmark_experiment, brian2, engine, fmt

from voltage_to_wiring import config

# The thesis's AdEx cortical RS neuron (Fiers 2024; workflow/configs/thesis.yaml).
ADEX = {"model": "adex", "C": "104 pF", "g_L": "4.3 nS", "E_L": "-65 mV", "V_T": "-52 mV",
        "Delta_T": "0.8 mV", "V_s": "40 mV", "V_r": "-53 mV", "a": "-0.8 nS", "b": "65 pA",
        "tau_w": "88 ms"}  # fmt: skip


def resolved(name, experiment):
    merged = config.load([ROOT / "config.yaml"])
    merged["experiments"] = {name: experiment}
    return config.resolve(merged, name)


def ei_params(duration_s=1.0):
    """The 1000-neuron E/I AdEx network of the exactness comparison."""
    return resolved(
        "adex_ei",
        {
            "neuron": ADEX,
            "sim": {"duration": f"{duration_s} s", "seed": 1, "scheme": "synchronous"},
            "network": {
                "n": 1000,
                "populations": {"exc": 0.8, "inh": 0.2},
                "connectivity": {"rule": "erdos_renyi", "p": 0.1},
                "weight": {"E->E": "0.3 nS", "E->I": "0.3 nS", "I->E": "1.5 nS", "I->I": "1.5 nS"},
            },
            "synapse": {
                "delay": "1.5 ms",
                "exc": {"v_syn": "0 mV", "tau": "5 ms"},
                "inh": {"v_syn": "-80 mV", "tau": "10 ms"},
            },
            "drive": {"current": {"uniform": ["60 pA", "200 pA"]}},
            "record": {"variables": [], "neurons": []},
        },
    )


def speed_params(n, duration_s=1.0):
    """The benchmark network with AdEx neurons (their own rest and drive)."""
    name, experiment = benchmark_experiment(n, duration_s)
    experiment = {**experiment, "neuron": ADEX}
    experiment["drive"] = {"current": {"uniform": ["60 pA", "120 pA"]}}
    experiment["initial"] = {"v": "-65 mV", "w": "0 pA", "g": "0 nS"}
    return resolved(f"adex_{name}", experiment)


def compare(ours_path, brian2_path, shift=1):
    """Spike trains compared: identical, the fraction of each's spikes the other has, and the
    first spike (in time order) where they differ."""
    ours, theirs = np.load(ours_path), np.load(brian2_path)
    a = set(zip(ours["step"].tolist(), ours["neuron"].tolist(), strict=True))
    b = set(zip((theirs["step"] + shift).tolist(), theirs["neuron"].tolist(), strict=True))
    differing = sorted(a ^ b)
    first = None
    if differing:
        step, neuron = differing[0]
        first = {"step": step, "neuron": neuron, "in": "ours" if (step, neuron) in a else "brian2"}
    return {
        "identical": not differing,
        "spikes": len(a),
        "brian2_spikes": len(b),
        "shared": len(a & b),
        "fraction_shared": len(a & b) / max(1, len(a | b)),
        "first_difference": first,
    }


def exactness(args, work):
    params_path = work / "adex_ei.json"
    params_path.write_text(json.dumps(ei_params(args.duration)))
    ours, network = work / "adex_ei_spikes.npz", work / "adex_ei_network.npz"
    run = engine(params_path, ours, network)
    result = {"spikes": run["spikes"], "run_s": run["run_s"], "brian2": {}}
    for arithmetic in ("fast", "exact"):
        workdir = work / f"adex_ei_brian2_{arithmetic}"
        theirs = brian2(args.brian2_python, network, "cpp_standalone", workdir, 0, arithmetic)
        result["brian2"][arithmetic] = {
            "run_s": theirs["run_s"],
            **compare(ours, workdir / "spikes.npz"),
        }
    return result


def speed(args, work, izhikevich):
    rows = []
    for n in args.adex_sizes:
        params_path = work / f"adex_speed_{n}.json"
        params_path.write_text(json.dumps(speed_params(n, args.duration)))
        ours, network = work / f"adex_speed_{n}.npz", work / f"adex_network_{n}.npz"
        run = engine(params_path, ours, network)
        workdir = work / f"adex_brian2_{n}"
        theirs = brian2(args.brian2_python, network, "cpp_standalone", workdir)
        rows.append(
            {
                "n": n,
                "spikes": run["spikes"],
                "run_s": run["run_s"],
                "brian2_run_s": theirs["run_s"],
                "ratio": run["run_s"] / theirs["run_s"],
                "izhikevich_ratio": izhikevich.get(n),
                **{f"spikes_{k}": v for k, v in compare(ours, workdir / "spikes.npz").items()},
            }
        )
    return rows


def bench(args, work, izhikevich):
    """The AdEx benchmark; ``izhikevich``: {N: the Izhikevich run's ratio to Brian2
    cpp_standalone at that N}. Needs Brian2 (``args.brian2_python``)."""
    return {"exactness": exactness(args, work), "speed": speed(args, work, izhikevich)}


def markdown(result):
    exact = result["exactness"]
    lines = [
        "## AdEx: a 1000-neuron E/I network against Brian2 cpp_standalone (1 s, synchronous)",
        "",
        f"This project: {exact['spikes']:,} spikes. Brian2, the same network exported:",
        "",
        "| Brian2 arithmetic | spikes | identical | spikes both have | first difference |",
        "|---|---|---|---|---|",
    ]
    for arithmetic, row in exact["brian2"].items():
        first = row["first_difference"]
        where = (
            f"sample {first['step']}, neuron {first['neuron']} (only in {first['in']})"
            if first
            else "none"
        )
        flags = "default (-ffast-math)" if arithmetic == "fast" else "without -ffast-math"
        lines.append(
            f"| {flags} | {row['brian2_spikes']:,} | {'yes' if row['identical'] else 'no'} "
            f"| {row['fraction_shared']:.2%} | {where} |"
        )
    lines += [
        "",
        "## AdEx: speed against Brian2 cpp_standalone, beside Izhikevich (1 s, one thread)",
        "",
        "| N | spikes | run (s) | Brian2 run (s) | ratio | Izhikevich's ratio | spikes identical |",
        "|---|---|---|---|---|---|---|",
    ]
    for row in result["speed"]:
        izh = row["izhikevich_ratio"]
        lines.append(
            f"| {row['n']:,} | {row['spikes']:,} | {fmt(row['run_s'])} "
            f"| {fmt(row['brian2_run_s'])} | **{row['ratio']:.2f}** "
            f"| {'-' if izh is None else f'{izh:.2f}'} "
            f"| {'yes' if row['spikes_identical'] else 'no'} |"
        )
    return lines
