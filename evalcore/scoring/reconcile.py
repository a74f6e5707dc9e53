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

The work is done on units × indicators (× stages) arrays (`IndicatorGrid`); the long frame
the drill-down pages read is built from them only when asked for.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from evalcore.rubric import Rubric
from evalcore.scoring.common import (
    STAGES,
    has_duplicates,
    index_of,
    per_rubric,
    positions,
    refuse_duplicates,
    stage_weights,
)
from evalcore.scoring.derive import derived_arrays

STAGE_COLUMNS = list(STAGES)
SCORE_KEY = ["unit_code", "stage", "indicator_code"]
META_COLUMNS = ["indicator_code", "dimension_code", "max_points", "verifying_stage", "derived"]


def indicator_meta(rubric: Rubric) -> pd.DataFrame:
    """One row per indicator: dimension, maximum, verifying stage, derived flag."""
    return per_rubric(rubric, _indicator_meta)


def _indicator_meta(rubric: Rubric) -> pd.DataFrame:
    rows = [(i.code, i.dimension, i.max, i.stage, i.is_derived) for i in rubric.indicators]
    return pd.DataFrame(rows, columns=META_COLUMNS)


def verifying_stage_index(rubric: Rubric) -> np.ndarray:
    """Per indicator, the position of its verifying stage in STAGES."""
    return np.array([STAGES.index(i.stage) for i in rubric.indicators], dtype=np.intp)


def stage_array(rubric: Rubric, scores: pd.DataFrame, unit_codes: pd.Index) -> np.ndarray:
    """(units × indicators) × stages array of hand-scored points, NaN where no row exists."""
    meta = indicator_meta(rubric)
    codes = pd.Index(meta["indicator_code"], dtype=object)
    unit = index_of(scores["unit_code"], unit_codes)
    mine = np.flatnonzero(unit >= 0)  # the peer set's rows, by position
    rows = None if len(mine) == len(unit) else mine  # every row: no need to pick
    ind = positions(scores["indicator_code"], codes, "scores: indicator_code", rows)
    stage = positions(scores["stage"], pd.Index(STAGES, dtype=object), "scores: stage", rows)
    points = scores["points"].to_numpy(dtype=float)
    if rows is not None:
        unit, points = unit[rows], points[rows]
    keys = (unit * len(codes) + ind) * len(STAGES) + stage
    if has_duplicates(keys):
        refuse_duplicates(keys, scores.iloc[mine], SCORE_KEY, "scores")
    out = np.full(len(unit_codes) * len(codes) * len(STAGES), np.nan)
    derived = meta["derived"].to_numpy(dtype=bool)[ind]
    if derived.any():  # rows for derived indicators are ignored (module docstring)
        keys, points = keys[~derived], points[~derived]
    out[keys] = points
    return out.reshape(len(unit_codes) * len(codes), len(STAGES))


@dataclass(frozen=True)
class IndicatorGrid:
    """One peer set's indicator points as arrays: U units × I indicators (× S stages).

    stages:   (U, I, S) each stage's points, clipped to [0, max]; NaN where no row exists
    points:   (U, I) final points;  verified, no_data: (U, I) flags
    source:   (U, I) the stage that counts (index into STAGES), BLEND, or -1 for none
    """

    unit_codes: pd.Index
    meta: pd.DataFrame
    stages: np.ndarray
    points: np.ndarray
    verified: np.ndarray
    source: np.ndarray
    no_data: np.ndarray

    def subset(self, rows: np.ndarray) -> IndicatorGrid:
        """The units at positions `rows` (increasing, so the unit_code order is kept)."""
        return IndicatorGrid(self.unit_codes[rows], self.meta, self.stages[rows],
                             self.points[rows], self.verified[rows], self.source[rows],
                             self.no_data[rows])

    @property
    def frame(self) -> pd.DataFrame:
        """Units × indicators (long, unit-major): meta columns, one points column per stage,
        no_data, final points, verified and source_stage. Built on first use and kept
        (functools.cached_property would serialise every grid of every session on one lock
        in Python 3.11; building twice in a race is harmless)."""
        built = self.__dict__.get("_frame")
        if built is None:
            built = self._build_frame()
            object.__setattr__(self, "_frame", built)
        return built

    def _build_frame(self) -> pd.DataFrame:
        n_units, n_ind = self.points.shape
        each_ind = np.tile(np.arange(n_ind), n_units)
        frame = pd.DataFrame({c: self.meta[c].array.take(each_ind) for c in META_COLUMNS})
        units = pd.array(np.asarray(self.unit_codes, dtype=object), dtype="str")
        frame.insert(0, "unit_code", units.take(np.repeat(np.arange(n_units), n_ind)))
        frame[STAGE_COLUMNS] = self.stages.reshape(n_units * n_ind, len(STAGES))
        labels = np.array([*STAGES, "blend", None], dtype=object)
        return frame.assign(
            no_data=self.no_data.ravel(),
            points=self.points.ravel(),
            verified=self.verified.ravel(),
            source_stage=labels[self.source.ravel()],  # -1 picks the trailing None
        )


