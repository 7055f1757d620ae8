"""The synapse types: the one registry of their names, codes, letters and signs.

A network has one synapse type (its conductance is ``g``) or two, excitatory and inhibitory
(``g_exc`` and ``g_inh``). The same word names a type everywhere: the config
(``synapse.exc``, ``drive.poisson.type: exc``), the parameters, the engine (the type's
``code`` is its row of ``g``), the dataset (``synapse_type`` holds the code) and edge files
(a ``type`` column holds the code).
"""

from typing import NamedTuple


class SynapseType(NamedTuple):
    """One synapse type of an E/I network."""

    name: str  # config and parameter key, and suffix of its conductance (g_exc)
    code: int  # value in the dataset's synapse_type and an edge file's type column
    letter: str  # in connection names such as "E->I"
    long_name: str  # in the dataset's flag_meanings and in figures
    sign: int  # +1 excitatory, -1 inhibitory (the sign inference gives a connection)


EXC = SynapseType("exc", 0, "E", "excitatory", +1)
INH = SynapseType("inh", 1, "I", "inhibitory", -1)
# The types of an E/I network, in code order; a network with one type has none of them.
TYPES = (EXC, INH)
NAMES = tuple(t.name for t in TYPES)
BY_NAME = {t.name: t for t in TYPES}
# Connection types of an E/I network, "from->to", in the order weights are drawn.
CONNECTIONS = tuple(f"{a.letter}->{b.letter}" for a in TYPES for b in TYPES)


def connection_codes(connection):
    """(presynaptic code, postsynaptic code) of a connection name such as ``"I->E"``."""
    pre, post = connection.split("->")
    letters = {t.letter: t.code for t in TYPES}
    return letters[pre], letters[post]


def typed(network):
    """True if resolved network parameters have two synapse types (exc, inh): populations,
    or an edge file with a ``type`` column."""
    return "populations" in network or network.get("typed", False)


def names_of(network):
    """The synapse type names of resolved network parameters: ``("exc", "inh")`` or ``()``."""
    return NAMES if typed(network) else ()
