"""The Excel template of problems found (整改), and their export for review.

The data sheet has the import's columns (importer/problem_rows.py TEMPLATE_COLUMNS) with a
list of severities and a guide sheet in Chinese and English; given the round's stored
problems, they follow in EXPORT_COLUMNS (the import's columns, then id and state). Every row
is written through evalcore.exports.append_row: text stays text, never a formula.
"""

from __future__ import annotations

from pathlib import Path
from typing import BinaryIO

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.datavalidation import DataValidation

from evalcore.exports import append_row
from evalcore.importer.problem_rows import EXPORT_COLUMNS, SHEET, TEMPLATE_COLUMNS
from evalcore.importer.template import HEADER_FILL
from evalcore.vocab import PROBLEM_SEVERITIES

GUIDE = (
    "{year}年度发现的问题：每行一个问题。单位填代码、全称或简称（设区市或县（市、区））；小区编号、指标代码可空"
    "（小区须属于该单位，指标须在本年度评分标准中）；问题描述必填；严重程度填 minor/major/serious"
    "（或 一般/较重/严重）；整改期限格式 YYYY-MM-DD，不早于 {year} 年。整个文件有任何问题都不会导入。",
    "Problems found in the {year} round: one problem a row. Name the unit (a city or county) by "
    "code, full or short name; community id and indicator code are optional (the community "
    "must be the unit's, the indicator in this round's rubric); the description is required; "
    "severity is minor, major or serious; the deadline is YYYY-MM-DD, not before {year}. A "
    "file with any problem is refused whole.",
)


def write_problem_template(path: Path | str | BinaryIO, year: int,
                           stored: pd.DataFrame | None = None) -> Path | BinaryIO:
    """The XLSX of problems for round `year`: the import's columns (TEMPLATE_COLUMNS) with a
    severity list and a guide; with `stored` (Store.problems rows) the round's problems
    follow in EXPORT_COLUMNS, for review (importing them again records them again)."""
    book = Workbook()
    sheet = book.active
    sheet.title = SHEET
    columns = TEMPLATE_COLUMNS if stored is None else EXPORT_COLUMNS
    append_row(sheet, columns)
    for cell in sheet[1]:
        cell.font, cell.fill = Font(bold=True), HEADER_FILL
    sheet.freeze_panes = "A2"
    for row in (stored if stored is not None else pd.DataFrame()).itertuples():
        append_row(sheet, [_cell(getattr(row, c, None)) for c in columns])
    rule = DataValidation(type="list", formula1='"' + ",".join(PROBLEM_SEVERITIES) + '"')
    rule.add("F2:F5000")
    sheet.add_data_validation(rule)
    for col, width in zip("ABCDEFG", (10, 14, 18, 10, 60, 10, 12), strict=True):
        sheet.column_dimensions[col].width = width
    guide = book.create_sheet("说明 guide")
    for text in GUIDE:
        append_row(guide, [text.format(year=year)])
        guide.cell(row=guide.max_row, column=1).alignment = Alignment(wrap_text=True)
    guide.column_dimensions["A"].width = 100
    target = Path(path) if isinstance(path, str | Path) else path
    book.save(target)
    return target


def _cell(value: object) -> object:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if isinstance(value, pd.Timestamp):
        return value.date()
    return value.item() if hasattr(value, "item") else value
