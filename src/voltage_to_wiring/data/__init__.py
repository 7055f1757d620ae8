"""Datasets: the netCDF files (:mod:`.dataset`), their fast reader (:mod:`.view`) and NWB
(:mod:`.nwb`); the variables table is :mod:`voltage_to_wiring.core.variables`.

Import the module you need; this file imports nothing (see :mod:`voltage_to_wiring.engine`).
"""
