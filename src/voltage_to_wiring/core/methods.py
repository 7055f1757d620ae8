"""The inference methods, each declared once: its name, its family, whether it runs by default,
and what it does in a line. The config (the names it accepts, the default list), the schema
(held equal by a test), the docs' table of methods (written from here, see
``workflow/scripts/config_reference.py``) and the inference (which family's passes a method
takes, :mod:`voltage_to_wiring.inference.run`) read this; a projection's filter is
``inference.filters.FILTERS[name]``.

Families, by what the surrogates are asked for:

- ``sta``: the surrogates' STAs of the clipped voltage (their height, their line fit);
- ``template``: the thesis's two passes on the voltage as it is (heights, then correlations
  with a template);
- ``projection``: a signal (the voltage projected on a filter, or the neuron's own spikes)
  averaged over each train's spikes and its surrogates';
- ``joint``: every train fitted at once; each train's amplitude refitted on the residual,
  and its surrogates'.
"""

from dataclasses import dataclass

FAMILIES = ("sta", "template", "projection", "joint")


@dataclass(frozen=True)
class Method:
    name: str
    family: str  # one of FAMILIES
    default: bool  # in ``inference.methods`` when a config does not name them
    origin: str  # "thesis" (Fiers 2024), "ours", "peer"
    summary: str


DECLARED = (
    Method(
        "sta",
        "sta",
        True,
        "thesis",
        "the STA's height (max - min) over the window against the surrogates'; the sign of its "
        "area",
    ),
    Method(
        "template",
        "template",
        False,
        "thesis",
        "the STA's correlation with the mean STA of the trains the height test calls "
        "excitatory, against the surrogates' (on the unclipped voltage; doubles the STA "
        "test's time)",
    ),
    Method(
        "linefit",
        "sta",
        True,
        "thesis",
        "the t of one least-squares line through the first 10 ms after every spike, against "
        "the surrogates' |t|",
    ),
    Method(
        "matched",
        "projection",
        True,
        "ours",
        "the voltage (own spikes removed) projected on a whitened template of the strongest "
        "trains' STAs (cross-fitted), z against the surrogates",
    ),
    Method(
        "kernel",
        "projection",
        True,
        "ours",
        "as matched, with a parametric PSP fitted to every train's STA weighted by its z: "
        "needs no strong input",
    ),
    Method(
        "xcorr",
        "projection",
        False,
        "peer",
        "spikes only: the recorded neuron's own spikes in the window after each presynaptic "
        "spike, z against the surrogates",
    ),
    Method(
        "joint",
        "joint",
        False,
        "ours",
        "every train fitted at once through kernel's filters; each train's amplitude refitted "
        "on the others' residual against its surrogates': a train another one explains gets "
        "none",
    ),
)
NAMES = tuple(m.name for m in DECLARED)
DEFAULTS = [m.name for m in DECLARED if m.default]


def of_family(family):
    """The names of the methods of ``family``, in the declaration's order."""
    return tuple(m.name for m in DECLARED if m.family == family)
