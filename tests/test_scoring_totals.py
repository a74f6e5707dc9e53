"""Totals, "1224" ranks, display tie-break, grades, stage views, peer sets, round comparison."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scoring_fixtures import (
    JX,
    ZJ,
    board_row,
    make_inputs,
    tiny_rubric,
    tiny_verified,
    uniform_scores,
    units_frame,
)

from evalcore.rubric import Rubric
from evalcore.scoring import ScoringError, leaderboard
from evalcore.scoring.totals import base_points, grade_arrays, total_points

TINY = tiny_rubric()  # dimensions X (X1 max 4, X2 max 2) and Y (Y1 max 4); grades 8 / 5 / 0


def _tiny_board(
    points: dict[str, tuple[float, float, float]],
    previous: pd.DataFrame | None = None,
    **extra: list,
) -> pd.DataFrame:
    """Leaderboard of units with verified (X1, X2, Y1) points and optional other inputs."""
    scores = [row for unit, p in points.items() for row in tiny_verified(unit, *p)]
    inputs = make_inputs(TINY, units=list(points), scores=scores, **extra)
    return leaderboard(inputs, previous=previous)


def test_leaderboard_ranks_ties_and_columns() -> None:
    board = _tiny_board({"A": (4, 2, 3), "B": (3, 2, 3), "C": (4, 1, 3), "D": (1, 1, 1)})
    assert board[["unit_code", "rank", "total"]].values.tolist() == [
        ["A", 1, 9.0], ["B", 2, 8.0], ["C", 2, 8.0], ["D", 4, 3.0]]
    assert board["grade"].tolist() == ["top", "top", "top", "low"]
    assert board_row(board, "A")[["X", "Y", "base"]].tolist() == [6.0, 3.0, 9.0]
    required = ["unit_code", "unit_name", "total", "rank", "grade", "grade_name_zh",
                "grade_name_en", "X", "Y", "base", "bonus", "bonus_claimed", "deductions",
                "vetoed", "unverified_count", "rank_change", "total_change"]
    assert set(required) <= set(board.columns)


def test_display_order_tie_break_base_then_deductions_then_code() -> None:
    # All total 6: E base 7 − 1; B/C base 6; B has a bonus and a deduction, C neither; A = C.
    points = {"E": (4, 2, 1), "B": (4, 2, 0), "C": (4, 2, 0), "A": (4, 2, 0)}
    claims = [("B", "cross", "G1", 1, 1.0, 1.0)]
    ded = [("E", 1, "P1", 1.0), ("B", 1, "P1", 1.0)]
    board = _tiny_board(points, claims=claims, deductions=ded)
    assert board["total"].tolist() == [6.0] * 4 and board["rank"].tolist() == [1] * 4
    assert board["unit_code"].tolist() == ["E", "A", "C", "B"]


def test_total_is_floored_at_zero() -> None:
    board = _tiny_board({"A": (0.5, 0, 0)}, deductions=[("A", 1, "P1", 3.0)])
    row = board_row(board, "A")
    assert (row["base"], row["deductions"], row["total"]) == (0.5, 2.0, 0.0)


@pytest.mark.parametrize(
    ("base", "bonus", "deductions", "total"),
    [
        (80.0, 5.0, 2.0, 83.0),
        (1.0, 1.0, 2.0, 0.0),  # exactly at the floor
        (1.0, 0.0, 1.5, 0.0),  # below it: clipped, never negative
        (0.0, 0.0, 0.0, 0.0),
        (0.5, 0.0, 0.25, 0.25),  # just above it
    ],
)
def test_total_rule_at_the_clip_edge(base: float, bonus: float, deductions: float,
                                     total: float) -> None:
    assert total_points(np.array([base]), bonus, deductions).tolist() == [total]
    series = total_points(pd.Series([base]), pd.Series([bonus]), pd.Series([deductions]))
    assert series.tolist() == [total]


def test_total_rule_broadcasts_draws_against_per_unit_parts() -> None:
    draws = np.array([[10.0, 2.0], [3.0, 0.0]])  # draws × units bases
    totals = total_points(draws, np.array([1.0, 0.0]), np.array([0.0, 1.0]))
    assert totals.tolist() == [[11.0, 1.0], [4.0, 0.0]]


def test_base_is_the_dimension_subtotals_in_rubric_order() -> None:
    columns = {"X": np.array([0.1, 4.0]), "Y": np.array([0.2, 1.0]), "other": np.array([9, 9])}
    assert base_points(columns, TINY).tolist() == [0.1 + 0.2, 5.0]
    frame = pd.DataFrame(columns)
    assert base_points(frame, TINY).tolist() == base_points(columns, TINY).tolist()


def _grades(rubric: Rubric, totals: list[float], vetoed: bool = False) -> list[str]:
    """The grade names the engine gives these totals under the rubric's bands."""
    flags = np.full(len(totals), vetoed)
    return list(grade_arrays(np.array(totals, dtype=float), flags, rubric)["grade_name_zh"])


