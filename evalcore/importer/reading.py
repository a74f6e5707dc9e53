"""Reading CSV and XLSX files into a table of text cells, refusing what cannot be trusted.

CSV may come as UTF-8 (with or without BOM) or GBK/GB18030, as Chinese Excel exports it; a
file that mixes the two, or holds a byte-order mark inside, is refused (rows would be garbled
or two files were joined). XLSX is read by evalcore.importer.workbook. Every limit of
evalcore.importer.limits is checked before the work it bounds; whatever a file holds, reading
it ends in a table or in ImportRejected naming the file and the reason.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pandas as pd
from openpyxl.utils import get_column_letter

from evalcore.importer.limits import MAX_CELLS, MAX_COLUMNS, MAX_FILE_BYTES, MAX_ROWS, megabytes
from evalcore.importer.problems import ImportRejected, Problem, ProblemLog
from evalcore.importer.workbook import ZIP_MAGIC, read_workbook
from evalcore.messages import Message

ENCODINGS = ("utf-8-sig", "gb18030")
BOM = "\ufeff"
# Two Chinese characters as UTF-8 (three bytes each): a line holding them that decodes as
# UTF-8 is UTF-8 text, whatever the rest of the file is.
_UTF8_CJK_PAIR = re.compile(rb"(?:[\xe4-\xe9][\x80-\xbf]{2}){2}")


def refuse(name: str, message: Message) -> ImportRejected:
    """The file refused for one reason about it as a whole."""
    return ImportRejected([Problem(name, message)])


def _utf8_row(raw: bytes) -> int | None:
    """The first line that is UTF-8 Chinese text in a file that as a whole is not UTF-8."""
    for match in _UTF8_CJK_PAIR.finditer(raw):
        start = raw.rfind(b"\n", 0, match.start()) + 1
        end = raw.find(b"\n", match.end())
        try:
            raw[start:None if end < 0 else end].decode("utf-8")
        except UnicodeDecodeError:
            continue
        return raw.count(b"\n", 0, start) + 1
    return None


def _decode(raw: bytes, name: str) -> str:
    try:
        return raw.decode(ENCODINGS[0])
    except UnicodeDecodeError:
        pass
    if (row := _utf8_row(raw)) is not None:  # not UTF-8 as a whole, yet this row is
        raise refuse(name, Message("file_mixed_encoding", {"row": row}))
    try:
        return raw.decode(ENCODINGS[1])
    except UnicodeDecodeError:
        raise refuse(name, Message("file_undecodable")) from None


def _csv_rows(name: str, raw: bytes) -> tuple[list[str], list[list[str]]]:
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise refuse(name, Message("file_utf16"))
    if raw.startswith(ZIP_MAGIC):
        raise refuse(name, Message("csv_is_workbook"))
    text = _decode(raw, name)
    if not text.strip():
        raise refuse(name, Message("file_empty"))
    reader = csv.reader(io.StringIO(text))
    rows, too_wide = [], ProblemLog()
    try:
        header = next(reader)
        if not any(c.strip() for c in header):
            raise refuse(name, Message("header_missing"))
        if len(header) > MAX_COLUMNS:
            raise refuse(name, Message("too_many_columns", {"columns": len(header),
                                                            "max": MAX_COLUMNS}))
        width = max(len(header), 1)
        for row in reader:
            if len(rows) >= min(MAX_ROWS, MAX_CELLS // width):
                raise _too_much(name, len(rows), width)
            if len(row) > width and any(c.strip() for c in row[width:]):
                too_wide.add(Problem(name, Message("row_too_wide", {
                    "cells": len(row), "width": width}), row=len(rows) + 2))
            rows.append((row + [""] * width)[:width] if len(row) != width else row)
    except csv.Error:
        raise refuse(name, Message("csv_unreadable", {"row": reader.line_num})) from None
    if too_wide:
        raise ImportRejected(too_wide.listed())
    return header, rows


def _too_much(name: str, rows: int, width: int) -> ImportRejected:
    if rows >= MAX_ROWS:
        return refuse(name, Message("too_many_rows", {"max": MAX_ROWS}))
    return refuse(name, Message("too_many_cells", {"max": MAX_CELLS}))


def _blank_headed(name: str, header: list[str], body: list[list[str]]) -> list[int]:
    """Columns without a header: dropped when empty, refused when they hold data."""
    blank = [i for i, h in enumerate(header) if not h]
    used = [i for i in blank if any(row[i] for row in body)]
    if used:
        raise ImportRejected([Problem(name, Message("header_blank"),
                                      column=get_column_letter(i + 1)) for i in used])
    return blank


def _boms(name: str, header: list[str], body: list[list[str]]) -> None:
    log = ProblemLog()
    for row_no, row in enumerate([header, *body], start=1):
        if any(BOM in cell for cell in row):
            log.add(Problem(name, Message("bom_inside"), row=row_no))
    if log:
        raise ImportRejected(log.listed())


def _frame(name: str, header: list[str], body: list[list[str]]) -> pd.DataFrame:
    header = [h.strip() for h in header]
    body = [[c.strip() for c in row] for row in body]
    _boms(name, header, body)
    blank = set(_blank_headed(name, header, body))
    keep = [i for i in range(len(header)) if i not in blank]
    if len(keep) < len(header):
        header = [header[i] for i in keep]
        body = [[row[i] for i in keep] for row in body]
    frame = pd.DataFrame(body, columns=header, dtype=str)
    frame.index = range(2, len(frame) + 2)
    frame = frame[(frame != "").any(axis=1)] if len(frame.columns) else frame.iloc[0:0]
    if frame.empty:
        raise refuse(name, Message("no_data_rows"))
    return frame


def read_table(path: Path | str, data: bytes | None = None,
               sheet: str | None = None) -> pd.DataFrame:
    """The file's data as text cells under its header; blank rows dropped, row numbers kept.

    The index is the spreadsheet row number (the header is row 1), for error messages.
    `data`: the file's bytes when it is held in memory (an upload), `path` only naming it.
    `sheet`: the XLSX sheet to read (the template's); without it, or when the workbook has no
    sheet of that name, its only visible sheet. Hidden sheets are never read.
    """
    path = Path(path)
    if data is None and not path.exists():
        raise refuse(path.name, Message("file_not_found"))
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise refuse(path.name, Message("file_type"))
    size = path.stat().st_size if data is None else len(data)
    if size > MAX_FILE_BYTES:
        raise refuse(path.name, Message("file_too_large", {
            "size": megabytes(size), "max": megabytes(MAX_FILE_BYTES)}))
    raw = path.read_bytes() if data is None else data
    if not raw:
        raise refuse(path.name, Message("file_empty"))
    if suffix == ".csv":
        header, body = _csv_rows(path.name, raw)
    else:
        header, body = read_workbook(path.name, raw, sheet)
    return _frame(path.name, header, body)
