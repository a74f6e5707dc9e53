"""`restore`: replace the database (and evidence folder) with a backup, after checking it.

Every file is checked against the backup's MANIFEST.json first; a damaged backup, an
incomplete one or one of a newer schema is refused and nothing changes. The previous
database is kept beside it as `<db>.before-restore-<UTC time>`. Stop the dashboard first.
"""

from __future__ import annotations

import argparse

from evalcore.backup import restore_backup
from evalcore.labels import LANGS
from evalcore.messages import Message, render
from evalcore.paths import default_db_path


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("restore", help="restore the database from a backup directory",
                       description=__doc__)
    p.add_argument("backup", help="one backup directory (made by `backup`)")
    p.add_argument("--db", default=str(default_db_path()))
    p.add_argument("--evidence", default=None,
                   help="evidence folder (default: <db>.evidence beside the database)")
    p.add_argument("--lang", choices=LANGS, default="en", help="language of messages")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    done = restore_backup(args.backup, args.db, args.evidence)
    params = {"path": str(done.db), "dir": args.backup}
    if done.before is None:
        print(render(Message("store_restored_new", params), args.lang))
    else:
        print(render(Message("store_restored", {**params, "before": str(done.before)}), args.lang))
    if done.evidence is not None and done.evidence_before is None:
        print(render(Message("store_evidence_restored_new", {"evidence": str(done.evidence)}),
                     args.lang))
    elif done.evidence is not None:
        print(render(Message("store_evidence_restored", {
            "evidence": str(done.evidence), "before": str(done.evidence_before)}), args.lang))
    return 0
