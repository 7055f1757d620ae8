"""The declarations every layer shares, at the bottom of the package (it imports only the
package's root modules: errors, units, plugins):

- :mod:`.neurons`: the neuron models, one module each (parameters, state, equations);
- :mod:`.synapse_types`: the synapse types (name, code, letter, sign);
- :mod:`.variables`: every dataset variable (dims, SI unit, long name, display unit);
- :mod:`.jit`: numba's flags for every kernel, and where its cache lives;
- :mod:`.sorting`: grouping synapses by presynaptic neuron (engine, model and inference);
- :mod:`.code`: the package's own source (its hash, and the files each step runs).

Import the module you need; this file imports nothing (see :mod:`voltage_to_wiring.engine`).
"""
