"""`import`: load scores (a round and stage), communities, a round's setup (targets,
groups, deadlines of a round), its bonus cases or deductions, or the problems found in a round
from CSV or XLSX.

Problems and the summary are printed in English, or in Chinese with `--lang zh`.
"""

from __future__ import annotations

import argparse
import getpass
import sys

from evalcore.coords import CRS_NAMES
from evalcore.db import StoreError
from evalcore.importer import ImportRejected, import_communities, import_scores
from evalcore.importer.bonus import KINDS as BONUS_KINDS
from evalcore.importer.bonus import import_bonus, kind_label
from evalcore.importer.problem_rows import KIND as PROBLEMS_KIND
from evalcore.importer.problem_rows import import_problems
from evalcore.importer.setup import KINDS as SETUP_KINDS
from evalcore.importer.setup import import_setup
from evalcore.labels import LANGS
from evalcore.messages import Label, Message, MessageError, render
from evalcore.paths import default_db_path


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("import", help="import scores, communities, or targets, groups, "
                                      "deadlines, bonus cases or deductions of a round (CSV "
                                      "or XLSX)")
    p.add_argument("file")
    p.add_argument("--kind", choices=("scores", "communities", *SETUP_KINDS, *BONUS_KINDS,
                                      PROBLEMS_KIND), default="scores")
    p.add_argument("--round", type=int, dest="year",
                   help="round year (scores, targets, groups, deadlines, bonus, deductions, "
                        "problems)")
    p.add_argument("--stage", help="self, cross or third_party (scores)")
    p.add_argument("--crs", default="wgs84", help=f"coordinates of communities: {CRS_NAMES}")
    p.add_argument("--db", default=str(default_db_path()))
    p.add_argument("--lang", choices=LANGS, default="en",
                   help="language of problems and the summary (default en)")
    p.set_defaults(handler=run)


def _error_text(error: Exception, lang: str) -> str:
    """Errors that carry messages in the chosen language; others (a StoreError until it
    carries a Message) as they are."""
    return error.render(lang) if isinstance(error, ImportRejected | MessageError) else str(error)


def run(args: argparse.Namespace) -> int:
    actor = f"cli:{getpass.getuser()}"
    try:
        if args.kind == "communities":
            result = import_communities(args.db, args.file, crs=args.crs, actor=actor)
        elif args.kind == PROBLEMS_KIND:
            if args.year is None:
                print(render(Message("setup_import_needs_round", {
                    "kind": Label("page_problems")}), args.lang), file=sys.stderr)
                return 2
            result = import_problems(args.db, args.file, args.year, actor=actor)
        elif args.kind in (*SETUP_KINDS, *BONUS_KINDS):
            if args.year is None:
                kind = kind_label(args.kind) if args.kind in BONUS_KINDS else Label(
                    f"setup_{args.kind}")
                print(render(Message("setup_import_needs_round", {"kind": kind}), args.lang),
                      file=sys.stderr)
                return 2
            load = import_bonus if args.kind in BONUS_KINDS else import_setup
            result = load(args.db, args.file, args.kind, args.year, actor=actor)
        else:
            if args.year is None or args.stage is None:
                print(render(Message("import_needs_round_stage"), args.lang), file=sys.stderr)
                return 2
            result = import_scores(args.db, args.file, args.year, args.stage, actor=actor)
    except (ImportRejected, StoreError) as rejected:
        print(_error_text(rejected, args.lang), file=sys.stderr)
        return 1
    print(render(Message("import_summary", {
        "rows": result.rows, "file": result.file, "new": result.new, "changed": result.changed,
        "unchanged": result.unchanged, "sha": result.sha256[:12]}), args.lang))
    return 0
