"""``python -m voltage_to_wiring``: see :mod:`voltage_to_wiring.cli`."""

from .cli import exit_now, main

exit_now(main())
