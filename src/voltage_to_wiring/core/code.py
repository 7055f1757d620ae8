"""The package's own source code: its hash, and which source files each pipeline step runs.

- :func:`code_sha256` fingerprints every source file of the package, so that an output made
  by other code is recognisable (it is in every provenance record and dataset);
- :func:`step_sources` lists the source files a step (``python -m voltage_to_wiring STEP``)
  imports, followed transitively through the import graph: the workflow makes them the
  rule's inputs, so that editing one reruns exactly the rules that run it.

The import graph is read from the source text (Python's ``ast``), without importing
anything, so the workflow can ask it about any copy of the package. The package keeps to
one rule that makes this exact: its modules import each other at module level only (only
``cli.py`` imports a step's module by name, which :func:`step_sources` adds, and the figure
step a figure's module, which the workflow passes as ``modules``), and a package
that imports all its modules by name (its ``__init__.py`` calls
:func:`voltage_to_wiring.plugins.import_modules`, e.g. the neuron models) counts as
importing each of them.
"""

import ast
import functools
import hashlib
from pathlib import Path

PACKAGE = "voltage_to_wiring"
# What every step runs: python -m voltage_to_wiring -> __main__ -> cli -> steps.STEP.
ENTRY = (f"{PACKAGE}.__main__", f"{PACKAGE}.cli")


def package_dir():
    """The folder of this package's source (``src/voltage_to_wiring``)."""
    return Path(__file__).resolve().parents[1]


def source_files(root=None):
    """The package's source files, as paths relative to ``root``, sorted (POSIX order)."""
    root = Path(root or package_dir())
    files = (p.relative_to(root) for p in root.rglob("*.py") if "__pycache__" not in p.parts)
    return sorted(files, key=lambda p: p.as_posix())


def code_sha256(root=None):
    """sha256 of the package's source: of the lines ``PATH\\0SHA256\\n``, one per source file
    in POSIX order of its path relative to the package folder, SHA256 being the file's own
    hex digest. Any edit, new or removed file changes it."""
    root = Path(root or package_dir())
    digest = hashlib.sha256()
    for path in source_files(root):
        content = hashlib.sha256((root / path).read_bytes()).hexdigest()
        digest.update(f"{path.as_posix()}\0{content}\n".encode())
    return digest.hexdigest()


def module_file(root, module):
    """The source file of a dotted module name of the package under ``root``, or None."""
    parts = module.split(".")[1:]
    base = Path(root).joinpath(*parts)
    candidates = (
        (base / "__init__.py", base.with_suffix(".py")) if parts else (base / "__init__.py",)
    )
    return next((c for c in candidates if c.is_file()), None)


def _package_of(root, module):
    """The package a module's relative imports start from."""
    path = module_file(root, module)
    return module if path is not None and path.name == "__init__.py" else module.rsplit(".", 1)[0]


def imported_modules(root, module):
    """The package modules that importing ``module`` imports directly (any import statement
    in its source), each with its parent packages."""
    path = module_file(root, module)
    stat = path.stat()
    imports, imports_its_modules = _read_imports(path, stat.st_mtime_ns, stat.st_size)
    found = set()
    for level, name, aliases in imports:
        if level is None:  # import a.b, c
            found.update(aliases)
            continue
        if level:
            base = _package_of(root, module).split(".")
            base = ".".join(base[: len(base) - level + 1])
            target = f"{base}.{name}" if name else base
        else:
            target = name
        found.add(target)
        found.update(f"{target}.{alias}" for alias in aliases)
    if imports_its_modules:
        found.update(
            f"{module}.{p.stem}" for p in path.parent.glob("*.py") if not p.stem.startswith("_")
        )
    modules = {m for m in found if m.split(".")[0] == PACKAGE and module_file(root, m)}
    return modules | {p for m in modules for p in _parents(m)}


@functools.lru_cache(maxsize=4096)
def _read_imports(path, mtime_ns, size):
    """The import statements of a source file, ``(level, module, names)`` (level None for
    ``import a, b``), and whether it calls ``import_modules`` (see :mod:`..plugins`): read
    once per version of the file (the workflow asks for every rule's code inputs, and each
    follows the same modules; which files exist is looked up anew each time)."""
    source = path.read_text()
    tree = ast.parse(source)
    imports = []
    for node in tree.body:  # the package imports at module level only (above)
        if isinstance(node, ast.Import):
            imports.append((None, None, tuple(alias.name for alias in node.names)))
        elif isinstance(node, ast.ImportFrom):
            imports.append((node.level, node.module, tuple(a.name for a in node.names)))
    calls = "import_modules(" in source and any(
        getattr(node.func, "id", None) == "import_modules"
        or getattr(node.func, "attr", None) == "import_modules"
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
    )
    return tuple(imports), calls


def _parents(module):
    parts = module.split(".")
    return {".".join(parts[:i]) for i in range(1, len(parts))}


def import_closure(root, modules):
    """Every package module that importing ``modules`` imports, transitively (parents too)."""
    todo = set(modules) | {p for m in modules for p in _parents(m)}
    seen = set()
    while todo:
        module = todo.pop()
        if module in seen:
            continue
        seen.add(module)
        todo |= imported_modules(root, module) - seen
    return seen


def step_modules(step, root=None, modules=()):
    """The modules ``python -m voltage_to_wiring STEP`` runs; with ``modules`` (dotted names),
    also those the step imports by name as it runs (a figure's module, see
    :func:`voltage_to_wiring.plots.draw.function`)."""
    root = Path(root or package_dir())
    return import_closure(root, {*ENTRY, f"{PACKAGE}.steps.{step}", *modules})


def step_sources(step, root=None, modules=()):
    """The source files ``python -m voltage_to_wiring STEP`` runs (and ``modules``), sorted,
    under ``root`` (the package folder; default: this package's)."""
    root = Path(root or package_dir())
    return sorted(str(module_file(root, m)) for m in step_modules(step, root, modules))
