"""Two settings of the trains an inference tests: the ``surrogates`` each train is tested
against, and the ``shadows``, unconnected trains correlated with true inputs (a neighbour
that shares part of an input's spikes, the classic failure of pairwise connectivity tests).
"""

from ..errors import ConfigError
from ..units import SECOND
from .checks import count, quantity, refuse_unknown

SHADOW_KEYS = ("count", "share", "jitter")


def resolve_surrogates(null, dt):
    """``isi_shuffle`` or ``{jitter: width}``: the null the tests' surrogate trains are
    drawn under (see :mod:`voltage_to_wiring.inference.surrogates`)."""
    key = "inference.surrogates"
    if null == "isi_shuffle":
        return {"kind": "isi_shuffle"}
    if not isinstance(null, dict) or set(null) != {"jitter"}:
        raise ConfigError(
            f"must be isi_shuffle or {{jitter: WIDTH}} (e.g. {{jitter: 10 ms}}), got {null!r}",
            key=key,
        )
    width = quantity(null["jitter"], SECOND, f"{key}.jitter", positive=True)
    steps = width / dt
    if abs(steps - round(steps)) > 1e-6 * steps or round(steps) < 2:
        raise ConfigError(
            f"the jitter window must be a whole number (>= 2) of time steps "
            f"(dt = {dt * 1e3:g} ms), got {null['jitter']}",
            key=f"{key}.jitter",
        )
    return {"kind": "jitter", "seconds": width, "steps": int(round(steps))}


def resolve_shadows(shadows, dt):
    """``none`` or ``{count: N, share: F, jitter: WIDTH}``: N unconnected trains, each made
    of a share F of one tested input's spikes, each moved by up to +-WIDTH (uniform, whole
    steps), plus independent spikes at the rest of its rate (see
    :func:`voltage_to_wiring.inference.pairs.shadow_trains`)."""
    key = "inference.shadows"
    if shadows is None or shadows == "none":
        return None
    if not isinstance(shadows, dict):
        raise ConfigError(
            f"must be none or {{count: 50, share: 0.3, jitter: 1 ms}}, got {shadows!r}", key=key
        )
    refuse_unknown(shadows, SHADOW_KEYS, key)
    missing = [k for k in SHADOW_KEYS if k not in shadows]
    if missing:
        raise ConfigError(f"needs {', '.join(missing)} (e.g. share: 0.3, jitter: 1 ms)", key=key)
    share = shadows["share"]
    if isinstance(share, bool) or not isinstance(share, int | float) or not 0 < share <= 1:
        raise ConfigError(
            f"must be the fraction of the input's spikes shared, in (0, 1], got {share!r}",
            key=f"{key}.share",
        )
    width = quantity(shadows["jitter"], SECOND, f"{key}.jitter")
    if width < 0:
        raise ConfigError(f"must be >= 0, got '{shadows['jitter']}'", key=f"{key}.jitter")
    return {
        "count": count(shadows["count"], f"{key}.count"),
        "share": float(share),
        "jitter": width,
        "jitter_steps": int(round(width / dt)),
    }
