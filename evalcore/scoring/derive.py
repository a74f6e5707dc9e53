"""Derived indicators: points computed from measured metrics instead of typed in by evaluators.

Rules (rubric `derive` table):
- linear: points = max × min(1, value), and 0 when value < zero_below;
- bands:  points of the first band (thresholds descending) whose threshold the value reaches,
          else 0;
- NaN value (no data): 0 points and `no_data=True`, never silently perfect or dropped.
Derived points are the same at every stage: data does not depend on who looks at it.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from evalcore.rubric import Derive, Indicator, Rubric
from evalcore.scoring.common import (
    EPS,
    ScoringError,
    has_duplicates,
    index_of,
    refuse_duplicates,
)


def linear_points(derive: Derive, maximum: float, values: np.ndarray) -> np.ndarray:
    """max × min(1, value); 0 below zero_below (EPS so a rate of exactly the cut-off counts)."""
    points = maximum * np.minimum(1.0, values)
    return np.where(values < derive.zero_below - EPS, 0.0, points)


def band_points(derive: Derive, values: np.ndarray) -> np.ndarray:
    """Points of the first band whose threshold the value reaches; 0 below every band."""
    reached = [values >= threshold - EPS for threshold, _ in derive.bands]
    return np.select(reached, [points for _, points in derive.bands], default=0.0)


def indicator_points(indicator: Indicator, values: np.ndarray) -> np.ndarray:
    """Points of one derived indicator for an array of metric values (NaN → 0)."""
    derive = indicator.derive
    assert derive is not None, f"indicator {indicator.code} is not derived"
    values = np.asarray(values, dtype=float)
    if derive.method == "linear":
        points = linear_points(derive, indicator.max, values)
    else:
        points = band_points(derive, values)
    # NaN compares False everywhere above, but the linear product stays NaN: zero it here.
    return np.clip(np.nan_to_num(points, nan=0.0), 0.0, indicator.max)


def metric_array(metrics: pd.DataFrame, unit_codes: pd.Index) -> tuple[pd.Index, np.ndarray]:
    """(metric names, units × metrics values); a unit or metric with no row is NaN (no data)."""
    column = metrics["metric"]
    present = (column.cat.categories if isinstance(column.dtype, pd.CategoricalDtype)
               else pd.unique(column.dropna()))
    names = pd.Index(sorted(present), dtype=object)
    unit = index_of(metrics["unit_code"], unit_codes)
    metric = index_of(metrics["metric"], names)
    keep = np.flatnonzero(unit >= 0)
    if (metric[keep] < 0).any():  # only a missing name is not among the names present
        row = metrics.iloc[int(keep[metric[keep] < 0][0])]
        raise ScoringError(f"metrics: a row for unit {row['unit_code']} has no metric name")
    keys = unit[keep] * len(names) + metric[keep]
    if has_duplicates(keys):
        refuse_duplicates(keys, metrics.iloc[keep], ["unit_code", "metric"], "metrics")
    table = np.full((len(unit_codes), len(names)), np.nan)
    table[unit[keep], metric[keep]] = metrics["value"].to_numpy(dtype=float)[keep]
    return names, table


def derived_arrays(
    rubric: Rubric, metrics: pd.DataFrame, unit_codes: pd.Index
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(positions of the derived indicators in the rubric, units × those indicators' points,
    the same shape's no_data flags)."""
    names, table = metric_array(metrics, unit_codes)
    column_of = {name: i for i, name in enumerate(names)}
    where = [n for n, i in enumerate(rubric.indicators) if i.is_derived]
    points = np.zeros((len(unit_codes), len(where)))
    no_data = np.ones((len(unit_codes), len(where)), dtype=bool)
    for column, n in enumerate(where):
        indicator = rubric.indicators[n]
        assert indicator.derive is not None
        found = column_of.get(indicator.derive.metric)
        values = table[:, found] if found is not None else np.full(len(unit_codes), np.nan)
        points[:, column] = indicator_points(indicator, values)
        no_data[:, column] = np.isnan(values)
    return np.array(where, dtype=np.intp), points, no_data
