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
from evalcore.scoring.common import competition_rank

DISPLAY_ORDER = ["rank", "base", "deductions", "unit_code"]
DISPLAY_ASCENDING = [True, False, True, True]


def dimension_codes(rubric: Rubric) -> list[str]:
    """Dimension codes in rubric order (the subtotal columns)."""
    return [d.code for d in rubric.dimensions]


def dimension_subtotals(
    indicators: pd.DataFrame, rubric: Rubric, unit_codes: pd.Index, column: str = "points"
) -> pd.DataFrame:
    """Units × dimensions: the sum of `column` (NaN as 0) over each dimension's indicators."""
    sums = indicators.groupby(["unit_code", "dimension_code"])[column].sum(min_count=0)
    wide = sums.unstack("dimension_code")
    index = pd.Index(unit_codes, name="unit_code")
    return wide.reindex(index=index, columns=dimension_codes(rubric)).fillna(0.0)


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
    pairs = zip(board["total"], board["vetoed"], strict=True)
    grades = [rubric.grade_for(float(t), bool(v)) for t, v in pairs]
    return board.assign(
        grade=[g.code for g in grades],
        grade_name_zh=[g.name_zh for g in grades],
        grade_name_en=[g.name_en for g in grades],
    )


def rank_and_grade(board: pd.DataFrame, rubric: Rubric) -> pd.DataFrame:
    """Rank by total, grade, and sort into display order."""
    ranked = board.assign(rank=competition_rank(board["total"]))
    return display_order(with_grades(ranked, rubric))
