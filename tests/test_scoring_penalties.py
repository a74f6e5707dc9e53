"""Deductions: out-of-range entries refused, item caps, total cap, automatic credibility
deduction, vetoes."""

from __future__ import annotations

import pandas as pd
import pytest
from scoring_fixtures import (
    ZJ,
    board_row,
    full_metrics,
    make_inputs,
    tiny_rubric,
    tiny_verified,
    uniform_scores,
    units_frame,
)

from evalcore.rubric import Rubric
from evalcore.scoring import ScoringError, deduction_report, leaderboard
from evalcore.scoring.penalties import check_deductions

# Tiny rubric: P1 [1, 3] cap 2; P2 [0.5, 2] cap 2; SC [1, 1] cap 1; total cap 3; veto V1.
TINY = tiny_rubric()


def _deductions(
    rows: list[tuple[str, float]], rubric: Rubric = TINY, scores: list[tuple] | None = None
) -> float:
    ded = [("A", i + 1, code, points) for i, (code, points) in enumerate(rows)]
    board = leaderboard(make_inputs(rubric, units=["A"], scores=scores or [], deductions=ded))
    return float(board_row(board, "A")["deductions"])


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        ([], 0.0),
        ([("P1", 1.0)], 1.0),  # the ends of an item's range are in it
        ([("P1", 3.0)], 2.0),  # 3, then the item cap 2
        ([("P1", 3.0 + 1e-12)], 2.0),  # float noise above the maximum is not a new value
        ([("P1", 1.0), ("P1", 1.5)], 2.0),  # item cap across rows
        ([("P1", 1.0), ("P2", 0.5)], 1.5),
        ([("P1", 2.0), ("P2", 2.0)], 3.0),  # 4 → total cap 3
        ([("V1", 5.0)], 0.0),  # veto rows carry no points (theirs are ignored)
    ],
)
def test_deduction_caps(rows: list[tuple[str, float]], expected: float) -> None:
    assert _deductions(rows) == pytest.approx(expected)


# Rule changed: these entries were clipped into the item's range (P1 0.5 counted 1, P1 5
# counted 3, P2 0.2 counted 0.5); an evaluator expects an entry outside the range refused.
@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ([("P1", 5.0)], "unit A, item P1, 5 points: outside the item's range 1–3"),
        ([("P1", 0.5)], "unit A, item P1, 0.5 points: outside the item's range 1–3"),
        ([("P1", 1.0), ("P2", 0.2)], "unit A, item P2, 0.2 points: outside"),
        ([("P2", -1.0)], "unit A, item P2, -1 points: a deduction cannot be negative"),
        ([("P1", float("nan"))], "no points for unit A, item P1"),
        ([("XX", 1.0)], "unit A, item XX: no such deduction item"),
    ],
)
def test_an_entry_outside_its_item_range_is_refused(rows: list[tuple[str, float]],
                                                    message: str) -> None:
    with pytest.raises(ScoringError, match=message):
        _deductions(rows)


def test_check_deductions_lists_every_problem_in_row_order() -> None:
    rows = pd.DataFrame({"unit_code": ["A", "B", "C", "D", "E"],
                         "code": ["P1", "P1", "V1", "P2", "ZZ"],
                         "points": [3.5, 2.0, 9.0, -0.5, 1.0]})
    problems = check_deductions(TINY, rows)
    assert [(p.row, p.unit_code, p.code, p.points, p.rule) for p in problems] == [
        (0, "A", "P1", 3.5, "out_of_range"), (3, "D", "P2", -0.5, "negative"),
        (4, "E", "ZZ", 1.0, "unknown_code")]
    assert (problems[0].low, problems[0].high) == (1.0, 3.0)
    assert check_deductions(TINY, rows.iloc[[1, 2]]) == []


def test_a_refused_entry_stops_its_own_peer_set_only() -> None:
    # As with unknown codes: a board checks its own units' rows.
    units = pd.concat([units_frame(["330100"], "city", "330000"),
                       units_frame(["330102"], "county", "330100")], ignore_index=True)
    inputs = make_inputs(TINY, units=units, deductions=[("330100", 1, "P1", 9.0)])
    assert len(leaderboard(inputs, "county")) == 1
    with pytest.raises(ScoringError, match="unit 330100, item P1, 9 points"):
        leaderboard(inputs, "city")


@pytest.mark.parametrize(
    ("rows", "expected"),
    [([("P1", 3.0), ("P1", 3.0)], 5.0), ([("P1", 3.0), ("P1", 3.0), ("SC", 2.0)], 7.0)],
)
def test_zhejiang_item_cap_5_and_total_cap_7(
    rows: list[tuple[str, float]], expected: float
) -> None:
    assert _deductions(rows, rubric=ZJ) == expected


def test_unknown_deduction_code_is_refused() -> None:
    with pytest.raises(ScoringError, match="XX"):
        _deductions([("XX", 1.0)])


