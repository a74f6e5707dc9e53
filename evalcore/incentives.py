"""Results linked to incentives: a pool split among units by the rubric's rule (issue #12 §3).

Pure functions over a final leaderboard. Amounts are in fen (integers) until the end, so the
allocation sums to the pool exactly:

1. each unit's weight: its grade's coefficient (`grade_coefficients`) or its points above the
   threshold, 0 below (`score_above_threshold`); a vetoed unit's grade is already the lowest;
2. each unit gets floor(pool × weight ÷ all weights) fen;
3. the fen left over (fewer than the units) go one each to whole groups of tied units (equal
   weight), largest fractional part first, choosing groups whose sizes add up to exactly the
   leftover, so tied units get equal amounts; where no such set exists (grade bands of 27,
   37 and 26 units), each group's amount per unit moves by a few fen up or down
   (`_group_shifts`: the fewest fen moved) so that the sum is exact and ties stay equal;
4. only where neither works (one group of 3 units and a pool of 10 fen: no equal split
   exists) do single fen go in rank order, and `exact_ties` says so.
Units nominated for 督查激励 are the first `nominate` of the board by rank (all units sharing
the last nominated rank are nominated too).
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from evalcore.rubric import Incentives, Rubric

FEN_PER_WAN = 1_000_000  # 1 万元 = 10,000 元 = 1,000,000 分


@dataclass(frozen=True)
class Allocation:
    table: pd.DataFrame  # unit_code, unit_name, rank, total, grade, weight, amount_yuan, nominated
    pool_fen: int
    exact_ties: bool  # every tie got equal amounts


def weights(board: pd.DataFrame, rule: Incentives) -> pd.Series:
    """Each unit's weight under the rule (index: the board's)."""
    if rule.method == "grade_coefficients":
        return board["grade"].map(rule.coefficients).fillna(0.0).astype(float)
    return (board["total"].round(2) - float(rule.threshold or 0)).clip(lower=0.0)


def split_fen(pool_fen: int, weight: list[float]) -> tuple[list[int], bool]:
    """Integer fen per weight summing to pool_fen; (amounts, tied units all equal)."""
    total = sum(weight)
    if total <= 0:
        return [0] * len(weight), True
    # Weights rounded to 9 places: float noise must neither split a tie nor make one.
    keys = [round(w, 9) for w in weight]
    exact = [pool_fen * w / total for w in weight]
    amounts = [int(x) for x in exact]
    left = pool_fen - sum(amounts)
    groups: dict[float, list[int]] = {}
    for i, key in enumerate(keys):
        if key > 0:
            groups.setdefault(key, []).append(i)
    order = sorted(groups.values(), key=lambda g: (-(exact[g[0]] - amounts[g[0]]), g[0]))
    chosen = _subset_of_sizes(order, left)
    if chosen is not None:
        for group in chosen:
            for i in group:
                amounts[i] += 1
        return amounts, True
    shifts = _group_shifts([len(g) for g in order], left,
                           [amounts[g[0]] for g in order])
    if shifts is not None:
        for group, shift in zip(order, shifts, strict=True):
            for i in group:
                amounts[i] += shift
        return amounts, True
    ranked = sorted(range(len(weight)), key=lambda i: (-(exact[i] - amounts[i]), i))
    for i in ranked[:left]:
        amounts[i] += 1
    return amounts, False


MAX_SHIFT = 40  # fen a tie group's amount may move from its floor to make the sum exact
MAX_SHIFT_GROUPS = 12


def _group_shifts(sizes: list[int], target: int, floors: list[int]) -> list[int] | None:
    """Whole fen d_g per unit of each tie group, |d_g| ≤ MAX_SHIFT, with Σ size·d = target and
    the fewest fen moved (grade bands: 27·a + 37·b + 26·c = leftover has a solution whenever
    the sizes' gcd divides it). None when there is none, or too many groups to search."""
    if len(sizes) > MAX_SHIFT_GROUPS:
        return None
    best: dict[int, tuple[int, list[int]]] = {0: (0, [])}
    for size, floor in zip(sizes, floors, strict=True):
        step: dict[int, tuple[int, list[int]]] = {}
        for total, (cost, used) in best.items():
            for d in range(max(-MAX_SHIFT, -floor), MAX_SHIFT + 1):
                key, value = total + size * d, cost + size * abs(d)
                if key not in step or value < step[key][0]:
                    step[key] = (value, [*used, d])
        best = step
    return best[target][1] if target in best else None


def _subset_of_sizes(groups: list[list[int]], target: int) -> list[list[int]] | None:
    """Groups whose sizes add up to `target`, preferring earlier groups (a small knapsack:
    at most ~100 groups and a target below the number of units)."""
    reach: dict[int, list[int]] = {0: []}  # sum -> indices of groups used
    for k, group in enumerate(groups):
        for s, used in list(reach.items()):
            n = s + len(group)
            if n <= target and n not in reach:
                reach[n] = [*used, k]
    if target not in reach:
        return None
    return [groups[k] for k in reach[target]]


def allocate(board: pd.DataFrame, rubric: Rubric, pool_wan: float) -> Allocation:
    """The pool split over the board's units by the rubric's rule (ValueError without one)."""
    rule = rubric.incentives
    if rule is None:
        raise ValueError(f"rubric {rubric.id} declares no incentive rule")
    pool_fen = round(pool_wan * FEN_PER_WAN)
    w = weights(board, rule)
    amounts, exact = split_fen(pool_fen, w.tolist())
    table = board[["unit_code", "unit_name", "rank", "total", "grade"]].copy()
    table["total"] = table["total"].round(2)
    table["weight"] = w.to_numpy()
    table["amount_fen"] = amounts
    table["amount_yuan"] = table["amount_fen"] / 100
    table["nominated"] = nominated(board, rule.nominate).to_numpy()
    return Allocation(table.reset_index(drop=True), pool_fen, exact)


def nominated(board: pd.DataFrame, n: int) -> pd.Series:
    """The first n by rank, and any unit tied with the last of them; none vetoed."""
    if n <= 0 or board.empty:
        return pd.Series(False, index=board.index)
    ranks = board["rank"].astype(float)
    eligible = ~board["vetoed"].astype(bool)
    cut = ranks[eligible].nsmallest(n).max() if eligible.any() else float("-inf")
    return eligible & (ranks <= cut)


def compare(base: Allocation, other: Allocation) -> pd.DataFrame:
    """Per unit: the amount now, under other weights, and the change (yuan)."""
    merged = base.table[["unit_code", "unit_name", "rank", "grade", "amount_yuan"]].merge(
        other.table[["unit_code", "rank", "grade", "amount_yuan"]], on="unit_code",
        suffixes=("", "_whatif"))
    merged["change_yuan"] = (merged["amount_yuan_whatif"] * 100).round().sub(
        (merged["amount_yuan"] * 100).round()) / 100
    return merged
