"""voltage_to_wiring: reproducible simulations of Izhikevich networks with delayed,
conductance-based synapses, from a YAML config to labeled netCDF datasets and figures.

The pieces, each usable on its own:

- :mod:`voltage_to_wiring.config`   config.yaml -> resolved SI parameters (JSON)
- :mod:`voltage_to_wiring.network`  edge lists, dense matrices and edge files -> CSR
- :mod:`voltage_to_wiring.engine`   numba kernels and the chunked driver around them
- :mod:`voltage_to_wiring.dataset`  engine output <-> xarray.Dataset <-> netCDF
"""

__version__ = "0.1.0"
