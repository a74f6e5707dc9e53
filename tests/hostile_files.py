"""Hostile and malformed import files, built in memory: each case is a file name, its bytes
and the one problem code the importer must refuse it with (tests/test_import_hostile.py runs
them through the importer; tests/test_import_messages.py reads their messages in both
languages). Builders also serve the fuzz tests as seeds."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Callable

from openpyxl import Workbook

from evalcore.importer.limits import MAX_CELLS, MAX_COLUMNS, MAX_FILE_BYTES, MAX_PARTS, MAX_ROWS
from evalcore.importer.scores import score_columns
from evalcore.rubric import load_rubric

RUBRIC = load_rubric("zj-2020")
HEADER = score_columns(RUBRIC)
MANUAL = [i.code for i in RUBRIC.manual_indicators()]


def good_row(unit: str = "330106", value: object = 2.0, name: str = "") -> list:
    return [unit, name, *[value] * len(MANUAL), "第1组", "备注"]


def csv_bytes(rows: list[list], encoding: str = "utf-8") -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    return buffer.getvalue().encode(encoding)


def xlsx_bytes(build: Callable[[Workbook], object]) -> bytes:
    book = Workbook()
    build(book)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def scores_sheet(book: Workbook, rows: list[list], title: str = "scores") -> None:
    sheet = book.active
    sheet.title = title
    for row in [HEADER, *rows]:
        sheet.append(row)


def rezip(data: bytes, change: Callable[[str, bytes], bytes | None],
          extra: dict[str, bytes] | None = None, level: int = 6) -> bytes:
    """The archive with each part passed through `change` (None drops it) and parts added."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(
            out, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as dst:
        for info in src.infolist():
            content = change(info.filename, src.read(info))
            if content is not None:
                dst.writestr(info.filename, content)
        for name, content in (extra or {}).items():
            dst.writestr(name, content)
    return out.getvalue()


def _hide_every_sheet(name: str, content: bytes) -> bytes:
    if name != "xl/workbook.xml":
        return content
    content = re.sub(rb' state="\w+"', b"", content)
    return re.sub(rb"<sheet ", b'<sheet state="hidden" ', content)


def _good_xlsx() -> bytes:
    return xlsx_bytes(lambda b: scores_sheet(b, [good_row()]))


def _hidden_first_sheet(book: Workbook) -> None:
    """Data in a hidden first sheet; the visible sheets hold something else."""
    scores_sheet(book, [good_row()], title="data")
    book.active.sheet_state = "hidden"
    book.create_sheet("notes").append(["说明"])
    book.create_sheet("other").append(["x"])


def _hidden_named_sheet(book: Workbook) -> None:
    scores_sheet(book, [good_row()])
    book.active.sheet_state = "hidden"
    book.create_sheet("notes").append(["说明"])


def _merged(book: Workbook) -> None:
    scores_sheet(book, [good_row(), good_row("330108")])
    book.active.merge_cells("A2:A3")


def _far_row(book: Workbook) -> None:
    scores_sheet(book, [good_row()])
    book.active.cell(row=MAX_ROWS + 2, column=1, value="330108")


def _far_column(book: Workbook) -> None:
    scores_sheet(book, [good_row()])
    book.active.cell(row=2, column=MAX_COLUMNS + 1, value=1)


