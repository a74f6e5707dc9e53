"""Orchestration: from RoundInputs to the leaderboard and the per-indicator drill-down.

Pipeline for one peer set (`level`, optional `within`):
derive → reconcile → credibility → penalties → per view: subtotals, bonus, totals, rank and
grade → change against the previous round. The `stage` view is 'final' (reconciled) or one of
'self' | 'cross' | 'third_party': that stage's own totals (its indicator points, missing = 0,
plus derived points; bonus as that stage saw it; deductions as final). In a stage view
`unverified_count` counts the hand-scored indicators that stage did not score.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from evalcore.rubric import Rubric
from evalcore.scoring.bonus import bonus_totals
from evalcore.scoring.common import VIEWS, check_choice, index_of, select_units
from evalcore.scoring.compare import compare_with
from evalcore.scoring.credibility import inflated_units, inflation_table
from evalcore.scoring.derive import derived_points
from evalcore.scoring.inputs import RoundInputs
from evalcore.scoring.penalties import deduction_rows, deduction_totals
from evalcore.scoring.reconcile import reconcile, stage_frame
from evalcore.scoring.rollup import rollup_cities
from evalcore.scoring.totals import (
    dimension_codes,
    dimension_subtotals,
    rank_and_grade,
    with_totals,
)

UNIT_COLUMNS = ["unit_code", "unit_name", "short_name", "parent_code"]
HEAD_COLUMNS = [
    "unit_code",
    "unit_name",
    "rank",
    "total",
    "grade",
    "grade_name_zh",
    "grade_name_en",
]
TAIL_COLUMNS = [
    "base",
    "bonus",
    "bonus_claimed",
    "deductions",
    "vetoed",
    "credibility_deducted",
    "unverified_count",
    "no_data_count",
    "rank_change",
    "total_change",
]


@dataclass(frozen=True)
class RoundScore:
    """One peer set scored up to, but not including, the view-dependent totals."""

    rubric: Rubric
    units: pd.DataFrame
    indicators: pd.DataFrame
    inflation: pd.DataFrame
    deduction_rows: pd.DataFrame
    deductions: pd.DataFrame

    @property
    def unit_codes(self) -> pd.Index:
        return pd.Index(self.units["unit_code"], name="unit_code")


def score_round(inputs: RoundInputs, level: str = "city", within: str | None = None) -> RoundScore:
    """Derive, reconcile, assess credibility and deduct for one peer set."""
    rubric = inputs.rubric
    units = select_units(inputs.units, level, within)
    codes = pd.Index(units["unit_code"], name="unit_code")
    derived = derived_points(rubric, inputs.metrics, codes)
    indicators = reconcile(stage_frame(rubric, inputs.scores, derived, codes), rubric)
    inflation = inflation_table(indicators, rubric)
    flagged = inflated_units(inflation, rubric)
    rows = deduction_rows(rubric, inputs.deductions, codes, flagged)
    totals = deduction_totals(rows, rubric, codes)
    return RoundScore(rubric, units, indicators, inflation, rows, totals)


def _counts(indicators: pd.DataFrame, view: str, unit_codes: pd.Index) -> pd.DataFrame:
    """Per unit: indicators not verified (or not scored at a stage view), derived without data."""
    if view == "final":
        missing = ~indicators["verified"].to_numpy(dtype=bool)
    else:
        missing = indicators[view].isna().to_numpy() & ~indicators["derived"].to_numpy(dtype=bool)
    unit = index_of(indicators["unit_code"], unit_codes)
    keep = unit >= 0

    def count(flags: np.ndarray) -> np.ndarray:
        return np.bincount(unit[keep], weights=flags[keep], minlength=len(unit_codes)).astype(int)

    return pd.DataFrame({"unverified_count": count(missing),
                         "no_data_count": count(indicators["no_data"].to_numpy(dtype=bool))},
                        index=unit_codes)


def build_board(score: RoundScore, claims: pd.DataFrame, view: str = "final") -> pd.DataFrame:
    """The ranked, graded leaderboard of one view (no previous-round comparison yet)."""
    check_choice(view, VIEWS, "stage")
    rubric, codes = score.rubric, score.unit_codes
    column = "points" if view == "final" else view
    # Every part is indexed by the peer set's codes, so plain column-wise concat aligns them.
    parts = [
        score.units.reindex(columns=UNIT_COLUMNS).set_index("unit_code"),
        dimension_subtotals(score.indicators, rubric, codes, column),
        bonus_totals(rubric, claims, codes, view),
        score.deductions,
        _counts(score.indicators, view, codes),
    ]
    board = pd.concat(parts, axis=1).reset_index()
    return rank_and_grade(with_totals(board, rubric), rubric)


def city_rollup(inputs: RoundInputs, stage: str = "final") -> pd.DataFrame:
    """City leaderboard as the household-weighted mean of each city's counties."""
    counties = build_board(score_round(inputs, "county"), inputs.bonus_claims, stage)
    cities = score_round(inputs, "city")
    vetoed = cities.deductions.index[cities.deductions["vetoed"]]
    return rollup_cities(counties, inputs.units, inputs.rubric, city_vetoed=vetoed)


def leaderboard(
    inputs: RoundInputs,
    level: str = "city",
    stage: str = "final",
    within: str | None = None,
    previous: pd.DataFrame | None = None,
    city_method: str | None = None,
) -> pd.DataFrame:
    """The leaderboard of one peer set, sorted by rank then the documented tie-break.

    Cities are scored by `city_method` ('direct' | 'household_weighted'), by default the
    rubric's `rollup.city_method`. `previous` is an earlier round's leaderboard (unit_code,
    rank, total); without it rank_change and total_change are missing.
    """
    check_choice(stage, VIEWS, "stage")
    method = city_method or inputs.rubric.rollup.city_method
    check_choice(method, ("direct", "household_weighted"), "city_method")
    if level == "city" and within is None and method == "household_weighted":
        board = city_rollup(inputs, stage)
    else:
        board = build_board(score_round(inputs, level, within), inputs.bonus_claims, stage)
    board = compare_with(board, previous)
    return board[leaderboard_columns(inputs.rubric, board)]


def leaderboard_columns(rubric: Rubric, board: pd.DataFrame) -> list[str]:
    """Documented column order: identity, rank and grade, dimensions, parts, flags, extras."""
    known = [*HEAD_COLUMNS, *dimension_codes(rubric), *TAIL_COLUMNS]
    return [c for c in known if c in board] + [c for c in board.columns if c not in known]


def indicator_table(
    inputs: RoundInputs, level: str = "city", within: str | None = None
) -> pd.DataFrame:
    """Units × indicators (long): stage points side by side, final points, verified, no_data."""
    score = score_round(inputs, level, within)
    names = score.units.set_index("unit_code")["unit_name"]
    table = score.indicators.assign(unit_name=score.indicators["unit_code"].map(names))
    first = ["unit_code", "unit_name", "indicator_code"]
    return table[first + [c for c in table.columns if c not in first]]
