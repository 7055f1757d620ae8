"""The ``sim`` section: time step, duration, update scheme, seed."""

from ..errors import ConfigError
from ..units import SECOND
from .checks import choice, quantity, seed_of
from .keys import required

# The engine's update schemes (voltage_to_wiring.engine.kernels.KERNELS; a test keeps them
# the same without this module importing numba).
SCHEMES = ("synchronous", "sequential")


def resolve_sim(merged):
    """{dt (s), duration (s), n_samples, scheme, seed (if given)}."""
    for key in ("dt", "duration"):
        required(merged, "sim", key)
    sim = {
        k: quantity(merged["sim"][k], SECOND, f"sim.{k}", positive=True) for k in ("dt", "duration")
    }
    steps = sim["duration"] / sim["dt"]
    if abs(steps - round(steps)) > 1e-9 * max(1.0, steps):
        raise ConfigError(
            f"{merged['sim']['duration']} is not a whole number of time steps "
            f"of {merged['sim']['dt']} ({steps:.6g} steps)",
            key="sim.duration",
        )
    sim["n_samples"] = int(round(steps))
    sim["scheme"] = choice(
        merged["sim"].get("scheme", "synchronous"), SCHEMES, "sim.scheme", "scheme"
    )
    if "seed" in merged["sim"]:
        sim["seed"] = seed_of(merged["sim"])
    return sim
