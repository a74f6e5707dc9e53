"""Totals, ranks and grades.

Rules (each one function, called by the frame and the array path alike):
- one subtotal column per dimension code; base = their sum (base_points);
- total = base + bonus − deductions, floored at 0 (total_points);
- rank: competition ranking "1224" on the total as shown, rounded to 2 decimals (after 6, so
  float noise neither splits nor makes a tie), with every vetoed unit ranked after every unit
  without a veto, vetoed units among themselves by total (common.competition_ranks);
- display ORDER (never the rank number): rank, then higher base first (the verified work
  outweighs bonus), then fewer deductions, then unit_code ascending, so the order is
  deterministic whatever the input row order;
- grade: the first band (highest minimum first) the total reaches, within EPS; a veto
  forces the lowest grade.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TypeVar

import numpy as np
import pandas as pd

from evalcore.rubric import Rubric
from evalcore.scoring.common import EPS, competition_ranks, per_rubric


def dimension_codes(rubric: Rubric) -> list[str]:
    """Dimension codes in rubric order (the subtotal columns)."""
    return [d.code for d in rubric.dimensions]


def grid_subtotals(points: np.ndarray, meta: pd.DataFrame, rubric: Rubric) -> dict[str, np.ndarray]:
    """Dimension code → per unit sum of its indicators' columns of units × indicators `points`
    (NaN as 0), added one indicator at a time in rubric order: the same floats whatever the
    peer set, so ties stay ties."""
    dims = meta["dimension_code"].to_numpy()
    sums = {code: np.zeros(len(points)) for code in dimension_codes(rubric)}
    for column, code in enumerate(dims):
        if code in sums:
            sums[code] += np.nan_to_num(points[:, column])
    return sums


Points = TypeVar("Points", np.ndarray, pd.Series)


def base_points(subtotals: Mapping[str, Points] | pd.DataFrame, rubric: Rubric) -> Points:
    """base: the dimension subtotals added one by one in rubric order (the same floats for
    arrays and for a frame's columns)."""
    return sum(subtotals[code] for code in dimension_codes(rubric))


def total_points(base: Points, bonus: Points | float, deductions: Points | float) -> Points:
    """The total rule: base + bonus − deductions, floored at 0 (arrays or Series of one shape,
    or broadcasting: draws × units bases against per-unit bonus and deductions)."""
    return np.maximum(base + bonus - deductions, 0.0)


def with_totals(board: pd.DataFrame, rubric: Rubric) -> pd.DataFrame:
    """Add base (sum of dimension columns) and total (total_points)."""
    base = base_points(board, rubric)
    return board.assign(base=base, total=total_points(base, board["bonus"], board["deductions"]))


def display_permutation(
    rank: np.ndarray,
    base: np.ndarray,
    deductions: np.ndarray,
    unit_code: np.ndarray,
    code_rank: np.ndarray | None = None,
) -> np.ndarray:
    """Row order for display: rank, then the documented tie-break."""
    code_order = (np.unique(np.asarray(unit_code, dtype=object), return_inverse=True)[1]
                  if code_rank is None else code_rank)
    # np.lexsort sorts by the LAST key first: rank, then base (descending), then deductions.
    return np.lexsort((code_order, np.asarray(deductions, dtype=float),
                       -np.asarray(base, dtype=float), np.asarray(rank)))


def display_order(board: pd.DataFrame) -> pd.DataFrame:
    """Sort by rank, then the documented tie-break; a fresh 0..n-1 index."""
    order = display_permutation(board["rank"].to_numpy(), board["base"].to_numpy(),
                                board["deductions"].to_numpy(), board["unit_code"].to_numpy())
    return board.take(order).reset_index(drop=True)


def grade_arrays(total: np.ndarray, vetoed: np.ndarray, rubric: Rubric) -> dict[str, np.ndarray]:
    """grade, grade_name_zh, grade_name_en from the rubric's bands; vetoed units get the lowest
    grade."""
    # The first band, highest minimum first, that the total reaches; else (and when vetoed)
    # the lowest grade, which sits at position len(bands).
    minimums, labels = per_rubric(rubric, _grade_choices)
    reached = np.asarray(total, dtype=float)[:, None] >= minimums - EPS
    index = np.where(reached.any(axis=1), reached.argmax(axis=1), len(minimums))
    index = np.where(np.asarray(vetoed, dtype=bool), len(minimums), index)
    return {column: choices.take(index) for column, choices in labels.items()}


def _grade_choices(rubric: Rubric) -> tuple[np.ndarray, dict[str, pd.api.extensions.ExtensionArray]
                                            ]:
    """Band minimums, highest first, and per label column the labels of those bands followed by
    the lowest grade (string arrays: taking from them needs no per-row type inference)."""
    bands = sorted(rubric.grades, key=lambda g: g.min, reverse=True)
    choices = [*bands, rubric.lowest_grade()]
    labels = {column: pd.array([getattr(g, attr) for g in choices], dtype="str")
              for column, attr in (("grade", "code"), ("grade_name_zh", "name_zh"),
                                   ("grade_name_en", "name_en"))}
    return np.array([g.min for g in bands], dtype=float), labels


def with_grades(board: pd.DataFrame, rubric: Rubric) -> pd.DataFrame:
    """The board with its grade columns (see grade_arrays)."""
    return board.assign(**grade_arrays(board["total"].to_numpy(), board["vetoed"].to_numpy(),
                                       rubric))


def rank_and_grade(board: pd.DataFrame, rubric: Rubric) -> pd.DataFrame:
    """Rank by total (vetoed units last), grade, and sort into display order."""
    rank = competition_ranks(board["total"], vetoed=board["vetoed"])
    return display_order(with_grades(board.assign(rank=rank), rubric))


def ranked_columns(columns: dict[str, np.ndarray], rubric: Rubric,
                   code_rank: np.ndarray | None = None,
                   rows: np.ndarray | None = None) -> dict[str, np.ndarray]:
    """Per-unit arrays (unit_code, the dimension subtotals, bonus, deductions, vetoed, …) with
    base, total, rank and grade added, every array in display order: the rules of with_totals
    + rank_and_grade on arrays (the scoring hot path). `rows`: rank only the units at these
    positions (a peer set of a larger scoring); `code_rank`: each ranked row's position in
    unit_code order, when the caller knows it (saves sorting the strings)."""
    def pick(values: np.ndarray) -> np.ndarray:
        return values if rows is None else values[rows]

    base = base_points({code: pick(columns[code]) for code in dimension_codes(rubric)}, rubric)
    deductions = pick(columns["deductions"])
    total = total_points(base, pick(columns["bonus"]), deductions)
    vetoed = pick(columns["vetoed"])
    rank = competition_ranks(total, vetoed=vetoed)
    order = display_permutation(rank, base, deductions, pick(columns["unit_code"]), code_rank)
    taken = order if rows is None else rows[order]  # one take per column
    grades = grade_arrays(total[order], vetoed[order], rubric)
    return {**{name: values[taken] for name, values in columns.items()},
            "base": base[order], "total": total[order], "rank": rank[order], **grades}


def ranked_board(columns: dict[str, np.ndarray], rubric: Rubric,
                 code_rank: np.ndarray | None = None) -> pd.DataFrame:
    """ranked_columns as a frame."""
    return pd.DataFrame(ranked_columns(columns, rubric, code_rank))
