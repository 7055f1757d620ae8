"""The commands the Snakemake rules call: ``python -m voltage_to_wiring STEP ...``.

Each step is a module of :mod:`voltage_to_wiring.steps`; this file finds it, imports it
(and so only what that step needs), parses its arguments and runs it. Every step writes its
output atomically and, with ``--record``, a provenance record of it; ``--log FILE`` sends
the step's log (tracebacks included) to FILE as well as to stderr. Run
``python -m voltage_to_wiring --help`` for the steps, ``... STEP --help`` for one.
"""

import argparse
import ast
import ctypes
import importlib
import logging
import os
import pkgutil
import signal
import sys
from pathlib import Path

from . import __version__, steps
from .errors import ConfigError, OutputError, SimulationError
from .provenance import record

log = logging.getLogger("voltage_to_wiring")
PROG = "python -m voltage_to_wiring"


def step_names():
    """The steps, from the modules of :mod:`voltage_to_wiring.steps` (none is imported)."""
    return sorted(m.name for m in pkgutil.iter_modules(steps.__path__) if not m.name[0] == "_")


def _summary(step):
    """The first line of a step module's docstring, read without importing it."""
    source = (Path(steps.__path__[0]) / f"{step}.py").read_text()
    return (ast.get_docstring(ast.parse(source)) or "").splitlines()[0]


def _top_parser():
    listing = "\n".join(f"  {name:<18} {_summary(name)}" for name in step_names())
    parser = argparse.ArgumentParser(
        prog=PROG,
        description=__doc__,
        epilog=f"steps:\n{listing}",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument("step", choices=step_names(), metavar="STEP", help="the step to run")
    parser.add_argument("arguments", nargs=argparse.REMAINDER, help="the step's arguments")
    return parser


def _step_parser(step, module):
    parser = argparse.ArgumentParser(prog=f"{PROG} {step}", description=module.__doc__)
    parser.add_argument("--log", type=Path, help="also write the log to this file")
    parser.add_argument("--record", type=Path, help="write a provenance record (JSON) here")
    module.add_arguments(parser)
    return parser


def _setup_logging(log_file):
    handlers = [logging.StreamHandler(sys.stderr)]
    if log_file:
        log_file.parent.mkdir(parents=True, exist_ok=True)
        handlers.append(logging.FileHandler(log_file, mode="w"))
    logging.basicConfig(
        level=logging.INFO,
        handlers=handlers,
        force=True,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    logging.captureWarnings(True)


def die_with_parent():
    """On Linux, have the kernel kill this process when its parent dies (a job's shell killed
    by the scheduler must not leave its step running to write outputs later); elsewhere the
    writer's check of its parent before renaming an output does that job
    (:func:`voltage_to_wiring.files.atomic_path`)."""
    if sys.platform.startswith("linux"):
        try:
            ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
        except (OSError, AttributeError):
            return
        if os.getppid() == 1:  # the parent died before the kernel was told
            os._exit(1)


def exit_now(status):
    """End the process with ``status`` once the step's output is written (atomically, and
    closed) and the logs flushed, without the interpreter's teardown: freeing the modules of
    a plotting job took about 0.1 s of its 0.5 s here. A step that must clean up does so
    before it returns (context managers), never at exit."""
    logging.shutdown()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):
            pass
    os._exit(status)


def main(argv=None):
    """Run one step; return the exit status (0 on success, 1 on a reported error)."""
    die_with_parent()
    top = _top_parser().parse_args(sys.argv[1:] if argv is None else argv)
    module = importlib.import_module(f"{__package__}.steps.{top.step}")
    args = _step_parser(top.step, module).parse_args(top.arguments)
    _setup_logging(args.log)
    started = record.now()
    try:
        # a step returns its output, inputs and parameters, and may add facts of its run
        output, inputs, params, *extra = module.run(args)
        if args.record and output is not None:
            entry = record.record(output, inputs, params, started)
            entry["step"] = top.step
            entry.update(*extra)
            record.write_record(entry, args.record)
    except (ConfigError, SimulationError, OutputError) as err:
        for one in getattr(err, "errors", [err]):  # every refused experiment, one line each
            log.error("%s", one)
        return 1
    except OSError as err:
        where = f" '{err.filename}'" if err.filename else ""
        log.error("%s failed on file%s: %s", top.step, where, err.strerror or err)
        log.debug("traceback", exc_info=True)
        return 1
    except Exception:
        log.exception("%s failed with an unexpected error", top.step)
        return 1
    return 0
