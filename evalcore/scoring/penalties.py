"""Deductions (扣分项) and vetoes (一票否决).

Rules:
- each deduction row is clipped into its item's [min_points, max_points]; per unit, each item's
  sum is capped at the item's `cap`, and the sum over items at `deductions.total_cap`;
- credibility: when the rubric names `credibility.deduction_code`, a unit with at least
  `min_inflated` inflated indicators gets that item at its min_points automatically, unless a
  row of that item is already recorded (it must not be deducted twice);
- a row whose code is a veto code vetoes the unit: lowest grade whatever the total. Veto rows
  carry 0 points, so they never change the total itself.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from evalcore.rubric import Rubric
from evalcore.scoring.common import ScoringError, index_of, per_rubric, positions

DEDUCTION_COLUMNS = ["unit_code", "code", "points", "veto", "automatic"]


def item_table(rubric: Rubric) -> pd.DataFrame:
    """Deduction items and vetoes by code: min, max, cap and whether the code is a veto."""
    return per_rubric(rubric, _item_table)


def _item_table(rubric: Rubric) -> pd.DataFrame:
    items = [(d.code, d.min_points, d.max_points, d.cap, False) for d in rubric.deductions.items]
    vetoes = [(v.code, 0.0, 0.0, 0.0, True) for v in rubric.vetoes]
    columns = ["code", "min_points", "max_points", "cap", "veto"]
    return pd.DataFrame(items + vetoes, columns=columns).set_index("code")


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
    """Recorded plus automatic rows, each clipped into its item's range; veto rows at 0."""
    items = item_table(rubric)
    mine = index_of(deductions["unit_code"], unit_codes) >= 0
    recorded_units = deductions["unit_code"].to_numpy(dtype=object)[mine]
    recorded_codes = deductions["code"].to_numpy(dtype=object)[mine]
    auto_units, auto_codes, auto_points = credibility_rows(
        rubric, recorded_units, recorded_codes, flagged
    )
    code = np.concatenate([recorded_codes, auto_codes])
    item = positions(pd.Series(code, dtype=object), items.index, "deductions: code")
    recorded_points = deductions["points"].to_numpy(float)[mine]
    if np.isnan(recorded_points).any():  # a deduction without points cannot be scored
        at = int(np.flatnonzero(np.isnan(recorded_points))[0])
        raise ScoringError(f"deductions: no points for unit {recorded_units[at]}, "
                           f"code {recorded_codes[at]}")
    points = np.concatenate([recorded_points, auto_points])
    low, high = items["min_points"].to_numpy()[item], items["max_points"].to_numpy()[item]
    veto = items["veto"].to_numpy(dtype=bool)[item]
    unit = np.concatenate([recorded_units, auto_units])
    automatic = np.arange(len(code)) >= len(recorded_codes)
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
