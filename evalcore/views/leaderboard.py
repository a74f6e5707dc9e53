"""The leaderboard as shown: ranks, arrows, subtotals, grade badges, rank intervals."""

from __future__ import annotations

import pandas as pd

from evalcore.labels import t
from evalcore.rubric import Rubric
from evalcore.views.common import (
    change_mark,
    dimension_labels,
    grade_badges,
    points_scale,
    rank_arrow,
    unit_names,
    unverified_mark,
)


def rank_interval(uncertainty: pd.DataFrame) -> pd.DataFrame:
    """unit_code, interval text '3–5' and whether the unit is statistically tied with others."""
    out = uncertainty[["unit_code"]].copy()
    low, high = uncertainty["rank_p05"].astype(int), uncertainty["rank_p95"].astype(int)
    out["interval"] = [f"{a}" if a == b else f"{a}–{b}" for a, b in zip(low, high, strict=True)]
    out["tied"] = uncertainty["tied_with"].map(len) > 0
    return out


def change_column(board: pd.DataFrame, lang: str) -> pd.Series:
    """Rank change arrows; a change against a round scored with another rubric is marked
    '▲2（评分标准不同）' (Reader.board's change_comparable)."""
    arrows = board["rank_change"].map(rank_arrow)
    if "change_comparable" not in board:
        return arrows
    marked = ~board["change_comparable"].astype(bool) & board["rank_change"].notna()
    return arrows.where(~marked, arrows + change_mark(False, lang))


def caption(rubric: Rubric, lang: str) -> str:
    """The table's caption with the round's own point scale."""
    return t("leaderboard_caption", lang).format(scale=points_scale(rubric, lang))


def display_frame(
    board: pd.DataFrame, rubric: Rubric, lang: str, uncertainty: pd.DataFrame | None = None
) -> pd.DataFrame:
    """One row per unit in rank order, with display labels as column names.

    What matters first comes first (a phone shows the first columns and scrolls the rest
    inside the table): rank, unit, total, grade, change; then the dimension subtotals, bonus,
    deductions, whether the total includes unverified indicators (as on the criteria page:
    "⚠ 未核验（4项）", plain text in the exports too) and the rank interval."""
    dims = [d.code for d in rubric.dimensions]
    badges = grade_badges(rubric, lang)
    grades = board["grade"].map(badges)
    grades[board["vetoed"].astype(bool).to_numpy()] += " ⛔"
    out = pd.DataFrame({
        t("rank", lang): board["rank"].astype(int),
        t("unit_name", lang): unit_names(board, lang),
        t("total", lang): board["total"].round(2),
        t("grade", lang): grades,
        t("rank_change", lang): change_column(board, lang),
    })
    for code, label in dimension_labels(rubric, lang).items():
        if code in dims:
            out[label] = board[code].round(2)
    out[t("bonus", lang)] = board["bonus"].round(2)
    out[t("deductions", lang)] = board["deductions"].round(2)
    out[t("crit_verified", lang)] = [unverified_mark(n, lang) for n in board["unverified_count"]]
    if uncertainty is not None:
        merged = board[["unit_code"]].merge(rank_interval(uncertainty), on="unit_code", how="left")
        out[t("rank_interval", lang)] = merged["interval"].to_numpy()
        out[t("tied", lang)] = merged["tied"].map({True: "≈", False: ""}).to_numpy()
    return out.reset_index(drop=True)
