"""Shared vocabulary of the scoring engine: errors, peer sets, code checks and ranking."""

from __future__ import annotations

import weakref
from collections.abc import Callable, Iterable
from typing import TypeVar

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

from evalcore.rubric import EPS, Rubric
from evalcore.vocab import LEVELS, STAGES, VIEWS

# Totals are ranked as they are shown: to 2 decimals, so 82.738 and 82.744 (both shown 82.74)
# tie. They are first rounded to NOISE_DECIMALS, so float noise (89.99999999999999 against
# 90.0, or either side of a half at the 3rd decimal) can neither split nor make a tie.
ROUND_DECIMALS = 2
NOISE_DECIMALS = 6
# EPS (from the rubric, 1e-9) is the tolerance of every threshold comparison.
__all__ = ["EPS", "LEVELS", "NOISE_DECIMALS", "ROUND_DECIMALS", "STAGES", "VIEWS", "ScoringError"]


class ScoringError(ValueError):
    """Inputs the engine cannot score: an unknown level, stage or code; the message names it."""


_PER_RUBRIC: dict[tuple[int, Callable], tuple[weakref.ref, object]] = {}
T = TypeVar("T")


def per_rubric(rubric: Rubric, build: Callable[[Rubric], T]) -> T:
    """`build(rubric)`, computed once per rubric object: the tables a rubric implies (indicator
    meta, deduction items, bonus categories) are read on every scoring call, and rubrics are
    immutable. The result is read-only: arrays are frozen, frames are handed out as shallow
    copies (copy-on-write keeps the cached one intact). An entry goes with its rubric."""
    key = (id(rubric), build)
    hit = _PER_RUBRIC.get(key)
    if hit is None or hit[0]() is not rubric:
        hit = (weakref.ref(rubric), _read_only(build(rubric)))
        _PER_RUBRIC[key] = hit
        weakref.finalize(rubric, _PER_RUBRIC.pop, key, None)
    return _handed_out(hit[1])  # type: ignore[return-value]


def _read_only(value: object) -> object:
    if isinstance(value, np.ndarray):
        value.setflags(write=False)
    elif isinstance(value, tuple):
        for item in value:
            _read_only(item)
    elif isinstance(value, dict):
        for item in value.values():
            _read_only(item)
    return value


def _handed_out(value: object) -> object:
    if isinstance(value, pd.DataFrame):
        return value.copy(deep=False)
    if isinstance(value, tuple):
        return tuple(_handed_out(item) for item in value)
    if isinstance(value, dict):
        return {key: _handed_out(item) for key, item in value.items()}
    return value


def check_choice(value: str, allowed: Iterable[str], what: str) -> None:
    """Refuse a value outside the allowed set, naming both."""
    allowed = tuple(allowed)
    if value not in allowed:
        raise ScoringError(f"{what} '{value}' is not one of {', '.join(allowed)}")


def index_of(
    values: pd.Series | pd.Index | np.ndarray, known: pd.Index, rows: np.ndarray | None = None
) -> np.ndarray:
    """Position of each value in `known` (unique), -1 where absent: `known.get_indexer(values)`,
    but each distinct value is looked up once. Score columns repeat a few thousand codes over
    hundreds of thousands of rows, and hashing every row's string is what made scoring slow.
    Categorical values (RoundInputs.encoded()) carry their codes already: no hashing at all.
    With `rows` (positions), only those rows are looked up and returned."""
    if isinstance(getattr(values, "dtype", None), pd.CategoricalDtype):
        cat = values.array if isinstance(values, pd.Series | pd.Index) else values
        codes, uniques = cat.codes, cat.categories
        codes = codes if rows is None else codes[rows]
    else:
        picked = values if rows is None else np.asarray(values, dtype=object)[rows]
        codes, uniques = pd.factorize(picked)
    if len(uniques) == 0:
        return np.full(len(codes), -1, dtype=np.intp)
    # A trailing -1 so that code -1 (missing) maps to -1 in the same gather.
    found = np.append(known.get_indexer(uniques), -1)
    return found[codes]


def positions(
    values: pd.Series, known: pd.Index, what: str, rows: np.ndarray | None = None
) -> np.ndarray:
    """Integer position of each value in `known` (of the `rows` positions only, when given);
    a value not there is an error naming it."""
    found = index_of(values, known, rows)
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


