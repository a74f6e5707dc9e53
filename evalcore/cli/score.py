"""`score`: print a round's leaderboard (the same numbers the dashboard shows)."""

from __future__ import annotations

import argparse
import sys

import pandas as pd

from evalcore import exports, scoring
from evalcore.db import Store
from evalcore.paths import default_db_path
from evalcore.rounds import RoundNotFound, load_round_inputs
from evalcore.vocab import LEVELS, VIEWS


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("score", help="print the leaderboard of a round")
    p.add_argument("--db", default=str(default_db_path()))
    p.add_argument("--round", type=int, required=True, dest="year")
    p.add_argument("--level", choices=LEVELS, required=True)
    p.add_argument("--within", help="only the counties of this city code (e.g. 330100)")
    p.add_argument("--stage", choices=VIEWS, default="final")
    p.add_argument("--format", choices=("table", "csv", "json"), default="table")
    p.add_argument("--sensitivity", type=int, metavar="N", default=0,
                   help="add rank_p05, rank_median, rank_p95 from N Monte Carlo draws")
    p.set_defaults(handler=run)


def leaderboard_frame(store: Store, year: int, level: str, stage: str, within: str | None,
                      sensitivity: int) -> pd.DataFrame:
    """unit_code, unit_name, total, rank, grade, one column per dimension, bonus, deductions."""
    inputs = load_round_inputs(store, year)
    board = scoring.leaderboard(inputs, level, stage, within)
    dims = [d.code for d in inputs.rubric.dimensions]
    columns = ["unit_code", "unit_name", "total", "rank", "grade", "grade_name_zh", *dims,
               "bonus", "deductions"]
    out = board[columns].copy()
    if sensitivity:
        sens = scoring.rank_uncertainty(inputs, level, draws=sensitivity, seed=42, within=within)
        out = out.merge(sens[["unit_code", "rank_p05", "rank_median", "rank_p95"]],
                        on="unit_code", how="left")
    return out


def run(args: argparse.Namespace) -> int:
    with Store(args.db) as store:
        try:
            frame = leaderboard_frame(store, args.year, args.level, args.stage, args.within,
                                      args.sensitivity)
        except RoundNotFound as exc:
            print(exc, file=sys.stderr)
            return 2
        demo = store.is_demo()
    numbers = frame.select_dtypes("number").columns.difference(["rank"])
    frame[numbers] = frame[numbers].round(2)
    if args.format == "csv":
        sys.stdout.write(exports.csv_text(frame))
    elif args.format == "json":
        sys.stdout.write(frame.to_json(orient="records", force_ascii=False, indent=1) + "\n")
    else:
        print(frame.to_string(index=False))
    if demo:
        print("示例数据 / demo data: synthetic scores.", file=sys.stderr)
    return 0
