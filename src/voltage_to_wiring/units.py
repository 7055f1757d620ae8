"""Quantities with units -> SI floats. The only module that knows about units.

Config values are strings such as ``"0.7 nS/mV"`` or mappings
``{unit: nS, scale: 12, values: [[0, 1], [1, 0]]}``. pint parses them and checks their
dimension; the SI float is then computed the way the 2021 notebook computed it, so that the
last bit agrees with it:

- every unit is a plain float, its SI prefix times its base factor (``nS = 1e-9``,
  ``mV = 1e-3``), as in the notebook's ``support.units``;
- a compound unit is combined first (``nS/mV = 1e-9 / 1e-3``) and then multiplies the value
  (``0.7 * (nS/mV)``); a pure inverse divides it (``0.03 / ms``);
- an array is ``values * scale * unit``, left to right, as in ``np.array(...) * 12 * nS``.

pint's own conversion (``Quantity("0.7 nS/mV").to("S/V")``) gives ``7.000000000000001e-07``
where the notebook has ``7e-07``: close is not enough for bit-identical reruns of old results.
"""

import functools
import math
import re
from numbers import Real

import numpy as np

from .errors import ConfigError


@functools.cache
def _pint():
    """pint, imported when first needed (0.2 s; most steps never parse a quantity)."""
    import pint

    return pint


def _parse_errors():
    """What pint raises on text it cannot read (its tokenizer raises plain errors too)."""
    return (_pint().PintError, ValueError, TypeError, SyntaxError, AttributeError, ArithmeticError)


# The SI unit every physical parameter is stored in, by physical meaning.
SECOND, VOLT, AMPERE, SIEMENS, FARAD = "s", "V", "A", "S", "F"
PER_SECOND, SIEMENS_PER_VOLT = "1/s", "S/V"
# The common units, read without pint (creating its registry takes 0.3 s of every plan and
# job that reads a config): symbol -> (SI factor, SI unit). Each factor is what pint's path
# gives (:func:`_unit_factor`: the prefix's scale times the base's factor, 1.0 for these
# bases; a test holds them equal), so either path gives the same bits.
_PREFIXES = {"": 1.0, "k": 1e3, "m": 1e-3, "u": 1e-6, "n": 1e-9, "p": 1e-12, "f": 1e-15}
_BASES = {"s": SECOND, "V": VOLT, "A": AMPERE, "S": SIEMENS, "F": FARAD, "Hz": PER_SECOND}
SIMPLE_UNITS = {
    p + b: (scale * 1.0, si) for p, scale in _PREFIXES.items() for b, si in _BASES.items()
}
# "NUMBER UNIT", "NUMBER UNIT/UNIT" or "NUMBER /UNIT" with those units (else: pint).
_SIMPLE = re.compile(
    r"\s*([+-]?)((?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?)\s*([A-Za-z]*)\s*(?:/\s*([A-Za-z]+))?\s*",
    re.ASCII,  # pint reads ASCII digits only
)
# An integer written with leading zeros ("007 ms"): pint reads it as 0 (the tokens 00 and 7).
_LEADING_ZEROS = re.compile(r"(?<![\d.eE])0\d", re.ASCII)


def _simple(value, unit):
    """The SI float of ``"NUMBER UNIT"`` (or ``UNIT/UNIT``, ``/UNIT``) in units of
    :data:`SIMPLE_UNITS`, of the expected dimension, computed as pint's path computes it
    (:func:`_apply` of the factors); None for any other text."""
    match = _SIMPLE.fullmatch(value)
    if match is None:
        return None
    sign, number, over, under = match.groups()
    if {over, under} - {"", None} - set(SIMPLE_UNITS):
        return None
    top, bottom = SIMPLE_UNITS.get(over, (None, "")), SIMPLE_UNITS.get(under, (None, ""))
    if not (over or under) or under and "/" in top[1] + bottom[1]:
        return None
    si = f"{top[1] or '1'}/{bottom[1]}" if under else top[1]
    if si != unit:
        return None
    # float() of an integer literal rounds as float(int()) does; pint negates an int, so
    # "-0" is 0.0, not -0.0
    magnitude = float(number)
    if sign == "-" and not (number.isdigit() and magnitude == 0):
        magnitude = -magnitude
    return _apply(magnitude, (top[0], bottom[0]))


