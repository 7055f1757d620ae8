"""Small checks shared by the config modules: each raises a ConfigError naming the key."""

from .. import units
from ..errors import ConfigError, did_you_mean, located


def refuse_unknown(mapping, known, where):
    """Refuse a key of ``mapping`` that is not in ``known`` (``where`` prefixes the key)."""
    for key in mapping:
        if key not in known:
            full = f"{where}.{key}" if where else str(key)
            raise ConfigError(
                f"unknown key{did_you_mean(key, known)} (known here: {', '.join(known)})",
                key=full,
            )


def count(value, key):
    """A whole number >= 1."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ConfigError(f"must be a positive whole number, got {value!r}", key=key)
    return value


def seed_of(section, key="sim.seed"):
    """The random seed at ``key`` (``section["seed"]``), required once anything is random."""
    seed = section.get("seed")
    if seed is None:
        raise ConfigError("this experiment draws random numbers: set an integer seed", key=key)
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise ConfigError(f"must be a whole number >= 0, got {seed!r}", key=key)
    return seed


def quantity(value, unit, key, positive=False):
    """Parse a quantity at ``key`` to SI (see :func:`voltage_to_wiring.units.parse_quantity`)."""
    result = located(units.parse_quantity, key, value, unit)
    if positive and not result > 0:
        raise ConfigError(f"must be positive, got '{value}'", key=key)
    return result


def choice(value, choices, key, what):
    """``value`` if it is one of ``choices``, else a ConfigError with a hint."""
    if value not in choices:
        raise ConfigError(
            f"unknown {what} {value!r}{did_you_mean(value, choices)} "
            f"(choose from {', '.join(choices)})",
            key=key,
        )
    return value
