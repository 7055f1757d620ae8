"""Figures: the registry (:mod:`.registry`), the figure functions (:mod:`.traces`,
:mod:`.activity`, :mod:`.wiring`, :mod:`.sweep`) and the lookup from name to function
(:mod:`.draw`). Every figure reads a dataset (or a table) and never reruns a simulation;
every axis carries its unit.

Import the module you need; this file imports nothing (see :mod:`voltage_to_wiring.engine`).
"""
