"""The demo's round workflow (issue 11): funding mechanisms, bonus cases that agree with them,
deductions, deadlines, submissions and problems, so every workflow page shows something real.

Everything here draws from its own generator (`workflow_rng`), so the communities and scores
drawn before it stay as they were. Who did what is recorded as demo accounts:
`unit:demo-<code>`, `group:demo-<leading city>`, `third_party:demo-institution`,
`admin:demo-admin`.

- Funding: a county has a mechanism for a seed channel from some year on (more likely where
  it works well); a community of a later batch uses it or not. A community without the
  channel has that money in its local fiscal share instead (its planned total is unchanged).
- Bonus: a unit claims a funding channel where its communities of the round's batch have money
  in it (accepted, the case's amount that community's money in the channel), and now and
  then where they have none (rejected, with the reason the data gives). Recognition only where
  ../shared/domain.md has a source: Hangzhou's State Council 督查激励 for 2021, received in
  2022 (A2).
- The draft round stands at STATUS_AS_OF: most units submitted their self-evaluation, a few
  did not or were reopened; two groups have not submitted; the third party is mid-window.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import numpy as np
import pandas as pd

from evalcore.demo.figures import ROUNDS, VETO
from evalcore.rubric import Rubric

# The six seed channels (domain.md A1) behind the rubric's funding categories F1–F6.
CHANNELS = {"F1": "social_capital", "F2": "residents", "F3": "pooled_fiscal",
            "F4": "utilities", "F5": "special_bonds", "F6": "bank_credit"}
# How likely a county has each mechanism by 2023, at quality 0 and 1.
ADOPTION = {"social_capital": (0.15, 0.75), "residents": (0.25, 0.9),
            "pooled_fiscal": (0.45, 0.95), "utilities": (0.2, 0.8),
            "special_bonds": (0.05, 0.45), "bank_credit": (0.05, 0.55)}
FIRST_YEAR, LAST_YEAR = 2019, 2023
THIRD_PARTY = "third_party:demo-institution"
# In the draft round, the groups led by these cities have not submitted their cross
# inspection (evalcore/demo/status.py) nor reviewed the bonus cases of the units they inspect.
DRAFT_GROUPS = ("330200", "330800")
ADMIN = "admin:demo-admin"
CASES = {
    "F1": ("{c}引入社会资本建设运营停车设施", "社会资本投资建设并以停车收费回收投资。"),
    "F2": ("{c}居民出资加装电梯", "居民按楼层分摊出资，政府给予补助。"),
    "F3": ("{c}统筹各部门资金综合改造", "统筹住建、民政、体育等部门资金同步实施改造。"),
    "F4": ("{c}管线单位出资实施“上改下”", "电力、通信单位出资实施强弱电管线入地。"),
    "F5": ("{c}改造项目使用专项债资金", "专项债资金用于片区改造及配套设施建设。"),
    "F6": ("{c}获金融机构改造专项贷款", "银行提供中长期贷款，以片区经营收益还款。"),
}
# (unit, round, category, title, note): each with its source in ../shared/domain.md. The State
# Council's 督查激励 for 2021 work was announced in 2022 (the source is dated 2022-06-14), so it
# counts in the round of the year it was received.
RECOGNITION = [
    ("330100", 2022, "R2", "杭州市获国务院2021年度老旧小区改造督查激励",
     "核实：国务院办公厅2021年度督查激励名单含杭州市（2022年通报；domain.md A2）。"),
]


def workflow_rng(seed: int) -> np.random.Generator:
    return np.random.default_rng([seed, 11])


def stage_days(year: int) -> dict[str, datetime]:
    """When each stage of round `year` recorded its work (inside its window)."""
    return {"self": datetime(year + 1, 1, 10), "cross": datetime(year + 1, 2, 15),
            "third_party": datetime(year + 1, 3, 20)}


def generate_round_stages() -> pd.DataFrame:
    """Deadlines of every round: self-evaluation due mid-January, cross inspection in
    February, the third party in March of the year after the work year."""
    rows = []
    for year in ROUNDS:
        after = year + 1
        rows += [(year, "self", None, date(after, 1, 20)),
                 (year, "cross", date(after, 2, 1), date(after, 2, 28)),
                 (year, "third_party", date(after, 3, 1), date(after, 3, 31))]
    return pd.DataFrame(rows, columns=["round_year", "stage", "opens", "closes"])


# -- funding mechanisms ------------------------------------------------------------------

def adoption_years(quality: pd.Series, counties: list[str], rng) -> pd.DataFrame:
    """County × channel: the first batch year with a mechanism (LAST_YEAR + 1: none yet)."""
    out = pd.DataFrame(LAST_YEAR + 1, index=counties, columns=list(ADOPTION))
    for channel, (low, high) in ADOPTION.items():
        q = quality.reindex(counties).to_numpy()
        level = np.clip((q - 0.55) / 0.42, 0, 1)
        has = rng.random(len(counties)) < low + (high - low) * level
        # Units that work well set their mechanisms up early.
        first = FIRST_YEAR + rng.geometric(0.3 + 0.65 * level) - 1
        out[channel] = np.where(has, first, LAST_YEAR + 1)
    return out


def apply_mechanisms(communities: pd.DataFrame, adopted: pd.DataFrame, rng) -> pd.DataFrame:
    """Communities whose county has no mechanism yet, or which did not use it, have none of
    that channel's money: it is in their local fiscal share instead."""
    out = communities.copy()
    first = adopted.reindex(out["county_code"])
    for channel in ADOPTION:
        column = f"fund_{channel}_wan"
        uses = (first[channel].to_numpy() <= out["batch_year"].to_numpy()) \
            & (rng.random(len(out)) < 0.7)
        moved = np.where(uses, 0.0, out[column].to_numpy())
        out["fund_local_fiscal_wan"] = np.round(out["fund_local_fiscal_wan"] + moved, 1)
        out[column] = np.where(uses, out[column], 0.0)
    return out


