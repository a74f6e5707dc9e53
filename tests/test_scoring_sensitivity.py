"""Rank uncertainty: vectorised Monte Carlo, reproducible, exact at zero noise, tie groups."""

from __future__ import annotations

import numpy as np
import pytest
from scoring_fixtures import JX, ZJ, make_inputs, synthetic_round, tiny_rubric, tiny_verified

from evalcore.scoring import RoundInputs, ScoringError, leaderboard, rank_uncertainty, score_parts
from evalcore.scoring.sensitivity import tie_groups

TINY = tiny_rubric()


@pytest.fixture(scope="module")
def round_inputs() -> RoundInputs:
    return synthetic_round(ZJ, cities=11, counties=22, seed=7)


@pytest.mark.parametrize(
    ("low", "high", "groups"),
    [
        ([1, 2, 3], [1, 2, 3], [1, 2, 3]),
        ([1, 1, 3], [2, 2, 3], [1, 1, 2]),
        ([1, 2, 3, 5], [2, 3, 4, 5], [1, 1, 1, 2]),  # a chain of overlaps is one group
        ([3, 1, 1], [3, 2, 2], [2, 1, 1]),  # input order does not matter
    ],
)
def test_tie_groups(low: list[int], high: list[int], groups: list[int]) -> None:
    assert tie_groups(np.array(low), np.array(high)).tolist() == groups


@pytest.mark.parametrize("level", ["city", "county"])
def test_zero_noise_reproduces_the_base_ranks(round_inputs: RoundInputs, level: str) -> None:
    board = leaderboard(round_inputs, level).set_index("unit_code")
    result = rank_uncertainty(round_inputs, level, draws=50, seed=1, sigma=0.0)
    result = result.set_index("unit_code").loc[board.index]
    for column in ("rank", "rank_p05", "rank_median", "rank_p95"):
        assert result[column].tolist() == board["rank"].tolist(), column
    assert result["p_top3"].tolist() == (board["rank"] <= 3).astype(float).tolist()


def test_zero_noise_keeps_ties_tied_and_groups_them() -> None:
    points = {"A": (4, 2, 3), "B": (4, 2, 3), "C": (1, 1, 1)}
    scores = [r for u, p in points.items() for r in tiny_verified(u, *p)]
    result = rank_uncertainty(make_inputs(TINY, units=list(points), scores=scores),
                              draws=20, sigma=0.0).set_index("unit_code")
    assert result["rank_median"].to_dict() == {"A": 1, "B": 1, "C": 3}
    assert result["tied_with"].to_dict() == {"A": ["B"], "B": ["A"], "C": []}
    assert result["tie_group"].to_dict() == {"A": 1, "B": 1, "C": 2}


def test_a_vetoed_unit_ranks_after_the_others_in_every_draw() -> None:
    points = {"A": (4, 2, 4), "B": (3, 1, 3), "C": (2, 1, 2), "D": (1, 1, 1)}
    scores = [r for u, p in points.items() for r in tiny_verified(u, *p)]
    inputs = make_inputs(TINY, units=list(points), scores=scores,
                         deductions=[("A", 1, "V1", 0.0)])
    result = rank_uncertainty(inputs, draws=200, seed=3, sigma=0.5).set_index("unit_code")
    assert result.loc["A", ["rank", "rank_p05", "rank_p95"]].tolist() == [4, 4, 4]
    assert result.loc["A", "p_top3"] == 0.0 and result.loc["A", "tied_with"] == []
    assert (result.loc[["B", "C", "D"], "rank_p95"] <= 3).all()


def test_same_seed_same_answer_other_seed_differs(round_inputs: RoundInputs) -> None:
    parts = score_parts(round_inputs, "county")
    first = rank_uncertainty(parts, draws=300, seed=11, sigma=0.3)
    assert first.equals(rank_uncertainty(parts, draws=300, seed=11, sigma=0.3))
    other = rank_uncertainty(parts, draws=300, seed=12, sigma=0.3)
    assert not first["p_top3"].equals(other["p_top3"])


def test_noise_widens_intervals_sensibly(round_inputs: RoundInputs) -> None:
    result = rank_uncertainty(round_inputs, "county", draws=400, seed=5, sigma=0.5)
    assert (result["rank_p05"] <= result["rank_median"]).all()
    assert (result["rank_median"] <= result["rank_p95"]).all()
    assert (result["rank_p95"] > result["rank_p05"]).any()
    assert result["p_top3"].between(0, 1).all() and result["p_top3"].sum() >= 3 - 1e-9
    groups = result.set_index("unit_code")
    for unit, tied in groups["tied_with"].items():  # overlap is symmetric
        assert all(unit in groups.loc[other, "tied_with"] for other in tied)


def test_stage_blend_noise_for_a_blending_rubric() -> None:
    inputs = synthetic_round(JX, cities=11, counties=0, seed=3)
    base = leaderboard(inputs, "city").set_index("unit_code")["rank"]
    quiet = rank_uncertainty(inputs, "city", draws=50, sigma=0.0, stage_sigma=0.0)
    assert quiet.set_index("unit_code")["rank_median"].loc[base.index].tolist() == base.tolist()
    parts = score_parts(inputs, "city")
    assert parts.stage_subtotals is not None and parts.stage_subtotals.shape[0] == 3
    # Blending the stages with their own weights reproduces the final subtotals exactly.
    blended = np.einsum("s,sud->ud", parts.stage_weights, parts.stage_subtotals)
    assert blended == pytest.approx(parts.subtotals)
    noisy = rank_uncertainty(parts, draws=300, seed=2, sigma=0.0, stage_sigma=1.0)
    assert (noisy["rank_p95"] > noisy["rank_p05"]).any()


def test_stage_noise_has_no_effect_without_a_blend(round_inputs: RoundInputs) -> None:
    parts = score_parts(round_inputs, "city")
    assert parts.stage_subtotals is None
    a = rank_uncertainty(parts, draws=100, seed=4, sigma=0.2)
    b = rank_uncertainty(parts, draws=100, seed=4, sigma=0.2, stage_sigma=0.5)
    assert a.equals(b)


@pytest.mark.parametrize("kwargs", [{"draws": 0}, {"sigma": -0.1}, {"stage_sigma": -1.0}])
def test_bad_arguments_are_refused(round_inputs: RoundInputs, kwargs: dict) -> None:
    with pytest.raises(ScoringError):
        rank_uncertainty(round_inputs, "city", **kwargs)