def test_veto_forces_the_lowest_grade_with_a_high_total() -> None:
    scores = uniform_scores(ZJ, "A", 1.0) + uniform_scores(ZJ, "B", 0.8)
    metrics = full_metrics("A") + full_metrics("B")
    inputs = make_inputs(ZJ, units=["A", "B"], scores=scores, metrics=metrics,
                         deductions=[("A", 1, "V1", 0.0)])
    board = leaderboard(inputs)
    a = board_row(board, "A")
    assert a["total"] == pytest.approx(100.0) and a["vetoed"]
    assert (a["grade"], a["grade_name_zh"]) == ("fail", "不合格")
    # Rule changed: a vetoed unit ranks after every unit without a veto (it ranked 1 on its
    # total before), and the board lists it last.
    assert a["rank"] == 2
    b = board_row(board, "B")  # 71 hand-scored × 0.8 + 29 derived
    assert b["total"] == pytest.approx(85.8) and b["grade"] == "good" and b["rank"] == 1
    assert list(board["unit_code"]) == ["B", "A"]


def test_vetoed_units_rank_among_themselves_by_total() -> None:
    units = ["A", "B", "C", "D"]
    levels = {"A": 1.0, "B": 0.9, "C": 0.6, "D": 0.5}
    scores = [row for u in units for row in uniform_scores(ZJ, u, levels[u])]
    metrics = [row for u in units for row in full_metrics(u)]
    vetoes = [("A", 1, "V1", 0.0), ("C", 1, "V2", 0.0)]
    board = leaderboard(make_inputs(ZJ, units=units, scores=scores, metrics=metrics,
                                    deductions=vetoes))
    assert list(board["unit_code"]) == ["B", "D", "A", "C"]
    assert board["rank"].tolist() == [1, 2, 3, 4]
    totals = board.set_index("unit_code")["total"]
    assert totals["A"] > totals["B"] > totals["C"] > totals["D"]  # the vetoes outscore D
    assert board.loc[board["vetoed"], "grade"].eq("fail").all()


def _inflated_scores(unit: str, self_points: dict[str, float]) -> list[tuple]:
    """Verified X1=3, X2=1, Y1=2 plus the given self-scores."""
    rows = tiny_verified(unit, 3.0, 1.0, 2.0)
    return rows + [(unit, "self", code, p) for code, p in self_points.items()]


@pytest.mark.parametrize(
    ("self_points", "triggered"),
    [
        # (self − verified) / max: X1 (4−3)/4 = 0.25, X2 (2−1)/2 = 0.5 → 2 inflated ≥ 2
        ({"X1": 4.0, "X2": 2.0}, True),
        ({"X1": 4.0, "X2": 1.2, "Y1": 2.5}, False),  # 0.25, 0.1, 0.125 → one inflated
        ({"X1": 3.6, "X2": 1.3}, False),  # exactly 0.15 on both: not above the threshold
        ({"X1": 3.7, "X2": 1.31, "Y1": 2.61}, True),  # 0.175, 0.155, 0.1525
        ({"X1": 2.0, "X2": 0.0}, False),  # modest self-scores never trigger
    ],
)
def test_credibility_deduction(self_points: dict[str, float], triggered: bool) -> None:
    expected = 1.0 if triggered else 0.0
    assert _deductions([], scores=_inflated_scores("A", self_points)) == pytest.approx(expected)


def test_credibility_deduction_is_not_added_twice() -> None:
    scores = _inflated_scores("A", {"X1": 4.0, "X2": 2.0})
    ded = [("A", 1, "SC", 1.0), ("A", 2, "P2", 0.5)]
    inputs = make_inputs(TINY, units=["A"], scores=scores, deductions=ded)
    rows = deduction_report(inputs)
    assert list(rows["code"]) == ["SC", "P2"] and not rows["automatic"].any()
    assert board_row(leaderboard(inputs), "A")["deductions"] == pytest.approx(1.5)


def test_automatic_row_is_marked_and_flagged_on_the_board() -> None:
    inputs = make_inputs(TINY, units=["A", "B"],
                         scores=_inflated_scores("A", {"X1": 4.0, "X2": 2.0}))
    rows = deduction_report(inputs)
    assert rows.to_dict("records") == [
        {"unit_code": "A", "code": "SC", "points": 1.0, "veto": False, "automatic": True}
    ]
    board = leaderboard(inputs).set_index("unit_code")
    assert board["credibility_deducted"].to_dict() == {"A": True, "B": False}


def test_zhejiang_credibility_needs_three_inflated_indicators() -> None:
    verified = uniform_scores(ZJ, "A", 0.5, stages=("cross", "third_party"))
    inflated = [("A", "self", code, ZJ.indicator(code).max * 0.7) for code in ("A1", "A2")]
    board = leaderboard(make_inputs(ZJ, units=["A"], scores=verified + inflated))
    assert board_row(board, "A")["deductions"] == 0  # 2 of 3: 0.2 above on A1, A2
    inflated.append(("A", "self", "B1", 4 * 0.7))
    board = leaderboard(make_inputs(ZJ, units=["A"], scores=verified + inflated))
    assert board_row(board, "A")["deductions"] == 2.0  # SC at its min_points
