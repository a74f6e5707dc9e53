"""Scoring every unit at once (`leaderboards`) and encoded inputs give the same boards.

Per-unit results (derived points, reconciliation, credibility, deductions, bonus) do not
depend on the peer set; only ranks do. So one pass over the round must reproduce each
level's own leaderboard exactly, and categorical-encoded inputs must score like strings.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd
import pytest
from scoring_fixtures import (
    JX,
    ZJ,
    full_metrics,
    make_inputs,
    rubric_with,
    synthetic_round,
    units_frame,
)

from evalcore.rounds import load_round_inputs
from evalcore.scoring import (
    ScoringError,
    indicator_table,
    leaderboard,
    leaderboards,
    score_round,
)
from evalcore.scoring.common import per_rubric, select_units
from evalcore.scoring.reconcile import reconcile_blend, verifying_stage_index

STAGES = ("final", "self", "cross", "third_party")


@pytest.mark.parametrize("stage", STAGES)
@pytest.mark.parametrize("rubric", [ZJ, JX], ids=["zj", "jx"])
def test_one_pass_equals_each_level_scored_alone(rubric, stage: str) -> None:
    inputs = synthetic_round(rubric, cities=5, counties=17, seed=11)
    boards = leaderboards(inputs, stage)
    assert set(boards) == {"city", "county"}
    for level, board in boards.items():
        pd.testing.assert_frame_equal(board, leaderboard(inputs, level, stage))


def test_one_pass_with_household_weighted_cities() -> None:
    rubric = rubric_with(ZJ, rollup={"city_method": "household_weighted"})
    inputs = synthetic_round(rubric, cities=4, counties=12, seed=5)
    boards = leaderboards(inputs)
    pd.testing.assert_frame_equal(boards["city"], leaderboard(inputs, "city"))
    assert "counties" in boards["city"]  # the roll-up, not the direct board


def test_one_pass_refuses_what_the_per_level_path_refuses() -> None:
    inputs = make_inputs(units=["A"], scores=[("A", "self", "NOPE", 1.0)])
    with pytest.raises(ScoringError, match="NOPE"):
        leaderboards(inputs)
    with pytest.raises(ScoringError, match="city_method"):
        leaderboards(synthetic_round(ZJ, cities=2, counties=2), city_method="median")


def test_level_none_selects_every_city_and_county_sorted() -> None:
    units = synthetic_round(ZJ, cities=3, counties=6).units.sample(frac=1, random_state=1)
    picked = select_units(units, None)
    assert list(picked["unit_code"]) == sorted(units["unit_code"])
    with pytest.raises(ScoringError, match="within"):
        select_units(units, None, within="330100")


def test_encoded_inputs_score_exactly_like_strings() -> None:
    inputs = synthetic_round(ZJ, cities=4, counties=10, seed=9)
    encoded = inputs.encoded()
    assert isinstance(encoded.coded.scores["unit_code"].dtype, pd.CategoricalDtype)
    assert encoded.encoded() is encoded  # idempotent
    for level in ("city", "county"):
        for stage in STAGES:
            pd.testing.assert_frame_equal(leaderboard(encoded, level, stage),
                                          leaderboard(inputs, level, stage))
        pd.testing.assert_frame_equal(indicator_table(encoded, level),
                                      indicator_table(inputs, level))


def test_store_inputs_carry_an_encoded_twin_and_plain_frames(demo_store) -> None:
    """Pages read the frames (strings: categoricals compare, map and group differently); the
    engine reads the twin. Both score alike."""
    inputs = load_round_inputs(demo_store, 2022)
    for name in ("units", "scores", "metrics", "bonus_claims", "deductions"):
        frame = getattr(inputs, name)
        assert not any(isinstance(t, pd.CategoricalDtype) for t in frame.dtypes), name
    assert isinstance(inputs.coded.scores["indicator_code"].dtype, pd.CategoricalDtype)
    plain = replace(inputs, coded=None)
    for level, board in leaderboards(inputs).items():
        pd.testing.assert_frame_equal(board, leaderboard(plain, level))
    # One category claimed: a plain string column still compares with another (the profile
    # page's case table compared two categoricals with different categories and raised).
    claims = inputs.bonus_claims
    one = claims[claims["category_code"] == claims["category_code"].iloc[0]]
    assert (one["category_code"] == one["stage"]).dtype == bool


def test_blend_is_the_stage_by_stage_weighted_sum_whatever_the_layout() -> None:
    weights = {"self": 0.3, "cross": 0.0, "third_party": 0.7}
    rng = np.random.default_rng(4)
    points = rng.uniform(0, 8, size=(500, 3))
    points[rng.random((500, 3)) < 0.1] = np.nan
    c_order, _, _ = reconcile_blend(np.ascontiguousarray(points), weights)
    f_order, _, _ = reconcile_blend(np.asfortranarray(points), weights)
    assert np.array_equal(c_order, f_order)
    row = points[0]
    present = [(p, w) for p, w in zip(row, weights.values(), strict=True)
               if w > 0 and not np.isnan(p)]
    expected = 0.0
    for p, w in present:
        expected = expected + p * w
    total_weight = 0.0
    for _, w in present:
        total_weight += w
    assert c_order[0] == (expected / total_weight if total_weight else 0.0)


def test_cached_rubric_tables_cannot_be_corrupted_by_a_caller() -> None:
    inputs = synthetic_round(ZJ, cities=3, counties=0, seed=2)
    before = leaderboard(inputs)
    score = score_round(inputs, "city")
    score.grid.meta.loc[:, "max_points"] = 0.0  # a caller scribbling on what it was given
    with pytest.raises(ValueError):
        per_rubric(ZJ, verifying_stage_index)[0] = 2
    pd.testing.assert_frame_equal(leaderboard(inputs), before)


def test_bad_rows_are_named_not_scored() -> None:
    with pytest.raises(ScoringError, match="no metric name"):
        leaderboard(make_inputs(units=["A"], metrics=full_metrics("A") + [("A", None, 0.0)])
                    .encoded())
    with pytest.raises(ScoringError, match="no points for unit A"):
        leaderboard(make_inputs(units=["A"], deductions=[("A", 1, "P1", float("nan"))]))
    units = units_frame(["A", "B"])
    units.loc[1, "unit_code"] = None
    with pytest.raises(ScoringError, match="no unit_code"):
        leaderboard(make_inputs(units=units))
    score = score_round(synthetic_round(ZJ, cities=3, counties=0), "city")
    with pytest.raises(ValueError, match="increasing"):
        score.subset(np.array([2, 0]))
