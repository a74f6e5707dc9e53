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


def index_of(values: pd.Series | pd.Index | np.ndarray, known: pd.Index) -> np.ndarray:
    """Position of each value in `known` (unique), -1 where absent: `known.get_indexer(values)`,
    but each distinct value is looked up once. Score columns repeat a few thousand codes over
    hundreds of thousands of rows, and hashing every row's string is what made scoring slow."""
    codes, uniques = pd.factorize(values)
    if len(uniques) == 0:
        return np.full(len(codes), -1, dtype=np.intp)
    found = known.get_indexer(uniques)
    return np.where(codes >= 0, found[codes], -1)


def positions(
    values: pd.Series, known: pd.Index, what: str, rows: np.ndarray | None = None
) -> np.ndarray:
    """Integer position of each value in `known` (of the `rows` positions only, when given);
    a value not there is an error naming it."""
    found = index_of(values, known)
    if rows is not None:
        found = found[rows]
    if (found < 0).any():
        picked = np.asarray(values, dtype=object)
        picked = picked if rows is None else picked[rows]
        unknown = sorted({str(v) for v in picked[found < 0]})
        raise ScoringError(f"{what}: unknown value(s) {', '.join(unknown)}")
    return found


def has_duplicates(keys: np.ndarray) -> bool:
    """Whether non-negative integer keys repeat (a counting pass when the keys are dense)."""
    if keys.size == 0:
        return False
    if keys.min() >= 0 and keys.max() < 4 * keys.size + 1024:
        return bool(np.bincount(keys).max() > 1)
    return len(np.unique(keys)) < keys.size


def refuse_duplicates(keys: np.ndarray, frame: pd.DataFrame, columns: list[str], what: str) -> None:
    """Refuse repeated keys: which row would win would depend on row order (the store's
    primary keys forbid them, so a repeat is a data error worth naming)."""
    if not has_duplicates(keys):
        return
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