# -- bonus cases -------------------------------------------------------------------------

def _unit_communities(communities: pd.DataFrame, regions: pd.DataFrame) -> pd.DataFrame:
    """Each community once for its county and once for its city (unit_code)."""
    parent = regions.set_index("code")["parent_code"]
    return pd.concat([communities.assign(unit_code=communities["county_code"]),
                      communities.assign(unit_code=communities["county_code"].map(parent))],
                     ignore_index=True)


def _reviewers(groups: pd.DataFrame, regions: pd.DataFrame) -> dict[tuple[int, str], str]:
    """(round, unit) → the account label of the group inspecting it."""
    parent = regions.set_index("code")["parent_code"]
    city_of = {c: (c if parent.get(c) == "330000" else parent.get(c)) for c in parent.index}
    leader = {(r.round_year, r.inspected_city_code): r.leader_city_code
              for r in groups.itertuples()}
    return {(year, code): f"group:demo-{leader[(year, city)]}"
            for (year, city) in leader for code, c in city_of.items() if c == city}


def generate_bonus(rubric: Rubric, regions: pd.DataFrame, quality: pd.Series,
                   communities: pd.DataFrame, groups: pd.DataFrame, adopted: pd.DataFrame,
                   rng) -> pd.DataFrame:
    """Funding-channel cases that agree with the units' communities, plus the sourced
    recognition; a self row per claim and the verifying stage's row per review."""
    keep = ["id", "name", "county_code", "batch_year", *(f"fund_{c}_wan" for c in ADOPTION)]
    both = _unit_communities(communities[keep], regions)
    reviewer = _reviewers(groups, regions)
    rows: list[tuple] = []
    pending = {(y, g) for y, published in ROUNDS.items() if not published for g in DRAFT_GROUPS}
    by_unit = {key: part for key, part in both.groupby(["batch_year", "unit_code"])}
    none = both.iloc[0:0]
    counties_of = regions[regions["level"] == "county"].groupby("parent_code")["code"] \
        .apply(list).to_dict()
    for year in ROUNDS:
        for code, q in quality.items():
            mine = by_unit.get((year, code), none)
            counties = counties_of.get(code, [code])
            for cat in (c for c in rubric.bonus.categories if c.group == "funding"):
                channel = CHANNELS[cat.code]
                money = mine.loc[mine[f"fund_{channel}_wan"] > 0]
                money = money.sort_values([f"fund_{channel}_wan", "id"], ascending=[False, True])
                if len(money) and rng.random() < 0.55 + 0.4 * q:
                    for case_no, c in enumerate(money.head(1 + int(rng.random() < 0.3))
                                                .itertuples(), 1):
                        amount = float(getattr(c, f"fund_{channel}_wan"))
                        note = f"核实：{c.name}该渠道到位资金{amount:.1f}万元，机制和实例成立。"
                        case = _case(year, code, cat, case_no, c.name, amount, note,
                                     reviewer[(year, code)], True)
                        waiting = (year, reviewer[(year, code)].removeprefix("group:demo-"))
                        rows += case[:1] if waiting in pending else case
                elif not len(money) and rng.random() < 0.12 * (1.3 - q):
                    has_rule = bool((adopted.reindex(counties)[channel] <= year).any())
                    reason = ("已出台政策，但本年度改造小区该渠道无资金到位，无实例，不予加分。"
                              if has_rule else
                              "未形成机制：本年度改造小区该渠道无资金到位，不予加分。")
                    place = str(mine["name"].iloc[0]) if len(mine) else str(code)
                    rows += _case(year, code, cat, 1, place, None, reason,
                                  reviewer[(year, code)], False)
    for code, year, cat_code, title, note in RECOGNITION:
        cat = next(c for c in rubric.bonus.categories if c.code == cat_code)
        rows += _case(year, code, cat, 1, None, None, note, THIRD_PARTY, True, title=title)
    return pd.DataFrame(rows, columns=[
        "round_year", "unit_code", "stage", "category_code", "case_no", "case_title",
        "case_description", "points_claimed", "points_awarded", "review_note", "amount_wan",
        "recorded_by", "recorded_at"])


