"""The ``synapse`` section: reversal potential and time constant (one synapse type, or one
each for ``exc`` and ``inh``), and the transmission delay."""

import logging

from ..core.synapse_types import NAMES
from ..errors import ConfigError
from ..units import SECOND, VOLT
from .checks import quantity, refuse_unknown
from .keys import required

log = logging.getLogger("voltage_to_wiring")


def resolve_synapse(merged, types, dt, given=()):
    """{v_syn, tau, delay, delay_steps} for one type, {exc, inh, delay, delay_steps} for E/I.

    ``types`` are the network's synapse type names (empty for one type), ``dt`` the time
    step (s), ``given`` the keys the experiment sets itself: a key its network would ignore
    (``synapse.exc`` with one synapse type, ``synapse.tau`` with E/I types) is refused there;
    the defaults may hold keys that some experiments do not use.
    """
    required(merged, "synapse", "delay")
    ignored = ("v_syn", "tau") if types else NAMES
    for key in ignored:
        if f"synapse.{key}" in given:
            raise ConfigError(
                "the network has E/I synapse types: give v_syn and tau per type, in "
                "synapse.exc and synapse.inh"
                if types
                else "the network has one synapse type (no populations): use synapse.v_syn "
                "and synapse.tau",
                key=f"synapse.{key}",
            )
    spec = merged["synapse"]
    if types:
        resolved = {t: _one_type(spec.get(t), f"synapse.{t}") for t in types}
    else:
        for key in ("v_syn", "tau"):
            required(merged, "synapse", key)
        resolved = {
            "v_syn": quantity(spec["v_syn"], VOLT, "synapse.v_syn"),
            "tau": quantity(spec["tau"], SECOND, "synapse.tau", positive=True),
        }
    delay = quantity(spec["delay"], SECOND, "synapse.delay")
    return {**resolved, "delay": delay, "delay_steps": delay_steps(delay, dt)}


def _one_type(spec, key):
    if not isinstance(spec, dict):
        raise ConfigError(
            f"an E/I network needs {{v_syn: ..., tau: ...}} for each synapse type "
            f"({', '.join(NAMES)}), e.g. exc: {{v_syn: 0 mV, tau: 5 ms}}",
            key=key,
        )
    refuse_unknown(spec, ("v_syn", "tau"), key)
    missing = {"v_syn", "tau"} - set(spec)
    if missing:
        raise ConfigError(f"is missing {sorted(missing)}", key=key)
    return {
        "v_syn": quantity(spec["v_syn"], VOLT, f"{key}.v_syn"),
        "tau": quantity(spec["tau"], SECOND, f"{key}.tau", positive=True),
    }


def delay_steps(delay, dt):
    """The delay in whole time steps (rounded; see :func:`warn_rounded_delay`); under one step
    is refused."""
    steps = int(round(delay / dt))
    if delay < dt * (1 - 1e-9) or steps < 1:
        raise ConfigError(
            f"a delay of {delay * 1e3:g} ms is under one time step (dt = {dt * 1e3:g} ms): the "
            "spike would never be delivered; use a delay of at least dt, or a smaller dt",
            key="synapse.delay",
        )
    return steps


def warn_rounded_delay(synapse, dt, experiment):
    """Log a warning when the delay is not a whole number of steps (it is rounded)."""
    delay, steps = synapse["delay"], synapse["delay_steps"]
    if abs(delay / dt - steps) > 1e-6:
        log.warning(
            "experiment '%s', key 'synapse.delay': %g ms is not a whole number of time steps "
            "of %g ms; it is rounded to %d steps (%g ms)",
            experiment,
            delay * 1e3,
            dt * 1e3,
            steps,
            steps * dt * 1e3,
        )
