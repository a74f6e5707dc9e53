"""`backup`: a consistent copy of the database and its evidence folder in a new directory.

The copy goes to `<out>/<UTC time>/` with a MANIFEST.json (files, sizes, SHA-256, schema
version); see evalcore/backup.py. A dashboard serving the file read-write keeps every other
process out, so stop it for the backup (a read-only one may keep running).
"""

from __future__ import annotations

import argparse

from evalcore.backup import create_backup, read_manifest
from evalcore.labels import LANGS
from evalcore.messages import Message, render
from evalcore.paths import default_db_path


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("backup", help="back up the database and its evidence folder",
                       description=__doc__)
    p.add_argument("--out", required=True, help="directory that receives one subdirectory "
                   "per backup")
    p.add_argument("--db", default=str(default_db_path()))
    p.add_argument("--evidence", default=None,
                   help="evidence folder (default: <db>.evidence beside the database, if any)")
    p.add_argument("--lang", choices=LANGS, default="en", help="language of messages")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    written = create_backup(args.out, args.db, args.evidence)
    manifest = read_manifest(written)
    print(render(Message("store_backup_done", {
        "dir": str(written), "files": len(manifest.files),
        "size": sum(f["size"] for f in manifest.files), "version": manifest.schema_version,
    }), args.lang))
    return 0
