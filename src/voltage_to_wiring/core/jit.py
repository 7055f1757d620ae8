"""numba compilation flags, in one place for every kernel of the package, and where numba
keeps the compiled kernels.

No ``fastmath``: it lets LLVM reorder floating-point arithmetic and use approximate
reciprocals, which changes results in their last bits (and the 2021 notebook's
reproduction with them). ``cache=True`` keeps compiled kernels on disk, so a pipeline job
does not compile them again; ``nogil`` lets a caller run kernels in threads.

numba checks a cached kernel against its own source file only, but a kernel holds the code
of everything inlined into it: helpers of other modules, and the neuron model's functions
(:mod:`voltage_to_wiring.engine.neuron_model`). Edit a model and numba would go on running
the kernel compiled from the old one, silently. So the cache lives in a folder named after
the hash of the package's source (:func:`~voltage_to_wiring.core.code.code_sha256`): other
code, other folder, fresh compilation. The folder is ``__pycache__/numba-HASH`` beside this
package (or under ``$NUMBA_CACHE_DIR`` if that is set, or the user's cache folder if the
package's folder cannot be written); ``make clean`` removes them.
"""

import os
from pathlib import Path

import numba
from llvmlite import ir
from numba import types
from numba.core import cgutils
from numba.extending import intrinsic

from .code import code_sha256, package_dir

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


def cache_dir(environ=os.environ):
    """The folder of numba's cache for this version of the package's source."""
    name = f"numba-{code_sha256()[:16]}"
    if environ.get("NUMBA_CACHE_DIR"):
        return Path(environ["NUMBA_CACHE_DIR"]) / f"voltage_to_wiring-{name}"
    in_tree = package_dir() / "__pycache__"
    if os.access(in_tree if in_tree.exists() else package_dir(), os.W_OK):
        return in_tree / name
    home = Path(environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return home / "voltage_to_wiring" / name


# Read by numba when a kernel is decorated: every module that compiles kernels imports this
# one first.
numba.config.CACHE_DIR = str(cache_dir())


@intrinsic
def prefetch(typingctx, array, index):
    """``prefetch(array, i)`` in a kernel: ask the CPU to bring ``array[i]`` (of a 1-D
    array) into its caches, and go on without waiting (LLVM's ``llvm.prefetch``, for a read,
    into every cache level). It changes no result: a kernel that gathers samples scattered
    over a large array (spike times) prefetches the ones it will need a few dozen iterations
    later, so that their cache misses overlap instead of following each other."""
    if not (isinstance(array, types.Array) and array.ndim == 1):
        return None
    if not isinstance(index, types.Integer):
        return None

    def codegen(context, builder, signature, args):
        array_type = signature.args[0]
        view = context.make_array(array_type)(context, builder, args[0])
        pointer = cgutils.get_item_pointer(
            context, builder, array_type, view, [args[1]], wraparound=False
        )
        i32 = ir.IntType(32)
        function = cgutils.get_or_insert_function(
            builder.module,
            ir.FunctionType(ir.VoidType(), [pointer.type, i32, i32, i32]),
            "llvm.prefetch.p0",
        )
        builder.call(function, [pointer, i32(0), i32(3), i32(1)])  # read, keep, data cache
        return context.get_dummy_value()

    return types.void(array, index), codegen
