"""`migrate`: bring a database file to this program's schema version, after a backup beside it.

Opening a file read-write (the dashboard, imports) migrates it too; this is the way for a file
that is only ever opened read-only (a public instance), or to migrate at a time of one's
choosing. See evalcore/migrations/.
"""

from __future__ import annotations

import argparse
import sys

from evalcore.db import Store
from evalcore.labels import LANGS
from evalcore.messages import Message, render
from evalcore.paths import default_db_path
from evalcore.schema import SCHEMA_VERSION


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("migrate", help="migrate a database to this program's schema version",
                       description=__doc__)
    p.add_argument("--db", default=str(default_db_path()))
    p.add_argument("--lang", choices=LANGS, default="en", help="language of messages")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    store = Store(args.db, read_only=False)
    if not store.exists():
        print(render(Message("store_missing", {"path": args.db}), args.lang), file=sys.stderr)
        return 1
    with store:
        store.meta()
        done = store.migrated
    if done is None:
        print(render(Message("store_schema_current", {"path": args.db, "supported": SCHEMA_VERSION}),
                     args.lang))
    else:
        print(render(Message("store_migrated", {
            "path": args.db, "found": done.from_version, "supported": done.to_version,
            "backup": str(done.backup)}), args.lang))
    return 0
