"""numba compilation flags, in one place for every kernel of the package.

No ``fastmath``: it lets LLVM reorder floating-point arithmetic and use approximate
reciprocals, which changes results in their last bits (and the 2021 notebook's
reproduction with them). ``cache=True`` keeps compiled kernels on disk, so a pipeline job
does not compile them again; ``nogil`` lets a caller run kernels in threads.
"""

JIT = {"cache": True, "nogil": True}

# The time-loop kernels (engine.kernels.run_*) also run without numba's reference counting
# (``_nrt=False``, a numba option that its own developers use for this, numba issue 2350):
# with it, every array a helper touches inside the loop costs an atomic increment and
# decrement per step that numba cannot prune across branches; measured here, 0.43 us of a
# 0.44 us step of one neuron (11 ns without). These kernels allocate nothing (the driver
# does), which is all that running without reference counting asks; their helpers are
# inlined into them (``inline="always"``).
KERNEL = {**JIT, "_nrt": False}
INLINE = {**JIT, "inline": "always"}
