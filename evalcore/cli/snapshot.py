"""`snapshot`: write the published snapshot (what the public may see) into a directory."""

from __future__ import annotations

import argparse
import sys

from evalcore.db import Store, StoreError
from evalcore.paths import default_db_path
from evalcore.snapshot import SnapshotError, write_snapshot


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("snapshot", help="write the public, read-only snapshot of the database "
                                        "into a directory and point its `current` file at it")
    p.add_argument("--db", default=str(default_db_path()),
                   help="the database (opened read-only: stop the dashboard's writer first, "
                        "or publish from its data page)")
    p.add_argument("--out", required=True, help="the snapshot directory replicas serve")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    try:
        with Store(args.db, read_only=True) as store:
            pointer = write_snapshot(store, args.out)
    except (StoreError, SnapshotError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"snapshot {pointer.version} written to {args.out}/{pointer.file} "
          f"({pointer.size} bytes); {args.out}/current points to it")
    return 0
