"""Arguments shared by the steps that read either config files or, from the workflow, the
settings it has already merged or resolved (resolve_params, infer)."""

import json
import sys
from pathlib import Path

from ..errors import ConfigError


def add_settings_arguments(parser, what):
    """``CONFIGFILE ...`` or ``--settings FILE`` (``what``: what the JSON holds)."""
    parser.add_argument("configfiles", nargs="*", type=Path, help="config YAML file(s), merged")
    parser.add_argument(
        "--settings",
        type=Path,
        help=f"instead of config files: {what} as JSON (a file, or - for stdin; used by the "
        "workflow)",
    )


def given_settings(args, what):
    """The ``--settings`` JSON, or None when config files are given instead; refuses both
    and neither."""
    if args.settings is not None:
        if args.configfiles:
            raise ConfigError("give either config files or --settings, not both")
        text = sys.stdin.read() if str(args.settings) == "-" else args.settings.read_text()
        return json_of(text, f"--settings {args.settings}", dict)
    if not args.configfiles:
        raise ConfigError(f"give config files, or {what} with --settings")
    return None


def json_of(text, what, kind=dict):
    """``text`` parsed as JSON of type ``kind``, or a ConfigError naming ``what`` (a file
    given by hand that is not what it should be: garbage, truncated, another kind)."""
    try:
        value = json.loads(text)
    except json.JSONDecodeError as err:
        raise ConfigError(
            f"{what}: not valid JSON ({err.msg} at line {err.lineno}): truncated?"
        ) from None
    if not isinstance(value, kind):
        raise ConfigError(f"{what}: expected a JSON {kind.__name__}, got {type(value).__name__}")
    return value
