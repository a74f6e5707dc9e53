"""The demo's submissions and problems (issue 11): published rounds fully submitted; the draft
round 2023 in progress at STATUS_AS_OF, with problems open, answered, returned and closed,
some past their deadline. Drawn from the workflow generator (evalcore/demo/workflow.py)."""

from __future__ import annotations

from datetime import datetime, timedelta

import pandas as pd

from evalcore.demo.figures import ROUNDS, STATUS_AS_OF
from evalcore.demo.workflow import ADMIN, DRAFT_GROUPS, THIRD_PARTY, stage_days

DRAFT_YEAR = next(y for y, published in ROUNDS.items() if not published)
# Kept editable in the draft round, so a demo user can try online entry: 西湖's
# self-evaluation was reopened; the groups led by 宁波 and 衢州 have not submitted their cross
# inspection (workflow.DRAFT_GROUPS).
REOPENED = ("330106", "330383", "331002")
PROBLEMS = {  # indicator → (description, answer); demo texts, labelled as such
    "B1": ("示例：抽查项目档案缺少竣工验收资料", "示例：已补齐竣工验收资料并归档"),
    "B2": ("示例：联合验收未邀请居民代表参加", "示例：已组织居民代表补充验收"),
    "C3": ("示例：部分楼道照明、消防设施未按方案改造", "示例：已完成楼道照明和消防设施改造"),
    "C4": ("示例：改造方案公示不足7天", "示例：已重新公示并留存公示照片"),
    "E2": ("示例：维修资金续筹方案未落实", "示例：业主大会已表决通过续筹方案"),
    "E4": ("示例：改造后小区出现乱堆乱放回潮", "示例：已清理并纳入日常巡查"),
}
SEVERITY = (("minor", 0.55), ("major", 0.35), ("serious", 0.10))


def generate_submissions(scores: pd.DataFrame, groups: pd.DataFrame, regions: pd.DataFrame,
                         rng) -> pd.DataFrame:
    """Who submitted which stage: everything in published rounds; in the draft round most
    self-evaluations (a few not, three reopened), the cross inspection of all but two groups,
    and the third party's for most units it has scored."""
    entered = scores[["round_year", "unit_code", "stage"]].drop_duplicates()
    parent = regions.set_index("code")["parent_code"]
    city_of = {c: (c if parent.get(c) == "330000" else parent.get(c)) for c in parent.index}
    leader = {(r.round_year, r.inspected_city_code): r.leader_city_code
              for r in groups.itertuples()}
    rows = []
    for r in entered.sort_values(["round_year", "unit_code", "stage"]).itertuples(index=False):
        by = {"self": f"unit:demo-{r.unit_code}",
              "cross": f"group:demo-{leader[(r.round_year, city_of[r.unit_code])]}",
              "third_party": THIRD_PARTY}[r.stage]
        at = stage_days(r.round_year)[r.stage] + timedelta(days=2)
        draw = rng.random()
        if r.round_year == DRAFT_YEAR:
            if r.stage == "self" and (draw < 0.07 and r.unit_code not in REOPENED):
                continue  # never submitted: overdue since the self-evaluation closed
            if r.stage == "cross" and by.removeprefix("group:demo-") in DRAFT_GROUPS:
                continue
            if r.stage == "third_party" and draw < 0.2:
                continue  # the third party's window is still open
        status, reopened = "submitted", (None, None, None)
        if r.round_year == DRAFT_YEAR and r.stage == "self" and r.unit_code in REOPENED:
            status = "reopened"
            reopened = (at + timedelta(days=20), ADMIN, "示例：自评分值与佐证材料不一致，退回修改")
        rows.append((r.round_year, r.unit_code, r.stage, status, at, by, *reopened))
    return pd.DataFrame(rows, columns=["round_year", "unit_code", "stage", "status",
                                       "submitted_at", "submitted_by", "reopened_at",
                                       "reopened_by", "reopen_reason"])


def generate_problems(quality: pd.Series, communities: pd.DataFrame, groups: pd.DataFrame,
                      regions: pd.DataFrame, rng) -> pd.DataFrame:
    """Problems of the draft round, found by the groups (February) and the third party (March),
    weaker units more often; where each stands at STATUS_AS_OF."""
    parent = regions.set_index("code")["parent_code"]
    leader = {r.inspected_city_code: r.leader_city_code
              for r in groups[groups["round_year"] == DRAFT_YEAR].itertuples()}
    batch = communities[communities["batch_year"] == DRAFT_YEAR]
    counties = quality[quality.index.map(parent) != "330000"]
    chance = 0.2 + 0.6 * (1 - (counties - 0.55) / 0.42).clip(0, 1)
    rows, next_id = [], 1
    for code, p in chance.items():
        for _ in range(int(rng.random() < p) + int(rng.random() < p / 3)):
            rows.append(_problem(next_id, code, batch, leader[parent[code]], rng))
            next_id += 1
    return pd.DataFrame(rows, columns=[
        "id", "round_year", "unit_code", "community_id", "indicator_code", "found_stage",
        "description", "severity", "deadline", "status", "found_by", "found_at", "answer",
        "answered_by", "answered_at", "review_note", "closed_by", "closed_at"])


def _problem(pid: int, code: str, batch: pd.DataFrame, leader: str, rng) -> tuple:
    by_group = rng.random() < 0.6
    stage = "cross" if by_group else "third_party"
    finder = f"group:demo-{leader}" if by_group else THIRD_PARTY
    start = stage_days(DRAFT_YEAR)[stage] - timedelta(days=10)
    found = start + timedelta(days=int(rng.integers(0, 18)))
    indicator = str(rng.choice(sorted(PROBLEMS)))
    description, answer = PROBLEMS[indicator]
    severity = str(rng.choice([s for s, _ in SEVERITY], p=[w for _, w in SEVERITY]))
    deadline = (found + timedelta(days={"minor": 30, "major": 21, "serious": 14}[severity])).date()
    mine = batch[batch["county_code"] == code]
    community = str(mine["id"].iloc[int(rng.integers(0, len(mine)))]) if len(mine) else None
    weights = [0.3, 0.3, 0.1, 0.3] if by_group else [0.6, 0.3, 0.1, 0.0]
    status = str(rng.choice(["open", "answered", "returned", "closed"], p=weights))
    answered = found + timedelta(days=int(rng.integers(5, 15)))
    now = datetime.combine(STATUS_AS_OF, datetime.min.time())
    answered = min(answered, now - timedelta(days=2))
    unit = f"unit:demo-{code}"
    answer_part = (None, None, None) if status == "open" else (answer, unit, answered)
    note = {"returned": "示例：整改佐证不足，请补充现场照片", "closed": "示例：已现场复核，同意销号"}
    closed = (finder, min(answered + timedelta(days=3), now)) if status == "closed" else (None,
                                                                                         None)
    return (pid, DRAFT_YEAR, code, community, indicator, stage, description, severity,
            deadline, status, finder, found, *answer_part, note.get(status), *closed)


__all__ = ["DRAFT_YEAR", "generate_problems", "generate_submissions"]