@functools.cache
def registry():
    """The one pint UnitRegistry of the package (created on first use: it takes ~0.3 s)."""
    return _pint().UnitRegistry()


def _unit_factor(name):
    """SI factor of one unit name such as ``"nanosiemens"``: prefix scale x base factor."""
    ureg = registry()
    prefix, base, _suffix = ureg.parse_unit_name(name)[0]
    scale = ureg._prefixes[prefix].converter.scale if prefix else 1
    base_factor = ureg.Quantity(1, base).to_base_units().magnitude
    return float(scale) * float(base_factor)


@functools.cache
def _unit_parts(unit_text):
    """Return (numerator factor or None, denominator factor or None) of a unit string."""
    ureg = registry()
    units = ureg.parse_units(unit_text)._units
    return _combine(units)


def _combine(units):
    numerator = denominator = None
    for name, exponent in units.items():
        if exponent != int(exponent):
            raise ConfigError(f"unit '{name}' has a fractional power, which is not supported")
        factor = _unit_factor(name)
        for _ in range(abs(int(exponent))):
            if exponent > 0:
                numerator = factor if numerator is None else numerator * factor
            else:
                denominator = factor if denominator is None else denominator * factor
    return numerator, denominator


def _apply(values, parts):
    """values x unit, the notebook's way (see the module docstring)."""
    numerator, denominator = parts
    if numerator is None and denominator is None:
        return values * 1.0
    if numerator is None:
        return values / denominator
    if denominator is None:
        return values * numerator
    return values * (numerator / denominator)


# What each SI unit measures, in words (errors, the config reference).
DIMENSIONS = {SECOND: "time", VOLT: "voltage", AMPERE: "current", SIEMENS: "conductance"}
DIMENSIONS.update({FARAD: "capacitance", PER_SECOND: "rate (1/time)"})
DIMENSIONS.update({SIEMENS_PER_VOLT: "conductance per voltage"})


def _dimension_name(unit):
    if unit == "":
        return "dimensionless"
    return f"a {DIMENSIONS[unit]}" if unit in DIMENSIONS else f"in units compatible with '{unit}'"


def _dimensionality(unit):
    ureg = registry()
    return ureg.parse_units(unit).dimensionality if unit else ureg.dimensionless.dimensionality


def _describe(dimensionality):
    for unit in (SECOND, VOLT, AMPERE, SIEMENS, FARAD, PER_SECOND, SIEMENS_PER_VOLT, ""):
        if _dimensionality(unit) == dimensionality:
            return _dimension_name(unit)
    return str(dimensionality)


def _check_dimension(quantity_units, unit, shown):
    actual = quantity_units.dimensionality
    if actual != _dimensionality(unit):
        raise ConfigError(
            f"'{shown}' has the wrong dimension: expected {_dimension_name(unit)} "
            f"(e.g. '{_example_unit(unit)}'), got {_describe(actual)}"
        )


def parse_quantity(value, unit):
    """Parse one quantity and return it as an SI float.

    Parameters
    ----------
    value : str or number
        A quantity with its unit, e.g. ``"4.5 ms"``, ``"0.7 nS/mV"``, ``"0.03 /ms"``.
        A plain number is accepted only for a dimensionless quantity (``unit=""``).
    unit : str
        The SI unit the result is expressed in (``"s"``, ``"V"``, ``"S/V"``, ...), which fixes
        the dimension ``value`` must have.

    Returns
    -------
    float
        The value in ``unit``.

    Raises
    ------
    ConfigError
        If the text does not parse, has no unit where one is needed, or has the wrong
        dimension.
    """
    if isinstance(value, bool) or not isinstance(value, (str, Real)):
        raise ConfigError(f"expected a quantity such as '4.5 ms', got {value!r}")
    if isinstance(value, Real):
        if unit:
            raise ConfigError(
                f"{value!r} has no unit: write it with one, e.g. '{value} {_example_unit(unit)}'"
            )
        return float(value)
    return _parse_text(value, unit)


