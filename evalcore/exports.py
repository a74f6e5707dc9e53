"""Every CSV and XLSX the product writes, written so that opening it cannot run anything.

A spreadsheet reads a cell that starts with `=`, `+`, `-` or `@` as a formula (OWASP "CSV
injection"): a community name `=HYPERLINK("http://x","y")` would become a link, `-2+3` a sum,
and older Excel runs DDE commands. So user text is written as text:

- XLSX: every `str` value is a string cell (openpyxl would store a text starting with `=` as
  a formula), with the characters XML cannot hold removed; numbers, dates and booleans keep
  their types, so a numeric column stays numeric.
- CSV: a text cell starting with `=`, `+`, `-`, `@`, a tab or a carriage return gets a leading
  `'`, unless the whole text is a plain number (`-2.5`, `-3.2%`): a spreadsheet reads that as
  the number it is, which runs nothing. Numbers are written as numbers.

Table downloads, import templates and the command line's CSV all write through here
(tests/test_exports.py opens every download of every page and checks).
"""

from __future__ import annotations

import io
import math
import re
from collections.abc import Iterable
from datetime import date, datetime

import numpy as np
import pandas as pd
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, WriteOnlyCell
from openpyxl.worksheet.worksheet import Worksheet

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
NEUTRALISER = "'"
_PLAIN_NUMBER = re.compile(r"[-+]?(?:\d[\d,]*(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?%?")
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_MIME = "text/csv"


def is_plain_number(text: str) -> bool:
    """`-2.5`, `+1`, `1,234`, `-3.2%`: what a spreadsheet reads as a number, not a formula."""
    return _PLAIN_NUMBER.fullmatch(text) is not None


def neutralise(text: str) -> str:
    """Text made safe for a CSV cell: `'` before a leading formula character."""
    if text.startswith(FORMULA_STARTS) and not is_plain_number(text):
        return NEUTRALISER + text
    return text


def _csv_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with its text cells (and text headers) neutralised; numbers untouched."""
    def cell(value: object) -> object:
        return neutralise(value) if isinstance(value, str) else value

    out = frame.copy()
    out.columns = [cell(c) for c in out.columns]
    for i, dtype in enumerate(out.dtypes):
        if not (pd.api.types.is_numeric_dtype(dtype) or pd.api.types.is_datetime64_any_dtype(dtype)):
            out.isetitem(i, out.iloc[:, i].map(cell).astype(object))
    return out


def csv_text(frame: pd.DataFrame, lineterminator: str = "\n") -> str:
    """CSV text of the frame (no index), text cells neutralised (the command line's output)."""
    return _csv_frame(frame).to_csv(index=False, lineterminator=lineterminator)


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """A CSV file: UTF-8 with BOM (Chinese Excel opens it correctly), lines ending CRLF as
    RFC 4180 says (so a text holding a carriage return is quoted), text cells neutralised."""
    return csv_text(frame, "\r\n").encode("utf-8-sig")


def xlsx_value(value: object) -> object:
    """A value openpyxl stores with its type: Python numbers, dates, booleans, text or None."""
    if value is None or value is pd.NaT or isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, np.generic):
        return xlsx_value(value.item())
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    if isinstance(value, bool | int | float | datetime | date | str):
        return value
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    return str(value)


def _cell_value(value: object) -> object:
    value = xlsx_value(value)
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", value)
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.replace(tzinfo=None)
    return value


def text_cell(sheet: Worksheet, value: object) -> WriteOnlyCell:
    """A write-only cell holding `value`; text is a string cell, never a formula."""
    value = _cell_value(value)
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str):
        cell.data_type = "s"
    return cell


def append_row(sheet: Worksheet, values: Iterable[object]) -> None:
    """`sheet.append` for an ordinary worksheet, with text written as text, never a formula."""
    values = [_cell_value(v) for v in values]
    sheet.append(values)
    for cell, value in zip(sheet[sheet.max_row], values, strict=False):
        if isinstance(value, str):
            cell.data_type = "s"


def xlsx_bytes(frame: pd.DataFrame, sheet_name: str = "data") -> bytes:
    """One sheet: the header, then the rows; text as string cells, numbers as numbers."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(sheet_name)
    sheet.append([text_cell(sheet, str(c)) for c in frame.columns])
    for row in frame.itertuples(index=False, name=None):
        sheet.append([text_cell(sheet, v) for v in row])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
