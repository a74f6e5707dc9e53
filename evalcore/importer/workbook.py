"""Reading one sheet of an XLSX workbook as text cells, refusing hostile or ambiguous files.

An XLSX file is a zip archive. Its declared part sizes are checked before anything is
unpacked (a decompression bomb is refused unopened), the sheet is read as a stream (openpyxl's
read-only mode: memory does not grow with the sheet), its declared range is checked before its
rows are read, and reading stops at the first row over a limit. The sheet is the one named
like the template's, else the workbook's only visible one; a hidden sheet is never read.
Merged cells and formulas are refused: they would import as blanks or as values that depend
on other cells.
"""

from __future__ import annotations

import io
import re
import zipfile
from datetime import date, datetime

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter, range_boundaries

from evalcore.importer.limits import (
    MAX_CELLS,
    MAX_COLUMNS,
    MAX_PARTS,
    MAX_RATIO,
    MAX_ROWS,
    MAX_UNPACKED_BYTES,
    RATIO_FROM_BYTES,
    megabytes,
)
from evalcore.importer.problems import ImportRejected, Problem, ProblemLog
from evalcore.messages import Message

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls, and any password-protected .xlsx
_MERGE = re.compile(rb'<(?:\w+:)?mergeCell\b[^>]*?\bref="([A-Za-z]{1,3}\d{1,7}(?::[A-Za-z]{1,3}\d{1,7})?)"')


def _refuse(name: str, message: Message) -> ImportRejected:
    return ImportRejected([Problem(name, message)])


def _archive(name: str, raw: bytes) -> zipfile.ZipFile:
    """The zip archive, after checking what it declares, before inflating any of it."""
    if raw.startswith(OLE_MAGIC):
        raise _refuse(name, Message("xlsx_is_old_or_encrypted"))
    try:
        archive = zipfile.ZipFile(io.BytesIO(raw))
        parts = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError):
        raise _refuse(name, Message("xlsx_unreadable")) from None
    if len(parts) > MAX_PARTS:
        raise _refuse(name, Message("xlsx_too_many_parts", {"n": len(parts),
                                                            "max": MAX_PARTS}))
    total = sum(p.file_size for p in parts)
    if total > MAX_UNPACKED_BYTES:
        raise _refuse(name, Message("xlsx_unpacked_too_large", {
            "size": megabytes(total), "max": megabytes(MAX_UNPACKED_BYTES)}))
    for part in parts:
        ratio = part.file_size / max(part.compress_size, 1)
        if part.file_size > RATIO_FROM_BYTES and ratio > MAX_RATIO:
            raise _refuse(name, Message("xlsx_compression_ratio", {
                "part": part.filename, "ratio": round(ratio), "max": MAX_RATIO}))
    return archive


def _choose(name: str, book, wanted: str | None):
    """The sheet named `wanted` (case and blanks aside) if there is one, else the only visible
    sheet; refused if that sheet is hidden or if there is no single visible sheet."""
    def key(title: str) -> str:
        return title.strip().casefold()

    sheets = book.worksheets
    named = [s for s in sheets if wanted is not None and key(s.title) == key(wanted)]
    visible = [s for s in sheets if s.sheet_state == "visible"]
    if named:
        if named[0].sheet_state != "visible":
            raise _refuse(name, Message("sheet_hidden", {"sheet": named[0].title}))
        return named[0]
    if len(visible) == 1:
        return visible[0]
    if not visible:
        raise _refuse(name, Message("no_visible_sheet"))
    raise _refuse(name, Message("sheet_ambiguous", {
        "sheet": wanted or "", "sheets": [s.title for s in visible]}))


