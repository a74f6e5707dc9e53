"""Criterion drill-down: one dimension and indicator across the units of a level.

Inputs are the engine's long indicator table (scoring.indicator_table), the credibility
inflation table and the board (for rank order). Stage 'final' reads the `points` column,
any other stage its own column, so the sidebar's stage drives the distribution and heatmap.
"""

from __future__ import annotations

import pandas as pd

from evalcore.labels import t
from evalcore.rubric import Indicator, Rubric
from evalcore.views.common import unit_names, verified_mark
from evalcore.vocab import STAGES


def indicator_options(rubric: Rubric, dimension: str) -> list[str]:
    return [i.code for i in rubric.indicators if i.dimension == dimension]


def has_stage_detail(indicator: Indicator) -> bool:
    """Derived indicators are computed once from data; internal ones are not shown by stage."""
    return not (indicator.is_derived or indicator.internal)


def stage_column(stage: str) -> str:
    return "points" if stage == "final" else stage


def in_rank_order(table: pd.DataFrame, board: pd.DataFrame) -> pd.DataFrame:
    """Rows of `table` ordered by the board's rank (units missing from the board go last)."""
    order = {code: i for i, code in enumerate(board["unit_code"])}
    key = table["unit_code"].map(order).fillna(len(order))
    return table.assign(_order=key).sort_values("_order", kind="stable").drop(columns="_order")


def indicator_rows(table: pd.DataFrame, code: str, board: pd.DataFrame, lang: str
                   ) -> pd.DataFrame:
    """The chosen indicator's row per unit, in rank order, with a display `label`."""
    rows = in_rank_order(table.loc[table["indicator_code"] == code], board)
    return rows.assign(label=unit_names(rows, lang)).reset_index(drop=True)


def distribution(rows: pd.DataFrame, stage: str) -> pd.DataFrame:
    """unit_code, label, value (points at the stage), max_points."""
    out = rows[["unit_code", "label", "max_points"]].copy()
    out["value"] = rows[stage_column(stage)].to_numpy()
    return out


def stage_comparison(rows: pd.DataFrame, inflation: pd.DataFrame) -> pd.DataFrame:
    """Per unit: self, cross, third_party, verified points, inflation share and flag.

    The flag comes from the engine's credibility table (threshold × max, the rubric's rule);
    sorted most inflated first so the problem cases lead.
    """
    keep = ["unit_code", "label", "max_points", *STAGES, "points"]
    flags = inflation[["unit_code", "indicator_code", "inflation", "inflated"]]
    merged = rows[keep + ["indicator_code"]].merge(
        flags, on=["unit_code", "indicator_code"], how="left")
    merged["inflated"] = merged["inflated"].fillna(False).astype(bool)
    order = ["inflation", "unit_code"]
    merged = merged.sort_values(order, ascending=[False, True], na_position="last", kind="stable")
    return merged.drop(columns="indicator_code").reset_index(drop=True)


def lost_matrix(table: pd.DataFrame, rubric: Rubric, board: pd.DataFrame, stage: str
                ) -> pd.DataFrame:
    """Units (rank order) × indicators (grouped by dimension): max − points at the stage."""
    lost = table.assign(lost=table["max_points"] - table[stage_column(stage)])
    wide = lost.pivot(index="unit_code", columns="indicator_code", values="lost")
    wide = wide.reindex(index=[u for u in board["unit_code"] if u in wide.index])
    return wide.reindex(columns=grouped_indicator_codes(rubric))


def grouped_indicator_codes(rubric: Rubric) -> list[str]:
    """Indicator codes, dimension by dimension in rubric order."""
    return [i.code for d in rubric.dimensions for i in rubric.indicators if i.dimension == d.code]


def dimension_spans(rubric: Rubric, lang: str) -> list[tuple[str, int, int]]:
    """(dimension label, first column, last column) of each block of the heatmap."""
    spans, start = [], 0
    for d in rubric.dimensions:
        n = len(indicator_options(rubric, d.code))
        # Chinese names fit over their columns; English ones would run into each other.
        text = f"{d.code} {d.name(lang)}" if lang == "zh" and n > 2 else d.code
        spans.append((text, start, start + n - 1))
        start += n
    return spans


def detail_frame(rows: pd.DataFrame, board: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The chosen (hand-scored) indicator per unit: each stage, final, verified, no data."""
    ranks = rows["unit_code"].map(board.set_index("unit_code")["rank"])
    out = pd.DataFrame({
        t("rank", lang): ranks.astype("Int64"),
        t("unit_name", lang): unit_names(rows, lang),
    })
    for stage in STAGES:
        out[t(stage, lang)] = rows[stage].round(2)
    out[t("crit_final_points", lang)] = rows["points"].round(2)
    out[t("crit_max_points", lang)] = rows["max_points"]
    out[t("crit_verified", lang)] = [verified_mark(v, lang) for v in rows["verified"]]
    out[t("crit_no_data", lang)] = rows["no_data"].map({True: "∅", False: ""})
    return out


def metric_rows(rows: pd.DataFrame, metrics: pd.DataFrame, metric: str) -> pd.DataFrame:
    """The chosen derived indicator per unit with the metric value it was computed from."""
    values = metrics.loc[metrics["metric"] == metric].set_index("unit_code")["value"]
    return rows.assign(metric_value=rows["unit_code"].map(values))


def metric_detail_frame(rows: pd.DataFrame, board: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Derived indicator per unit: the metric (a share, in %), points, no-data flag."""
    ranks = rows["unit_code"].map(board.set_index("unit_code")["rank"])
    return pd.DataFrame({
        t("rank", lang): ranks.astype("Int64"),
        t("unit_name", lang): unit_names(rows, lang),
        t("crit_metric_value", lang): (rows["metric_value"] * 100).round(1),
        t("crit_final_points", lang): rows["points"].round(2),
        t("crit_max_points", lang): rows["max_points"],
        t("crit_no_data", lang): rows["no_data"].map({True: "∅", False: ""}),
    })


def indicator_names(rubric: Rubric, lang: str) -> dict[str, str]:
    return {i.code: i.name(lang) for i in rubric.indicators}


def unit_labels(codes: list[str], board: pd.DataFrame, lang: str) -> list[str]:
    """Display names for unit codes (Chinese names; English adds the code)."""
    names = board.set_index("unit_code")["unit_name"]
    return [names[c] if lang == "zh" else f"{names[c]} ({c})" for c in codes]


def metric_thresholds(indicator: Indicator, lang: str) -> list[tuple[float, str]]:
    """Lines for the metric chart (in %): the zero-below cut or each band's threshold."""
    derive = indicator.derive
    if derive is None:
        return []
    unit = t("crit_points_short", lang)
    if derive.method == "bands":
        return [(th * 100, f"≥{th:.0%} → {pts:g} {unit}") for th, pts in derive.bands]
    if derive.zero_below > 0:
        return [(derive.zero_below * 100, f"<{derive.zero_below:.0%} → 0 {unit}")]
    return []
