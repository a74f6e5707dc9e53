"""Synthetic evaluation rounds: targets, inspection groups, three-stage scores (bonus cases,
deductions and the round workflow: evalcore/demo/workflow.py, evalcore/demo/status.py).

Patterns follow how such evaluations behave: self-evaluation is usually the highest and a few
units inflate it clearly; cross inspection is close to the truth; the third party is the
strictest. Each unit has a latent quality that persists and slowly improves year to year.
"""

from __future__ import annotations

from datetime import datetime

import numpy as np
import pandas as pd

from evalcore.demo.allocate import allocate, county_weights
from evalcore.demo.figures import ROUNDS, RUBRIC_VERSION, STRONG_UNITS, TARGETS
from evalcore.rubric import Rubric

THIRD_PARTY = "第三方专业机构（示例）"
# Case texts of the national benchmark (evalcore/demo/national.py); the Zhejiang demo's cases
# follow its communities' funding (evalcore/demo/workflow.py).
CASE_TEMPLATES = {
    "F1": ("{c}引入社会资本建设运营停车设施", "社会资本投资建设并以停车收费回收投资。"),
    "F2": ("{c}居民出资加装电梯", "居民按楼层分摊出资，政府给予补助。"),
    "F3": ("{u}统筹各部门资金综合改造", "统筹住建、民政、体育等部门资金同步实施改造。"),
    "F4": ("{c}管线单位出资实施“上改下”", "电力、通信单位出资实施强弱电管线入地。"),
    "F5": ("{u}申报老旧小区改造专项债", "专项债资金用于片区改造及配套设施建设。"),
    "F6": ("{u}获金融机构改造专项贷款", "银行提供中长期贷款，以片区经营收益还款。"),
    "R1": ("{u}改造经验获推广", "做法入选可复制政策机制清单或在全省推广。"),
    "R2": ("{u}获督查激励或省级示范", "获国务院督查激励或省级示范称号。"),
}


def unit_quality(regions: pd.DataFrame, rng: np.random.Generator) -> pd.Series:
    """A persistent latent quality in [0.55, 0.97] per city and county."""
    units = regions[regions["level"] != "province"]["code"].sort_values()
    q = pd.Series(0.55 + 0.4 * rng.beta(4, 2.5, len(units)), index=units.to_numpy())
    for code, value in STRONG_UNITS.items():
        q[code] = value
    return q


def inflaters(quality: pd.Series, rng: np.random.Generator) -> pd.Series:
    """How much each unit inflates its self-evaluation: a few do it clearly."""
    clear = rng.random(len(quality)) < 0.12
    return pd.Series(np.where(clear, rng.uniform(0.18, 0.3, len(quality)), 0.03), quality.index)


def generate_targets(regions: pd.DataFrame) -> pd.DataFrame:
    """Provincial targets split over counties by the same weights; cities sum their counties."""
    weights = county_weights(regions)
    parent = regions.set_index("code")["parent_code"]
    rows = []
    for year, (communities, households, investment) in TARGETS.items():
        county = pd.DataFrame({"communities": allocate(communities, weights)})
        for col, total in (("households", households), ("investment_wan", investment)):
            county[col] = (weights / weights.sum() * total).round(0) if total else np.nan
        city = county.groupby(county.index.map(parent)).sum(min_count=1)
        province = pd.DataFrame([[communities, households, investment]], index=["330000"],
                                columns=county.columns)
        part = pd.concat([province, city, county]).rename_axis("unit_code").reset_index()
        rows.append(part.assign(year=year))
    frame = pd.concat(rows, ignore_index=True)
    return frame[["year", "unit_code", "communities", "households", "investment_wan"]]


def generate_rounds() -> pd.DataFrame:
    return pd.DataFrame(
        [
            {"year": y, "rubric_version": RUBRIC_VERSION, "published": pub,
             "published_at": datetime(y + 1, 4, 20) if pub else None}
            for y, pub in ROUNDS.items()
        ]
    )


def generate_groups(regions: pd.DataFrame) -> pd.DataFrame:
    """11 groups a round, each led by one city and inspecting another on a yearly rotation."""
    cities = regions[regions["level"] == "city"]["code"].sort_values().to_list()
    rows = []
    for year in ROUNDS:
        shift = (year - 2020) % (len(cities) - 1) + 1  # never 0: no group inspects its own city
        rows += [
            {"round_year": year, "group_no": g + 1, "leader_city_code": leader,
             "inspected_city_code": cities[(g + shift) % len(cities)]}
            for g, leader in enumerate(cities)
        ]
    return pd.DataFrame(rows)


def _stage_points(true: np.ndarray, maxima: np.ndarray, inflation: float, rng) -> dict:
    """Self above the truth, cross near it, third party a little below; all within [0, max]."""
    n = len(true)
    third = true - np.abs(rng.normal(0, 0.04, n)) * maxima
    cross = true + rng.normal(0.01, 0.03, n) * maxima
    self_ = true + (inflation + np.abs(rng.normal(0, 0.05, n))) * maxima
    return {
        s: np.round(np.clip(v, 0, maxima), 1)
        for s, v in (("self", self_), ("cross", cross), ("third_party", third))
    }


def _evaluators(regions: pd.DataFrame, groups: pd.DataFrame) -> dict:
    names = regions.set_index("code")["name"]
    parent = regions.set_index("code")["parent_code"]
    out = {}
    for row in groups.itertuples():
        label = f"第{row.group_no}组（组长单位：{names[row.leader_city_code]}）"
        for code in names.index:
            city = code if parent.get(code) == "330000" else parent.get(code)
            if city == row.inspected_city_code:
                out[(row.round_year, code)] = label
    return out


def generate_scores(
    rubric: Rubric, regions: pd.DataFrame, quality: pd.Series, inflation: pd.Series,
    groups: pd.DataFrame, rng: np.random.Generator,
) -> pd.DataFrame:
    """Hand-scored indicators at all three stages, every unit, every round."""
    indicators = rubric.manual_indicators()
    maxima = np.array([i.max for i in indicators])
    names = regions.set_index("code")["name"]
    group_of = _evaluators(regions, groups)
    rows = []
    for year, published in ROUNDS.items():
        # In the draft round the third party has not yet visited about a third of the units.
        pending = set() if published else set(quality.index[rng.random(len(quality)) < 0.3])
        for code, q in quality.items():
            level = min(0.99, q + 0.015 * (year - 2020))
            true = np.clip(level + rng.normal(0, 0.1, len(maxima)), 0, 1) * maxima
            stages = _stage_points(true, maxima, inflation[code], rng)
            evaluators = {"self": f"{names[code]}住房和城乡建设局（自评）",
                          "cross": group_of[(year, code)], "third_party": THIRD_PARTY}
            recorded = {"self": datetime(year + 1, 1, 10), "cross": datetime(year + 1, 2, 15),
                        "third_party": datetime(year + 1, 3, 20)}
            for stage, points in stages.items():
                if stage == "third_party" and code in pending:
                    continue
                for ind, p, s in zip(indicators, points, stages["self"], strict=True):
                    note = "自评依据不足，已核减" if stage == "cross" and s - p > 0.15 * ind.max else None
                    rows.append((year, code, stage, ind.code, float(p), evaluators[stage], note,
                                 recorded[stage]))
    return pd.DataFrame(rows, columns=["round_year", "unit_code", "stage", "indicator_code",
                                       "points", "evaluator", "note", "recorded_at"])
