"""Self-evaluation credibility: inflation per indicator, per-unit summary and ranking."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scoring_fixtures import ZJ, make_inputs, synthetic_round, tiny_rubric, tiny_verified

from evalcore.scoring import credibility_report, score_round
from evalcore.scoring.common import EPS
from evalcore.scoring.credibility import assessed, inflated_counts, self_inflation

TINY = tiny_rubric()  # threshold 0.15


def _report(self_scores: dict[str, dict[str, float]]) -> tuple:
    scores = []
    for unit, points in self_scores.items():
        scores += tiny_verified(unit, 3.0, 1.0, 2.0)
        scores += [(unit, "self", code, p) for code, p in points.items()]
    return credibility_report(make_inputs(TINY, units=list(self_scores), scores=scores))


def test_inflation_per_indicator() -> None:
    table, _ = _report({"A": {"X1": 4.0, "X2": 1.2, "Y1": 1.0}})
    table = table.set_index("indicator_code")
    assert table["inflation"].tolist() == pytest.approx([0.25, 0.1, -0.25])
    assert table["inflated"].tolist() == [True, False, False]
    assert table["verified_points"].tolist() == [3.0, 1.0, 2.0]


def test_indicators_without_a_self_score_are_not_assessed() -> None:
    table, summary = _report({"A": {"X1": 4.0}, "B": {}})
    assert table["indicator_code"].tolist() == ["X1"]
    b = summary.set_index("unit_code").loc["B"]
    assert b["assessed"] == 0 and b["inflated_count"] == 0


def test_summary_and_ranking_least_inflated_first() -> None:
    _, summary = _report({
        "A": {"X1": 4.0, "X2": 2.0, "Y1": 2.0},  # 0.25, 0.5, 0 → mean 0.25, 2 inflated
        "B": {"X1": 3.0, "X2": 1.0, "Y1": 2.0},  # 0
        "C": {"X1": 2.0, "X2": 1.0, "Y1": 2.0},  # −0.25, 0, 0 → mean −1/12
        "D": {"X1": 3.0, "X2": 1.0, "Y1": 2.0},  # 0: ties with B
        "E": {},  # nothing to assess: last
    })
    assert summary["unit_code"].tolist() == ["C", "B", "D", "A", "E"]
    assert summary["credibility_rank"].tolist() == [1, 2, 2, 4, 5]
    a = summary.set_index("unit_code").loc["A"]
    assert a["mean_inflation"] == pytest.approx(0.25) and a["inflated_count"] == 2


@pytest.mark.parametrize(
    ("own", "verified", "maximum", "inflated"),
    [
        (4.0, 3.4, 4.0, False),  # 0.15000000000000002: at the threshold, not above it
        (4.0, 3.39, 4.0, True),  # 0.1525
        (2.0, 2.0, 4.0, False),
        (1.0, 2.0, 4.0, False),  # below the verified score
        (float("nan"), 2.0, 4.0, False),  # no self-score: never inflated
    ],
)
def test_inflation_rule_at_the_threshold(own: float, verified: float, maximum: float,
                                         inflated: bool) -> None:
    share, flag = self_inflation(np.array([own]), np.array([verified]), np.array([maximum]), TINY)
    assert flag.tolist() == [inflated]
    frame_share, frame_flag = self_inflation(pd.Series([own]), pd.Series([verified]),
                                             pd.Series([maximum]), TINY)
    assert frame_flag.tolist() == [inflated]
    assert np.array_equal(share, frame_share.to_numpy(), equal_nan=True)


@pytest.mark.parametrize(
    ("above", "inflated"),
    [(0.0, False), (0.5e-9, False), (3e-9, True), (1e-6, True)],
)
def test_the_threshold_allows_eps(above: float, inflated: bool) -> None:
    # Documented in docs/rubric.md ([credibility]): inflated when the share exceeds the
    # threshold by more than EPS = 1e-9.
    assert EPS == 1e-9
    own = np.array([0.15 + above])
    _, flag = self_inflation(own, np.array([0.0]), np.array([1.0]), TINY)
    assert flag.tolist() == [inflated]


def test_assessed_leaves_out_derived_and_missing_self_scores() -> None:
    own = np.array([1.0, np.nan, 2.0])
    assert assessed(own, np.array([False, False, True])).tolist() == [True, False, False]


def test_the_array_count_agrees_with_the_table() -> None:
    inputs = synthetic_round(ZJ, cities=11, counties=22, seed=5)
    score = score_round(inputs, "county")
    table = score.inflation.groupby("unit_code")["inflated"].sum()
    counts = pd.Series(inflated_counts(score.grid, ZJ), index=score.unit_codes)
    assert counts.sum() > 0
    assert counts.tolist() == table.reindex(score.unit_codes, fill_value=0).tolist()
