"""The pipeline's steps, one module each: ``python -m voltage_to_wiring STEP`` runs
``steps/STEP.py``.

Each step module has a docstring (its first line is the step's help), ``add_arguments(parser)``
and ``run(args)``, which writes the step's output atomically and returns ``(output, input
files, parameters)`` for its provenance record. A step imports, at module level, exactly
what it needs and nothing else: the workflow reads those imports to know which source files
each rule runs (see :mod:`voltage_to_wiring.core.code`), and a job starts in the time
its own imports take.
"""