def select_units(
    units: pd.DataFrame, level: str | None, within: str | None = None
) -> pd.DataFrame:
    """The peer set: cities among cities, counties among counties, or the counties of one city
    (level None: every city and county, for scoring all of them at once).

    Rows come back sorted by unit_code so every later step is order-independent.
    """
    if level is None:
        mask = units["level"].isin(LEVELS)
    else:
        check_choice(level, LEVELS, "level")
        mask = units["level"] == level
    if within is not None and level != "county":
        raise ScoringError("within= selects the counties of one city; use level='county'")
    if within is not None:
        mask &= units["parent_code"] == within
    rows = np.flatnonzero(mask.to_numpy(dtype=bool))
    if units["unit_code"].iloc[rows].isna().any():
        raise ScoringError("units: a row has no unit_code")
    codes = units["unit_code"].to_numpy(dtype=object)[rows]
    order = np.argsort(codes, kind="stable")
    peers = units.take(rows[order]).reset_index(drop=True)
    if within is not None and peers.empty:
        raise ScoringError(f"within='{within}': no county-level units under that city")
    ordered = codes[order]
    repeated = ordered[1:][ordered[1:] == ordered[:-1]]
    if len(repeated):
        raise ScoringError(f"units: unit_code '{repeated[0]}' appears more than once")
    return peers


def rank_keys(values: ArrayLike, decimals: int = ROUND_DECIMALS) -> np.ndarray:
    """Values as ranking compares them: rounded to NOISE_DECIMALS (float noise) and then to
    `decimals` (ROUND_DECIMALS: the two decimals a total is shown with)."""
    return np.round(np.round(np.asarray(values, dtype=float), NOISE_DECIMALS), decimals)


def competition_ranks(values: ArrayLike, ascending: bool = False,
                      vetoed: ArrayLike | None = None,
                      decimals: int = ROUND_DECIMALS) -> np.ndarray:
    """Standard competition ranking "1224" along the last axis (a row of a draws × units matrix
    is ranked on its own): 1 + the number of values of the row that are strictly better —
    higher, or lower when `ascending` — compared as rank_keys (totals as shown, to two
    decimals). Ties share the best rank and the next rank is skipped, as in published league
    tables; missing values (NaN) rank last, tied with each other.

    `vetoed` (one flag per unit, along the last axis): a vetoed unit ranks after every unit
    without a veto, whatever its value; vetoed units rank among themselves by value. So the
    keys are (vetoed, value): better = not vetoed against vetoed, else a better value.

    The one ranking rule of the engine: leaderboards, what-if, the county → city roll-up,
    rank uncertainty and the credibility ranking all call it."""
    keys = rank_keys(values, decimals)
    keys = keys if ascending else -keys  # smaller key = better
    keys = np.where(np.isnan(keys), np.inf, keys)
    flags = None if vetoed is None else np.broadcast_to(np.asarray(vetoed, dtype=bool),
                                                        keys.shape)
    if flags is None or not flags.any():
        return _ranks(keys)
    # Each group ranked alone (the other group's keys pushed to +inf count as worse, never
    # better: `_ranks` counts strictly smaller keys), vetoed units after every other unit.
    clear = _ranks(np.where(flags, np.inf, keys))
    barred = _ranks(np.where(flags, keys, np.inf))
    return np.where(flags, barred + (~flags).sum(axis=-1, keepdims=True), clear)


def _ranks(keys: np.ndarray) -> np.ndarray:
    """1 + the number of strictly smaller keys, along the last axis (keys never NaN)."""
    if keys.ndim == 1:  # one sort, then count the better keys (the leaderboard's hot path)
        return (np.searchsorted(np.sort(keys), keys, side="left") + 1).astype(np.int64)
    # Per row: sort, give each run of equal keys its first position, scatter back.
    order = np.argsort(keys, axis=-1)
    ordered = np.take_along_axis(keys, order, axis=-1)
    starts = np.ones(ordered.shape, dtype=bool)
    starts[..., 1:] = ordered[..., 1:] != ordered[..., :-1]
    position = np.broadcast_to(np.arange(keys.shape[-1]), keys.shape)
    first = np.maximum.accumulate(np.where(starts, position, 0), axis=-1)
    ranks = np.empty(keys.shape, dtype=np.int64)
    np.put_along_axis(ranks, order, first + 1, axis=-1)
    return ranks


def stage_weights(rubric: Rubric) -> dict[str, float]:
    """Blend weights per stage, 0 for stages the rubric does not blend."""
    return {s: float(rubric.reconciliation.weights.get(s, 0.0)) for s in STAGES}
