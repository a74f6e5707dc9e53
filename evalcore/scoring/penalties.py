"""Deductions (扣分项) and vetoes (一票否决).

Rules:
- each deduction row must lie in its item's [min_points, max_points] (within EPS): a row
  outside it (more than the item's maximum, negative, below its minimum), with an unknown code
  or without points is refused with a ScoringError naming unit, item and points, never clipped
  (check_deductions lists the problems; importers use the same rule). Per unit, each item's
  sum is capped at the item's `cap`, and the sum over items at `deductions.total_cap`;
- credibility: when the rubric names `credibility.deduction_code`, a unit with at least
  `min_inflated` inflated indicators gets that item at its min_points automatically, unless a
  row of that item is already recorded (it must not be deducted twice);
- a row whose code is a veto code vetoes the unit: lowest grade whatever the total, ranked
  after every unit without a veto. Veto rows carry 0 points (points given with one are
  ignored, not checked against a range), so they never change the total itself.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from evalcore.rubric import Rubric
from evalcore.scoring.common import EPS, ScoringError, index_of, per_rubric, positions

DEDUCTION_COLUMNS = ["unit_code", "code", "points", "veto", "automatic"]


@dataclass(frozen=True)
class DeductionProblem:
    """One deduction row the engine refuses: `row` is its position in the frame checked;
    `rule` is 'unknown_code', 'no_points', 'negative' or 'out_of_range' (then `low`, `high`:
    the item's range)."""

    row: int
    unit_code: str
    code: str
    points: float
    rule: str
    low: float | None = None
    high: float | None = None

    def __str__(self) -> str:
        if self.rule == "no_points":
            return f"deductions: no points for unit {self.unit_code}, item {self.code}"
        where = f"deductions: unit {self.unit_code}, item {self.code}"
        if self.rule == "unknown_code":
            return f"{where}: no such deduction item or veto in the rubric"
        points = f"{self.points:g} points"
        if self.rule == "negative":
            return f"{where}, {points}: a deduction cannot be negative"
        return (f"{where}, {points}: outside the item's range {self.low:g}–{self.high:g} "
                "(refused, not clipped)")


def item_table(rubric: Rubric) -> pd.DataFrame:
    """Deduction items and vetoes by code: min, max, cap and whether the code is a veto."""
    return per_rubric(rubric, _item_table)


def _item_table(rubric: Rubric) -> pd.DataFrame:
    items = [(d.code, d.min_points, d.max_points, d.cap, False) for d in rubric.deductions.items]
    vetoes = [(v.code, 0.0, 0.0, 0.0, True) for v in rubric.vetoes]
    columns = ["code", "min_points", "max_points", "cap", "veto"]
    return pd.DataFrame(items + vetoes, columns=columns).set_index("code")


def check_deductions(rubric: Rubric, deductions: pd.DataFrame) -> list[DeductionProblem]:
    """Every row of `deductions` (unit_code, code, points) the engine would refuse, in row
    order: an unknown code, missing points, or points outside the item's
    [min_points, max_points] (EPS tolerance). Veto rows are checked for code and points only;
    their points are ignored. An empty list: the rows can be scored."""
    items = item_table(rubric)
    codes = deductions["code"].to_numpy(dtype=object)
    units = deductions["unit_code"].to_numpy(dtype=object)
    points = deductions["points"].to_numpy(dtype=float)
    item = index_of(deductions["code"], items.index)
    known = item >= 0
    low = np.where(known, items["min_points"].to_numpy()[item], np.nan)
    high = np.where(known, items["max_points"].to_numpy()[item], np.nan)
    veto = known & items["veto"].to_numpy(dtype=bool)[item]
    with np.errstate(invalid="ignore"):
        outside = known & ~veto & ((points < low - EPS) | (points > high + EPS))
    rules = np.select([~known, np.isnan(points), outside & (points < 0), outside],
                      ["unknown_code", "no_points", "negative", "out_of_range"], "")
    return [DeductionProblem(int(at), str(units[at]), str(codes[at]), float(points[at]),
                             str(rules[at]), *((float(low[at]), float(high[at]))
                                               if rules[at] == "out_of_range" else ()))
            for at in np.flatnonzero(rules != "")]


def refuse_problems(problems: list[DeductionProblem]) -> None:
    """A ScoringError naming every refused row (unit, item, points), if there is one."""
    if problems:
        raise ScoringError("; ".join(str(p) for p in problems))


def credibility_rows(
    rubric: Rubric, units: np.ndarray, codes: np.ndarray, flagged: pd.Index
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(unit, code, points) of the automatic credibility deductions for flagged units that
    lack a recorded row of that item (`units`, `codes`: the recorded rows)."""
    code = rubric.credibility.deduction_code
    if code is None or flagged.empty:
        return np.array([], dtype=object), np.array([], dtype=object), np.array([])
    present = set(units[codes == code])
    missing = np.array([u for u in flagged if u not in present], dtype=object)
    points = next(d.min_points for d in rubric.deductions.items if d.code == code)
    return missing, np.full(len(missing), code, dtype=object), np.full(len(missing), points)


def deduction_rows(
    rubric: Rubric, deductions: pd.DataFrame, unit_codes: pd.Index, flagged: pd.Index
) -> pd.DataFrame:
    """Recorded plus automatic rows; veto rows at 0. The peer set's recorded rows are refused
    (ScoringError) where check_deductions finds a problem."""
    items = item_table(rubric)
    mine = index_of(deductions["unit_code"], unit_codes) >= 0
    refuse_problems(check_deductions(rubric, deductions.loc[mine]))
    recorded_units = deductions["unit_code"].to_numpy(dtype=object)[mine]
    recorded_codes = deductions["code"].to_numpy(dtype=object)[mine]
    auto_units, auto_codes, auto_points = credibility_rows(
        rubric, recorded_units, recorded_codes, flagged
    )
    code = np.concatenate([recorded_codes, auto_codes])
    item = positions(pd.Series(code, dtype=object), items.index, "deductions: code")
    recorded_points = deductions["points"].to_numpy(float)[mine]
    points = np.concatenate([recorded_points, auto_points])
    low, high = items["min_points"].to_numpy()[item], items["max_points"].to_numpy()[item]
    veto = items["veto"].to_numpy(dtype=bool)[item]
    unit = np.concatenate([recorded_units, auto_units])
    automatic = np.arange(len(code)) >= len(recorded_codes)
    # Rows are in range (checked above); the clip only absorbs excursions within EPS.
    points = np.where(veto, 0.0, np.clip(points, low, high))
    return pd.DataFrame(
        dict(zip(DEDUCTION_COLUMNS, (unit, code, points, veto, automatic), strict=True))
    )


def deduction_totals(rows: pd.DataFrame, rubric: Rubric, unit_codes: pd.Index) -> pd.DataFrame:
    """Per unit: deductions (item caps, then total cap), vetoed, credibility_deducted."""
    items = item_table(rubric)
    unit = index_of(rows["unit_code"], unit_codes)
    item = index_of(rows["code"], items.index)
    per_item = np.zeros((len(unit_codes), len(items)))
    np.add.at(per_item, (unit, item), rows["points"].to_numpy(dtype=float))
    capped = np.minimum(per_item, items["cap"].to_numpy()).sum(axis=1)
    vetoed = np.zeros(len(unit_codes), dtype=bool)
    vetoed[unit[rows["veto"].to_numpy(dtype=bool)]] = True
    credibility = np.zeros(len(unit_codes), dtype=bool)
    credibility[unit[(rows["code"] == rubric.credibility.deduction_code).to_numpy()]] = True
    return pd.DataFrame(
        {
            "deductions": np.minimum(capped, rubric.deductions.total_cap),
            "vetoed": vetoed,
            "credibility_deducted": credibility,
        },
        index=pd.Index(unit_codes, name="unit_code"),
    )