def _case(year, code, cat, case_no, place, amount, note, reviewer, accepted,
          title=None) -> list[tuple]:
    """The claim (self) and its review (the category's verifying stage)."""
    if title is None:
        template, text = CASES[cat.code]
        title, text = template.format(c=place), f"示例案例：{text}"
    else:
        text = "示例案例：获国家或省级激励（有公开来源）。"
    days = stage_days(year)
    who = reviewer if cat.stage == "cross" else THIRD_PARTY
    base = (year, code)
    case = (cat.code, case_no, title, text, float(cat.points))
    return [(*base, "self", *case, float(cat.points), None, amount, f"unit:demo-{code}",
             days["self"]),
            (*base, cat.stage, *case, float(cat.points) if accepted else 0.0, note, amount,
             who, days[cat.stage])]


# -- deductions --------------------------------------------------------------------------

def generate_deductions(quality: pd.Series, rng) -> pd.DataFrame:
    """A few petition deductions a round, recorded by the third party, and the fixed veto."""
    rows = []
    for year in ROUNDS:
        at = stage_days(year)["third_party"]
        for code in quality.index:
            if rng.random() < 0.05:
                rows.append((year, code, 1, "P1", float(rng.integers(1, 4)),
                             "示例数据：集中信访或负面舆情（模拟）", "third_party", THIRD_PARTY,
                             at))
    unit, year = VETO
    rows.append((year, unit, 9, "V1", 0.0, "示例数据：模拟一票否决情形（重大安全事故）", None,
                 ADMIN, stage_days(year)["third_party"] + timedelta(days=5)))
    return pd.DataFrame(rows, columns=["round_year", "unit_code", "seq", "code", "points",
                                       "reason", "stage", "recorded_by", "recorded_at"])
