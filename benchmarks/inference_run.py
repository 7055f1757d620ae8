"""The inference workload of ``make bench``, in a process of its own: the STA of each tested
train and of its 100 ISI shuffles (the baseline test's work), timed; the voltage and the
trains are exported for Elephant.

Usage: ``python inference_run.py DATASET.nc SETTINGS.json EXPORT.npz REPEATS [NAME
SETTINGS.json ...]``; prints one JSON line: the medians of the timed runs and the workload's
size, the whole inference (every method of the settings) on 1 and on 2 threads (medians of
REPEATS runs each), and for each NAME the whole inference of its settings on 2 threads (the
same recording; medians of REPEATS runs).
"""

import json
import statistics
import sys
import time

import numpy as np

from voltage_to_wiring.data import dataset
from voltage_to_wiring.inference.pairs import SpikeIndex, choose
from voltage_to_wiring.inference.recording import Recording
from voltage_to_wiring.inference.run import infer, recorded
from voltage_to_wiring.inference.sta import spike_triggered_sums
from voltage_to_wiring.inference.surrogates import isi_shuffles


def workload(y, pairs, settings):
    """Shuffles and STAs of every tested train, as the ``sta`` test makes them."""
    window, n = settings["window"]["steps"], settings["shuffles"]
    clock = time.perf_counter()
    shuffling = summing = 0.0
    for train, key in zip(pairs.trains, pairs.keys, strict=True):
        start = time.perf_counter()
        surrogates = isi_shuffles(train, n, settings["seed"], pairs.post, key)
        middle = time.perf_counter()
        spike_triggered_sums(y, np.vstack([train, surrogates]), window)
        shuffling += middle - start
        summing += time.perf_counter() - middle
    return {"total_s": time.perf_counter() - clock, "shuffles_s": shuffling, "sums_s": summing}


def whole(recording, settings, threads, repeats):
    """(the median seconds of ``repeats`` whole inferences, every run's, the methods'
    seconds of the first, the tested trains)."""
    times, seconds, trains = [], None, None
    for _ in range(repeats):
        clock = time.perf_counter()
        result = infer(recording, settings, threads)
        times.append(time.perf_counter() - clock)
        seconds, trains = seconds or result["seconds"], len(result["pre"])
    return statistics.median(times), times, seconds, trains


def main(dataset_path, settings_path, export_path, repeats, variants=()):
    ds = dataset.read(dataset_path)
    params = dataset.params_of(ds)
    settings = json.loads(open(settings_path).read())
    post = settings["neurons"][0]
    n_steps = int(round(settings["duration"] / params["sim"]["dt"]))
    recording = Recording.of_simulation(ds, params, settings["neurons"])
    pairs = choose(recording, settings, post, SpikeIndex(recording, n_steps))
    v = recording.voltages[post][:n_steps]
    _, y, _ = recorded(v, settings, post, params["sim"]["dt"])
    workload(y, pairs, settings)  # compile or load the kernels first
    runs = [workload(y, pairs, settings) for _ in range(repeats)]
    one, _, seconds, _ = whole(recording, settings, 1, repeats)  # every method of the settings
    two = whole(recording, settings, 2, repeats)[0]
    others = {}
    for name, path in zip(variants[::2], variants[1::2], strict=True):
        variant = json.loads(open(path).read())
        median, each, spent, trains = whole(recording, variant, 2, repeats)
        others[name] = {"infer_2_threads_s": median, "runs_s": each, "methods_s": spent}
        others[name]["trains"] = trains
        print(f"  {name}: {median:.1f} s", file=sys.stderr, flush=True)
    spikes = sum(len(t) for t in pairs.trains)
    np.savez(
        export_path,
        y=y,
        dt=params["sim"]["dt"],
        window=settings["window"]["steps"],
        ptr=np.cumsum([0, *(len(t) for t in pairs.trains)]),
        steps=np.concatenate(pairs.trains),
    )
    report = {key: statistics.median(run[key] for run in runs) for key in runs[0]} | {
        "runs": runs,
        "trains": len(pairs.trains),
        "shuffles": settings["shuffles"],
        "spikes": spikes,
        "stas": len(pairs.trains) * (1 + settings["shuffles"]),
        "windows": spikes * (1 + settings["shuffles"]),
        "window": settings["window"]["steps"],
        "samples": len(y),
        "infer_s": one,
        "infer_2_threads_s": two,
        "infer_methods_s": seconds,
        "variants": others,
    }
    print(json.dumps(report), flush=True)


if __name__ == "__main__":
    if len(sys.argv) < 5 or len(sys.argv) % 2 == 0:
        raise SystemExit(__doc__)
    main(sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5:])
