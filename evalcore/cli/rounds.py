"""`round`: create a draft round scored with a rubric (evalcore.actions.create_round).

The rubric is loaded first: a broken file is reported by its message (file, entry, rule) and
nothing is written. Refusals and the result are printed in English, or in Chinese with
`--lang zh`.
"""

from __future__ import annotations

import argparse
import sys

from evalcore import actions
from evalcore.db import Store, StoreError
from evalcore.labels import LANGS
from evalcore.paths import default_db_path
from evalcore.rubric import load_rubric


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("round", help="create a draft round", description=__doc__)
    what = p.add_subparsers(dest="action", required=True)
    create = what.add_parser("create", help="a new draft round scored with a rubric")
    create.add_argument("--year", type=int, required=True)
    create.add_argument("--rubric", required=True, help="rubric version, e.g. zj-2020")
    create.add_argument("--db", default=str(default_db_path()))
    create.add_argument("--lang", choices=LANGS, default="en", help="language of messages")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    rubric = load_rubric(args.rubric)  # RubricError: python -m evalcore prints it, exit 2
    try:
        with Store(args.db, read_only=False) as store:
            entry = actions.create_round(store, actions.CLI, args.year, rubric.id)
    except StoreError as refused:
        print(refused.render(args.lang), file=sys.stderr)
        return 1
    print(f"round {args.year} created as a draft scored with {rubric.id} (audit entry {entry})")
    return 0
