"""Derived indicators: linear with zero_below, bands, and NaN → 0 with a no_data flag."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scoring_fixtures import ZJ, board_row, full_metrics, make_inputs, uniform_scores

from evalcore.rubric import Rubric
from evalcore.scoring import ScoringError, indicator_table, leaderboard
from evalcore.scoring.derive import derived_arrays


def derived_points(rubric: Rubric, metrics: pd.DataFrame, unit_codes: pd.Index) -> pd.DataFrame:
    """Long frame (unit_code, indicator_code, points, no_data) of derived_arrays, for reading
    one unit's indicator in a test."""
    where, points, no_data = derived_arrays(rubric, metrics, unit_codes)
    codes = [rubric.indicators[n].code for n in where]
    return pd.DataFrame({
        "unit_code": np.tile(np.asarray(unit_codes, dtype=object), len(codes)),
        "indicator_code": np.repeat(np.array(codes, dtype=object), len(unit_codes)),
        "points": points.T.ravel(),
        "no_data": no_data.T.ravel(),
    })


def _derived(metric: str, value: float, indicator: str) -> pd.Series:
    metrics = pd.DataFrame({"unit_code": ["A"], "metric": [metric], "value": [value]})
    frame = derived_points(ZJ, metrics, pd.Index(["A"], name="unit_code"))
    return frame.set_index("indicator_code").loc[indicator]


@pytest.mark.parametrize(
    ("value", "points"),
    [
        (1.25, 8.0),  # capped at max: min(1, value)
        (1.0, 8.0),
        (0.9, 7.2),
        (0.8, 6.4),  # exactly zero_below still scores
        (0.7999, 0.0),  # below zero_below (0.8): nothing
        (0.0, 0.0),
    ],
)
def test_linear_with_zero_below_c1_start_rate(value: float, points: float) -> None:
    row = _derived("start_rate", value, "C1")
    assert row["points"] == pytest.approx(points)
    assert not row["no_data"]


@pytest.mark.parametrize(("value", "points"), [(0.5, 3.0), (0.05, 0.3), (0.0, 0.0), (2.0, 6.0)])
def test_linear_without_zero_below_c2_completion(value: float, points: float) -> None:
    assert _derived("completion_rate", value, "C2")["points"] == pytest.approx(points)


@pytest.mark.parametrize(
    ("value", "points"),
    [(1.0, 6), (0.9, 6), (0.89, 4), (0.8, 4), (0.75, 2), (0.7, 2), (0.69, 0), (0.0, 0)],
)
def test_bands_c5_satisfaction(value: float, points: float) -> None:
    assert _derived("satisfaction", value, "C5")["points"] == points


def test_nan_value_scores_zero_and_flags_no_data() -> None:
    row = _derived("start_rate", math.nan, "C1")
    assert row["points"] == 0.0 and row["no_data"]


def test_missing_metric_row_is_no_data_for_every_derived_indicator() -> None:
    frame = derived_points(ZJ, pd.DataFrame(columns=["unit_code", "metric", "value"]),
                           pd.Index(["A"], name="unit_code"))
    assert set(frame["indicator_code"]) == {"C1", "C2", "C5", "C6", "E1"}
    assert frame["no_data"].all() and (frame["points"] == 0).all()


def test_derived_points_are_the_same_at_every_stage_and_verified() -> None:
    inputs = make_inputs(units=["A"], metrics=[("A", "start_rate", 0.9)])
    table = indicator_table(inputs).set_index("indicator_code")
    c1 = table.loc["C1"]
    assert (c1["self"], c1["cross"], c1["third_party"], c1["points"]) == pytest.approx(
        (7.2, 7.2, 7.2, 7.2)
    )
    assert c1["verified"] and not c1["no_data"]
    assert table.loc["C2", "no_data"] and table.loc["C2", "points"] == 0


def test_no_data_count_on_the_leaderboard_and_derived_points_in_stage_views() -> None:
    scores = uniform_scores(ZJ, "A", 1.0)
    inputs = make_inputs(units=["A"], scores=scores,
                         metrics=[m for m in full_metrics("A") if m[1] != "pm_coverage"])
    final = board_row(leaderboard(inputs), "A")
    assert final["no_data_count"] == 1 and final["base"] == pytest.approx(94)  # E1 (6) lost
    for stage in ("self", "cross", "third_party"):
        assert board_row(leaderboard(inputs, stage=stage), "A")["base"] == pytest.approx(94)


def test_a_repeated_metric_row_is_refused() -> None:
    metrics = [("A", "start_rate", 0.9), ("A", "start_rate", 1.0)]
    with pytest.raises(ScoringError, match="unit_code=A, metric=start_rate"):
        leaderboard(make_inputs(units=["A"], metrics=metrics))