BLEND = len(STAGES)


def indicator_grid(
    rubric: Rubric, scores: pd.DataFrame, metrics: pd.DataFrame, unit_codes: pd.Index
) -> IndicatorGrid:
    """Every stage's points (hand-scored and derived) and the reconciled final points."""
    meta = indicator_meta(rubric)
    n_units, n_ind = len(unit_codes), len(meta)
    stages = stage_array(rubric, scores, unit_codes).reshape(n_units, n_ind, len(STAGES))
    where, derived, derived_no_data = derived_arrays(rubric, metrics, unit_codes)
    stages[:, where, :] = derived[:, :, None]
    no_data = np.zeros((n_units, n_ind), dtype=bool)
    no_data[:, where] = derived_no_data
    maximum = meta["max_points"].to_numpy(dtype=float)
    np.maximum(stages, 0.0, out=stages)  # clip into [0, max]; NaN (no row) stays NaN
    np.minimum(stages, maximum[None, :, None], out=stages)
    flat = stages.reshape(n_units * n_ind, len(STAGES))
    if rubric.reconciliation.method == "blend":
        points, verified, source = reconcile_blend(flat, stage_weights(rubric))
    else:
        verifying = np.tile(per_rubric(rubric, verifying_stage_index), n_units)
        points, verified, source = reconcile_verifying_stage(flat, verifying)
    points = np.clip(points.reshape(n_units, n_ind), 0.0, maximum)
    shape = (n_units, n_ind)
    return IndicatorGrid(unit_codes, meta, stages, points,
                         verified.reshape(shape), source.reshape(shape), no_data)


def verifying_stage_points(points: np.ndarray, verifying: np.ndarray) -> np.ndarray:
    """Index of the stage that counts per row: the verifying stage or the nearest earlier one.

    `points` is rows × stages with NaN where a stage has no row; -1 where no stage counts.
    """
    source = np.full(len(points), -1)
    for stage in reversed(range(points.shape[1])):
        take = (source < 0) & (stage <= verifying) & ~np.isnan(points[:, stage])
        source[take] = stage
    return source


def reconcile_verifying_stage(
    points: np.ndarray, verifying: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(final, verified, source) by the "verifying_stage" method (see module docstring)."""
    source = verifying_stage_points(points, verifying)
    final = np.where(source >= 0, points[np.arange(len(points)), np.maximum(source, 0)], 0.0)
    return final, source == verifying, source


def reconcile_blend(
    points: np.ndarray, weights: dict[str, float]
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(final, verified, source) by the "blend" method, renormalising over the stages
    present."""
    w = np.array([weights[s] for s in STAGES])
    present = ~np.isnan(points) & (w > 0)
    # Sums written out stage by stage, not `@ w`: a matrix product's rounding depends on the
    # BLAS kernel and the array's memory layout, and equal inputs must give equal floats.
    weight_present = np.zeros(len(points))
    blended = np.zeros(len(points))
    for stage, weight in enumerate(w):
        weight_present += np.where(present[:, stage], weight, 0.0)
        blended += np.where(present[:, stage], points[:, stage], 0.0) * weight
    final = np.divide(blended, weight_present, out=np.zeros(len(points)),
                      where=weight_present > 0)
    verified = present.sum(axis=1) == (w > 0).sum()
    return final, verified, np.where(weight_present > 0, BLEND, -1)
