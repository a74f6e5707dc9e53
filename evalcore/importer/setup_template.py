"""Excel templates of a round's setup, filled with what is stored: each is also the export.

One data sheet in the import's columns (importer/setup.py COLUMNS), prefilled with the stored
targets, groups or deadlines of the round (the groups with the suggested rotation when none
are stored), and a guide sheet in Chinese and English. Downloading one, editing it and
importing it again changes exactly what was edited.
"""

from __future__ import annotations

from pathlib import Path
from typing import BinaryIO

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.datavalidation import DataValidation

from evalcore import rounds_setup
from evalcore.exports import append_row
from evalcore.importer.setup import TEMPLATE_COLUMNS
from evalcore.importer.template import HEADER_FILL
from evalcore.vocab import STAGES

GUIDES = {
    "targets": (
        "{year}年度目标任务：每行一个单位（全省、设区市、县（市、区）），填写当年计划开工小区数（整数，必填）、"
        "受益户数（整数，可空）和投资（万元，可空）。三项全空的行不导入；未列出的单位保留原值。"
        "不要修改表头，不要使用公式。",
        "Targets of {year}: one row per unit (province, city, county); communities to start "
        "(whole number, required), households (whole number, optional) and investment in "
        "¥10k (optional). Rows left blank are not imported; units not listed keep their stored "
        "values. Keep the header row as it is; no formulas."),
    "groups": (
        "{year}年度交叉互查检查组：共 {n} 组，每个设区市牵头一组、被检查一次，检查组不得检查本市。城市可填代码、全称或简称。"
        "组长姓名、职务和成员可空。",
        "Cross-inspection groups of {year}: {n} groups; every city leads one and is inspected "
        "once, and no group inspects its own city. Name cities by code, full or short name. "
        "The leader's name and title and the members may be left blank."),
    "deadlines": (
        "{year}年度考评时间：阶段填 self（市县自评）、cross（交叉互查）或 third_party（第三方评价）；"
        "日期格式 YYYY-MM-DD；市县自评只填截止日期（closes）；日期全空的阶段不导入。",
        "Deadlines of {year}: stage is self, cross or third_party; dates as YYYY-MM-DD; the "
        "self-evaluation has only its due date (closes); a stage with no date is not "
        "imported."),
}


def _header(sheet, columns: list[str]) -> None:
    append_row(sheet, columns)
    for cell in sheet[1]:
        cell.font, cell.fill = Font(bold=True), HEADER_FILL
    sheet.freeze_panes = "A2"


def _guide(book: Workbook, kind: str, year: int, n: int) -> None:
    sheet = book.create_sheet("说明 guide")
    for text in GUIDES[kind]:
        append_row(sheet, [text.format(year=year, n=n)])
        sheet.cell(row=sheet.max_row, column=1).alignment = Alignment(wrap_text=True)
    sheet.column_dimensions["A"].width = 100


def _cell(value: object) -> object:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    return value.item() if hasattr(value, "item") else value


def _targets_sheet(sheet, regions: pd.DataFrame, targets: pd.DataFrame) -> None:
    stored = targets.set_index("unit_code")
    for row in regions.sort_values("code").itertuples():
        values = stored.loc[row.code] if row.code in stored.index else None
        append_row(sheet, [row.code, row.name, *(
            None if values is None else _cell(values[c])
            for c in ("communities", "households", "investment_wan"))])
    sheet.column_dimensions["B"].width = 18


def _groups_sheet(sheet, regions: pd.DataFrame, groups: pd.DataFrame) -> None:
    names = regions.set_index("code")["name"]
    for row in groups.sort_values("group_no").itertuples():
        append_row(sheet, [int(row.group_no), names[row.leader_city_code],
                      names[row.inspected_city_code], _cell(row.leader_name),
                      _cell(row.leader_title), _cell(row.members)])
    cities = ",".join(regions.query("level == 'city'").sort_values("code")["name"])
    rule = DataValidation(type="list", formula1=f'"{cities}"', allow_blank=False)
    rule.add(f"B2:C{len(groups) + 1}")
    sheet.add_data_validation(rule)
    for col, width in zip("BCDEF", (12, 12, 12, 24, 48), strict=True):
        sheet.column_dimensions[col].width = width


def _deadlines_sheet(sheet, stages: pd.DataFrame) -> None:
    stored = stages.set_index("stage")
    for stage in STAGES:
        opens, closes = (stored.loc[stage, "opens"], stored.loc[stage, "closes"]) \
            if stage in stored.index else (None, None)
        append_row(sheet, [stage, *(None if d is None or pd.isna(d) else pd.Timestamp(d).date()
                               for d in (opens, closes))])
    for col in "BC":
        sheet.column_dimensions[col].width = 14
        for cell in sheet[col][1:]:
            cell.number_format = "yyyy-mm-dd"


def write_setup_template(path: Path | str | BinaryIO, kind: str, year: int,
                         regions: pd.DataFrame, stored: pd.DataFrame) -> Path | BinaryIO:
    """The XLSX of one kind (targets, groups, deadlines) for round `year`, filled with
    `stored` (the year's targets, the round's groups or deadlines; groups: the suggested
    rotation when empty)."""
    book = Workbook()
    sheet = book.active
    sheet.title = kind
    _header(sheet, TEMPLATE_COLUMNS[kind])
    cities = regions.query("level == 'city'")["code"]
    if kind == "targets":
        _targets_sheet(sheet, regions, stored)
    elif kind == "groups":
        groups = stored if not stored.empty else rounds_setup.suggest_groups(cities, year)
        _groups_sheet(sheet, regions, groups)
    else:
        _deadlines_sheet(sheet, stored)
    _guide(book, kind, year, len(cities))
    target = Path(path) if isinstance(path, str | Path) else path
    book.save(target)
    return target
