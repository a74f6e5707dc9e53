"""`build-demo`: write the synthetic demo database."""

from __future__ import annotations

import argparse

from evalcore.demo import DEFAULT_SEED, build_demo
from evalcore.paths import default_db_path


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("build-demo", help="build the demo database (synthetic, deterministic)")
    p.add_argument("--db", default=str(default_db_path()), help="database file to (re)write")
    p.add_argument("--seed", type=int, default=DEFAULT_SEED, help="random seed")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    counts = build_demo(args.db, seed=args.seed)
    rows = ", ".join(f"{table} {n}" for table, n in counts.items())
    print(f"demo database written to {args.db} (seed {args.seed}): {rows}")
    print("示例数据 / demo data: communities and scores are synthetic.")
    return 0
