"""Shared vocabulary of the scoring engine: errors, peer sets, code checks and ranking."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from evalcore.rubric import EPS, STAGES, Rubric

LEVELS: tuple[str, ...] = ("city", "county")
VIEWS: tuple[str, ...] = ("final", *STAGES)
# Totals are rounded before ranking so 89.99999999999999 and 90.0 tie instead of splitting.
ROUND_DECIMALS = 6
# EPS (from the rubric, 1e-9) is the tolerance of every threshold comparison.
__all__ = ["EPS", "LEVELS", "ROUND_DECIMALS", "STAGES", "VIEWS", "ScoringError"]


class ScoringError(ValueError):
    """Inputs the engine cannot score: an unknown level, stage or code; the message names it."""


def check_choice(value: str, allowed: Iterable[str], what: str) -> None:
    """Refuse a value outside the allowed set, naming both."""
    allowed = tuple(allowed)
    if value not in allowed:
        raise ScoringError(f"{what} '{value}' is not one of {', '.join(allowed)}")


def positions(values: pd.Series, known: pd.Index, what: str) -> np.ndarray:
    """Integer position of each value in `known`; a value not there is an error naming it."""
    found = known.get_indexer(values)
    if (found < 0).any():
        unknown = sorted({str(v) for v in values[found < 0]})
        raise ScoringError(f"{what}: unknown value(s) {', '.join(unknown)}")
    return found


def refuse_duplicates(keys: np.ndarray, frame: pd.DataFrame, columns: list[str], what: str) -> None:
    """Refuse repeated keys: which row would win would depend on row order (the store's
    primary keys forbid them, so a repeat is a data error worth naming)."""
    _, first, counts = np.unique(keys, return_index=True, return_counts=True)
    if (counts > 1).any():
        row = frame.iloc[int(first[counts > 1][0])]
        key = ", ".join(f"{c}={row[c]}" for c in columns)
        raise ScoringError(f"{what}: more than one row for {key}")


def select_units(units: pd.DataFrame, level: str, within: str | None = None) -> pd.DataFrame:
    """The peer set: cities among cities, counties among counties, or the counties of one city.

    Rows come back sorted by unit_code so every later step is order-independent.
    """
    check_choice(level, LEVELS, "level")
    if within is not None and level != "county":
        raise ScoringError("within= selects the counties of one city; use level='county'")
    mask = units["level"] == level
    if within is not None:
        mask &= units["parent_code"] == within
    peers = units.loc[mask].sort_values("unit_code", kind="stable").reset_index(drop=True)
    if within is not None and peers.empty:
        raise ScoringError(f"within='{within}': no county-level units under that city")
    repeated = peers.loc[peers["unit_code"].duplicated(), "unit_code"]
    if not repeated.empty:
        raise ScoringError(f"units: unit_code '{repeated.iloc[0]}' appears more than once")
    return peers


def competition_rank(totals: pd.Series) -> pd.Series:
    """Standard competition ranking "1224": 1 + the number of units with a strictly higher total.

    Ties share the best rank and the next rank is skipped, as in published league tables.
    """
    return totals.round(ROUND_DECIMALS).rank(method="min", ascending=False).astype(int)


def stage_weights(rubric: Rubric) -> dict[str, float]:
    """Blend weights per stage, 0 for stages the rubric does not blend."""
    return {s: float(rubric.reconciliation.weights.get(s, 0.0)) for s in STAGES}
