"""Stage reconciliation: verifying stage with fallback to EARLIER stages, and the blend."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from scoring_fixtures import JX, make_inputs, tiny_rubric

from evalcore.rubric import STAGES, Rubric
from evalcore.scoring import ScoringError, indicator_table

TINY = tiny_rubric()
NAN = math.nan


def _row(rubric: Rubric, rows: list[tuple], indicator: str) -> pd.Series:
    inputs = make_inputs(rubric, units=["A"], scores=rows)
    return indicator_table(inputs).set_index("indicator_code").loc[indicator]


@pytest.mark.parametrize(
    ("indicator", "stage_points", "points", "verified", "source"),
    [
        # X2 is verified by the third party.
        ("X2", {"self": 2, "cross": 1.5, "third_party": 1}, 1.0, True, "third_party"),
        ("X2", {"self": 2, "cross": 1.5}, 1.5, False, "cross"),
        ("X2", {"self": 2}, 2.0, False, "self"),
        ("X2", {}, 0.0, False, None),
        # X1 is verified by cross inspection: a LATER stage never stands in for it.
        ("X1", {"self": 3, "third_party": 4}, 3.0, False, "self"),
        ("X1", {"third_party": 4}, 0.0, False, None),
        ("X1", {"self": 4, "cross": 2.5, "third_party": 1}, 2.5, True, "cross"),
        # Out-of-range points are clipped into [0, max] defensively.
        ("X1", {"cross": 5}, 4.0, True, "cross"),
    ],
)
def test_verifying_stage_with_fallback(
    indicator: str, stage_points: dict, points: float, verified: bool, source: str | None
) -> None:
    rows = [("A", stage, indicator, p) for stage, p in stage_points.items()]
    row = _row(TINY, rows, indicator)
    assert row["points"] == pytest.approx(points)
    assert bool(row["verified"]) is verified
    assert row["source_stage"] == source
    maximum = TINY.indicator(indicator).max
    for stage in STAGES:  # each stage's own points stay side by side, clipped
        expected = stage_points.get(stage)
        assert math.isnan(row[stage]) if expected is None else row[stage] == min(expected, maximum)


@pytest.mark.parametrize(
    ("stage_points", "points", "verified"),
    [
        # Jiangxi blends self 0.3 and third party 0.7. A3 max 6.
        ({"self": 6, "third_party": 4}, 0.3 * 6 + 0.7 * 4, True),
        ({"self": 6, "cross": 0, "third_party": 4}, 4.6, True),  # cross carries no weight
        ({"self": 6}, 6.0, False),  # renormalised over the stages present
        ({"third_party": 4}, 4.0, False),
        ({"cross": 5}, 0.0, False),  # no weighted stage present
        ({}, 0.0, False),
    ],
)
def test_blend_reconciliation_jiangxi(stage_points: dict, points: float, verified: bool) -> None:
    row = _row(JX, [("A", s, "A3", p) for s, p in stage_points.items()], "A3")
    assert row["points"] == pytest.approx(points)
    assert bool(row["verified"]) is verified


BLEND3 = tiny_rubric(reconciliation={"method": "blend",
                                     "weights": {"self": 0.2, "cross": 0.3, "third_party": 0.5}})


@pytest.mark.parametrize(
    ("stage_points", "points", "verified"),
    [
        ({"self": 4, "cross": 2, "third_party": 1}, 0.2 * 4 + 0.3 * 2 + 0.5 * 1, True),
        # Renormalised over the weighted stages present (docs/rubric.md, [reconciliation]).
        ({"self": 4, "cross": 2}, (0.2 * 4 + 0.3 * 2) / 0.5, False),
        ({"cross": 2, "third_party": 1}, (0.3 * 2 + 0.5 * 1) / 0.8, False),
        ({"self": 3}, 3.0, False),
    ],
)
def test_blend_renormalises_over_the_stages_present(stage_points: dict, points: float,
                                                    verified: bool) -> None:
    row = _row(BLEND3, [("A", s, "X1", p) for s, p in stage_points.items()], "X1")
    assert row["points"] == pytest.approx(points)
    assert bool(row["verified"]) is verified


def test_rows_for_derived_indicators_are_ignored() -> None:
    row = _row(JX, [("A", "third_party", "A1", 8.0)], "A1")  # A1 derives from start_rate
    assert row["points"] == 0 and row["no_data"]


def test_a_repeated_stage_row_is_refused() -> None:
    rows = [("A", "cross", "X1", 1.0), ("A", "cross", "X1", 3.0)]
    with pytest.raises(ScoringError, match="unit_code=A, stage=cross, indicator_code=X1"):
        _row(TINY, rows, "X1")


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ([("A", "cross", "Z9", 1.0)], "Z9"),
        ([("A", "provincial", "X1", 1.0)], "provincial"),
    ],
)
def test_unknown_indicator_or_stage_is_refused(rows: list, message: str) -> None:
    with pytest.raises(ScoringError, match=message):
        indicator_table(make_inputs(TINY, units=["A"], scores=rows))


def test_rows_of_units_outside_the_peer_set_are_not_checked_or_counted() -> None:
    inputs = make_inputs(TINY, units=["A"], scores=[("ZZ", "cross", "X1", 4.0)])
    table = indicator_table(inputs)
    assert set(table["unit_code"]) == {"A"} and table["points"].sum() == 0
