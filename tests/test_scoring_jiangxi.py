"""A second province's rubric (Jiangxi) scores through the same code: blend, bands, 差 < 75."""

from __future__ import annotations

import pytest
from scoring_fixtures import JX, board_row, make_inputs

from evalcore.scoring import leaderboard


def _manual(unit: str, self_share: float, verified_share: float) -> list[tuple]:
    rows = []
    for ind in JX.manual_indicators():
        rows.append((unit, "self", ind.code, ind.max * self_share))
        rows.append((unit, "third_party", ind.code, ind.max * verified_share))
    return rows


def _metrics(unit: str, rate: float, satisfaction: float) -> list[tuple]:
    names = ("start_rate", "completion_rate", "investment_execution", "pm_coverage")
    return [(unit, n, rate) for n in names] + [(unit, "satisfaction", satisfaction)]


@pytest.mark.parametrize(
    ("self_share", "verified_share", "rate", "satisfaction", "total", "grade", "name"),
    [
        # Hand-scored max 67; linear derived 25 (A1 8, A2 8, A5 4, C3 5); E1 bands up to 8.
        (1.0, 1.0, 1.0, 0.96, 100.0, "excellent", "优秀"),
        # Blend 0.3·self + 0.7·verified = 0.3 + 0.7·0.8 = 0.86; satisfaction 0.9 → 6.
        (1.0, 0.8, 0.95, 0.9, 0.86 * 67 + 0.95 * 25 + 6, "good", "良好"),  # 87.37
        (0.8, 0.8, 0.8, 0.85, 0.8 * 67 + 0.8 * 25 + 4, "pass", "合格"),  # 77.6
        (0.7, 0.7, 0.7, 0.7, 0.7 * 67 + 0.7 * 25 + 2, "poor", "差"),  # 66.4
        (0.8, 0.8, 0.8, 0.6, 0.8 * 67 + 0.8 * 25 + 0, "poor", "差"),  # 73.6 < 75
    ],
)
def test_jiangxi_scores_and_grades(
    self_share: float, verified_share: float, rate: float, satisfaction: float, total: float,
    grade: str, name: str,
) -> None:
    inputs = make_inputs(JX, units=["A"], scores=_manual("A", self_share, verified_share),
                         metrics=_metrics("A", rate, satisfaction))
    row = board_row(leaderboard(inputs), "A")
    assert row["total"] == pytest.approx(total)
    assert (row["grade"], row["grade_name_zh"]) == (grade, name)
    assert row["bonus"] == 0 and row["unverified_count"] == 0


def test_jiangxi_missing_third_party_uses_self_unverified() -> None:
    rows = [r for r in _manual("A", 1.0, 0.5) if not (r[1] == "third_party" and r[2] == "B1")]
    row = board_row(leaderboard(make_inputs(JX, units=["A"], scores=rows)), "A")
    # B1 (max 6) counts its self score 6 instead of 0.3·6 + 0.7·3 = 3.9.
    assert row["unverified_count"] == 1
    assert row["B"] == pytest.approx(6 + (0.3 + 0.35) * (5 + 5 + 4))