@pytest.mark.parametrize(
    ("total", "vetoed", "grade"),
    [(110, False, "优秀"), (90, False, "优秀"), (89.99, False, "良好"), (80, False, "良好"),
     (60, False, "合格"), (59.9, False, "不合格"), (0, False, "不合格"), (99, True, "不合格")],
)
def test_zhejiang_grade_bands(total: float, vetoed: bool, grade: str) -> None:
    assert _grades(ZJ, [total], vetoed) == [grade]


def test_jiangxi_grade_bands() -> None:
    assert _grades(JX, [96, 95, 90, 80, 74]) == ["优秀", "优秀", "良好", "合格", "差"]


@pytest.mark.parametrize(
    ("x1", "grade"), [(4.0, "top"), (3.999, "mid"), (1.0, "mid"), (0.999, "low")]
)
def test_grade_bands_lower_bound_inclusive(x1: float, grade: str) -> None:
    assert board_row(_tiny_board({"A": (x1, 2, 2)}), "A")["grade"] == grade


def test_stage_views_use_that_stages_own_points() -> None:
    # Self Y1 2.5 vs verified 2 is 0.125 of max: one inflated indicator, no credibility deduction.
    scores = [("A", "self", "X1", 4.0), ("A", "self", "Y1", 2.5), ("A", "cross", "X1", 3.0),
              ("A", "third_party", "X2", 1.0), ("A", "cross", "Y1", 2.0)]
    ded = [("A", 1, "P2", 0.5)]
    inputs = make_inputs(TINY, units=["A"], scores=scores, deductions=ded)
    expected = {  # stage: (base, unverified_count)
        "self": (6.5, 1),  # X2 not self-scored: 0, counted
        "cross": (5.0, 1),
        "third_party": (1.0, 2),
        "final": (3.0 + 1.0 + 2.0, 1),  # Y1 falls back to cross: unverified
    }
    for stage, (base, unverified) in expected.items():
        row = board_row(leaderboard(inputs, stage=stage), "A")
        assert (row["base"], row["unverified_count"]) == (base, unverified), stage
        assert row["deductions"] == 0.5 and row["total"] == base - 0.5


def test_unit_without_any_rows_scores_zero_and_unverified() -> None:
    inputs = make_inputs(TINY, units=["A", "B"], scores=tiny_verified("A", 4, 2, 4))
    board = leaderboard(inputs)
    b = board_row(board, "B")
    assert (b["total"], b["rank"], b["unverified_count"], b["grade"]) == (0.0, 2, 3, "low")


def _two_cities_with_counties() -> pd.DataFrame:
    cities = units_frame(["330100", "330200"], "city", "330000")
    hz = units_frame(["330102", "330105"], "county", "330100")
    nb = units_frame(["330203"], "county", "330200")
    return pd.concat([cities, hz, nb], ignore_index=True)


@pytest.mark.parametrize(
    ("level", "within", "units"),
    [
        ("city", None, ["330100", "330200"]),
        ("county", None, ["330102", "330105", "330203"]),
        ("county", "330100", ["330102", "330105"]),
    ],
)
def test_peer_sets(level: str, within: str | None, units: list[str]) -> None:
    inputs = make_inputs(ZJ, units=_two_cities_with_counties())
    assert sorted(leaderboard(inputs, level, within=within)["unit_code"]) == units


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"level": "province"}, "level"),
        ({"level": "city", "within": "330100"}, "within"),
        ({"level": "county", "within": "339900"}, "339900"),
        ({"stage": "audit"}, "stage"),
    ],
)
def test_bad_arguments_are_refused(kwargs: dict, message: str) -> None:
    with pytest.raises(ScoringError, match=message):
        leaderboard(make_inputs(ZJ, units=_two_cities_with_counties()), **kwargs)


def test_rank_and_total_change_against_the_previous_round() -> None:
    previous = pd.DataFrame({"unit_code": ["A", "B"], "rank": [1, 2], "total": [8.0, 9.5]})
    board = _tiny_board({"A": (4, 2, 3), "B": (4, 2, 4), "C": (1, 1, 1)}, previous=previous)
    assert board["unit_code"].tolist() == ["B", "A", "C"]
    board = board.set_index("unit_code")
    assert board.loc["B", "rank_change"] == 1 and board.loc["A", "rank_change"] == -1
    assert board.loc["A", "total_change"] == pytest.approx(1.0)
    assert board.loc["B", "total_change"] == pytest.approx(0.5)
    assert pd.isna(board.loc["C", "rank_change"]) and math.isnan(board.loc["C", "total_change"])


def test_without_previous_the_change_columns_are_missing_not_zero() -> None:
    board = leaderboard(make_inputs(ZJ, units=["A"], scores=uniform_scores(ZJ, "A", 1.0)))
    assert board["rank_change"].isna().all() and board["total_change"].isna().all()
