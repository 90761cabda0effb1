"""``mda fences list`` and ``mda fences validate``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def _list(args: argparse.Namespace) -> int:
    from mda.geo.catalogue import feature_count, load_catalogue
    from mda.geo.fences import load_user_zones

    for e in load_catalogue():
        fields = (
            f"{e.set}/{e.version}",
            Path(e.file).name,
            f"{feature_count(e)} features",
            e.licence,
            e.source,
        )
        sys.stdout.write("\t".join(fields) + "\n")
    if args.user_dir is not None:
        for z in load_user_zones(args.user_dir):
            sys.stdout.write(f"{z.fence_version}\t{z.zone_id}\t{z.kind}\t{z.name}\n")
    return 0


def _validate(args: argparse.Namespace) -> int:
    from mda.geo.catalogue import validate_fences

    problems = validate_fences(args.user_dir)
    for problem in problems:
        sys.stderr.write(f"mda: fence problem: {problem}\n")
    if problems:
        sys.stderr.write(f"mda: error: {len(problems)} fence problem(s)\n")
        return 1
    sys.stdout.write(
        "fences valid: every catalogued file present, unchanged and well-formed; gate ends on land\n"
    )
    return 0


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``fences list`` and ``fences validate`` to the ``mda`` command."""
    p = sub.add_parser("fences", help="list or validate the geofence sets (geodata/)")
    what = p.add_subparsers(dest="fences_command", required=True, metavar="ACTION")
    for name, func, text in (
        ("list", _list, "list the fence sets with their versions, sources and licences"),
        ("validate", _validate, "check geometry, types, WGS84 bounds, checksums and gate ends"),
    ):
        q = what.add_parser(name, help=text, description=text[0].upper() + text[1:] + ".")
        q.add_argument(
            "--user-dir", type=Path, help="also include users' own zone files (*.geojson) in this folder"
        )
        q.set_defaults(func=func)