@functools.lru_cache(maxsize=4096)
def _parse_text(value, unit):
    """:func:`parse_quantity` of a text, kept: the same few texts ("0.1 ms", "100 pF", ...)
    come back for every experiment and grid point, and pint takes 0.6 ms each (10,000 grid
    points planned in 10 s, not 100 s). Errors are raised again each time (not kept)."""
    if _LEADING_ZEROS.search(value.split("e")[0].split("E")[0]):
        raise ConfigError(f"'{value}': write a number without leading zeros (7, not 007)")
    simple = _simple(value, unit)
    if simple is not None and math.isfinite(simple):
        return simple
    try:
        quantity = registry().Quantity(value)
    except _parse_errors() as err:
        raise ConfigError(f"cannot read '{value}' as a quantity with a unit ({err})") from None
    if not isinstance(quantity, _pint().Quantity):
        quantity = registry().Quantity(quantity)
    _check_dimension(quantity.units, unit, value)
    magnitude = quantity.magnitude
    if not isinstance(magnitude, Real):
        raise ConfigError(f"'{value}' is not a single real number with a unit")
    try:
        result = _apply(float(magnitude), _combine(dict(quantity.unit_items())))
    except OverflowError:  # an integer beyond the largest float
        result = math.inf
    if not math.isfinite(result):
        raise ConfigError(f"'{value}' is not finite")
    return result


EXAMPLES = {SECOND: "ms", VOLT: "mV", AMPERE: "pA", SIEMENS: "nS", FARAD: "pF", "": "1"}
EXAMPLES.update({PER_SECOND: "/ms", SIEMENS_PER_VOLT: "nS/mV"})  # as a config writes them


def _example_unit(unit):
    return EXAMPLES.get(unit, unit)


def parse_array(spec, unit):
    """Parse an array with a unit and return it as float64 SI values.

    Parameters
    ----------
    spec : str or number or dict
        ``{unit: nS, values: [...], scale: 12}`` (``scale`` optional, default none), or a single
        quantity string for a value shared by all elements (returned as a 0-d array).
    unit : str
        The SI unit of the result (fixes the dimension, see :func:`parse_quantity`).

    Returns
    -------
    numpy.ndarray
        ``values * scale * unit`` in float64, evaluated left to right like the notebook's
        ``np.array(values) * 12 * nS``.
    """
    if not isinstance(spec, dict):
        return np.asarray(parse_quantity(spec, unit), dtype=np.float64)
    unknown = set(spec) - {"unit", "values", "scale"}
    if unknown:
        raise ConfigError(
            f"unknown field(s) {sorted(unknown)} in an array; expected 'unit', 'values' and "
            "optionally 'scale'"
        )
    if "values" not in spec or "unit" not in spec:
        missing = [k for k in ("unit", "values") if k not in spec]
        raise ConfigError(f"an array needs 'unit' and 'values'; missing {missing}")
    values = _numeric_array(spec["values"])
    scale = spec.get("scale", None)
    if scale is not None:
        if isinstance(scale, bool) or not isinstance(scale, Real) or not math.isfinite(scale):
            raise ConfigError(f"'scale' must be a finite number, got {scale!r}")
        values = values * scale
    unit_text = spec["unit"]
    if not isinstance(unit_text, str):
        raise ConfigError(f"'unit' must be a string such as 'nS', got {unit_text!r}")
    if SIMPLE_UNITS.get(unit_text, (None, None))[1] == unit:  # without pint (see above)
        return np.asarray(_apply(values, (SIMPLE_UNITS[unit_text][0], None)), dtype=np.float64)
    try:
        units = registry().parse_units(unit_text)
    except _parse_errors() as err:
        raise ConfigError(f"cannot read the unit '{unit_text}' ({err})") from None
    _check_dimension(units, unit, unit_text)
    return np.asarray(_apply(values, _unit_parts(unit_text)), dtype=np.float64)


def _numeric_array(values):
    try:
        array = np.array(values, dtype=np.float64)
    except (ValueError, TypeError):
        raise ConfigError(
            f"'values' must be numbers (a list, or a list of equal-length lists), got {values!r}"
        ) from None
    if array.dtype == object:
        raise ConfigError(f"'values' must be numbers, got {values!r}")
    return array


def pretty(unit):
    """A unit string for plots and attrs, e.g. ``'1/s'`` stays, ``''`` becomes ``'1'``."""
    return unit or "1"
