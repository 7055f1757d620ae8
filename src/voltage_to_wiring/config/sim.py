"""The ``sim`` section: time step, duration, update scheme, seed, threads."""

from ..errors import ConfigError
from ..units import SECOND
from .checks import choice, count, quantity, seed_of
from .keys import required

# The defaults of the keys of sim that have one (the config reference shows them).
DEFAULTS = {"scheme": "synchronous", "threads": "auto"}

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
        merged["sim"].get("scheme", DEFAULTS["scheme"]), SCHEMES, "sim.scheme", "scheme"
    )
    if "seed" in merged["sim"]:
        sim["seed"] = seed_of(merged["sim"])
    return sim


def resolve_threads(merged):
    """``sim.threads``: how many threads the simulation may use, a whole number >= 1 or
    "auto" (the default: see :func:`threads_for`). Not a parameter of the simulation, whose
    results do not depend on it."""
    threads = merged["sim"].get("threads", DEFAULTS["threads"])
    if threads == "auto":
        return threads
    if isinstance(threads, str):
        raise ConfigError(
            f"must be a whole number >= 1 or 'auto', got {threads!r}", key="sim.threads"
        )
    return count(threads, "sim.threads")


# "auto" threads: every core the job is given for networks of at least this many neurons
# (measured in `make bench`: 2 threads run 10,000 neurons 1.5 x as fast as one), one thread
# below, so that small experiments run side by side instead.
AUTO_THREADS_FROM = 10_000


def threads_for(setting, n, cores):
    """The threads a simulation of ``n`` neurons asks for, given ``sim.threads`` and the
    ``cores`` available."""
    if setting != "auto":
        return capped_threads(setting, n)
    return max(1, cores) if n >= AUTO_THREADS_FROM else 1


def capped_threads(asked, n):
    """``asked`` threads, at most one per ``NEURONS_PER_THREAD`` of the ``n`` neurons (and at
    least one)."""
    return max(1, min(asked, n // NEURONS_PER_THREAD))


# Below this many neurons per thread the threads' spinning barriers cost more than the step:
# an explicit sim.threads: 2 made a 1-neuron run 370 x slower on a busy machine. Fewer
# threads are used (the same bits).
NEURONS_PER_THREAD = 1000
