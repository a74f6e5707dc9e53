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
from evalcore.scoring.bonus import bonus_arrays
from evalcore.scoring.common import LEVELS, STAGES, VIEWS, check_choice, index_of, select_units
from evalcore.scoring.compare import compare_with, no_previous
from evalcore.scoring.credibility import inflated_units, inflation_table
from evalcore.scoring.inputs import RoundInputs
from evalcore.scoring.penalties import deduction_rows, deduction_totals
from evalcore.scoring.reconcile import IndicatorGrid, indicator_grid
from evalcore.scoring.rollup import rollup_cities
from evalcore.scoring.totals import (
    dimension_codes,
    grid_subtotals,
    ranked_board,
    ranked_columns,
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
    """A set of units (a peer set, or every unit of the round) scored up to, but not
    including, the view-dependent totals and ranks."""

    rubric: Rubric
    units: pd.DataFrame
    grid: IndicatorGrid
    deduction_rows: pd.DataFrame
    deductions: pd.DataFrame

    @property
    def unit_codes(self) -> pd.Index:
        return self.grid.unit_codes

    @property
    def indicators(self) -> pd.DataFrame:
        """Units × indicators (long): stage points, final points, verified, no_data."""
        return self.grid.frame

    @property
    def inflation(self) -> pd.DataFrame:
        """Per unit and self-scored indicator: inflation (credibility.inflation_table)."""
        return inflation_table(self.indicators, self.rubric)

    def subset(self, rows: np.ndarray) -> RoundScore:
        """The units at positions `rows` (kept in order). Everything here is per unit —
        derived points, reconciliation, credibility, deductions — so a subset of a larger
        scoring is that subset scored on its own; only ranks depend on the peer set."""
        if np.any(np.diff(rows) <= 0):  # boards rely on the unit_code order (see _board)
            raise ValueError("RoundScore.subset: rows must be increasing positions")
        codes = self.unit_codes[rows]
        mine = index_of(self.deduction_rows["unit_code"], codes) >= 0
        return RoundScore(
            self.rubric,
            self.units.iloc[rows].reset_index(drop=True),
            self.grid.subset(rows),
            self.deduction_rows.loc[mine].reset_index(drop=True),
            self.deductions.iloc[rows],
        )


def score_round(inputs: RoundInputs, level: str = "city", within: str | None = None) -> RoundScore:
    """Derive, reconcile, assess credibility and deduct for one peer set."""
    return score_units(inputs, select_units(inputs.units, level, within))


def score_units(inputs: RoundInputs, units: pd.DataFrame) -> RoundScore:
    """Derive, reconcile, assess credibility and deduct for `units` (sorted by unit_code)."""
    rubric = inputs.rubric
    # One object-dtype Index for every look-up of this unit set: its hash table is built once.
    codes = pd.Index(units["unit_code"].to_numpy(dtype=object), dtype=object, name="unit_code")
    frames = inputs.for_engine
    grid = indicator_grid(rubric, frames.scores, frames.metrics, codes)
    rows = deduction_rows(rubric, frames.deductions, codes, inflated_units(grid, rubric))
    totals = deduction_totals(rows, rubric, codes)
    return RoundScore(rubric, units, grid, rows, totals)


def _counts(grid: IndicatorGrid, view: str) -> dict[str, np.ndarray]:
    """Per unit: indicators not verified (or not scored at a stage view), derived without data."""
    if view == "final":
        missing = ~grid.verified
    else:
        derived = grid.meta["derived"].to_numpy(dtype=bool)
        missing = np.isnan(grid.stages[:, :, STAGES.index(view)]) & ~derived
    return {"unverified_count": missing.sum(axis=1).astype(np.int64),
            "no_data_count": grid.no_data.sum(axis=1).astype(np.int64)}


def build_board(score: RoundScore, claims: pd.DataFrame, view: str = "final") -> pd.DataFrame:
    """The ranked, graded leaderboard of one view (no previous-round comparison yet)."""
    check_choice(view, VIEWS, "stage")
    bonus, bonus_claimed = bonus_arrays(score.rubric, claims, score.unit_codes, view)
    return _board(score, view, bonus, bonus_claimed)


def _board(score: RoundScore, view: str, bonus: np.ndarray, bonus_claimed: np.ndarray
           ) -> pd.DataFrame:
    """The ranked board of `score`'s units from their bonus arrays (build_board's core)."""
    # Units come sorted by unit_code (select_units), so their position is the code order.
    columns = _board_columns(score, view, bonus, bonus_claimed)
    return ranked_board(columns, score.rubric, code_rank=np.arange(len(score.units)))


def _board_columns(score: RoundScore, view: str, bonus: np.ndarray, bonus_claimed: np.ndarray
                   ) -> dict[str, np.ndarray]:
    """The per-unit leaderboard columns before totals and ranks, in score.units order."""
    rubric, grid = score.rubric, score.grid
    points = grid.points if view == "final" else grid.stages[:, :, STAGES.index(view)]
    units = score.units.reindex(columns=UNIT_COLUMNS)
    return {
        **{c: units[c].array for c in UNIT_COLUMNS},  # kept as they are: no re-inference
        **grid_subtotals(points, grid.meta, rubric),
        "bonus": bonus,
        "bonus_claimed": bonus_claimed,
        **{c: score.deductions[c].to_numpy() for c in score.deductions.columns},
        **_counts(grid, view),
    }


def leaderboards(inputs: RoundInputs, stage: str = "final",
                 city_method: str | None = None) -> dict[str, pd.DataFrame]:
    """The city and the county leaderboard of the round ({level: board}), every unit scored
    once: the frames `leaderboard(inputs, level, stage)` gives for each level, in one pass
    over the round's rows instead of one per level. Per-unit results do not depend on the
    peer set, so each level's board is its rows of one scoring, ranked among themselves.
    Because it is one pass, a row the engine refuses (an unknown code, a duplicate) fails
    both boards, where the per-level calls would fail only its own level."""
    check_choice(stage, VIEWS, "stage")
    rubric = inputs.rubric
    method = _city_method(rubric, city_method)
    score = score_units(inputs, select_units(inputs.units, None))
    bonus, claimed = bonus_arrays(rubric, inputs.for_engine.bonus_claims, score.unit_codes,
                                  stage)
    columns = _board_columns(score, stage, bonus, claimed)
    level_of = score.units["level"].to_numpy()
    boards = {}
    for level in LEVELS:
        rows = np.flatnonzero(level_of == level)
        if level == "city" and method == "household_weighted":
            continue  # rolled up from the county board below
        ranked = ranked_columns(columns, rubric, code_rank=np.arange(len(rows)), rows=rows)
        ranked.update(no_previous(len(rows)))
        boards[level] = pd.DataFrame({c: ranked[c] for c in leaderboard_columns(rubric, ranked)})
    if method == "household_weighted":
        vetoed = score.unit_codes[score.deductions["vetoed"].to_numpy() & (level_of == "city")]
        rows = np.flatnonzero(level_of == "county")
        county = _board(score.subset(rows), stage, bonus[rows], claimed[rows])
        city = rollup_cities(county, inputs.units, rubric, vetoed)
        boards = {"city": _finish(city, None, rubric), **boards}
    return boards


def _city_method(rubric: Rubric, city_method: str | None) -> str:
    method = city_method or rubric.rollup.city_method
    check_choice(method, ("direct", "household_weighted"), "city_method")
    return method


def _finish(board: pd.DataFrame, previous: pd.DataFrame | None, rubric: Rubric) -> pd.DataFrame:
    """Change against the previous round, columns in the documented order."""
    board = compare_with(board, previous)
    return board[leaderboard_columns(rubric, board)]


def city_rollup(inputs: RoundInputs, stage: str = "final") -> pd.DataFrame:
    """City leaderboard as the household-weighted mean of each city's counties."""
    counties = build_board(score_round(inputs, "county"), inputs.for_engine.bonus_claims, stage)
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
    method = _city_method(inputs.rubric, city_method)
    if level == "city" and within is None and method == "household_weighted":
        board = city_rollup(inputs, stage)
    else:
        claims = inputs.for_engine.bonus_claims
        board = build_board(score_round(inputs, level, within), claims, stage)
    return _finish(board, previous, inputs.rubric)


def leaderboard_columns(rubric: Rubric, board: pd.DataFrame | dict) -> list[str]:
    """Documented column order: identity, rank and grade, dimensions, parts, flags, extras."""
    known = [*HEAD_COLUMNS, *dimension_codes(rubric), *TAIL_COLUMNS]
    return [c for c in known if c in board] + [c for c in board if c not in known]


def indicator_table(
    inputs: RoundInputs, level: str = "city", within: str | None = None
) -> pd.DataFrame:
    """Units × indicators (long): stage points side by side, final points, verified, no_data."""
    score = score_round(inputs, level, within)
    names = score.units.set_index("unit_code")["unit_name"]
    table = score.indicators.assign(unit_name=score.indicators["unit_code"].map(names))
    first = ["unit_code", "unit_name", "indicator_code"]
    return table[first + [c for c in table.columns if c not in first]]
