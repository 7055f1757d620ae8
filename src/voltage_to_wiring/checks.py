"""Small checks shared by the config modules: each raises a ConfigError naming the key."""

import difflib

from . import units
from .errors import ConfigError


def refuse_unknown(mapping, known, where):
    for key in mapping:
        if key not in known:
            close = difflib.get_close_matches(str(key), list(known), n=1)
            hint = f"did you mean '{close[0]}'? " if close else ""
            full = f"{where}.{key}" if where else str(key)
            raise ConfigError(f"unknown key; {hint}(known here: {', '.join(known)})", key=full)


def located(function, key, *args):
    try:
        return function(*args)
    except ConfigError as err:
        raise err.located(key=key) from None


def count(value, key):
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ConfigError(f"must be a positive whole number, got {value!r}", key=key)
    return value


def seed_of(sim):
    """The experiment's random seed (``sim.seed``), required once anything is random."""
    seed = sim.get("seed")
    if seed is None:
        raise ConfigError(
            "this experiment draws random numbers: set an integer seed", key="sim.seed"
        )
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise ConfigError(f"must be a whole number >= 0, got {seed!r}", key="sim.seed")
    return seed


def quantity(value, unit, key, positive=False):
    """Parse a quantity at ``key`` to SI (see :func:`voltage_to_wiring.units.parse_quantity`)."""
    result = located(units.parse_quantity, key, value, unit)
    if positive and not result > 0:
        raise ConfigError(f"must be positive, got '{value}'", key=key)
    return result
