"""`template`: write the Excel template for one round and stage (scores), or of a round's
targets, inspection groups, deadlines, bonus cases, deductions or problems, filled with what
is stored (`--kind`; for the last three, also their export)."""

from __future__ import annotations

import argparse

from evalcore.db import Store
from evalcore.importer.bonus import KINDS as BONUS_KINDS
from evalcore.importer.bonus import stored_rows
from evalcore.importer.bonus_template import write_bonus_template
from evalcore.importer.problem_rows import KIND as PROBLEMS_KIND
from evalcore.importer.problem_template import write_problem_template
from evalcore.importer.setup import KINDS as SETUP_KINDS
from evalcore.importer.setup import stored_setup
from evalcore.importer.setup_template import write_setup_template
from evalcore.importer.template import write_score_template
from evalcore.paths import default_db_path
from evalcore.rubric import load_rubric
from evalcore.vocab import STAGES


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("template", help="write the score template (XLSX) for a round and "
                                         "stage, or a round's targets, groups, deadlines, "
                                         "bonus cases or deductions")
    p.add_argument("--round", type=int, required=True, dest="year")
    p.add_argument("--kind", choices=("scores", *SETUP_KINDS, *BONUS_KINDS, PROBLEMS_KIND),
                   default="scores")
    p.add_argument("--stage", choices=STAGES, help="the stage (scores)")
    p.add_argument("--out", required=True, help="the .xlsx file to write")
    p.add_argument("--db", default=str(default_db_path()))
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    if args.kind == "scores" and args.stage is None:
        print("scores need --stage (self, cross or third_party)")
        return 2
    with Store(args.db) as store:
        rounds = store.rounds().set_index("year")
        if args.year not in rounds.index:
            print(f"round {args.year} does not exist (have: {sorted(rounds.index)})")
            return 2
        if args.kind == PROBLEMS_KIND:  # with the round's problems, for review
            path = write_problem_template(args.out, args.year, store.problems(args.year))
            print(f"problems of round {args.year} written to {path}")
            return 0
        if args.kind in BONUS_KINDS:  # filled with every stored row: also the export
            path = write_bonus_template(
                args.out, args.kind, args.year,
                load_rubric(rounds.loc[args.year, "rubric_version"]), store.regions(),
                stored_rows(store, args.kind, args.year))
            print(f"template written to {path} ({args.kind}, round {args.year})")
            return 0
        if args.kind != "scores":
            path = write_setup_template(args.out, args.kind, args.year, store.regions(),
                                        stored_setup(store, args.kind, args.year))
            print(f"template written to {path} ({args.kind}, round {args.year})")
            return 0
        rubric = load_rubric(rounds.loc[args.year, "rubric_version"])
        path = write_score_template(args.out, rubric, store.regions(), args.year, args.stage)
    print(f"template written to {path} ({rubric.id}, round {args.year}, stage {args.stage})")
    return 0