def _check_declared_range(name: str, sheet) -> None:
    """The range the sheet declares (`<dimension>`), before reading a row of it."""
    try:
        declared = sheet.calculate_dimension()
        min_col, min_row, max_col, max_row = range_boundaries(declared)
    except (ValueError, TypeError):
        return  # none declared: the rows are counted as they are read
    rows, columns = max_row - min_row + 1, max_col - min_col + 1
    where = {"sheet": sheet.title, "range": declared}
    if rows - 1 > MAX_ROWS:
        raise _refuse(name, Message("sheet_too_long", {**where, "rows": rows, "max": MAX_ROWS}))
    if columns > MAX_COLUMNS:
        raise _refuse(name, Message("sheet_too_wide", {**where, "columns": columns,
                                                       "max": MAX_COLUMNS}))
    if (rows - 1) * columns > MAX_CELLS:
        raise _refuse(name, Message("too_many_cells", {"max": MAX_CELLS}))


def _check_merged(name: str, archive: zipfile.ZipFile, part: str) -> None:
    """Merged cells, found in the sheet's XML as a stream (read-only mode does not parse them)."""
    log, tail = ProblemLog(), b""
    with archive.open(part.lstrip("/")) as stream:
        while chunk := stream.read(1 << 20):
            text = tail + chunk
            for match in _MERGE.finditer(text):
                if match.end() > len(tail):
                    log.add(Problem(name, Message("merged_cells", {
                        "range": match.group(1).decode("ascii")})))
            tail = text[-512:]
    if log:
        raise ImportRejected(log.listed())


def cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else str(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _formulas(name: str, cells, header: list[str]) -> list[Problem]:
    return [Problem(name, Message("cell_formula", {"cell": c.coordinate}), row=c.row,
                    column=(header[c.column - 1] if c.column <= len(header) else "")
                    or c.column_letter)
            for c in cells if c.data_type == "f"]


def _rows(name: str, sheet) -> tuple[list[str], list[list[str]]]:
    """Header and rows as text, all as wide as the widest; formulas refused; reading stops at
    the first row over a limit."""
    sheet.reset_dimensions()  # a wrong declared range would hide cells: read what is there
    rows: list[list[str]] = []
    formulas, cells_read = ProblemLog(), 0
    for cells in sheet.iter_rows():
        if len(cells) > MAX_COLUMNS:
            last = f"{get_column_letter(len(cells))}{len(rows) + 1}"
            raise _refuse(name, Message("sheet_too_wide", {
                "sheet": sheet.title, "range": f"A1:{last}", "columns": len(cells),
                "max": MAX_COLUMNS}))
        if len(rows) > MAX_ROWS:
            raise _refuse(name, Message("too_many_rows", {"max": MAX_ROWS}))
        cells_read += len(cells)
        if cells_read > MAX_CELLS:
            raise _refuse(name, Message("too_many_cells", {"max": MAX_CELLS}))
        if rows:
            formulas.extend(_formulas(name, cells, rows[0]))
        row = [cell_text(c.value) for c in cells]
        while row and not row[-1]:
            row.pop()
        rows.append(row)
    if not any(rows):
        raise _refuse(name, Message("file_empty"))
    if not rows[0]:
        raise _refuse(name, Message("header_missing"))
    if formulas:
        raise ImportRejected(formulas.listed())
    width = max(len(r) for r in rows)
    padded = [r + [""] * (width - len(r)) for r in rows]
    return padded[0], padded[1:]


def read_workbook(name: str, raw: bytes, wanted: str | None) -> tuple[list[str], list[list[str]]]:
    """Header and rows of the chosen sheet, as text; ImportRejected for anything else."""
    archive = _archive(name, raw)
    try:
        book = load_workbook(io.BytesIO(raw), read_only=True, data_only=False)
    except Exception:  # openpyxl raises many types, in English, for a damaged file
        raise _refuse(name, Message("xlsx_unreadable")) from None
    try:
        sheet = _choose(name, book, wanted)
        _check_declared_range(name, sheet)
        _check_merged(name, archive, sheet._worksheet_path)
        return _rows(name, sheet)
    except ImportRejected:
        raise
    except Exception:  # a damaged sheet: bad XML, a string index out of range, ...
        raise _refuse(name, Message("xlsx_unreadable")) from None
    finally:
        book.close()
