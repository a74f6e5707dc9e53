"""Bonus view models: the matrix, cap marks, the case list, the funding mix."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from evalcore.rubric import load_rubric
from evalcore.scoring.bonus import bonus_table
from evalcore.views import bonus as view

ZJ = load_rubric("zj-2020")
BOARD = pd.DataFrame({"unit_code": ["B", "A"], "unit_name": ["乙市", "甲市"], "rank": [1, 2],
                      "bonus": [10.0, 1.0]})


def _claim(unit, stage, cat, case, claimed, awarded, note=None):
    return {"unit_code": unit, "stage": stage, "category_code": cat, "case_no": case,
            "case_title": f"{unit}{cat}案例{case}", "case_description": "说明",
            "points_claimed": claimed, "points_awarded": awarded, "review_note": note}


# B claims everything and gets everything (both caps); A: F1 awarded, F2 rejected, R1 pending.
CLAIMS = pd.DataFrame(
    [_claim("B", s, c.code, 1, c.points, c.points) for c in ZJ.bonus.categories
     for s in ("self", c.stage)]
    + [_claim("A", "self", "F1", 1, 1, 1), _claim("A", "cross", "F1", 1, 1, 1),
       _claim("A", "self", "F2", 1, 1, 1), _claim("A", "cross", "F2", 1, 1, 0, "无实例"),
       _claim("A", "self", "R1", 1, 2, 2), _claim("X", "self", "F1", 1, 1, 1)]
)
REPORT = bonus_table(ZJ, CLAIMS, pd.Index(["A", "B"]), "final")


@pytest.mark.parametrize(("value", "row_a", "row_b"), [
    ("claimed", 4.0, 10.0),  # B: six funding channels × 1 + two recognitions × 2
    ("awarded", 1.0, 10.0),
    ("rejected", 3.0, 0.0),
])
def test_matrix_sums_equal_the_engine_report(value, row_a, row_b) -> None:
    wide = view.matrix(REPORT, value, BOARD, ZJ)
    assert list(wide.index) == ["B", "A"]  # rank order
    assert list(wide.columns) == view.category_codes(ZJ)
    sums = REPORT.groupby("unit_code")[value].sum()
    assert wide.sum(axis=1).to_dict() == sums.to_dict()
    assert wide.loc["A"].sum() == row_a
    assert wide.loc["B"].sum() == row_b


def test_cap_flags_and_marks() -> None:
    flags = view.cap_flags(REPORT, ZJ, "zh")
    assert flags.loc["B", "total"] and not flags.loc["A", "total"]
    assert flags.loc["B", "groups"] == "资金筹集机制、经验推广与激励"
    assert flags.loc["A", "groups"] == ""
    wide = view.matrix(REPORT, "awarded", BOARD, ZJ)
    text = view.cell_marks(wide, REPORT)
    assert text.loc["B", "F1"] == "1▲" and text.loc["A", "F1"] == "1" and text.loc["A", "F2"] == "·"
    assert view.row_labels(wide, REPORT, BOARD, "en") == ["乙市 (B) ■", "甲市 (A)"]


def test_matrix_frame_puts_sums_and_caps_first() -> None:
    wide = view.matrix(REPORT, "claimed", BOARD, ZJ)
    shown = view.matrix_frame(wide, REPORT, BOARD, ZJ, "en")
    assert list(shown.columns[:5]) == ["Unit", "Sum (before caps)", "Bonus counted",
                                       "Group cap reached", "Total cap reached"]
    assert shown["Total cap reached"].tolist() == ["■", ""]
    assert shown["Bonus counted"].tolist() == [10.0, 1.0]
    assert shown["F1 Social capital"].tolist() == [1.0, 1.0]


def test_cases_one_row_per_case_with_verdict_of_the_verifying_stage() -> None:
    cases = view.cases(CLAIMS, ZJ, BOARD, "final")
    assert "X" not in set(cases["unit_code"])  # outside the peer set
    a = cases.loc[cases["unit_code"] == "A"].set_index("category_code")
    assert a["status"].to_dict() == {"F1": "awarded", "F2": "rejected", "R1": "pending"}
    assert a.loc["F2", "review_note"] == "无实例"
    assert a.loc["R1", "review_stage"] == "third_party"
    assert cases["unit_code"].tolist()[0] == "B"  # rank order
    assert len(cases) == len(ZJ.bonus.categories) + 3


@pytest.mark.parametrize(("view_stage", "expected"), [("final", "cross"), ("self", "cross"),
                                                      ("third_party", "third_party")])
def test_review_stage(view_stage, expected) -> None:
    assert view.review_stage(ZJ, "F1", view_stage) == expected


def test_cases_filter_by_category_and_without_notes() -> None:
    cases = view.cases(CLAIMS.drop(columns="review_note"), ZJ, BOARD, "final", "F2")
    assert set(cases["category_code"]) == {"F2"}
    assert cases["review_note"].isna().all()
    shown = view.cases_frame(cases, BOARD, ZJ, "zh")
    assert shown["结果"].tolist() == ["✅ 予以认定", "❌ 不予认定"]


@pytest.mark.parametrize("view_stage", ["final", "self", "cross", "third_party"])
@pytest.mark.parametrize(("claims", "board"), [
    (CLAIMS, BOARD.iloc[0:0]),  # no unit the viewer may see (a unit user at city level)
    (CLAIMS.iloc[0:0], BOARD),  # no case in the peer set (a city with no visible claims)
    (CLAIMS, BOARD.assign(unit_code=["Y", "Z"])),  # units without any claim
])
def test_no_case_gives_an_empty_list_not_an_error(claims, board, view_stage) -> None:
    cases = view.cases(claims, ZJ, board, view_stage)
    assert cases.empty and {"review_stage", "status", "points_awarded"} <= set(cases.columns)
    shown = view.cases_frame(cases, board, ZJ, "en")
    assert shown.empty and "Reviewed at" in shown.columns


@pytest.mark.parametrize(("text", "width", "expected"), [
    ("统筹使用各级各部门财政资金", 7, "统筹使用各级各<br>部门财政资金"),
    ("社会资本", 7, "社会资本"),
])
def test_wrap(text, width, expected) -> None:
    assert view.wrap(text, width) == expected


def _communities() -> pd.DataFrame:
    funds = {f"fund_{s}_wan": 1.0 for s in view.FUND_SOURCES}
    rows = [{"county_code": "A1", "batch_year": 2022, **funds},
            {"county_code": "A2", "batch_year": 2022, **funds, "fund_residents_wan": 5.0},
            {"county_code": "B1", "batch_year": 2021, **funds}]
    return pd.DataFrame(rows)


REGIONS = pd.DataFrame({"code": ["A", "B", "A1", "A2", "B1"],
                        "parent_code": ["P", "P", "A", "A", "B"]})


def test_funding_mix_by_city_for_the_round_batch() -> None:
    mix = view.funding_mix(_communities(), REGIONS, 2022, BOARD, "city")
    assert list(mix.index) == ["B", "A"] and list(mix.columns) == list(view.FUND_SOURCES)
    assert mix.loc["A", "residents"] == 6.0 and mix.loc["A", "central"] == 2.0
    assert mix.loc["B"].sum() == 0.0  # B's communities are in another batch
    assert view.seed_share(mix) == pytest.approx((2 * 6 + 4) / (2 * 9 + 4))


def test_seed_share_of_nothing_is_nan() -> None:
    empty = pd.DataFrame(0.0, index=["A"], columns=list(view.FUND_SOURCES))
    assert math.isnan(view.seed_share(empty))
