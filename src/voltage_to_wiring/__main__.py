"""``python -m voltage_to_wiring``: see :mod:`voltage_to_wiring.cli`."""

import sys

from .cli import main

sys.exit(main())
