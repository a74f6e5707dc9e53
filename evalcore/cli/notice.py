"""`notice`: the annual notice (通报) of a published round, as DOCX or PDF.

The command reads as an administrator (every unit), but a notice is for a published round:
a draft round is refused unless `--draft` is given, and then every page is marked 草稿.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from evalcore.access import FULL
from evalcore.db import Store
from evalcore.labels import LANGS
from evalcore.notice import NoticeRefused, build_notice
from evalcore.paths import default_db_path
from evalcore.reader import Reader


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("notice", help="write the annual notice (通报) of a round")
    p.add_argument("--db", default=str(default_db_path()))
    p.add_argument("--round", type=int, required=True, dest="year")
    p.add_argument("--format", choices=("docx", "pdf"), default="docx")
    p.add_argument("--out", required=True, help="the file to write")
    p.add_argument("--lang", choices=LANGS, default="zh")
    p.add_argument("--draft", action="store_true",
                   help="allow a draft round; every page is then marked 草稿 (DRAFT)")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from evalcore.notice_render import notice_docx, notice_pdf

    with Store(args.db) as store:
        try:
            notice = build_notice(Reader(store, FULL), args.year, args.lang, draft=args.draft)
        except NoticeRefused as refused:
            print(refused.render(args.lang), file=sys.stderr)
            return 2
    data = notice_docx(notice) if args.format == "docx" else notice_pdf(notice)
    Path(args.out).write_bytes(data)
    print(f"{args.out}: {notice.title} ({len(data):,} bytes)"
          + (f" [{notice.marks}]" if notice.marks else ""))
    return 0
