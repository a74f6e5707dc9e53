"""notice_s and pack_s (issue #12): the annual notice of the latest published round, built
from the database and written as PDF and as DOCX (target ≤ 2 s on 2 cores), and the meeting
pack of that round as a PDF with its ~16 chart images (target ≤ 20 s).

Each pack starts its own kaleido session (a headless Chromium), as the command does, so every
sample includes the browser's start; at 10–20 s a sample, the pack is timed at most twice and
without a warm-up. Where kaleido or Chromium is missing, the row says why instead of a value.
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

PACK_REPEATS = 2


def notice_once(db: Path) -> None:
    """What `python -m evalcore notice` does after start-up: open, build, render both."""
    with Store(db) as store:
        notice = build_notice(Reader(store, FULL), latest_published(store), "zh")
    notice_pdf(notice)
    notice_docx(notice)


def pack_once(db: Path) -> None:
    """What `python -m evalcore pack` does after start-up: open, build, render the charts
    in one kaleido session, lay out the PDF."""
    from evalcore.pack import build_pack
    from evalcore.pack_render import pack_pdf

    with Store(db) as store:
        pack = build_pack(Reader(store, FULL), latest_published(store), "zh")
    pack_pdf(pack)


def pack_row(db: Path, label: str, repeats: int) -> Row:
    from evalcore.pack_render import images_unavailable_reason

    if (reason := images_unavailable_reason()) is not None:
        return make_row("pack_s", label, [], "s", error=reason)
    return make_row("pack_s", label, measure(lambda: pack_once(db), min(repeats, PACK_REPEATS),
                                             warmup=0), "s")


def document_rows(db: Path, label: str, repeats: int, warmup: int) -> list[Row]:
    return [make_row("notice_s", label, measure(lambda: notice_once(db), repeats, warmup), "s"),
            pack_row(db, label, repeats)]
