"""Reading one YAML config file, strictly: refuse what a YAML parser would accept silently.

- a file over :data:`MAX_BYTES` (large arrays belong in edge files, and a huge file would take
  minutes to parse);
- aliases (``*name``): expanded, a few lines can stand for billions of values (an "alias
  bomb"), and a config gains nothing from them;
- a key given twice in one mapping (a parser keeps the last one);
- nesting deeper than :data:`MAX_DEPTH` (no config key needs it; Python's own recursion
  limit would stop the checks with a traceback);
- anything but a regular file (a FIFO would block the reader forever);
- syntax errors, named with the file, line and column.

libyaml's parser does the work when installed (PyYAML's C loader; tens of times faster).
"""

import stat
from pathlib import Path

import yaml

from ..errors import ConfigError

MAX_BYTES = 1 << 20
MAX_DEPTH = 32  # mappings and lists within one another (a weight matrix in a section: 6)
Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
Parse = getattr(yaml, "CParser", None)


class _StrictLoader(Loader):
    """A safe loader that refuses a key given twice in one mapping."""

    def construct_mapping(self, node, deep=False):
        seen = {}
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=True)
            if key in seen:
                raise _Duplicate(key, key_node.start_mark, seen[key])
            seen[key] = key_node.start_mark
        return super().construct_mapping(node, deep)


class _Duplicate(Exception):
    def __init__(self, key, mark, first):
        super().__init__(key)
        self.key, self.mark, self.first = key, mark, first


def read(path):
    """The mapping of one YAML config file (an empty file is an empty mapping)."""
    path = Path(path)
    try:
        status = path.stat()
        if stat.S_ISDIR(status.st_mode):
            raise IsADirectoryError
        if not stat.S_ISREG(status.st_mode):
            raise ConfigError(f"config file '{path}' is not a regular file (a FIFO or a device?)")
        size = status.st_size
        if size > MAX_BYTES:
            raise ConfigError(
                f"config file '{path}' is {size / 2**20:.1f} MB; config files are limited to "
                f"{MAX_BYTES // 2**20} MB: put large arrays in an edge file (network: "
                "{n: N, edges: {file: PATH, unit: nS}})"
            )
        text = path.read_text()
    except FileNotFoundError:
        raise ConfigError(f"config file '{path}' does not exist") from None
    except IsADirectoryError:
        raise ConfigError(f"config file '{path}' is a folder, not a file") from None
    except UnicodeDecodeError:
        raise ConfigError(
            f"config file '{path}' is not text (not UTF-8): is it a config?"
        ) from None
    _refuse_aliases(text, path)
    try:
        data = yaml.load(text, Loader=_StrictLoader)  # noqa: S506 - a safe loader
    except _Duplicate as err:
        raise ConfigError(
            f"config file '{path}', line {err.mark.line + 1}: the key '{err.key}' is given "
            f"twice in one mapping (first at line {err.first.line + 1}); a YAML parser would "
            "keep only the last: remove one"
        ) from None
    except yaml.YAMLError as err:
        raise ConfigError(f"config file '{path}' is not valid YAML{_where(err)}") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ConfigError(
            f"config file '{path}' must hold a mapping with 'defaults' and 'experiments'"
        )
    return data


def _where(err):
    mark = getattr(err, "problem_mark", None)
    line = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
    return f"{line}: {getattr(err, 'problem', None) or err}"


def _refuse_aliases(text, path):
    """Refuse ``*alias`` and nesting deeper than :data:`MAX_DEPTH` (parsing events only:
    nothing is expanded or built)."""
    depth = 0
    try:
        for event in yaml.parse(text, Loader=Loader):
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    line = event.start_mark.line + 1 if event.start_mark else "?"
                    raise ConfigError(
                        f"config file '{path}', line {line}: mappings and lists nested more "
                        f"than {MAX_DEPTH} deep; no config key needs that many levels"
                    )
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
            elif isinstance(event, yaml.AliasEvent):
                line = event.start_mark.line + 1 if event.start_mark else "?"
                raise ConfigError(
                    f"config file '{path}', line {line}: YAML aliases (*{event.anchor}) are "
                    "not allowed in config files (a few can expand to billions of values): "
                    "write the values out"
                )
    except yaml.YAMLError as err:
        raise ConfigError(f"config file '{path}' is not valid YAML{_where(err)}") from None
