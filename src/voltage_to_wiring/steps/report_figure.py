"""A small copy of a figure for the report (PNG, at most 800 px wide, a 128-colour palette)."""

import logging
from pathlib import Path

from ..report import images

log = logging.getLogger("voltage_to_wiring")


def add_arguments(parser):
    parser.add_argument("--figure", required=True, type=Path, help="the full-size figure (PNG)")
    parser.add_argument("--output", required=True, type=Path)
    parser.add_argument("--max-width", type=int, default=images.MAX_WIDTH, help="pixels")


def run(args):
    width, height = images.shrink(args.figure, args.output, max_width=args.max_width)
    log.info(
        "wrote %s (%d x %d px, %d kB; the figure %d kB)",
        args.output,
        width,
        height,
        args.output.stat().st_size // 1000,
        args.figure.stat().st_size // 1000,
    )
    return args.output, [args.figure], {"max_width": args.max_width}
