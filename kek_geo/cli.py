"""Command line: ``kek-geo <command>`` (or ``python -m kek_geo <command>``)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from kek_geo.errors import KekGeoError
from kek_geo.settings import KREIS_AGS, get_settings


def _build_data(args: argparse.Namespace) -> int:
    from kek_geo.manifest import read_manifest
    from kek_geo.pipeline import build_snapshot

    settings = get_settings()
    raw = Path(args.raw) if args.raw else settings.raw_dir
    out = Path(args.out) if args.out else settings.geodata_dir
    manifest_path = build_snapshot(raw, out, kreis_ags=args.kreis)
    manifest = read_manifest(manifest_path.parent)
    total = sum(rec["bytes"] for rec in manifest["layers"].values())
    print(f"wrote {len(manifest['layers'])} layers ({total / 1e6:.1f} MB) to {out}")
    for name, rec in manifest["layers"].items():
        print(f"  {name:<26} {rec['feature_count']:>7} rows  {rec['sha256'][:12]}")
    return 0


def _validate(args: argparse.Namespace) -> int:
    from kek_geo.snapshot import validate_snapshot

    out = Path(args.geodata) if args.geodata else get_settings().geodata_dir
    manifest = validate_snapshot(out)
    print(f"{out}: {len(manifest['layers'])} layers match their schema and sha256")
    return 0


def build_parser() -> argparse.ArgumentParser:
    """Create the argument parser with all sub-commands.

    Returns
    -------
    argparse.ArgumentParser
        The parser.
    """
    parser = argparse.ArgumentParser(prog="kek-geo", description="KEK Geo data and indicators")
    sub = parser.add_subparsers(dest="command", required=True)

    build = sub.add_parser("build-data", help="build geodata/ from the raw open data")
    build.add_argument("--raw", help="raw data folder (default: KEK_RAW_DIR or ../shared/data/raw)")
    build.add_argument("--out", help="snapshot folder (default: KEK_GEODATA_DIR or geodata/)")
    build.add_argument("--kreis", default=KREIS_AGS, help="five-digit district key (default 05758)")
    build.set_defaults(func=_build_data)

    val = sub.add_parser("validate", help="check every snapshot layer against schema and sha256")
    val.add_argument("--geodata", help="snapshot folder (default: geodata/)")
    val.set_defaults(func=_validate)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line.

    Parameters
    ----------
    argv
        Arguments without the program name; ``None`` reads ``sys.argv``.

    Returns
    -------
    int
        Exit status: 0 on success, 1 on a data error, 2 on a usage error.
    """
    args = build_parser().parse_args(argv)
    func: Callable[[argparse.Namespace], int] = args.func
    try:
        return func(args)
    except KekGeoError as exc:
        print(f"kek-geo: error: {exc}", file=sys.stderr)
        return 1
