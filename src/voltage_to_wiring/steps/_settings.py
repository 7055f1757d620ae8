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
        return json.loads(text)
    if not args.configfiles:
        raise ConfigError(f"give config files, or {what} with --settings")
    return None
