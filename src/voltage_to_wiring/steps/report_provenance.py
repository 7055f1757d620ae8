"""Gather the provenance records into results/provenance.{json,md}."""

import logging
from pathlib import Path

from ..provenance import report

log = logging.getLogger("voltage_to_wiring")


def add_arguments(parser):
    parser.add_argument("records", nargs="*", type=Path, help="provenance records (JSON)")
    parser.add_argument("--json", required=True, type=Path)
    parser.add_argument("--markdown", required=True, type=Path)


def run(args):
    report.write(args.records, args.json, args.markdown)
    log.info("wrote %s and %s (%d outputs)", args.json, args.markdown, len(args.records))
    return None, [], None
