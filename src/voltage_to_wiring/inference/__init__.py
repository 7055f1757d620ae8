"""Inference: from a neuron's recorded voltage and the spike trains of others to its inputs.

- :mod:`.sta`: the numba kernels (spike-triggered sums, blocked for the cache);
- :mod:`.surrogates`: inter-spike-interval shuffles;
- :mod:`.imaging`: the voltage-imaging noise model and spike clipping;
- :mod:`.pairs`: which trains to test against which neuron (reads the true wiring);
- :mod:`.methods`: the tests, one function each (never see the wiring);
- :mod:`.evaluate`: ROC, AUC and friends against the true wiring;
- :mod:`.run`: a whole inference of an experiment's dataset.

Import the module you need; this file imports nothing (see :mod:`voltage_to_wiring.engine`).
"""
