"""Write tests/reference/ from independent sources, never from the pipeline under test.

- ``spikes.json``: per experiment of the tests' config (``tests/config/config.yaml``) with
  three neurons, the spikes per neuron: the seed notebook's printed result and the
  synchronous-scheme spikes given in the engine issue (written down by hand, here, from
  those texts), and for every point of its sweep, the spikes of ``tests/naive.py``'s plain
  numpy synchronous loop;
- ``seed_traces.npz``: v, u, g, I of the seed experiment computed by ``tests/naive.py``'s
  plain-Python transcription of the notebook loop, fed the parameters resolved from
  ``config.yaml`` (whose seed experiment is the tests' config's).

The E/I networks are checked against their statistical regime instead (tests/test_drives.py).
Run from the repository root: ``.venv/bin/python tests/reference/make_reference.py``.
"""

import json
import sys
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from voltage_to_wiring import config  # noqa: E402

from conftest import ROOT, SEED_SPIKES, SEED_SPIKES_SYNCHRONOUS, TEST_CONFIG  # noqa: E402
from naive import notebook_loop, synchronous_loop  # noqa: E402


def main():
    merged = config.load(TEST_CONFIG)
    spikes = {"seed": SEED_SPIKES, "seed_synchronous": SEED_SPIKES_SYNCHRONOUS}
    for points in config.sweep_points(merged).values():
        for name, _ in points:
            spikes[name] = synchronous_loop(config.resolve(merged, name))[1]
    (HERE / "spikes.json").write_text(json.dumps(spikes, indent=1) + "\n")
    traces, printed = notebook_loop(config.resolve(config.load(ROOT / "config.yaml"), "seed"))
    assert printed == SEED_SPIKES
    np.savez_compressed(HERE / "seed_traces.npz", **traces)


if __name__ == "__main__":
    main()
