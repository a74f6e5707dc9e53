"""Excel templates of bonus cases and of deductions, filled with what is stored: each is also
the export of its table (written through evalcore.exports' safe writers: no formula from user
text). One data sheet in the import's columns (importer/bonus.py TEMPLATE_COLUMNS), a sheet of
the rubric's codes, and a guide in Chinese and English. Downloading one, editing it and
importing it again changes exactly what was edited."""

from __future__ import annotations

from pathlib import Path
from typing import BinaryIO

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment

from evalcore.exports import append_row
from evalcore.importer.bonus import TEMPLATE_COLUMNS
from evalcore.importer.setup_template import _cell, _header
from evalcore.rubric import Rubric

GUIDES = {
    "bonus": (
        "{year}年度加分案例：每行为一个案例在一个阶段的记录。stage 填 self（市县自评：申报案例，填写案例名称、说明、"
        "筹集金额万元）或该类别的核验阶段（cross 交叉互查 / third_party 第三方评价：verdict 填 accepted 认定或 "
        "rejected 不予认定，review_note 填理由，必填）。申报的案例须已在“加分案例”页面上传至少一个佐证材料。"
        "类别代码见“codes”表。",
        "Bonus cases of {year}: one row per case and stage. stage self claims a case (title, "
        "description, amount raised in ¥10k); the category's verifying stage (cross or "
        "third_party) gives the verdict: verdict accepted or rejected, review_note the reason "
        "(required). A claimed case must already have at least one evidence file, uploaded on "
        "the bonus cases page. Category codes: sheet 'codes'."),
    "deductions": (
        "{year}年度扣分与一票否决：每行一条。code 为扣分项或否决项代码（见“codes”表）；points 须在该项分值范围内"
        "（超出将被拒绝，不会截断）；否决项不填分值或填 0；reason 必填。seq 留空为新增，填写已有序号则修改该条。",
        "Deductions and vetoes of {year}: one row per entry. code: a deduction item or veto "
        "(sheet 'codes'); points within the item's range (outside it the file is refused, "
        "never clipped); a veto has no points (blank or 0); reason required. Leave seq blank "
        "for a new entry; give a stored seq to correct that entry."),
}


def _guide(book: Workbook, texts: list[str]) -> None:
    sheet = book.create_sheet("说明 guide")
    for text in texts:
        append_row(sheet, [text])
        sheet.cell(row=sheet.max_row, column=1).alignment = Alignment(wrap_text=True)
    sheet.column_dimensions["A"].width = 100


def _codes(book: Workbook, rubric: Rubric, kind: str) -> None:
    sheet = book.create_sheet("codes")
    if kind == "bonus":
        append_row(sheet, ["category_code", "name_zh", "name_en", "points", "stage",
                           "funding_source"])
        for c in rubric.bonus.categories:
            append_row(sheet, [c.code, c.name_zh, c.name_en, c.points, c.stage,
                               c.funding_source or ""])
        return
    append_row(sheet, ["code", "name_zh", "name_en", "min_points", "max_points"])
    for d in rubric.deductions.items:
        append_row(sheet, [d.code, d.name_zh, d.name_en, d.min_points, d.max_points])
    for v in rubric.vetoes:
        append_row(sheet, [v.code, v.name_zh, v.name_en, 0, 0])


def _values(kind: str, row: pd.Series, names: pd.Series) -> list:
    unit = row["unit_code"]
    if kind == "deductions":
        return [unit, names.get(unit), int(row["seq"]), row["code"], _cell(row["points"]),
                _cell(row["reason"])]
    verdict = None
    if row["stage"] != "self" and not pd.isna(row["points_awarded"]):
        verdict = "accepted" if row["points_awarded"] > 0 else "rejected"
    return [unit, names.get(unit), row["category_code"], int(row["case_no"]), row["stage"],
            _cell(row["case_title"]), _cell(row["case_description"]), _cell(row["amount_wan"]),
            verdict, _cell(row["review_note"])]


def write_bonus_template(path: Path | str | BinaryIO, kind: str, year: int, rubric: Rubric,
                         regions: pd.DataFrame, stored: pd.DataFrame) -> Path | BinaryIO:
    """The XLSX of bonus cases or deductions of round `year`, filled with `stored` (the rows
    the viewer may see)."""
    book = Workbook()
    sheet = book.active
    sheet.title = kind
    _header(sheet, TEMPLATE_COLUMNS[kind])
    names = regions.set_index("code")["name"]
    for _, row in stored.iterrows():
        append_row(sheet, _values(kind, row, names))
    for col, width in zip("BFGJ", (12, 30, 40, 40), strict=True):
        sheet.column_dimensions[col].width = width
    _codes(book, rubric, kind)
    _guide(book, [g.format(year=year) for g in GUIDES[kind]])
    target = Path(path) if isinstance(path, str | Path) else path
    book.save(target)
    return target
