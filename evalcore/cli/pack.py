"""`pack`: the meeting pack of a round, as one PDF (evalcore/pack.py, evalcore/pack_render.py).

Read as an administrator (every unit), like the notice: a draft round is refused unless
`--draft` is given, and then every page is marked 草稿.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from evalcore.access import FULL
from evalcore.db import Store
from evalcore.labels import LANGS
from evalcore.pack import PackRefused, build_pack
from evalcore.paths import default_db_path
from evalcore.reader import Reader


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("pack", help="write the meeting pack (PDF) of a round")
    p.add_argument("--db", default=str(default_db_path()))
    p.add_argument("--round", type=int, required=True, dest="year")
    p.add_argument("--out", required=True, help="the PDF file to write")
    p.add_argument("--lang", choices=LANGS, default="zh")
    p.add_argument("--draft", action="store_true",
                   help="allow a draft round; every page is then marked 草稿 (DRAFT)")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from evalcore.pack_render import images_unavailable_reason, pack_pdf

    if (reason := images_unavailable_reason()) is not None:
        print(f"cannot render the charts: {reason}", file=sys.stderr)
        return 2
    start = time.perf_counter()
    with Store(args.db) as store:
        try:
            pack = build_pack(Reader(store, FULL), args.year, args.lang, draft=args.draft)
        except PackRefused as refused:
            print(refused.render(args.lang), file=sys.stderr)
            return 2
    data = pack_pdf(pack)
    Path(args.out).write_bytes(data)
    print(f"{args.out}: {pack.title} ({len(data):,} bytes, {len(pack.sections)} sections, "
          f"{time.perf_counter() - start:.1f} s)" + (f" [{pack.marks}]" if pack.marks else ""))
    return 0
