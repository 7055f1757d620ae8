"""The simulation engine: numba kernels (:mod:`.kernels`), chunked driver (:mod:`.driver`)."""

from .driver import SCHEMES, VARIABLES, Chunk, Result, Simulation, run, simulate
from .kernels import Neuron, Synapse

__all__ = [
    "SCHEMES",
    "VARIABLES",
    "Chunk",
    "Neuron",
    "Result",
    "Simulation",
    "Synapse",
    "run",
    "simulate",
]
