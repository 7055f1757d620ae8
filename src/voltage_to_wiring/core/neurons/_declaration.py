"""How a neuron model is declared: its parameters, state, equations, spike and reset.

A model is one module of this folder holding a :class:`NeuronModel` named ``MODEL``.
Everything else reads it: the config checks (keys, units, sanity rules), the resolved
parameters, the engine (its kernels are specialised to the model's functions when numba
compiles them), the dataset's variables, the trace figures and their captions, the
inference's spike height, the docs. The model's functions are plain Python on floats and
the model's parameters (a namedtuple of SI floats, :attr:`NeuronModel.Parameters`), with no
numba import: the engine compiles them into its kernels (``engine/neuron_model.py``).

The engine integrates ``v`` and one more state variable ``x`` per neuron (the model's
second state variable: Izhikevich's ``u``, AdEx's ``w``, or a LIF's refractory clock) with
forward Euler::

    I = sum over synapse types s of g_s (v - v_syn_s)       (the engine's synaptic current)
    dv, dx = derivatives(v, x, I, I_ext, dt, p)
    v' = v + dt dv,  x' = x + dt dx
    if spiked(v', x', p):  v', x' = reset(v', x', p)         (a spike at this sample)

``I_ext`` is the external current (constant drive plus noise). A model with more than two
state variables needs the engine's state extended (today it has ``v`` and ``x``).
"""

import collections
import sys
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Parameter:
    """One parameter: its config key, SI unit (``voltage_to_wiring.units``) and meaning."""

    name: str
    unit: str
    meaning: str
    positive: bool = False  # a value <= 0 is refused


@dataclass(frozen=True)
class StateVariable:
    """One state variable: dataset name, SI unit, long name, how figures show it, its
    initial value (a parameter's name, or an SI value) and whether it can be recorded (and
    with which trace figure)."""

    name: str
    unit: str
    long_name: str
    display_units: str
    display_factor: float  # SI value x display_factor = value in display_units
    initial: object
    recordable: bool = True
    figure: str = None  # the name of its trace figure, e.g. "recovery"


@dataclass(frozen=True)
class Below:
    """A sanity rule: parameter ``low`` must lie below ``high``; ``why`` says what breaks."""

    low: str
    high: str
    why: str


@dataclass(frozen=True)
class NeuronModel:
    """Everything about one neuron model (see the module docstring).

    ``rest``, ``threshold`` and ``peak`` name the parameters that play these roles (the
    initial ``v`` and the sign of a single synapse type; the inference's default clip
    level; where figures mark spikes, and the level the sequential scheme writes into the
    sample before a spike). ``spike_height`` is (top, bottom): the height of a spike for
    imaging noise, ``sigma = (top - bottom) / SNR``. ``spike_sample``: a parameter whose
    value the recorded ``v`` shows at the sample of a spike (the state itself is reset; None
    records the reset state).
    """

    name: str
    title: str  # e.g. "AdEx", in dataset titles: "100 AdEx neurons"
    summary: str
    reference: str
    equations: tuple  # lines of text, for the docs and the config reference
    parameters: tuple
    state: tuple  # v, then the engine's x
    rules: tuple
    rest: str
    threshold: str
    peak: str
    spike_height: tuple
    derivatives: Callable
    spiked: Callable
    reset: Callable
    spike_sample: str = None
    Parameters: type = field(init=False, repr=False, compare=False)

    def __post_init__(self):
        names = [p.name for p in self.parameters]
        if len(set(names)) != len(names) or "model" in names:
            raise ValueError(f"model {self.name}: parameter names must be unique, not 'model'")
        if [s.name for s in self.state][:1] != ["v"] or len(self.state) != 2:
            raise ValueError(f"model {self.name}: the state is v and one more variable")
        roles = [self.rest, self.threshold, self.peak, *self.spike_height]
        roles += [r.low for r in self.rules] + [r.high for r in self.rules]
        roles += [s.initial for s in self.state if isinstance(s.initial, str)]
        roles += [self.spike_sample] if self.spike_sample else []
        unknown = sorted(set(roles) - set(names))
        if unknown:
            raise ValueError(f"model {self.name}: {unknown} are not parameters")
        # numba's cache pickles a kernel's argument types, so the class must be importable:
        # it lives in the model's module, as e.g. AdexParameters.
        module = self.derivatives.__module__
        typename = f"{self.name.capitalize()}Parameters"
        cls = collections.namedtuple(typename, names, module=module)
        cls.__doc__ = f"Parameters of the {self.title} neuron, SI: {', '.join(names)}."
        setattr(sys.modules[module], typename, cls)
        object.__setattr__(self, "Parameters", cls)

    @property
    def keys(self):
        """The parameter names, in declaration order."""
        return tuple(p.name for p in self.parameters)

    @property
    def units(self):
        """{parameter: SI unit}."""
        return {p.name: p.unit for p in self.parameters}

    @property
    def x(self):
        """The second state variable (the engine's ``x``)."""
        return self.state[1]

    def recordable(self):
        """The names of the model's state variables that can be recorded."""
        return tuple(s.name for s in self.state if s.recordable)

    def values(self, params):
        """The engine's :attr:`Parameters` from a {name: SI float} mapping."""
        return self.Parameters(*(float(params[k]) for k in self.keys))

    def height(self, params):
        """The spike height (V) of resolved parameters: top - bottom."""
        top, bottom = self.spike_height
        return params[top] - params[bottom]

    def initial(self, variable, params):
        """The default initial value (SI) of a state variable, for resolved parameters."""
        value = next(s.initial for s in self.state if s.name == variable)
        return params[value] if isinstance(value, str) else float(value)
