"""The ``drive`` section: constant current, Poisson input spikes and white-noise current.

- ``drive.poisson: {inputs: M, rate: 10 Hz, weight: 0.5 nS, type: exc}``: each neuron receives
  M independent Poisson trains of the given rate through synapses of the given weight onto
  its ``type`` conductance (``exc`` or ``inh`` in an E/I network; omit it with one synapse
  type). The M trains are drawn as one train of rate M x rate (their sum is Poisson), as a
  count per step that adds count x weight to the conductance.
- ``drive.noise: {std: 20 pA, tau: 1 ms}``: white-noise current whose average over ``tau``
  has standard deviation ``std``: each step adds ``std sqrt(tau / dt)`` times a standard
  normal draw to the current (Euler-Maruyama), so the statistics of v do not depend on dt.

Both draw from their own stream of the experiment's seed, in step order, so that results do
not depend on the chunk size.
"""

from ..errors import ConfigError
from ..units import AMPERE, PER_SECOND, SECOND, SIEMENS
from .checks import count, quantity, refuse_unknown, seed_of
from .per_neuron import per_neuron


def resolve_drive(merged, n, types):
    """{current, poisson (if given), noise (if given)}; ``types``: the synapse type names."""
    drive = {"current": resolve_current(merged, n)}
    if "poisson" in merged["drive"]:
        drive["poisson"] = resolve_poisson(merged["drive"]["poisson"], merged["sim"], types)
    if "noise" in merged["drive"]:
        drive["noise"] = resolve_noise(merged["drive"]["noise"], merged["sim"])
    return drive


def resolve_current(merged, n):
    """The constant drive: a quantity, one value per neuron, or {uniform: [low, high]} drawn
    per neuron (then {uniform: [low, high] in A, seed})."""
    if "current" not in merged["drive"]:
        return 0.0
    current = merged["drive"]["current"]
    if not (isinstance(current, dict) and "uniform" in current):
        return per_neuron(current, AMPERE, "drive.current", n)
    key = "drive.current.uniform"
    bounds = current["uniform"]
    if set(current) != {"uniform"} or not isinstance(bounds, list) or len(bounds) != 2:
        raise ConfigError(
            "must be {uniform: [LOW, HIGH]}, e.g. {uniform: [30 pA, 70 pA]}", key="drive.current"
        )
    low, high = (quantity(b, AMPERE, key) for b in bounds)
    if not low <= high:
        raise ConfigError(f"the low bound must not exceed the high one, got {bounds}", key=key)
    return {"uniform": [low, high], "seed": seed_of(merged["sim"])}


def resolve_poisson(spec, sim, types):
    """Resolved Poisson input: {inputs, rate (Hz), weight (S), type, seed}."""
    key = "drive.poisson"
    if not isinstance(spec, dict):
        raise ConfigError("must be {inputs: M, rate: 10 Hz, weight: 0.5 nS}", key=key)
    refuse_unknown(spec, ("inputs", "rate", "weight", "type"), key)
    missing = {"inputs", "rate", "weight"} - set(spec)
    if missing:
        raise ConfigError(f"is missing {sorted(missing)}", key=key)
    synapse_type = spec.get("type")
    if types and synapse_type not in types:
        raise ConfigError(
            f"must name the synapse type the input acts on: one of {types}", key=f"{key}.type"
        )
    if not types and synapse_type is not None:
        raise ConfigError("the network has one synapse type: remove 'type'", key=f"{key}.type")
    return {
        "inputs": count(spec["inputs"], f"{key}.inputs"),
        "rate": quantity(spec["rate"], PER_SECOND, f"{key}.rate", positive=True),
        "weight": quantity(spec["weight"], SIEMENS, f"{key}.weight", positive=True),
        "type": synapse_type,
        "seed": seed_of(sim),
    }


def resolve_noise(spec, sim):
    """Resolved noise: {std (A), tau (s), seed}."""
    key = "drive.noise"
    if not isinstance(spec, dict) or set(spec) != {"std", "tau"}:
        raise ConfigError(
            "must be {std: 20 pA, tau: 1 ms}: the standard deviation of the "
            "noise current averaged over tau",
            key=key,
        )
    return {
        "std": quantity(spec["std"], AMPERE, f"{key}.std", positive=True),
        "tau": quantity(spec["tau"], SECOND, f"{key}.tau", positive=True),
        "seed": seed_of(sim),
    }
