"""Benchmarking (比学赶超): gaps to leader / one above / median, losses, greedy closing set."""

from __future__ import annotations

import pandas as pd
import pytest
from scoring_fixtures import make_inputs, tiny_rubric, tiny_verified

from evalcore.scoring import RoundInputs, ScoringError, benchmark_report

TINY = tiny_rubric()  # X1 max 4, X2 max 2 (dimension X); Y1 max 4 (dimension Y)


def _inputs(
    points: dict[str, tuple[float, float, float]], claims: list | None = None
) -> RoundInputs:
    scores = [row for unit, p in points.items() for row in tiny_verified(unit, *p)]
    return make_inputs(TINY, units=list(points), scores=scores, claims=claims or [])


# Totals: A 9 (4, 2, 3), B 8 (3, 1, 4), C 5.5 (2, 1.5, 2), D 3 (0, 2, 1)
PEERS = {"A": (4, 2, 3), "B": (3, 1, 4), "C": (2, 1.5, 2), "D": (0, 2, 1)}


def test_gaps_overall_and_per_dimension() -> None:
    gaps = benchmark_report(_inputs(PEERS), "C").gaps.set_index("scope")
    assert gaps.loc["total", ["own", "leader", "above", "median"]].tolist() == [5.5, 9, 8, 6.75]
    assert gaps.loc["total", ["gap_to_leader", "gap_to_above", "gap_to_median"]].tolist() == [
        3.5, 2.5, 1.25]
    # Per dimension, from the same leader (A) and unit above (B): X A 6, B 4, C 3.5; Y 3, 4, 2.
    assert gaps.loc["X", ["gap_to_leader", "gap_to_above"]].tolist() == [2.5, 0.5]
    assert gaps.loc["Y", ["gap_to_leader", "gap_to_above", "gap_to_median"]].tolist() == [
        1.0, 2.0, 0.5]


def test_leader_has_no_unit_above() -> None:
    report = benchmark_report(_inputs(PEERS), "A")
    assert report.next_higher is None and report.closing.empty
    assert pd.isna(report.gaps.set_index("scope").loc["total", "gap_to_above"])


def test_points_lost_against_the_best_peer_top_n() -> None:
    losses = benchmark_report(_inputs(PEERS), "D", top=2).losses
    assert losses.to_dict("records") == [
        {"indicator_code": "X1", "dimension_code": "X", "own": 0.0, "best": 4.0,
         "best_unit": "A", "lost": 4.0},
        {"indicator_code": "Y1", "dimension_code": "Y", "own": 1.0, "best": 4.0,
         "best_unit": "B", "lost": 3.0},
    ]


@pytest.mark.parametrize(
    ("unit", "above", "gains", "new_totals"),
    [
        # D 3 → past C 5.5: X1 has the most headroom (4) → 7 > 5.5. Greedy picks one indicator,
        # though raising Y1 (+3) would need fewer points: it minimises the count, not the points.
        ("D", "C", [("X1", 4.0)], [7.0]),
        # C 5.5 → past B 8: X1 +2 → 7.5, Y1 +2 → 9.5 (ties on headroom go by code).
        ("C", "B", [("X1", 2.0), ("Y1", 2.0)], [7.5, 9.5]),
        # B 8 → past A 9: X1 +1 (headroom ties X1/X2 at 1; X1 first) → 9 ties, X2 +1 → 10.
        ("B", "A", [("X1", 1.0), ("X2", 1.0)], [9.0, 10.0]),
    ],
)
def test_greedy_closing_set(
    unit: str, above: str, gains: list[tuple[str, float]], new_totals: list[float]
) -> None:
    report = benchmark_report(_inputs(PEERS), unit)
    assert report.next_higher == above
    closing = report.closing
    assert list(zip(closing["indicator_code"], closing["gain"], strict=True)) == gains
    assert closing["new_total"].tolist() == pytest.approx(new_totals)


def test_closing_set_is_empty_when_impossible() -> None:
    # A has bonus 3 on top of full marks: 13. B can reach at most 10.
    claims = [("A", "cross", c, 1, 1.0, 1.0) for c in ("G1", "G2")] + [
        ("A", "third_party", "H1", 1, 2.0, 2.0)]
    report = benchmark_report(_inputs({"A": (4, 2, 4), "B": (1, 1, 1)}, claims), "B")
    assert report.next_higher == "A" and report.closing.empty


def test_a_vetoed_unit_cannot_gain_its_way_past_a_unit_without_a_veto() -> None:
    scores = [row for unit, p in PEERS.items() for row in tiny_verified(unit, *p)]
    inputs = make_inputs(TINY, units=list(PEERS), scores=scores,
                         deductions=[("B", 1, "V1", 0.0), ("C", 1, "V1", 0.0)])
    # Ranks: A 1, D 2 (3 points, no veto), then the vetoed B 3 (8 points) and C 4 (5.5).
    report = benchmark_report(inputs, "B")
    assert report.next_higher == "D" and report.closing.empty
    # Among vetoed units points still count: C can pass B.
    report = benchmark_report(inputs, "C")
    assert report.next_higher == "B"
    assert list(report.closing["indicator_code"]) == ["X1", "Y1"]


def test_tied_units_look_past_the_tie() -> None:
    report = benchmark_report(_inputs({"A": (4, 2, 3), "B": (4, 2, 3), "C": (4, 1, 3)}), "B")
    assert report.next_higher is None  # tied first: nobody strictly above


def test_unknown_unit_is_refused() -> None:
    with pytest.raises(ScoringError, match="ZZ"):
        benchmark_report(_inputs(PEERS), "ZZ")
