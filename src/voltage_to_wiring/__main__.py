"""``python -m voltage_to_wiring``: see :mod:`voltage_to_wiring.cli`.

Before numpy is imported, its transparent huge pages are turned off unless the user's
environment says otherwise (``NUMPY_MADVISE_HUGEPAGE``, numpy's documented switch): on this
project's machine a step's large temporary arrays then cost 4 kB page faults instead of
zeroed 2 MB pages, and the 10-minute N-to-1 simulation took 5.9 s instead of 10.8 s (system
time 1.2 s instead of 5.3 s), its inference 10.3-10.9 s instead of 16.1 s (measured twice
each, same bits).
"""

import os

os.environ.setdefault("NUMPY_MADVISE_HUGEPAGE", "0")

from .cli import exit_now, main  # noqa: E402  (after the switch above)

exit_now(main())
