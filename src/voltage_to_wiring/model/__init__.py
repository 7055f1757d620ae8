"""The network model: networks and their generators, edge files, E/I populations, weights,
and the build from resolved parameters to the engine's input.

Import the module you need; this file imports nothing (see :mod:`voltage_to_wiring.engine`).
"""
