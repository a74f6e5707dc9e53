"""Rank uncertainty: Monte Carlo over dimension weights (and, optionally, the stage blend).

Noise model (chosen over a Dirichlet because zero noise is then exactly the rubric, and one
`sigma` reads as "weights wobble by about ±sigma"): each draw multiplies every dimension weight
by exp(sigma · Z), Z ~ N(0, 1), and renormalises the weights to the rubric's base_total.
A dimension then scores (its share of the dimension maximum) × (its drawn weight); bonus,
deductions and vetoes stay fixed (a vetoed unit ranks after the others in every draw). With
`stage_sigma` > 0 and a blending rubric, the stage weights get the same multiplicative noise
and are renormalised to sum to 1; for a "verifying_stage" rubric there is no blend to perturb
and stage_sigma has no effect.

Everything is vectorised: a draws × dims weight matrix times a dims × units subtotal matrix,
then the engine's own total and ranking rules (totals.total_points, common.competition_ranks)
on the draws × units matrix at once, with no Python loop per draw.
Draws use numpy.random.default_rng(seed): the same seed gives the same answer.

Output per unit: its base rank, rank_p05 / rank_median / rank_p95 (observed ranks, inverted
CDF), p_top3 (share of draws ranked 3rd or better), and statistical ties: units whose
[p05, p95] intervals overlap are listed in `tied_with`, and chains of overlaps share a
`tie_group` number (1 = the group containing the top).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from evalcore.scoring.common import ScoringError, competition_ranks
from evalcore.scoring.totals import total_points

QUANTILES = (0.05, 0.5, 0.95)


@dataclass(frozen=True)
class ScoreParts:
    """The arrays rank uncertainty needs for one peer set (U units, D dimensions, S stages).

    subtotals:        (U, D) final dimension subtotals
    stage_subtotals:  (S, U, D) subtotals per blended stage, a missing stage filled with the
                      final points so the unperturbed blend reproduces `subtotals`
    stage_weights:    (S,) the rubric's blend weights (S = 0 when the rubric does not blend)
    vetoed:           (U,) vetoed units, ranked after the others in every draw (None: none)
    """

    unit_codes: tuple[str, ...]
    dimension_max: np.ndarray
    subtotals: np.ndarray
    bonus: np.ndarray
    deductions: np.ndarray
    base_total: float
    stage_subtotals: np.ndarray | None = None
    stage_weights: np.ndarray | None = None
    vetoed: np.ndarray | None = None


def lognormal_weights(
    rng: np.random.Generator, base: np.ndarray, draws: int, sigma: float, total: float
) -> np.ndarray:
    """Draws × len(base): base × exp(sigma·Z), each row renormalised to sum to `total`."""
    noisy = base * np.exp(sigma * rng.standard_normal((draws, base.size)))
    return noisy * (total / noisy.sum(axis=1, keepdims=True))


def draw_base_scores(
    parts: ScoreParts, draws: int, rng: np.random.Generator, sigma: float, stage_sigma: float
) -> np.ndarray:
    """Draws × units base scores under perturbed dimension (and stage) weights."""
    dims = parts.dimension_max
    # Multipliers of each dimension's subtotal: exactly 1.0 when sigma is 0.
    scale = lognormal_weights(rng, dims, draws, sigma, parts.base_total) / dims
    if stage_sigma <= 0 or parts.stage_weights is None or parts.stage_subtotals is None:
        return scale @ parts.subtotals.T
    blend = lognormal_weights(rng, parts.stage_weights, draws, stage_sigma, 1.0)
    blended = np.einsum("ns,sud->nud", blend, parts.stage_subtotals)
    return np.einsum("nud,nd->nu", blended, scale)


def overlap_matrix(low: np.ndarray, high: np.ndarray) -> np.ndarray:
    """Units × units: whether the [low, high] intervals overlap (diagonal False)."""
    overlap = (low[:, None] <= high[None, :]) & (low[None, :] <= high[:, None])
    np.fill_diagonal(overlap, False)
    return overlap


def tie_groups(low: np.ndarray, high: np.ndarray) -> np.ndarray:
    """Group ids (1, 2, …, top group first) joining chains of overlapping intervals."""
    order = np.lexsort((high, low))
    groups = np.empty(len(low), dtype=int)
    group, reach = 0, -np.inf
    for i in order:  # one pass over units, not draws
        if low[i] > reach:
            group += 1
        reach = max(reach, high[i])
        groups[i] = group
    return groups


def simulate_ranks(
    parts: ScoreParts,
    draws: int = 1000,
    seed: int = 0,
    sigma: float = 0.1,
    stage_sigma: float = 0.0,
    top: int = 3,
) -> pd.DataFrame:
    """Per unit: rank, rank_p05, rank_median, rank_p95, p_top{top}, tie_group, tied_with."""
    if draws < 1 or sigma < 0 or stage_sigma < 0:
        raise ScoringError("rank uncertainty needs draws ≥ 1 and non-negative noise")
    rng = np.random.default_rng(seed)
    drawn = draw_base_scores(parts, draws, rng, sigma, stage_sigma)
    ranks = competition_ranks(total_points(drawn, parts.bonus, parts.deductions),
                              vetoed=parts.vetoed)
    base_rank = competition_ranks(
        total_points(parts.subtotals.sum(axis=1), parts.bonus, parts.deductions),
        vetoed=parts.vetoed)
    low, mid, high = np.quantile(ranks, QUANTILES, axis=0, method="inverted_cdf")
    overlap = overlap_matrix(low, high)
    codes = np.array(parts.unit_codes, dtype=object)
    out = pd.DataFrame({"unit_code": codes, "rank": base_rank})
    out = out.assign(rank_p05=low.astype(int), rank_median=mid.astype(int))
    out = out.assign(rank_p95=high.astype(int), **{f"p_top{top}": (ranks <= top).mean(axis=0)})
    out["tie_group"] = tie_groups(low, high)
    out["tied_with"] = [list(codes[row]) for row in overlap]
    return out.sort_values(["rank", "rank_median", "unit_code"], kind="stable").reset_index(
        drop=True
    )
