"""Benchmarking (比学赶超): how far a unit is behind its peers, and the cheapest way up.

- Gaps: to the leader (first in display order), to the unit one rank above (the last-placed
  unit with a better rank) and to the peer median, for the total and for each
  dimension. Gap = other − own, so a positive gap is ground to make up.
- Points lost per indicator: best peer score − own score, largest first (top N).
- Closing set, greedy: take the unit's indicators in order of largest headroom (max − own),
  raising each to its max, until its total strictly exceeds the next-higher unit's total.
  Greedy by headroom minimises the NUMBER of indicators to improve (each step adds the most
  points available), not always the points: a smaller, better-fitting gain may exist. Equal
  headroom goes by indicator code. Bonus and deductions are held as they are (a raised
  verified score could also lift a credibility deduction; the set does not count on that).
  Empty when the unit is already first or even full marks everywhere would not get it past,
  and for a vetoed unit whose next-higher unit has no veto (no points pass a veto).
`board` and `indicators` must describe the same peer set and view (build_board and
RoundScore.indicators of one score_round).
"""

from __future__ import annotations

import pandas as pd

from evalcore.rubric import Rubric
from evalcore.scoring.common import EPS, ScoringError, rank_keys
from evalcore.scoring.totals import dimension_codes, total_points

LOSS_COLUMNS = ["indicator_code", "dimension_code", "own", "best", "best_unit", "lost"]
CLOSING_COLUMNS = ["indicator_code", "dimension_code", "points", "max_points", "gain", "new_total"]


def unit_row(board: pd.DataFrame, unit_code: str) -> pd.Series:
    """The unit's leaderboard row; an unknown unit is an error, not an empty answer."""
    rows = board.loc[board["unit_code"] == unit_code]
    if rows.empty:
        raise ScoringError(f"unit '{unit_code}' is not in this peer set")
    return rows.iloc[0]


def next_higher(board: pd.DataFrame, unit_code: str) -> pd.Series | None:
    """The unit one rank above: the last-placed unit with a better rank (a strictly higher
    total as shown, or no veto against a vetoed unit), if any."""
    higher = board.loc[board["rank"] < unit_row(board, unit_code)["rank"]]
    if higher.empty:
        return None
    return higher.sort_values(["rank"], kind="stable").iloc[-1]


def peer_gaps(board: pd.DataFrame, unit_code: str, rubric: Rubric) -> pd.DataFrame:
    """Rows 'total' and one per dimension: own, leader, above, median and the three gaps."""
    scopes = ["total", *dimension_codes(rubric)]
    own = unit_row(board, unit_code)
    above = next_higher(board, unit_code)
    leader = board.sort_values("rank", kind="stable").iloc[0]
    out = pd.DataFrame({"scope": scopes, "own": own[scopes].to_numpy(dtype=float)})
    out["leader"] = leader[scopes].to_numpy(dtype=float)
    out["above"] = float("nan") if above is None else above[scopes].to_numpy(dtype=float)
    out["median"] = board[scopes].median().to_numpy()
    for peer in ("leader", "above", "median"):
        out[f"gap_to_{peer}"] = out[peer] - out["own"]
    return out


def indicator_losses(indicators: pd.DataFrame, unit_code: str, top: int = 5) -> pd.DataFrame:
    """The unit's points lost against the best peer per indicator, largest first, top N."""
    by_indicator = indicators.groupby("indicator_code", sort=True)["points"]
    best_rows = indicators.loc[by_indicator.idxmax()].set_index("indicator_code")
    own = indicators.loc[indicators["unit_code"] == unit_code].set_index("indicator_code")
    if own.empty:
        raise ScoringError(f"unit '{unit_code}' is not in this peer set")
    out = own[["dimension_code"]].assign(own=own["points"], best=best_rows["points"])
    out["best_unit"] = best_rows["unit_code"]
    out["lost"] = out["best"] - out["own"]
    out = out.loc[out["lost"] > EPS].reset_index()
    return (
        out.sort_values(["lost", "indicator_code"], ascending=[False, True])
        .head(top)[LOSS_COLUMNS]
        .reset_index(drop=True)
    )


def closing_set(board: pd.DataFrame, indicators: pd.DataFrame, unit_code: str) -> pd.DataFrame:
    """Greedy smallest set of indicator gains that lifts the unit past the next-higher unit."""
    empty = pd.DataFrame(columns=CLOSING_COLUMNS)
    target = next_higher(board, unit_code)
    if target is None:
        return empty
    own = unit_row(board, unit_code)
    if bool(own["vetoed"]) and not bool(target["vetoed"]):
        return empty
    rows = indicators.loc[indicators["unit_code"] == unit_code]
    rows = rows.assign(gain=rows["max_points"] - rows["points"]).loc[lambda r: r["gain"] > EPS]
    rows = rows.sort_values(["gain", "indicator_code"], ascending=[False, True], kind="stable")
    new_total = total_points(own["base"] + rows["gain"].cumsum(), own["bonus"], own["deductions"])
    passed = rank_keys(new_total) > rank_keys(target["total"])
    if not passed.any():
        return empty
    count = int(passed.argmax()) + 1
    return rows.assign(new_total=new_total).head(count)[CLOSING_COLUMNS].reset_index(drop=True)
