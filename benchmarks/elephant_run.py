"""Elephant's ``spike_triggered_average`` (NeuralEnsemble, 1.2) on the inference workload's
data, in the benchmark's own environment (Elephant needs neo and quantities).

Usage: ``python elephant_run.py EXPORT.npz TRAINS`` (from ``inference_run.py``): times the
STAs of the first TRAINS trains (each with its real spikes; a shuffled train of the same
count costs the same) and prints one JSON line with the time per spike and the largest
difference from this project's STAs of those trains (V).
"""

import json
import sys
import time

import neo
import numpy as np
import quantities as pq
from elephant.sta import spike_triggered_average


def main(export_path, n_trains):
    data = np.load(export_path)
    y, dt, window = data["y"], float(data["dt"]), int(data["window"])
    steps, ptr = data["steps"], data["ptr"]
    signal = neo.AnalogSignal(y[:, None], units="V", sampling_period=dt * pq.s)
    t_stop = len(y) * dt * pq.s
    seconds, spikes, difference = 0.0, 0, 0.0
    for j in range(n_trains):
        train = steps[ptr[j] : ptr[j + 1]]
        train = train[train + window <= len(y)]  # the windows that fit, as this project uses
        spiketrain = neo.SpikeTrain(train * dt * pq.s, t_stop=t_stop)
        clock = time.perf_counter()
        sta = spike_triggered_average(signal, spiketrain, (0 * pq.s, window * dt * pq.s))
        seconds += time.perf_counter() - clock
        spikes += len(train)
        ours = np.mean([y[s : s + window] for s in train], axis=0)
        theirs = np.asarray(sta.magnitude)[:window, 0]
        difference = max(difference, float(np.max(np.abs(theirs - ours))))
    report = {
        "trains": n_trains,
        "spikes": spikes,
        "seconds": seconds,
        "seconds_per_spike": seconds / spikes,
        "max_difference_v": difference,
    }
    print(json.dumps(report), flush=True)


if __name__ == "__main__":
    if len(sys.argv) != 3:
        raise SystemExit(__doc__)
    main(sys.argv[1], int(sys.argv[2]))
