"""Bonus points (加分项): per category, then each group's cap, then the total cap.

Rules:
- awarded: a category earns its `points` once, and only if at least one case of it has
  points_awarded > 0 at the category's verifying stage. No fallback to earlier stages: an
  unverified case earns nothing (形成机制并有实例 must be checked, not declared).
- claimed: the self-stage points_claimed summed per category, capped at the category's points,
  then by the same group and total caps. Kept apart from awarded so pages can show rejections.
- rejected = claimed − awarded where positive (claimed but not awarded).
- Stage views: at 'cross' / 'third_party' a category counts if a case is awarded at that stage;
  at 'self' the claimed points count.
- A cap is "reached" when the uncapped points are positive and at least the cap.
Arrays are units × categories in rubric order; the long table lists units in the given order.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from evalcore.rubric import Rubric
from evalcore.scoring.common import (
    EPS,
    STAGES,
    VIEWS,
    check_choice,
    index_of,
    per_rubric,
    positions,
)

TABLE_COLUMNS = [
    "unit_code",
    "category_code",
    "group_code",
    "claimed",
    "awarded",
    "rejected",
    "group_cap_reached",
    "total_cap_reached",
]


def _category_arrays(rubric: Rubric) -> tuple[pd.Index, np.ndarray, np.ndarray, np.ndarray]:
    """Category codes, their points, verifying-stage index and categories × groups one-hot."""
    return per_rubric(rubric, _build_category_arrays)


def _build_category_arrays(
    rubric: Rubric,
) -> tuple[pd.Index, np.ndarray, np.ndarray, np.ndarray]:
    cats = rubric.bonus.categories
    groups = [g.code for g in rubric.bonus.groups]
    membership = np.array([[c.group == g for g in groups] for c in cats], dtype=float)
    membership = membership.reshape(len(cats), len(groups))
    points = np.array([c.points for c in cats], dtype=float)
    stage = np.array([STAGES.index(c.stage) for c in cats], dtype=int)
    return pd.Index([c.code for c in cats], dtype=object), points, stage, membership


def claim_positions(
    claims: pd.DataFrame, unit_codes: pd.Index, categories: pd.Index
) -> tuple[dict[str, np.ndarray], np.ndarray, np.ndarray, np.ndarray]:
    """The peer set's claim rows (their points columns, as float arrays) with their unit,
    category and stage positions."""
    unit = index_of(claims["unit_code"], unit_codes)
    mine = np.flatnonzero(unit >= 0)
    rows = None if len(mine) == len(unit) else mine  # every row: no need to pick
    category = positions(claims["category_code"], categories, "bonus_claims: category_code", rows)
    stage = positions(claims["stage"], pd.Index(STAGES, dtype=object), "bonus_claims: stage", rows)
    points = {c: claims[c].to_numpy(dtype=float) for c in ("points_claimed", "points_awarded")}
    if rows is None:
        return points, unit, category, stage
    return {c: v[rows] for c, v in points.items()}, unit[rows], category, stage


def claimed_matrix(
    rows: dict[str, np.ndarray],
    unit: np.ndarray,
    category: np.ndarray,
    stage: np.ndarray,
    shape: tuple[int, int],
    points: np.ndarray,
) -> np.ndarray:
    """Self-stage points_claimed summed per unit and category, capped at the category points."""
    own = stage == STAGES.index("self")
    cell = unit[own] * shape[1] + category[own]
    claimed = np.nan_to_num(rows["points_claimed"][own])
    out = np.bincount(cell, weights=claimed, minlength=shape[0] * shape[1]).reshape(shape)
    return np.clip(out, 0.0, points)


def awarded_matrix(
    rows: dict[str, np.ndarray],
    unit: np.ndarray,
    category: np.ndarray,
    stage: np.ndarray,
    shape: tuple[int, int],
    verifying: np.ndarray,
    points: np.ndarray,
    view: str,
) -> np.ndarray:
    """Category points where a case has points_awarded > 0 at the stage that counts."""
    hit = np.zeros((*shape, len(STAGES)), dtype=bool)
    awarded = np.nan_to_num(rows["points_awarded"]) > 0
    hit[unit[awarded], category[awarded], stage[awarded]] = True
    counts = verifying if view == "final" else np.full(shape[1], STAGES.index(view))
    earned = hit[:, np.arange(shape[1]), counts]
    return np.where(earned, points, 0.0)


def apply_caps(
    values: np.ndarray, membership: np.ndarray, rubric: Rubric
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Units × categories → (capped total, group cap reached per category, total cap reached)."""
    group_caps = np.array([g.cap for g in rubric.bonus.groups], dtype=float)
    by_group = values @ membership
    group_reached = (by_group >= group_caps - EPS) & (by_group > 0)
    raw_total = np.minimum(by_group, group_caps).sum(axis=1)
    cap = rubric.bonus.total_cap
    total_reached = (raw_total >= cap - EPS) & (raw_total > 0)
    return np.minimum(raw_total, cap), (group_reached @ membership.T) > 0, total_reached


def bonus_matrices(
    rubric: Rubric, claims: pd.DataFrame, unit_codes: pd.Index, view: str = "final"
) -> tuple[np.ndarray, np.ndarray]:
    """Units × categories (claimed, awarded) for the view ('final' or a stage)."""
    check_choice(view, VIEWS, "stage")
    categories, points, verifying, _ = _category_arrays(rubric)
    rows, unit, category, stage = claim_positions(claims, unit_codes, categories)
    shape = (len(unit_codes), len(categories))
    claimed = claimed_matrix(rows, unit, category, stage, shape, points)
    if view == "self":
        return claimed, claimed.copy()
    args = (rows, unit, category, stage, shape, verifying, points, view)
    return claimed, awarded_matrix(*args)


def bonus_table(
    rubric: Rubric, claims: pd.DataFrame, unit_codes: pd.Index, view: str = "final"
) -> pd.DataFrame:
    """Per unit and category: claimed, awarded, rejected, group_cap_reached, total_cap_reached.

    The cap flags are those of the awarded points.
    """
    claimed, awarded = bonus_matrices(rubric, claims, unit_codes, view)
    categories, _, _, membership = _category_arrays(rubric)
    _, group_reached, total_reached = apply_caps(awarded, membership, rubric)
    n_cat = len(categories)
    return pd.DataFrame(
        {
            "unit_code": np.repeat(unit_codes.to_numpy(), n_cat),
            "category_code": np.tile(categories.to_numpy(), len(unit_codes)),
            "group_code": np.tile([c.group for c in rubric.bonus.categories], len(unit_codes)),
            "claimed": claimed.ravel(),
            "awarded": awarded.ravel(),
            "rejected": np.maximum(claimed - awarded, 0.0).ravel(),
            "group_cap_reached": group_reached.ravel(),
            "total_cap_reached": np.repeat(total_reached, n_cat),
        },
        columns=TABLE_COLUMNS,
    )


def bonus_arrays(
    rubric: Rubric, claims: pd.DataFrame, unit_codes: pd.Index, view: str = "final"
) -> tuple[np.ndarray, np.ndarray]:
    """Per unit: (bonus: awarded, capped; bonus_claimed: claimed, capped the same way)."""
    claimed, awarded = bonus_matrices(rubric, claims, unit_codes, view)
    membership = _category_arrays(rubric)[3]
    return apply_caps(awarded, membership, rubric)[0], apply_caps(claimed, membership, rubric)[0]
