"""`import`: load scores (a round and stage) or communities from CSV or XLSX."""

from __future__ import annotations

import argparse
import getpass
import sys

from evalcore.coords import CRS_NAMES
from evalcore.db import StoreError
from evalcore.importer import ImportRejected, import_communities, import_scores
from evalcore.paths import default_db_path


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("import", help="import scores or communities (CSV or XLSX)")
    p.add_argument("file")
    p.add_argument("--kind", choices=("scores", "communities"), default="scores")
    p.add_argument("--round", type=int, dest="year", help="round year (scores)")
    p.add_argument("--stage", help="self, cross or third_party (scores)")
    p.add_argument("--crs", default="wgs84", help=f"coordinates of communities: {CRS_NAMES}")
    p.add_argument("--db", default=str(default_db_path()))
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    actor = f"cli:{getpass.getuser()}"
    try:
        if args.kind == "communities":
            result = import_communities(args.db, args.file, crs=args.crs, actor=actor)
        else:
            if args.year is None or args.stage is None:
                print("scores need --round YEAR and --stage STAGE", file=sys.stderr)
                return 2
            result = import_scores(args.db, args.file, args.year, args.stage, actor=actor)
    except (ImportRejected, StoreError) as rejected:
        print(rejected, file=sys.stderr)
        return 1
    print(f"imported {result.rows} rows from {result.file}: {result.new} new, "
          f"{result.changed} changed, {result.unchanged} unchanged (sha256 {result.sha256[:12]})")
    return 0
