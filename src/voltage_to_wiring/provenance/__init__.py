"""Provenance: records of where each output came from (:mod:`.record`), the report that
gathers them (:mod:`.report`), and the package's own source code (:mod:`.code`).

Import the module you need; this file imports nothing (see :mod:`voltage_to_wiring.engine`).
"""
