"""Totals, ranks and grades.

Rules:
- one subtotal column per dimension code; base = their sum;
- total = base + bonus − deductions, floored at 0;
- rank: competition ranking "1224" on the total rounded to 6 decimals (float noise must not
  split a tie);
- display ORDER (never the rank number): rank, then higher base first (the verified work
  outweighs bonus), then fewer deductions, then unit_code ascending, so the order is
  deterministic whatever the input row order;
- grade: rubric.grade_for(total, vetoed): a veto forces the lowest grade.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from evalcore.rubric import Rubric
from evalcore.scoring.common import EPS, competition_rank, index_of

DISPLAY_ORDER = ["rank", "base", "deductions", "unit_code"]
DISPLAY_ASCENDING = [True, False, True, True]


def dimension_codes(rubric: Rubric) -> list[str]:
    """Dimension codes in rubric order (the subtotal columns)."""
    return [d.code for d in rubric.dimensions]


def dimension_subtotals(
    indicators: pd.DataFrame, rubric: Rubric, unit_codes: pd.Index, column: str = "points"
) -> pd.DataFrame:
    """Units × dimensions: the sum of `column` (NaN as 0) over each dimension's indicators."""
    dims = pd.Index(dimension_codes(rubric), name="dimension_code")
    index = pd.Index(unit_codes, name="unit_code")
    unit = index_of(indicators["unit_code"], index)
    dim = index_of(indicators["dimension_code"], dims)
    keep = (unit >= 0) & (dim >= 0)
    values = np.nan_to_num(indicators[column].to_numpy(dtype=float)[keep])
    sums = np.bincount(unit[keep] * len(dims) + dim[keep], weights=values,
                       minlength=len(index) * len(dims))
    return pd.DataFrame(sums.reshape(len(index), len(dims)), index=index, columns=dims)


def with_totals(board: pd.DataFrame, rubric: Rubric) -> pd.DataFrame:
    """Add base (sum of dimension columns) and total (base + bonus − deductions, floored at 0)."""
    base = board[dimension_codes(rubric)].sum(axis=1)
    total = np.maximum(base + board["bonus"] - board["deductions"], 0.0)
    return board.assign(base=base, total=total)


def display_order(board: pd.DataFrame) -> pd.DataFrame:
    """Sort by rank, then the documented tie-break; a fresh 0..n-1 index."""
    order = board.sort_values(DISPLAY_ORDER, ascending=DISPLAY_ASCENDING, kind="stable")
    return order.reset_index(drop=True)


def with_grades(board: pd.DataFrame, rubric: Rubric) -> pd.DataFrame:
    """Grade code and names from the rubric's bands; vetoed units get the lowest grade."""
    # Vectorised rubric.grade_for: the first band, highest minimum first, that the total
    # reaches; else (and when vetoed) the lowest grade, which sits at position len(bands).
    bands = sorted(rubric.grades, key=lambda g: g.min, reverse=True)
    choices = [*bands, rubric.lowest_grade()]
    total = board["total"].to_numpy(dtype=float)
    reached = total[:, None] >= np.array([g.min for g in bands]) - EPS
    index = np.where(reached.any(axis=1), reached.argmax(axis=1), len(bands))
    index = np.where(board["vetoed"].to_numpy(dtype=bool), len(bands), index)
    return board.assign(**{
        column: np.array([getattr(g, attr) for g in choices], dtype=object)[index]
        for column, attr in (("grade", "code"), ("grade_name_zh", "name_zh"),
                             ("grade_name_en", "name_en"))
    })


def rank_and_grade(board: pd.DataFrame, rubric: Rubric) -> pd.DataFrame:
    """Rank by total, grade, and sort into display order."""
    ranked = board.assign(rank=competition_rank(board["total"]))
    return display_order(with_grades(ranked, rubric))
