"""Excel templates generated from the rubric: what evaluators fill in for a round and stage."""

from __future__ import annotations

from pathlib import Path
from typing import BinaryIO

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation

from evalcore.exports import append_row
from evalcore.importer.scores import SHEET, score_columns
from evalcore.rubric import Rubric

STAGE_NAMES = {"self": "市县自评", "cross": "交叉互查", "third_party": "第三方评价"}
HEADER_FILL = PatternFill("solid", fgColor="DDE7F3")


def _score_sheet(book: Workbook, rubric: Rubric, units: pd.DataFrame) -> None:
    sheet = book.active
    sheet.title = SHEET
    columns = score_columns(rubric)
    append_row(sheet, columns)
    for row in units.itertuples():
        append_row(sheet, [row.code, row.name])
    last = len(units) + 1
    for idx, ind in enumerate(rubric.manual_indicators(), start=3):
        letter = sheet.cell(row=1, column=idx).column_letter
        rule = DataValidation(type="decimal", operator="between", formula1="0",
                              formula2=str(ind.max), allow_blank=True, showErrorMessage=True,
                              errorTitle=ind.code, error=f"0 – {ind.max:g}")
        rule.add(f"{letter}2:{letter}{last}")
        sheet.add_data_validation(rule)
    for cell in sheet[1]:
        cell.font, cell.fill = Font(bold=True), HEADER_FILL
    sheet.freeze_panes = "C2"
    sheet.column_dimensions["B"].width = 16


def _guide_sheet(book: Workbook, rubric: Rubric, year: int, stage: str) -> None:
    sheet = book.create_sheet("说明 guide")
    append_row(sheet, [f"{year}年度 {STAGE_NAMES[stage]} ({stage}) · {rubric.rubric.name_zh}"])
    append_row(sheet, ["在 scores 表中按单位逐项填写得分（数值，可留空表示未评）；不要修改表头，不要使用公式。"])
    append_row(sheet, ["Fill in points per unit in the scores sheet (numbers; blank = not scored). "
                  "Keep the header row as it is; no formulas."])
    append_row(sheet, [])
    append_row(sheet, ["code", "指标", "indicator", "max", "verifying stage", "评分规则", "rule"])
    for cell in sheet[5]:
        cell.font, cell.fill = Font(bold=True), HEADER_FILL
    for i in rubric.manual_indicators():
        append_row(sheet, [i.code, i.name_zh, i.name_en, i.max, i.stage, i.rule_zh, i.rule_en])
    for col, width in zip("ABCDEFG", (8, 26, 36, 6, 14, 40, 40), strict=True):
        sheet.column_dimensions[col].width = width
        for cell in sheet[col]:
            cell.alignment = Alignment(wrap_text=True, vertical="top")


def write_score_template(
    path: Path | str | BinaryIO, rubric: Rubric, regions: pd.DataFrame, year: int, stage: str
) -> Path | BinaryIO:
    """An XLSX with one row per city and county and one column per hand-scored indicator."""
    units = regions[regions["level"].isin(["city", "county"])].sort_values("code")
    book = Workbook()
    _score_sheet(book, rubric, units)
    _guide_sheet(book, rubric, year, stage)
    target = Path(path) if isinstance(path, str | Path) else path
    book.save(target)
    return target
