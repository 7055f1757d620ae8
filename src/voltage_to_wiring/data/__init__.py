"""Datasets: the variables table (:mod:`.variables`) and the netCDF files (:mod:`.dataset`).

Import the module you need; this file imports nothing (see :mod:`voltage_to_wiring.engine`).
"""
