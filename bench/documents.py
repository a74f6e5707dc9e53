"""notice_s (issue #12): the annual notice of the latest published round, built from the
database and written as PDF and as DOCX, at province scale (target ≤ 2 s on 2 cores).

The meeting pack's row (pack_s, target ≤ 20 s) is not here yet: the pack is not built.
"""

from __future__ import annotations

from pathlib import Path

from bench.engine import latest_published
from bench.report import Row, make_row
from bench.timing import measure
from evalcore.access import FULL
from evalcore.db import Store
from evalcore.notice import build_notice
from evalcore.notice_render import notice_docx, notice_pdf
from evalcore.reader import Reader


def notice_once(db: Path) -> None:
    """What `python -m evalcore notice` does after start-up: open, build, render both."""
    with Store(db) as store:
        notice = build_notice(Reader(store, FULL), latest_published(store), "zh")
    notice_pdf(notice)
    notice_docx(notice)


def document_rows(db: Path, label: str, repeats: int, warmup: int) -> list[Row]:
    return [make_row("notice_s", label, measure(lambda: notice_once(db), repeats, warmup), "s")]
