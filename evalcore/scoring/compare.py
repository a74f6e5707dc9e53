"""Change against a previous round's leaderboard.

rank_change = previous rank − current rank, so a positive number means the unit moved up;
total_change = current total − previous total. Units absent from the previous round get NaN
(pandas' nullable Int64 for the rank change, so "no previous rank" is not mistaken for 0).
"""

from __future__ import annotations

import numpy as np
import pandas as pd


def no_previous(n: int) -> dict[str, object]:
    """rank_change and total_change for `n` units without a previous round: missing."""
    return {"rank_change": pd.arrays.IntegerArray(np.zeros(n, dtype=np.int64),
                                                  np.ones(n, dtype=bool)),
            "total_change": np.full(n, np.nan)}


def compare_with(board: pd.DataFrame, previous: pd.DataFrame | None) -> pd.DataFrame:
    """Add rank_change and total_change versus `previous` (unit_code, rank, total), if given."""
    if previous is None:
        return board.assign(**no_previous(len(board)))
    prev = previous.drop_duplicates("unit_code").set_index("unit_code")
    prev_rank = board["unit_code"].map(prev["rank"]).astype("Int64")
    prev_total = board["unit_code"].map(prev["total"]).astype(float)
    return board.assign(
        rank_change=(prev_rank - board["rank"].astype("Int64")).astype("Int64"),
        total_change=board["total"] - prev_total,
    )
