"""Benchmark (比学赶超) for one unit: radar, gap tables, points lost, the closing set in words.

Inputs are the engine's Benchmark (gaps, losses, closing), the final board of the peer set
and the rank history; everything here only reshapes and words them.
"""

from __future__ import annotations

import pandas as pd

from evalcore.labels import t
from evalcore.rubric import Rubric
from evalcore.views.common import dimension_labels, unit_names


def default_unit(board: pd.DataFrame) -> str:
    """The leader's runner-up (the unit most likely to ask 'how do we get first?')."""
    ordered = board.sort_values("rank", kind="stable")["unit_code"]
    return str(ordered.iloc[1] if len(ordered) > 1 else ordered.iloc[0])


def runner_up(board: pd.DataFrame, unit: str) -> str | None:
    """The best-placed unit other than `unit` (for the leader: whom it leads)."""
    others = board.loc[board["unit_code"] != unit].sort_values("rank", kind="stable")
    return None if others.empty else str(others["unit_code"].iloc[0])


def radar_frame(gaps: pd.DataFrame, rubric: Rubric, lang: str,
                rival: pd.Series | None = None) -> pd.DataFrame:
    """Per dimension: label and own / peer median / leader subtotal as a share of the max.

    `rival` (a board row) replaces the leader, for the leader itself: it is compared with
    the runner-up instead of with itself.
    """
    maxima = {d.code: d.max for d in rubric.dimensions}
    dims = gaps.loc[gaps["scope"].isin(maxima)].copy()
    if rival is not None:
        dims["leader"] = rival[list(dims["scope"])].to_numpy(dtype=float)
    out = pd.DataFrame({"label": dims["scope"].map(dimension_labels(rubric, lang))})
    for column in ("own", "median", "leader"):
        out[column] = dims[column] / dims["scope"].map(maxima)
    return out.reset_index(drop=True)


def radar_floor(radar: pd.DataFrame) -> int:
    """Where the radial axis starts (%): 10 points below the lowest share, rounded down to
    a multiple of 10, so differences of a few points stay visible; 0 when shares are low."""
    lowest = float(radar[["own", "median", "leader"]].to_numpy().min()) * 100
    return max(0, int(lowest // 10) * 10 - 10)


def scope_labels(rubric: Rubric, lang: str) -> dict[str, str]:
    return {"total": t("total", lang), **dimension_labels(rubric, lang)}


def gap_frame(gaps: pd.DataFrame, rubric: Rubric, names: dict[str, str], lang: str
              ) -> pd.DataFrame:
    """Overall and per dimension: own, the unit one rank above, the leader and both gaps.

    `names` holds 'above' and 'leader' display names for the column headings; a positive
    gap is ground to make up.
    """
    return pd.DataFrame({
        t("bench_scope", lang): gaps["scope"].map(scope_labels(rubric, lang)),
        t("bench_own", lang): gaps["own"].round(2),
        names["above"]: gaps["above"].round(2),
        t("bench_gap_above", lang): gaps["gap_to_above"].round(2),
        names["leader"]: gaps["leader"].round(2),
        t("bench_gap_leader", lang): gaps["gap_to_leader"].round(2),
    })


def lead_frame(board: pd.DataFrame, unit: str, second: str, rubric: Rubric,
               names: dict[str, str], lang: str) -> pd.DataFrame:
    """For the leader: own, the runner-up, and the lead (own − runner-up) per scope."""
    scopes = ["total", *(d.code for d in rubric.dimensions)]
    rows = board.set_index("unit_code")
    own, other = rows.loc[unit, scopes].astype(float), rows.loc[second, scopes].astype(float)
    return pd.DataFrame({
        t("bench_scope", lang): [scope_labels(rubric, lang)[s] for s in scopes],
        t("bench_own", lang): own.round(2).to_numpy(),
        names["second"]: other.round(2).to_numpy(),
        t("bench_lead", lang): (own - other).round(2).to_numpy(),
    })


def losses_frame(losses: pd.DataFrame, rubric: Rubric, peers: dict[str, str],
                 lang: str) -> pd.DataFrame:
    """Top-N indicators by points lost against the best peer, with who scored best."""
    names = {i.code: f"{i.code} {i.name(lang)}" for i in rubric.indicators}
    return pd.DataFrame({
        t("bench_indicator", lang): losses["indicator_code"].map(names),
        t("bench_own", lang): losses["own"].round(2),
        t("bench_best", lang): losses["best"].round(2),
        t("bench_best_unit", lang): losses["best_unit"].map(peers),
        t("bench_lost", lang): losses["lost"].round(2),
    })


def points_text(x: float) -> str:
    """One decimal, two for gains under 0.1 (so a needed 0.04 never reads as 0.0)."""
    return f"{x:.1f}" if abs(x) >= 0.1 else f"{x:.2f}"


def closing_sentence(closing: pd.DataFrame, rubric: Rubric, target: str, lang: str) -> str:
    """'提高 C3 改造内容丰富 2.2 分、A2 … 0.5 分，即可超过 嘉兴市' in plain words."""
    parts = [
        f"{code} {rubric.indicator(code).name(lang)} {points_text(gain)}"
        + (" 分" if lang == "zh" else " pts")
        for code, gain in zip(closing["indicator_code"], closing["gain"], strict=True)
    ]
    if lang == "zh":
        return f"提高 {'、'.join(parts)}，即可超过 {target}。"
    return f"Raise {', '.join(parts)} to overtake {target}."


def closing_frame(closing: pd.DataFrame, rubric: Rubric, lang: str) -> pd.DataFrame:
    """The closing set as a table: indicator, current points, max, gain, total after."""
    names = {i.code: f"{i.code} {i.name(lang)}" for i in rubric.indicators}
    return pd.DataFrame({
        t("bench_indicator", lang): closing["indicator_code"].map(names),
        t("bench_current", lang): closing["points"].astype(float).round(2),
        t("crit_max_points", lang): closing["max_points"].astype(float),
        t("bench_gain", lang): closing["gain"].astype(float).round(2),
        t("bench_new_total", lang): closing["new_total"].astype(float).round(2),
    })


def unit_history(history: pd.DataFrame, unit: str) -> pd.DataFrame:
    """year, rank, total of one unit, oldest round first."""
    rows = history.loc[history["unit_code"] == unit, ["year", "rank", "total"]]
    return rows.sort_values("year").reset_index(drop=True)


def unit_name_map(board: pd.DataFrame, lang: str) -> dict[str, str]:
    """unit_code → display name (Chinese names; English adds the code)."""
    return dict(zip(board["unit_code"], unit_names(board, lang), strict=True))
