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

Downloads hold plain values (`plain_frame`): the badges a table shows on screen (🟢 优秀,
✅, ⚠, ⛔) become words, formatted numbers ("1,234", "50.0%") become numbers, "·" (no
previous round) an empty cell; an XLSX has its header row frozen, columns as wide as their
text and a number format per column (`xlsx_bytes(..., formatted=True)`).
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
from openpyxl.utils import get_column_letter
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


def xlsx_bytes(frame: pd.DataFrame, sheet_name: str = "data", formatted: bool = False) -> bytes:
    """One sheet: the header, then the rows; text as string cells, numbers as numbers.
    `formatted`: the header frozen, column widths from their text, number formats per column
    (percent columns named in `frame.attrs["percent_columns"]`, as `plain_frame` sets)."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(sheet_name)
    formats = _number_formats(frame) if formatted else [None] * frame.shape[1]
    if formatted:
        sheet.freeze_panes = "A2"
        for i, width in enumerate(_column_widths(frame), start=1):
            sheet.column_dimensions[get_column_letter(i)].width = width
    sheet.append([text_cell(sheet, str(c)) for c in frame.columns])
    for row in frame.itertuples(index=False, name=None):
        cells = [text_cell(sheet, v) for v in row]
        for cell, number_format in zip(cells, formats, strict=True):
            if number_format and isinstance(cell.value, int | float) \
                    and not isinstance(cell.value, bool):
                cell.number_format = number_format
        sheet.append(cells)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# -- plain values for downloads ------------------------------------------------------------

# Marks the screen shows beside words; in a file the word alone says it.
_BADGES = ("🟢", "🔵", "🟡", "🔴", "⚫", "✅", "❌", "⏳", "⚠️", "⚠", "📊", "🧪")
_VETO = "⛔"
_VETO_WORDS = {"zh": "一票否决", "en": "veto"}
_FORMATTED_NUMBER = re.compile(r"[-+]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?%?")


def plain_text(text: str, lang: str = "zh") -> str:
    """A table cell's text without its badge: '🟢 优秀' → '优秀', '🔴 不合格 ⛔' → '不合格
    （一票否决）', a lone '⛔' → '一票否决', '·' → ''. Other text is left exactly as it is."""
    if text == "·":
        return ""
    if not any(b in text for b in (*_BADGES, _VETO)):
        return text
    out = text
    for badge in _BADGES:
        out = out.replace(badge + "\ufe0f", "").replace(badge, "")
    out = out.strip(" ")
    if _VETO in out:
        rest = out.replace(_VETO, "").strip(" ")
        word = _VETO_WORDS.get(lang, _VETO_WORDS["zh"])
        out = (f"{rest}（{word}）" if lang != "en" else f"{rest} ({word})") if rest else word
    return out


def _as_number(text: str) -> float | None:
    text = text.strip()
    if text.endswith("%"):
        return float(text[:-1].replace(",", "")) / 100
    return float(text.replace(",", ""))


def plain_frame(frame: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """The table as plain values for a file: badges out of text (`plain_text`), and a text
    column whose every filled cell is a number and some formatted ("1,234", "50.0%") as numbers
    (percents as fractions, listed in `attrs["percent_columns"]`). Unit codes and other
    digit-only text stay text. The frame shown on screen is left as it is."""
    out = frame.copy()
    percent: list[str] = []
    for i, column in enumerate(out.columns):
        values = out.iloc[:, i]
        if pd.api.types.is_numeric_dtype(values.dtype) or pd.api.types.is_bool_dtype(values.dtype):
            continue
        texts = values.map(lambda v: plain_text(v, lang) if isinstance(v, str) else v)
        filled = [v for v in texts if isinstance(v, str) and v]
        if filled and all(_FORMATTED_NUMBER.fullmatch(v) for v in filled) \
                and any("," in v or "%" in v for v in filled):
            if all(v.endswith("%") for v in filled):
                percent.append(str(column))
            texts = texts.map(lambda v: _as_number(v) if isinstance(v, str) and v else None)
            out.isetitem(i, texts.astype(float))
        else:
            out.isetitem(i, texts.astype(object))
    out.attrs["percent_columns"] = percent
    return out


def _number_formats(frame: pd.DataFrame) -> list[str | None]:
    percent = set(frame.attrs.get("percent_columns", ()))
    formats: list[str | None] = []
    for i, column in enumerate(frame.columns):
        dtype = frame.iloc[:, i].dtype
        if str(column) in percent:
            formats.append("0.0%")
        elif pd.api.types.is_integer_dtype(dtype) and not pd.api.types.is_bool_dtype(dtype):
            formats.append("#,##0")
        elif pd.api.types.is_float_dtype(dtype):
            whole = frame.iloc[:, i].dropna()
            formats.append("#,##0" if len(whole) and (whole == whole.round()).all() else "#,##0.00")
        else:
            formats.append(None)
    return formats


def _display_width(text: str) -> int:
    """Characters as a spreadsheet column counts them: CJK and full-width ones twice."""
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in text)


def _column_widths(frame: pd.DataFrame, most: int = 60) -> list[float]:
    widths = []
    for i, column in enumerate(frame.columns):
        sample = frame.iloc[:200, i]
        longest = max([_display_width(str(column)),
                       *(_display_width(f"{v:,.2f}" if isinstance(v, float) else str(v))
                         for v in sample if v is not None and not pd.isna(v))])
        widths.append(min(max(longest + 2, 8), most))
    return widths
