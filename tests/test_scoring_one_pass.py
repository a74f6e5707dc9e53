"""Scoring every unit at once (`leaderboards`) and encoded inputs give the same boards.

Per-unit results (derived points, reconciliation, credibility, deductions, bonus) do not
depend on the peer set; only ranks do. So one pass over the round must reproduce each
level's own leaderboard exactly, and categorical-encoded inputs must score like strings.
"""

from __future__ import annotations

import pandas as pd
import pytest
from scoring_fixtures import JX, ZJ, make_inputs, rubric_with, synthetic_round

from evalcore.rounds import load_round_inputs
from evalcore.scoring import ScoringError, indicator_table, leaderboard, leaderboards
from evalcore.scoring.common import select_units

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
    assert isinstance(encoded.scores["unit_code"].dtype, pd.CategoricalDtype)
    assert encoded.encoded() is not None  # idempotent: already categorical columns are kept
    for level in ("city", "county"):
        for stage in STAGES:
            pd.testing.assert_frame_equal(leaderboard(encoded, level, stage),
                                          leaderboard(inputs, level, stage))
        pd.testing.assert_frame_equal(indicator_table(encoded, level),
                                      indicator_table(inputs, level))


def test_store_inputs_are_encoded_and_score_like_strings(demo_store) -> None:
    inputs = load_round_inputs(demo_store, 2022)
    assert isinstance(inputs.scores["indicator_code"].dtype, pd.CategoricalDtype)
    plain = inputs.__class__(**{
        **inputs.__dict__,
        "scores": inputs.scores.astype({c: "str" for c in ("unit_code", "stage",
                                                            "indicator_code")}),
    })
    for level, board in leaderboards(inputs).items():
        pd.testing.assert_frame_equal(board, leaderboard(plain, level))
