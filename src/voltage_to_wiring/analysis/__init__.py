"""Analysis of datasets: spike counts and binning (:mod:`.spikes`), per-experiment statistics
(:mod:`.stats`), a sweep's table (:mod:`.sweep_table`).

Import the module you need; this file imports nothing (see :mod:`voltage_to_wiring.engine`).
"""
