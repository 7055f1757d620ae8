"""Reading one YAML config file, strictly: refuse what a YAML parser would accept silently.

- a file over :data:`MAX_BYTES` (large arrays belong in edge files, and a huge file would take
  minutes to parse);
- aliases (``*name``): expanded, a few lines can stand for billions of values (an "alias
  bomb"), and a config gains nothing from them;
- a key given twice in one mapping (a parser keeps the last one);
- syntax errors, named with the file, line and column.

libyaml's parser does the work when installed (PyYAML's C loader; tens of times faster).
"""

from pathlib import Path

import yaml

from ..errors import ConfigError

MAX_BYTES = 1 << 20
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
        size = path.stat().st_size
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
    """Refuse ``*alias`` (parsing events only: nothing is expanded)."""
    try:
        for event in yaml.parse(text, Loader=Loader):
            if isinstance(event, yaml.AliasEvent):
                line = event.start_mark.line + 1 if event.start_mark else "?"
                raise ConfigError(
                    f"config file '{path}', line {line}: YAML aliases (*{event.anchor}) are "
                    "not allowed in config files (a few can expand to billions of values): "
                    "write the values out"
                )
    except yaml.YAMLError as err:
        raise ConfigError(f"config file '{path}' is not valid YAML{_where(err)}") from None