def _many_cells(columns: int = 100) -> bytes:
    header = HEADER + [f"x{i}" for i in range(columns - len(HEADER))]
    return csv_bytes([header] + [good_row() + [""] * (columns - len(HEADER))]
                     * (MAX_CELLS // columns + 1))


# case: (file name, bytes builder, the problem code it is refused with)
CASES: dict[str, tuple[str, Callable[[], bytes], str]] = {
    "too many problems": ("many.csv", lambda: csv_bytes(
        [HEADER] + [good_row(f"火星{i}") for i in range(250)]), "problems_omitted"),
    "file too large": ("big.csv", lambda: csv_bytes([HEADER]) + b" " * MAX_FILE_BYTES,
                       "file_too_large"),
    "too many rows": ("long.csv", lambda: csv_bytes([HEADER] + [good_row()] * (MAX_ROWS + 1)),
                      "too_many_rows"),
    "too many columns": ("wide.csv", lambda: csv_bytes(
        [[f"c{i}" for i in range(10_000)], ["1"] * 10_000]), "too_many_columns"),
    "too many cells": ("cells.csv", _many_cells, "too_many_cells"),
    "unclosed quote": ("quote.csv", lambda: b'unit_code,A1\n"330106,1\n' + b"x" * 200_000,
                       "csv_unreadable"),
    "workbook named csv": ("book.csv", _good_xlsx, "csv_is_workbook"),
    "mixed encodings": ("mixed.csv", lambda: csv_bytes([HEADER, good_row()], "gbk")
                        + csv_bytes([good_row("滨江区", name="滨江区")], "utf-8"),
                        "file_mixed_encoding"),
    "byte-order mark inside": ("joined.csv", lambda: csv_bytes([HEADER, good_row()])
                               + csv_bytes([HEADER, good_row("330108")], "utf-8-sig"),
                               "bom_inside"),
    "blank first row": ("headless.csv", lambda: b"\n" + csv_bytes([good_row()]),
                        "header_missing"),
    "blank first row (xlsx)": ("headless.xlsx", lambda: xlsx_bytes(
        lambda b: b.active.cell(row=2, column=1, value="330106")), "header_missing"),
    "data under no header": ("blank.csv", lambda: csv_bytes(
        [[*HEADER, ""], [*good_row(), "x"]]), "header_blank"),
    "old or encrypted workbook": ("old.xlsx", lambda: bytes.fromhex("d0cf11e0a1b11ae1")
                                  + bytes(4096), "xlsx_is_old_or_encrypted"),
    "decompression bomb": ("bomb.xlsx", lambda: rezip(_good_xlsx(), lambda n, c: c, {
        "xl/media/zeros.bin": bytes(60 * 1024 * 1024)}, level=9), "xlsx_unpacked_too_large"),
    "compression ratio": ("ratio.xlsx", lambda: rezip(_good_xlsx(), lambda n, c: c, {
        "xl/media/zeros.bin": bytes(5 * 1024 * 1024)}, level=9), "xlsx_compression_ratio"),
    "too many parts": ("parts.xlsx", lambda: rezip(_good_xlsx(), lambda n, c: c, {
        f"xl/media/p{i}.bin": b"" for i in range(MAX_PARTS)}), "xlsx_too_many_parts"),
    "hidden first sheet": ("hidden.xlsx", lambda: xlsx_bytes(_hidden_first_sheet),
                           "sheet_ambiguous"),
    "hidden named sheet": ("hidden-scores.xlsx", lambda: xlsx_bytes(_hidden_named_sheet),
                           "sheet_hidden"),
    "no visible sheet": ("none.xlsx", lambda: rezip(xlsx_bytes(
        lambda b: scores_sheet(b, [good_row()], title="data")), _hide_every_sheet),
                         "no_visible_sheet"),
    "declared too long": ("tall.xlsx", lambda: xlsx_bytes(_far_row), "sheet_too_long"),
    "declared too wide": ("broad.xlsx", lambda: xlsx_bytes(_far_column), "sheet_too_wide"),
    "merged cells": ("merged.xlsx", lambda: xlsx_bytes(_merged), "merged_cells"),
    "header in Chinese": ("chinese.csv", lambda: csv_bytes(
        [["单位代码", *HEADER[1:]], good_row()]), "header_hint"),
    "code and name disagree": ("disagree.csv", lambda: csv_bytes(
        [HEADER, good_row("330100", name="宁波市"), good_row("330100", name="杭州市")]),
        "unit_code_name_mismatch"),
}
