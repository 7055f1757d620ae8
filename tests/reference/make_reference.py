"""Write tests/reference/ from independent sources, never from the pipeline under test.

- ``spikes.json``: the seed notebook's printed spikes and the synchronous-scheme spikes
  given in the engine issue (written down by hand, here, from those texts);
- ``seed_traces.npz``: v, u, g, I of the seed experiment computed by ``tests/naive.py``'s
  plain-Python transcription of the notebook loop, fed the parameters resolved from
  ``config.yaml``.

Run from the repository root: ``.venv/bin/python tests/reference/make_reference.py``.
"""

import json
import sys
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from voltage_to_wiring import config  # noqa: E402

from conftest import ROOT, SEED_SPIKES, SEED_SPIKES_SYNCHRONOUS  # noqa: E402
from naive import notebook_loop  # noqa: E402


def main():
    spikes = {"seed": SEED_SPIKES, "seed_synchronous": SEED_SPIKES_SYNCHRONOUS}
    (HERE / "spikes.json").write_text(json.dumps(spikes, indent=1) + "\n")
    params = config.resolve(config.load(ROOT / "config.yaml"), "seed")
    traces, printed = notebook_loop(params)
    assert printed == SEED_SPIKES
    np.savez_compressed(HERE / "seed_traces.npz", **traces)


if __name__ == "__main__":
    main()
