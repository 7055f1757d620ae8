"""Provenance: records of where each output came from (:mod:`.record`), the report that
gathers them (:mod:`.report`); the package's own source code is
:mod:`voltage_to_wiring.core.code`.

Import the module you need; this file imports nothing (see :mod:`voltage_to_wiring.engine`).
"""
