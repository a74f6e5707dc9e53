"""What-if dimension weights: renormalised to base_total; bonus and deductions unchanged."""

from __future__ import annotations

import pytest
from scoring_fixtures import (
    ZJ,
    full_metrics,
    make_inputs,
    tiny_rubric,
    tiny_verified,
    uniform_scores,
)

from evalcore.scoring import RoundInputs, ScoringError, leaderboard, what_if

TINY = tiny_rubric()  # X max 6, Y max 4, base_total 10

# X, Y subtotals: A (6, 0) = 6; B (3, 4) = 7; C (5, 1) = 6
PEERS = {"A": (4, 2, 0), "B": (2, 1, 4), "C": (4, 1, 1)}


def _inputs() -> RoundInputs:
    scores = [row for unit, p in PEERS.items() for row in tiny_verified(unit, *p)]
    return make_inputs(TINY, units=list(PEERS), scores=scores, deductions=[("C", 1, "P2", 0.5)])


def test_equal_weights_hand_computed() -> None:
    board = what_if(_inputs(), {"X": 1, "Y": 1}).set_index("unit_code")
    # Each dimension now weighs 5: A 6/6·5 + 0 = 5; B 3/6·5 + 4/4·5 = 7.5; C 5/6·5 + 1/4·5 − 0.5
    assert board["total"].to_dict() == pytest.approx({"A": 5.0, "B": 7.5, "C": 25 / 6 + 0.75})
    assert board["rank"].to_dict() == {"B": 1, "A": 2, "C": 3}
    assert board["base_rank"].to_dict() == {"B": 1, "A": 2, "C": 3}
    assert board["rank_change"].to_dict() == {"B": 0, "A": 0, "C": 0}
    assert board["deductions"].to_dict() == {"A": 0.0, "B": 0.0, "C": 0.5}


def test_weights_that_flip_a_rank() -> None:
    board = what_if(_inputs(), {"X": 1, "Y": 0}).set_index("unit_code")
    # Only X counts, scaled to 10: A 10, B 5, C 5/6·10 − 0.5
    assert board["total"].to_dict() == pytest.approx({"A": 10.0, "B": 5.0, "C": 50 / 6 - 0.5})
    assert board["rank"].to_dict() == {"A": 1, "C": 2, "B": 3}
    assert board["rank_change"].to_dict() == {"A": 1, "C": 1, "B": -2}


def test_vetoes_stay_last_whatever_the_weights() -> None:
    inputs = make_inputs(TINY, units=list(PEERS),
                         scores=[r for u, p in PEERS.items() for r in tiny_verified(u, *p)],
                         deductions=[("A", 1, "V1", 0.0)])
    board = what_if(inputs, {"X": 1, "Y": 0}).set_index("unit_code")
    # Only X counts: A 10 would lead, but its veto ranks it after B and C.
    assert board["total"].to_dict() == pytest.approx({"A": 10.0, "B": 5.0, "C": 50 / 6})
    assert board["rank"].to_dict() == {"C": 1, "B": 2, "A": 3}
    assert board["base_rank"].to_dict() == {"B": 1, "C": 2, "A": 3}


@pytest.mark.parametrize("weights", [{}, {"X": 6, "Y": 4}, {"X": 60, "Y": 40}, {"Y": 4}])
def test_rubric_weights_reproduce_the_base(weights: dict[str, float]) -> None:
    inputs = _inputs()
    base = leaderboard(inputs).set_index("unit_code")
    board = what_if(inputs, weights).set_index("unit_code").loc[base.index]
    assert board["total"].tolist() == pytest.approx(base["total"].tolist())
    assert (board["rank_change"] == 0).all() and (board["grade"] == base["grade"]).all()


def test_zhejiang_equal_weights() -> None:
    # A: full marks in A (20), nothing else hand-scored; derived all full (C 23 of 35, E 6).
    scores = [r for r in uniform_scores(ZJ, "A", 1.0) if r[2].startswith("A")]
    scores += uniform_scores(ZJ, "B", 0.5)
    inputs = make_inputs(ZJ, units=["A", "B"], scores=scores,
                         metrics=full_metrics("A") + full_metrics("B"))
    board = what_if(inputs, dict.fromkeys("ABCDE", 1.0)).set_index("unit_code")
    a = board.loc["A"]
    assert a[list("ABCDE")].tolist() == pytest.approx([20, 0, 23 / 35 * 20, 0, 6 / 20 * 20])
    assert a["base"] == pytest.approx(20 + 23 / 35 * 20 + 6)


@pytest.mark.parametrize(
    ("weights", "message"),
    [({"Q": 1}, "Q"), ({"X": -1}, "≥ 0"), ({"X": 0, "Y": 0}, "positive")],
)
def test_bad_weights_are_refused(weights: dict[str, float], message: str) -> None:
    with pytest.raises(ScoringError, match=message):
        what_if(_inputs(), weights)
