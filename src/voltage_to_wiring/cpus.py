"""How many threads a step may run: shared by the engine and the inference, which must not
import each other (a step's code inputs are its imports)."""

import os


def usable_threads(threads):
    """``threads``, at most the CPUs this process may run on (threads that wait for each
    other by spinning must each have a CPU of their own)."""
    if threads < 1:
        raise ValueError(f"threads must be at least 1, got {threads}")
    return max(1, min(threads, len(os.sched_getaffinity(0))))


def thread_count(text):
    """An argparse type: a whole number of threads >= 1 (``--threads 0`` is refused with a
    usage message, not a traceback)."""
    import argparse

    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value
