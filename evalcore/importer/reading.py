"""Reading CSV and XLSX files into a table of text cells, refusing what cannot be trusted.

CSV may come as UTF-8 (with or without BOM) or GBK/GB18030, as Chinese Excel exports it.
XLSX cells that hold formulas are refused: the value a formula shows depends on other cells
and may change after import, so the importer accepts pasted values only.
"""

from __future__ import annotations

import csv
import io
from datetime import date, datetime
from pathlib import Path

import pandas as pd
from openpyxl import load_workbook

from evalcore.importer.problems import ImportRejected, Problem
from evalcore.messages import Message

ENCODINGS = ("utf-8-sig", "gb18030")


def _decode(raw: bytes, name: str) -> str:
    for encoding in ENCODINGS:
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ImportRejected([Problem(name, Message("file_undecodable"))])


def _read_csv(path: Path, raw: bytes) -> pd.DataFrame:
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ImportRejected([Problem(path.name, Message("file_utf16"))])
    text = _decode(raw, path.name)
    if not text.strip():
        raise ImportRejected([Problem(path.name, Message("file_empty"))])
    rows = list(csv.reader(io.StringIO(text)))
    width = len(rows[0])
    extra = [
        Problem(path.name, Message("row_too_wide", {"cells": len(r), "width": width}), row=i + 1)
        for i, r in enumerate(rows) if len(r) > width and any(c.strip() for c in r[width:])
    ]
    if extra:
        raise ImportRejected(extra)
    body = [(r + [""] * width)[:width] for r in rows[1:]]
    return pd.DataFrame(body, columns=rows[0], dtype=str)


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else str(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _read_xlsx(path: Path, raw: bytes) -> pd.DataFrame:
    try:
        book = load_workbook(io.BytesIO(raw), data_only=False)
    except Exception:  # openpyxl raises many types, in English, for a damaged file
        raise ImportRejected([Problem(path.name, Message("xlsx_unreadable"))]) from None
    sheet = book.worksheets[0]
    rows = list(sheet.iter_rows())
    if not rows or all(c.value is None for c in rows[0]):
        raise ImportRejected([Problem(path.name, Message("file_empty"))])
    header = [_cell_text(c.value) for c in rows[0]]
    formulas = [
        Problem(path.name, Message("cell_formula", {"cell": c.coordinate}),
                row=c.row, column=header[c.column - 1] or c.column_letter)
        for row in rows[1:] for c in row if c.data_type == "f"
    ]
    if formulas:
        raise ImportRejected(formulas)
    body = [[_cell_text(c.value) for c in row] for row in rows[1:]]
    return pd.DataFrame(body, columns=header, dtype=str)


def read_table(path: Path | str, data: bytes | None = None) -> pd.DataFrame:
    """The file's data as text cells under its header; blank rows dropped, row numbers kept.

    The index is the spreadsheet row number (the header is row 1), for error messages.
    `data`: the file's bytes when it is held in memory (an upload), `path` only naming it.
    """
    path = Path(path)
    if data is None and not path.exists():
        raise ImportRejected([Problem(path.name, Message("file_not_found"))])
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise ImportRejected([Problem(path.name, Message("file_type"))])
    raw = path.read_bytes() if data is None else data
    if not raw:
        raise ImportRejected([Problem(path.name, Message("file_empty"))])
    frame = _read_csv(path, raw) if suffix == ".csv" else _read_xlsx(path, raw)
    frame.columns = [str(c).strip() for c in frame.columns]
    frame = frame.map(lambda v: v.strip() if isinstance(v, str) else v)
    frame.index = range(2, len(frame) + 2)
    frame = frame[(frame != "").any(axis=1)]
    if frame.empty:
        raise ImportRejected([Problem(path.name, Message("no_data_rows"))])
    return frame
