"""What-if dimension weights: re-score a leaderboard with user-chosen dimension weights.

Rule: weights (dimension → weight ≥ 0) are renormalised to sum to the rubric's base_total;
each dimension then scores (its share of the dimension maximum) × (its new weight). Bonus,
deductions and vetoes are unchanged. A dimension left out of `weights` keeps its rubric
weight (its maximum) before renormalisation, so a slider set can change one weight at a time.
"""

from __future__ import annotations

import pandas as pd

from evalcore.rubric import Rubric
from evalcore.scoring.common import EPS, ScoringError
from evalcore.scoring.totals import dimension_codes, rank_and_grade, with_totals


def normalised_weights(rubric: Rubric, weights: dict[str, float]) -> dict[str, float]:
    """Full dimension → weight map summing to base_total (missing dimensions keep their max)."""
    unknown = sorted(set(weights) - set(dimension_codes(rubric)))
    if unknown:
        raise ScoringError(f"weights: unknown dimension(s) {', '.join(unknown)}")
    if any(w < 0 for w in weights.values()):
        raise ScoringError("weights: every weight must be ≥ 0")
    full = {d.code: float(weights.get(d.code, d.max)) for d in rubric.dimensions}
    total = sum(full.values())
    if total <= EPS:
        raise ScoringError("weights: at least one weight must be positive")
    return {code: w * rubric.rubric.base_total / total for code, w in full.items()}


def reweight(board: pd.DataFrame, rubric: Rubric, weights: dict[str, float]) -> pd.DataFrame:
    """The leaderboard re-scored with new weights; base_rank/base_total keep the original."""
    new = normalised_weights(rubric, weights)
    scaled = {d.code: board[d.code] / d.max * new[d.code] for d in rubric.dimensions}
    out = board.assign(base_rank=board["rank"], base_total=board["total"], **scaled)
    out = rank_and_grade(with_totals(out, rubric), rubric)
    return out.assign(rank_change=(out["base_rank"] - out["rank"]).astype(int),
                      total_change=out["total"] - out["base_total"])
