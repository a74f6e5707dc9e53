"""Bonus: category points once per verified case, group caps, total cap, claimed vs awarded."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from scoring_fixtures import ZJ, board_row, make_inputs, rubric_with, tiny_rubric

from evalcore.rubric import Rubric
from evalcore.scoring import ScoringError, bonus_report, leaderboard

TINY = tiny_rubric()  # g: G1, G2, G3 (1 each, cross) cap 2; h: H1 (2, third party) cap 2; total 3


def _awarded(unit: str, category: str, stage: str, awarded: float = 1.0, case: int = 1) -> tuple:
    return (unit, stage, category, case, awarded, awarded)


def _claim(unit: str, category: str, points: float, case: int = 1) -> tuple:
    return (unit, "self", category, case, points, math.nan)


def _bonus(claims: list[tuple], stage: str = "final", rubric: Rubric = TINY) -> pd.Series:
    board = leaderboard(make_inputs(rubric, units=["A"], claims=claims), stage=stage)
    return board_row(board, "A")[["bonus", "bonus_claimed"]]


@pytest.mark.parametrize(
    ("claims", "bonus"),
    [
        ([], 0.0),
        ([_awarded("A", "G1", "cross")], 1.0),
        # Two cases of one category still earn its points once.
        ([_awarded("A", "G1", "cross"), _awarded("A", "G1", "cross", case=2)], 1.0),
        # A case awarded 0, or not assessed (NaN), earns nothing.
        ([_awarded("A", "G1", "cross", 0.0)], 0.0),
        ([_awarded("A", "G1", "cross", math.nan)], 0.0),
        # The category's points, not the case's awarded figure.
        ([_awarded("A", "H1", "third_party", 0.5)], 2.0),
        # No fallback: H1 is verified by the third party; a cross award does not count.
        ([_awarded("A", "H1", "cross", 2.0)], 0.0),
        ([_awarded("A", "G1", "self")], 0.0),
        # Group cap: three channels of group g (cap 2).
        ([_awarded("A", c, "cross") for c in ("G1", "G2", "G3")], 2.0),
        # Then the total cap: g 2 + h 2 = 4 → 3.
        ([_awarded("A", c, "cross") for c in ("G1", "G2", "G3")]
         + [_awarded("A", "H1", "third_party")], 3.0),
    ],
)
def test_awarded_bonus(claims: list[tuple], bonus: float) -> None:
    assert _bonus(claims)["bonus"] == pytest.approx(bonus)


def test_claimed_is_capped_the_same_way_and_kept_apart() -> None:
    claims = [_claim("A", "G1", 1), _claim("A", "G1", 1, case=2), _claim("A", "G2", 1),
              _claim("A", "H1", 2), _awarded("A", "G1", "cross")]
    assert list(_bonus(claims)) == [1.0, 3.0]  # claimed: G1 1 (not 2) + G2 1 + H1 2 → cap 3
    report = bonus_report(make_inputs(TINY, units=["A"], claims=claims)).set_index(
        "category_code")
    assert list(report["claimed"]) == [1.0, 1.0, 0.0, 2.0]
    assert list(report["awarded"]) == [1.0, 0.0, 0.0, 0.0]
    assert list(report["rejected"]) == [0.0, 1.0, 0.0, 2.0]


def test_cap_flags_in_the_report() -> None:
    claims = [_awarded("A", c, "cross") for c in ("G1", "G2")] + [
        _awarded("B", c, "cross") for c in ("G1", "G2", "G3")] + [
        _awarded("B", "H1", "third_party")]
    report = bonus_report(make_inputs(TINY, units=["A", "B"], claims=claims))
    flags = report.groupby("unit_code")[["group_cap_reached", "total_cap_reached"]].any()
    assert flags.loc["A"].tolist() == [True, False]  # g: 2 of cap 2, total 2 of 3
    assert flags.loc["B"].tolist() == [True, True]
    a = report.loc[report["unit_code"] == "A"].set_index("category_code")
    assert not a.loc["H1", "group_cap_reached"] and a.loc["G3", "group_cap_reached"]


@pytest.mark.parametrize(
    ("stage", "bonus"),
    [
        ("self", 3.0),  # claimed G1 1 + G2 1 + H1 2 = 4, total cap 3
        ("cross", 3.0),  # G1 and H1 awarded at cross
        ("third_party", 0.0),  # nothing awarded by the third party
        ("final", 1.0),  # G1 verified by cross; H1 needs the third party
    ],
)
def test_stage_views_count_the_bonus_as_that_stage_saw_it(stage: str, bonus: float) -> None:
    claims = [_claim("A", "G1", 1), _claim("A", "G2", 1), _claim("A", "H1", 2),
              _awarded("A", "G1", "cross"), _awarded("A", "H1", "cross", 2.0)]
    result = _bonus(claims, stage)
    assert result["bonus"] == pytest.approx(bonus)
    assert result["bonus_claimed"] == pytest.approx(3.0)  # the same in every view


def test_zhejiang_funding_group_and_total_caps() -> None:
    funding = [_awarded("A", f"F{i}", "cross") for i in range(1, 7)]
    recognition = [_awarded("A", r, "third_party") for r in ("R1", "R2")]
    assert _bonus(funding, rubric=ZJ)["bonus"] == 6.0
    assert _bonus(funding + recognition, rubric=ZJ)["bonus"] == 10.0
    report = bonus_report(make_inputs(ZJ, units=["A"], claims=funding + recognition))
    assert report["total_cap_reached"].all() and report["group_cap_reached"].all()


def test_zhejiang_funding_cap_binds_with_a_seventh_channel() -> None:
    bonus = ZJ.bonus.model_dump()
    bonus["categories"].append(
        {"code": "F7", "group": "funding", "points": 1, "stage": "cross",
         "name_zh": "其他", "name_en": "Other"})
    rubric = rubric_with(ZJ, bonus=bonus)
    funding = [_awarded("A", f"F{i}", "cross") for i in range(1, 8)]
    assert _bonus(funding, rubric=rubric)["bonus"] == 6.0
    recognition = [_awarded("A", r, "third_party") for r in ("R1", "R2")]
    assert _bonus(funding + recognition, rubric=rubric)["bonus"] == 10.0


def test_unknown_category_is_refused() -> None:
    with pytest.raises(ScoringError, match="Q9"):
        leaderboard(make_inputs(TINY, units=["A"], claims=[_awarded("A", "Q9", "cross")]))
