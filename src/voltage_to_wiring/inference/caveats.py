"""What will make an inference's results mislead, in words (the step logs them, the
inference dataset and its evaluation carry them): tested trains with too few spikes, a
recorded neuron that is silent or nearly so."""

import numpy as np

FEW_SPIKES = 10  # a train with fewer spikes in the analysed stretch has little to test with
QUIET = 1.0  # Hz: a recorded neuron firing less than this says little through its spikes


def caveats(pairs, counts, spikes, own, settings):
    """What will make the results of one recorded neuron mislead, in words: trains with too
    few spikes to test, a recorded neuron that is silent or nearly so (``own``: its train's
    number, None if unknown)."""
    said, duration = [], settings["duration"]
    few = int(np.sum(counts < FEW_SPIKES))
    if few:
        said.append(
            f"neuron {pairs.post}: {few} of the {len(counts)} tested trains have fewer than "
            f"{FEW_SPIKES} spikes in the {duration:g} s analysed (their tests can find little; "
            "a longer inference.duration helps)"
        )
    if own is not None:
        fired = int(spikes.counts()[own])
        if fired / duration < QUIET:
            said.append(
                f"neuron {pairs.post} fired {fired} spike{'' if fired == 1 else 's'} in the "
                f"{duration:g} s analysed "
                f"({fired / duration:.2g} Hz): is it driven as intended? (xcorr tests its "
                "spikes; the voltage methods need its inputs' potentials only)"
            )
    return said
