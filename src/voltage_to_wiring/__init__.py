"""voltage_to_wiring: reproducible simulations of Izhikevich networks with delayed,
conductance-based synapses, from a YAML config to labeled netCDF datasets and figures.

The package is layered; each layer imports only from those below it:

- ground floor: :mod:`.errors`, :mod:`.units`, :mod:`.rng`, :mod:`.files`, :mod:`.cpus`,
  :mod:`.plugins`, and :mod:`.core`: the declarations every layer shares (neuron models,
  synapse types, dataset variables, numba's flags, the package's own source);
- :mod:`.engine`: the numba kernels and the chunked driver;
- :mod:`.model`: networks, generators, edge files, populations, params -> engine input;
- :mod:`.config`: config.yaml -> resolved SI parameters (JSON);
- :mod:`.data`: engine output <-> xarray.Dataset <-> netCDF;
- :mod:`.analysis`: spikes, statistics, sweep tables;
- :mod:`.plots`: the figure registry and the figures;
- :mod:`.provenance`: records and the report;
- :mod:`.steps` and :mod:`.cli`: the pipeline's steps (``python -m voltage_to_wiring``).
"""

__version__ = "0.1.0"
