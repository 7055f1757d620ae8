"""numba compilation flags, in one place for every kernel of the package.

No ``fastmath``: it lets LLVM reorder floating-point arithmetic and use approximate
reciprocals, which changes results in their last bits (and the 2021 notebook's
reproduction with them). ``cache=True`` keeps compiled kernels on disk, so a pipeline job
does not compile them again; ``nogil`` lets a caller run kernels in threads.
"""

JIT = {"cache": True, "nogil": True}
