"""The bonus cases workspace's tables (evalcore/views/bonus_cases.py): cases with their
verdicts and evidence counts, the points under the caps as the engine counts them, a unit's
own funding in a channel."""

from __future__ import annotations

import pandas as pd
import pytest

from evalcore.rubric import load_rubric
from evalcore.views import bonus_cases as view

RUBRIC = load_rubric("zj-2020")
U = "330602"


def claim(category: str, no: int, stage: str = "self", awarded=None) -> dict:
    points = next(c.points for c in RUBRIC.bonus.categories if c.code == category)
    return {"unit_code": U, "stage": stage, "category_code": category, "case_no": no,
            "case_title": f"{category}-{no}", "case_description": None, "amount_wan": None,
            "points_claimed": points, "points_awarded": awarded, "review_note": None,
            "recorded_by": "unit:x", "recorded_at": None}


CLAIMS = pd.DataFrame([
    *[claim(f"F{i}", 1) for i in range(1, 7)],
    *[claim(f"F{i}", 1, "cross", 1.0) for i in range(1, 7)],  # six channels accepted: cap 6
    claim("F1", 2),  # a second case of F1: the category counts once
    claim("R1", 1), claim("R1", 1, "third_party", 0.0),  # rejected
    claim("R2", 1),  # pending
])
FILES = pd.DataFrame({"unit_code": [U, U], "subject": ["bonus_case"] * 2,
                      "subject_key": ["self/F1/1", "self/F1/1"]})


def test_cases_with_status_and_evidence_counts() -> None:
    cases = view.unit_cases(CLAIMS, FILES, RUBRIC, U).set_index(["category_code", "case_no"])
    assert len(cases) == 9
    assert cases.loc[("F1", 1), "files"] == 2 and cases.loc[("F1", 2), "files"] == 0
    assert cases.loc[("F1", 1), "status"] == "awarded"
    assert cases.loc[("F1", 2), "status"] == "pending"
    assert cases.loc[("R1", 1), "status"] == "rejected"
    assert cases.loc[("R2", 1), "review_stage"] == "third_party"


def test_points_now_follow_the_engine_and_its_caps() -> None:
    now = view.points_now(RUBRIC, CLAIMS, U)
    assert now == {"awarded": 6.0, "claimed": 10.0, "cap": 10.0}  # funding 6 + R1 2 + R2 2
    caps = view.caps_frame(RUBRIC, CLAIMS, U, "en").set_index("Bonus category")
    assert caps.loc["F1 Social capital", "Group cap reached"] == "▲"


@pytest.mark.parametrize(("unit", "batch", "upto", "with_money"), [
    ("330602", 30.0, 40.0, 1), ("330600", 30.0, 45.0, 1)])
def test_channel_funding_of_the_units_own_communities(unit, batch, upto, with_money) -> None:
    regions = pd.DataFrame({"code": ["330600", "330602"], "parent_code": ["330000", "330600"]})
    communities = pd.DataFrame({"county_code": ["330602", "330602", "330602", "330600"],
                                "batch_year": [2023, 2023, 2022, 2022],
                                "fund_social_capital_wan": [30.0, 0.0, 10.0, 5.0]})
    found = view.channel_funding(communities, regions, unit, 2023, "social_capital")
    assert (found["batch_wan"], found["upto_wan"], found["with_money"]) == (batch, upto,
                                                                            with_money)


def test_user_text_stays_literal_in_markdown() -> None:
    shown = view.plain("![x](http://evil.example/a.png) [l](javascript:1) **b** <b>")
    assert "![" not in shown and "](" not in shown and "**" not in shown
    assert "http://" not in shown and "<b>" not in shown
    assert shown.replace("\\", "") == "![x](http://evil.example/a.png) [l](javascript:1) **b** <b>"
