"""Headers written another way than the template's: in Chinese (单位代码), as a label (Unit
code), in full-width letters or another case. They are recognised only to say which header the
template wants; they are not accepted in its place, since the template's first row is what an
import means (a guessed column could put values where they do not belong).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping

from evalcore.messages import Message

# Chinese names people give the template's fixed columns. Indicator names come from the rubric.
SCORE_ALIASES = {
    "单位代码": "unit_code", "代码": "unit_code", "行政区划代码": "unit_code",
    "单位": "unit_name", "单位名称": "unit_name", "地区": "unit_name",
    "评价人": "evaluator", "评分人": "evaluator", "评价组": "evaluator",
    "备注": "note", "说明": "note",
}
COMMUNITY_ALIASES = {
    "编号": "id", "小区编号": "id", "名称": "name", "小区名称": "name", "小区": "name",
    "县（市、区）": "county", "县市区": "county", "区县": "county", "所在县（市、区）": "county",
    "经度": "lon", "纬度": "lat", "批次": "batch_year", "批次年度": "batch_year",
    "年度": "batch_year", "状态": "status", "改造状态": "status", "户数": "households",
    "计划投资": "planned_investment_wan", "计划投资（万元）": "planned_investment_wan",
    "完成投资": "completed_investment_wan", "完成投资（万元）": "completed_investment_wan",
    "建成年代": "built_year", "建成年份": "built_year", "楼栋数": "buildings",
    "建筑面积": "floor_area_m2", "开工日期": "start_date", "竣工日期": "completion_date",
    "加装电梯": "lifts_added", "物业管理": "property_management", "维修资金": "maintenance_fund",
    "满意度": "satisfaction",
}


def fold(header: str) -> str:
    """Full-width folded, case folded, blanks and hyphens as underscores."""
    text = unicodedata.normalize("NFKC", header).strip().casefold()
    return "_".join(text.replace("-", " ").split())


def header_hints(present: Iterable[str], known: Iterable[str],
                 aliases: Mapping[str, str]) -> dict[str, Message]:
    """For each present header that is not a template header but names one: which it names."""
    known = list(known)
    wanted = {fold(a): code for a, code in aliases.items()} | {fold(k): k for k in known}
    return {c: Message("header_hint", {"column": c, "code": wanted[fold(c)]})
            for c in present if c not in known and fold(c) in wanted}
