"""Stage reconciliation: each stage's points side by side, then the final verified points.

Rubric `reconciliation.method`:
- "verifying_stage": an indicator counts the points of its verifying stage (`indicator.stage`).
  When that stage has no row, the nearest EARLIER stage counts (third_party → cross → self) and
  the indicator is unverified; with no row at any stage it scores 0, unverified. A later stage
  never stands in for an earlier one: it has not happened yet when the earlier one verifies.
- "blend": the weighted sum of the stages in `weights`. With a weighted stage missing, the
  weights are renormalised over the stages present and the indicator is unverified; with none
  present it scores 0, unverified.
Derived indicators carry the same points at every stage and are always verified (their
missing data is reported as `no_data` instead). Rows in `scores` for derived indicators are
ignored: their points come from metrics only. Points are clipped to [0, max] defensively.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from evalcore.rubric import Rubric
from evalcore.scoring.common import (
    STAGES,
    has_duplicates,
    index_of,
    positions,
    refuse_duplicates,
    stage_weights,
)

STAGE_INDEX = {stage: i for i, stage in enumerate(STAGES)}
STAGE_COLUMNS = list(STAGES)
SCORE_KEY = ["unit_code", "stage", "indicator_code"]
META_COLUMNS = ["indicator_code", "dimension_code", "max_points", "verifying_stage", "derived"]


def indicator_meta(rubric: Rubric) -> pd.DataFrame:
    """One row per indicator: dimension, maximum, verifying stage, derived flag."""
    rows = [(i.code, i.dimension, i.max, i.stage, i.is_derived) for i in rubric.indicators]
    return pd.DataFrame(rows, columns=META_COLUMNS)


def stage_array(rubric: Rubric, scores: pd.DataFrame, unit_codes: pd.Index) -> np.ndarray:
    """(units × indicators) × stages array of hand-scored points, NaN where no row exists."""
    codes = pd.Index([i.code for i in rubric.indicators])
    unit = index_of(scores["unit_code"], unit_codes)
    mine = np.flatnonzero(unit >= 0)  # the peer set's rows, by position
    ind = positions(scores["indicator_code"], codes, "scores: indicator_code", mine)
    stage = positions(scores["stage"], pd.Index(STAGES), "scores: stage", mine)
    cell = unit[mine] * len(codes) + ind
    keys = cell * len(STAGES) + stage
    if has_duplicates(keys):
        refuse_duplicates(keys, scores.iloc[mine], SCORE_KEY, "scores")
    keep = ~np.array([i.is_derived for i in rubric.indicators])[ind]
    out = np.full((len(unit_codes) * len(codes), len(STAGES)), np.nan)
    out[cell[keep], stage[keep]] = scores["points"].to_numpy(dtype=float)[mine][keep]
    return out


def stage_frame(
    rubric: Rubric, scores: pd.DataFrame, derived: pd.DataFrame, unit_codes: pd.Index
) -> pd.DataFrame:
    """Units × indicators (long): meta columns, one points column per stage (NaN = no row)."""
    meta = indicator_meta(rubric)
    n_units, n_ind = len(unit_codes), len(meta)
    points = stage_array(rubric, scores, unit_codes)
    cell = index_of(derived["unit_code"], unit_codes) * n_ind + index_of(
        derived["indicator_code"], pd.Index(meta["indicator_code"])
    )
    points[cell, :] = derived["points"].to_numpy(dtype=float)[:, None]
    no_data = np.zeros(n_units * n_ind, dtype=bool)
    no_data[cell] = derived["no_data"].to_numpy(dtype=bool)
    # Row r is unit r // n_ind, indicator r % n_ind: columns by taking from the short arrays
    # (no per-row string conversion).
    each_ind = np.tile(np.arange(n_ind), n_units)
    frame = pd.DataFrame({c: meta[c].take(each_ind).to_numpy() if meta[c].dtype == bool
                          else meta[c].array.take(each_ind) for c in META_COLUMNS})
    frame.insert(0, "unit_code", pd.Index(unit_codes).take(np.repeat(np.arange(n_units), n_ind)))
    maximum = frame["max_points"].to_numpy()[:, None]
    frame[STAGE_COLUMNS] = np.clip(points, 0.0, maximum)
    frame["no_data"] = no_data
    return frame


def verifying_stage_points(points: np.ndarray, verifying: np.ndarray) -> np.ndarray:
    """Index of the stage that counts per row: the verifying stage or the nearest earlier one.

    `points` is rows × stages with NaN where a stage has no row; -1 where no stage counts.
    """
    source = np.full(len(points), -1)
    for stage in reversed(range(points.shape[1])):
        take = (source < 0) & (stage <= verifying) & ~np.isnan(points[:, stage])
        source[take] = stage
    return source


def reconcile_verifying_stage(frame: pd.DataFrame) -> pd.DataFrame:
    """Final points by the "verifying_stage" method (see module docstring)."""
    points = frame[STAGE_COLUMNS].to_numpy(dtype=float)
    verifying = index_of(frame["verifying_stage"], pd.Index(STAGES))
    source = verifying_stage_points(points, verifying)
    final = np.where(source >= 0, points[np.arange(len(points)), np.maximum(source, 0)], 0.0)
    labels = np.array([*STAGES, None], dtype=object)[np.where(source >= 0, source, len(STAGES))]
    return frame.assign(points=final, verified=source == verifying, source_stage=labels)


def reconcile_blend(frame: pd.DataFrame, weights: dict[str, float]) -> pd.DataFrame:
    """Final points by the "blend" method, renormalising over the stages present."""
    w = np.array([weights[s] for s in STAGES])
    points = frame[STAGE_COLUMNS].to_numpy(dtype=float)
    present = ~np.isnan(points) & (w > 0)
    weight_present = present @ w
    blended = np.where(present, points, 0.0) @ w
    final = np.divide(blended, weight_present, out=np.zeros(len(frame)), where=weight_present > 0)
    verified = present.sum(axis=1) == (w > 0).sum()
    source = np.where(weight_present > 0, "blend", None)
    return frame.assign(points=final, verified=verified, source_stage=source)


def reconcile(frame: pd.DataFrame, rubric: Rubric) -> pd.DataFrame:
    """Add the final `points`, `verified` and `source_stage` columns by the rubric's method."""
    if rubric.reconciliation.method == "blend":
        out = reconcile_blend(frame, stage_weights(rubric))
    else:
        out = reconcile_verifying_stage(frame)
    out["points"] = np.clip(out["points"].to_numpy(), 0.0, out["max_points"].to_numpy())
    return out
