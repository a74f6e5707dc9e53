"""Drill-down reports built on the leaderboard pipeline, one entry point each for the pages.

Each takes RoundInputs and a peer set (`level`, optional `within`) and returns plain frames.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from evalcore.scoring.benchmark import closing_set, indicator_losses, next_higher, peer_gaps
from evalcore.scoring.bonus import bonus_table
from evalcore.scoring.credibility import credibility_summary
from evalcore.scoring.inputs import RoundInputs
from evalcore.scoring.leaderboard import RoundScore, build_board, leaderboard, score_round
from evalcore.scoring.reconcile import STAGE_COLUMNS
from evalcore.scoring.sensitivity import ScoreParts, simulate_ranks
from evalcore.scoring.totals import dimension_codes, grid_subtotals
from evalcore.scoring.weights import reweight


@dataclass(frozen=True)
class Benchmark:
    """比学赶超 for one unit: gaps, points lost per indicator, the greedy closing set."""

    unit_code: str
    next_higher: str | None
    gaps: pd.DataFrame
    losses: pd.DataFrame
    closing: pd.DataFrame


def bonus_report(
    inputs: RoundInputs, level: str = "city", within: str | None = None, stage: str = "final"
) -> pd.DataFrame:
    """Per unit and bonus category: claimed, awarded, rejected and the cap flags."""
    codes = score_round(inputs, level, within).unit_codes
    return bonus_table(inputs.rubric, inputs.for_engine.bonus_claims, codes, stage)


def deduction_report(
    inputs: RoundInputs, level: str = "city", within: str | None = None
) -> pd.DataFrame:
    """Every deduction and veto row as scored (clipped; automatic credibility rows marked)."""
    return score_round(inputs, level, within).deduction_rows


def credibility_report(
    inputs: RoundInputs, level: str = "city", within: str | None = None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(per unit and indicator inflation, per unit summary ranked least inflated first)."""
    score = score_round(inputs, level, within)
    inflation = score.inflation
    return inflation, credibility_summary(inflation, score.unit_codes)


def benchmark_report(
    inputs: RoundInputs,
    unit_code: str,
    level: str = "city",
    within: str | None = None,
    top: int = 5,
) -> Benchmark:
    """Gaps, top-N points lost and the closing set of one unit within its peer set.

    Uses the final, directly evaluated scores (indicator points exist only for direct
    evaluation, so a household-weighted city board is not used here).
    """
    score = score_round(inputs, level, within)
    board = build_board(score, inputs.for_engine.bonus_claims)
    above = next_higher(board, unit_code)
    return Benchmark(
        unit_code=unit_code,
        next_higher=None if above is None else str(above["unit_code"]),
        gaps=peer_gaps(board, unit_code, inputs.rubric),
        losses=indicator_losses(score.indicators, unit_code, top),
        closing=closing_set(board, score.indicators, unit_code),
    )


def what_if(
    inputs: RoundInputs, weights: dict[str, float], level: str = "city", within: str | None = None
) -> pd.DataFrame:
    """The level's final leaderboard (as `leaderboard` builds it) re-scored with new dimension
    weights; rank_change and total_change are against that base."""
    board = leaderboard(inputs, level, within=within)
    return reweight(board, inputs.rubric, weights)


def score_parts(inputs: RoundInputs, level: str = "city", within: str | None = None) -> ScoreParts:
    """The arrays of one peer set's final scores that rank uncertainty perturbs."""
    score = score_round(inputs, level, within)
    rubric, codes = inputs.rubric, score.unit_codes
    board = build_board(score, inputs.for_engine.bonus_claims).set_index("unit_code").reindex(codes)
    parts = ScoreParts(
        unit_codes=tuple(codes),
        dimension_max=np.array([d.max for d in rubric.dimensions], dtype=float),
        subtotals=board[dimension_codes(rubric)].to_numpy(dtype=float),
        bonus=board["bonus"].to_numpy(dtype=float),
        deductions=board["deductions"].to_numpy(dtype=float),
        base_total=float(rubric.rubric.base_total),
        vetoed=board["vetoed"].to_numpy(dtype=bool),
    )
    if rubric.reconciliation.method != "blend":
        return parts
    weights = np.array([rubric.reconciliation.weights.get(s, 0.0) for s in STAGE_COLUMNS])
    return replace(parts, stage_subtotals=stage_subtotals(score), stage_weights=weights)


def stage_subtotals(score: RoundScore) -> np.ndarray:
    """Stages × units × dimensions subtotals; a stage without a row stands in with the final
    points, so blending with the rubric's own weights reproduces the final subtotals."""
    grid, dims = score.grid, dimension_codes(score.rubric)
    out = []
    for stage in range(len(STAGE_COLUMNS)):
        points = grid.stages[:, :, stage]
        filled = np.where(np.isnan(points), grid.points, points)
        sums = grid_subtotals(filled, grid.meta, score.rubric)
        out.append(np.column_stack([sums[d] for d in dims]))
    return np.stack(out)


def rank_uncertainty(
    source: RoundInputs | ScoreParts,
    level: str = "city",
    draws: int = 1000,
    seed: int = 0,
    sigma: float = 0.1,
    stage_sigma: float = 0.0,
    within: str | None = None,
) -> pd.DataFrame:
    """Monte Carlo rank intervals per unit (see sensitivity.py for the noise model).

    Always scores the chosen level directly (no county → city roll-up).
    """
    parts = source if isinstance(source, ScoreParts) else score_parts(source, level, within)
    return simulate_ranks(parts, draws=draws, seed=seed, sigma=sigma, stage_sigma=stage_sigma)
