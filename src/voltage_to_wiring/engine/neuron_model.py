"""The neuron model inside the kernels: its functions, compiled into them by type.

The kernels call :func:`derivatives`, :func:`spiked`, :func:`reset`, :func:`peak` and
:func:`spike_sample` with the model's parameters ``p``, an instance of its
:attr:`~voltage_to_wiring.core.neurons.NeuronModel.Parameters` namedtuple. Each is a numba
``overload`` that looks the model up by the type of ``p`` when a kernel is compiled and
inlines the model's own (plain Python) function: a kernel is specialised per model at
compile time, with no dispatch per step, and numba's cache keeps one compiled kernel per
model (see :mod:`.jit` for how a changed model invalidates it).
"""

import functools
import math

import numba
from numba.extending import overload

from ..core import neurons

# The model's functions are compiled as functions of their own, which LLVM inlines into the
# kernels (measured: the Izhikevich update pass as fast as with the expressions written in
# the kernel). numba's own inlining (inline="always") gives the same code, but warns
# (NumbaIRAssumptionWarning) on models whose functions branch, such as the LIF's refractory
# clock. They are not cached alone: every kernel's cache entry holds their code.
MODEL_FUNCTION = {"nogil": True}


def _model(p):
    """The model whose Parameters type the numba type ``p`` is."""
    for model in neurons.MODELS.values():
        if getattr(p, "instance_class", None) is model.Parameters:
            return model
    raise numba.errors.TypingError(f"{p} is not the parameters of a neuron model")


@functools.cache
def _compiled(function):
    return numba.njit(**MODEL_FUNCTION)(function)


def derivatives(v, x, current, drive, dt, p):
    """(dv/dt, dx/dt) of the model of ``p`` (see the model's ``derivatives``)."""
    raise NotImplementedError("only inside a kernel")


def spiked(v, x, p):
    """True if the state after a step is a spike."""
    raise NotImplementedError("only inside a kernel")


def reset(v, x, p):
    """The state after a spike's reset."""
    raise NotImplementedError("only inside a kernel")


def peak(p):
    """The model's spike peak (V)."""
    raise NotImplementedError("only inside a kernel")


def spike_sample(p):
    """The value the recorded v shows at a spike's sample, or NaN (the reset state)."""
    raise NotImplementedError("only inside a kernel")


@overload(derivatives, inline="always")
def _derivatives(v, x, current, drive, dt, p):
    f = _compiled(_model(p).derivatives)

    def impl(v, x, current, drive, dt, p):
        return f(v, x, current, drive, dt, p)

    return impl


@overload(spiked, inline="always")
def _spiked(v, x, p):
    f = _compiled(_model(p).spiked)

    def impl(v, x, p):
        return f(v, x, p)

    return impl


@overload(reset, inline="always")
def _reset(v, x, p):
    f = _compiled(_model(p).reset)

    def impl(v, x, p):
        return f(v, x, p)

    return impl


def _field(p, name):
    """An implementation returning parameter ``name`` of ``p`` (a constant index)."""
    index = _model(p).keys.index(name)

    def impl(p):
        return p[index]

    return impl


@overload(peak, inline="always")
def _peak(p):
    return _field(p, _model(p).peak)


@overload(spike_sample, inline="always")
def _spike_sample(p):
    name = _model(p).spike_sample
    if name is None:
        return lambda p: math.nan
    return _field(p, name)
