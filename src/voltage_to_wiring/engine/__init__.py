"""The simulation engine: numba kernels and the chunked driver around them.

- :mod:`.kernels`: the update schemes, plain arrays in and out;
- :mod:`.parts`, :mod:`.threads`: the synchronous scheme's neurons in parts, one per
  thread, and the threads that run them (bit-identical to one thread);
- :mod:`.memory`: the update pass's arrays, each in a mapping of its own;
- :mod:`.simulation`: what the engine takes (:class:`~.simulation.Simulation`) and gives;
- :mod:`.inputs`: Poisson input and noise current, drawn chunk by chunk;
- :mod:`.driver`: allocation, chunked runs, progress (:func:`~.driver.run`,
  :func:`~.driver.simulate`).

numba's flags and grouping synapses by presynaptic neuron are shared with other layers:
they are in :mod:`voltage_to_wiring.core`.

Import the module you need (``from voltage_to_wiring.engine.driver import simulate``): this
file imports nothing, so that a job importing one piece of the package does not compile or
load the others.
"""
