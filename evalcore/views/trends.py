"""Comparisons over units and rounds, as shown: the strength table (evalcore.strength) and a
unit's dimension subtotals and rank in every round it was scored.

Rounds may be scored with different rubrics, so a dimension is compared across rounds as a
share of its own round's maximum, and a note says when the rubrics (or dimension sets) differ.
"""

from __future__ import annotations

import pandas as pd

from evalcore.labels import t

# label key, strength column, multiplier, digits (shares and rates shown in per cent)
STRENGTH_COLUMNS = (
    ("st_col_communities", "communities", 1, 0),
    ("st_col_households", "households", 1, 0),
    ("st_col_investment", "investment_wan", 1, 1),
    ("st_col_per_household", "investment_per_household_yuan", 1, 0),
    ("st_col_per_community", "investment_per_community_wan", 1, 1),
    ("st_col_local_fiscal", "local_fiscal_share", 100, 1),
    ("st_col_social_resident", "social_resident_share", 100, 1),
    ("progress_col_start_rate", "start_rate", 100, 1),
    ("progress_col_completion_rate", "completion_rate", 100, 1),
)


def strength_frame(table: pd.DataFrame, regions: pd.DataFrame, level: str,
                   lang: str) -> pd.DataFrame:
    """The strength table with labelled columns; counties also name their city. Columns
    with no data at all (an unpublished target) are left out."""
    names = regions.set_index("code")["name"]
    out = pd.DataFrame()
    if level == "county":
        out[t("progress_col_city", lang)] = table["parent_code"].map(names).to_numpy()
    unit_key = "progress_col_county" if level == "county" else "progress_col_city"
    out[t(unit_key, lang)] = table["name"].to_numpy()
    for key, column, scale, digits in STRENGTH_COLUMNS:
        values = (table[column].astype(float) * scale).round(digits)
        if not values.isna().all():
            out[t(key, lang)] = values.astype("Int64").to_numpy() if digits == 0 \
                else values.to_numpy()
    return out


# -- a unit's dimensions over the rounds ------------------------------------------------

def unit_dimensions(history: pd.DataFrame, unit: str) -> pd.DataFrame:
    """The unit's rows of Reader.dimension_history, by year, with share = points / max."""
    own = history[history["unit_code"] == unit].sort_values(["year", "dimension"])
    return own.assign(share=own["points"] / own["max_points"]).reset_index(drop=True)


def dimension_label(row: pd.Series, lang: str) -> str:
    return f"{row['dimension']} {row['name_en' if lang == 'en' else 'name_zh']}"


def dimension_table(own: pd.DataFrame, lang: str, drafts: set[int]) -> pd.DataFrame:
    """One row per round: year (draft marked), rank, total, then each dimension's points
    ("得分/满分"), dimensions in the union of every round's set (– where a round has none),
    and the rubric version."""
    if own.empty:
        return pd.DataFrame()
    labels = own.apply(dimension_label, axis=1, lang=lang)
    cells = [f"{p:.2f}/{m:g}" if pd.notna(p) else "–"
             for p, m in zip(own["points"], own["max_points"], strict=True)]
    wide = (own.assign(label=labels.to_numpy(), cell=cells)
            .pivot(index="year", columns="label", values="cell").fillna("–"))
    rounds = own.drop_duplicates("year").set_index("year").loc[wide.index]
    years = [f"{y}" + (f" · {t('draft', lang)}" if y in drafts else "") for y in wide.index]
    out = pd.DataFrame({
        t("pf_year", lang): years,
        t("rank", lang): rounds["rank"].astype("Int64").to_numpy(),
        t("total", lang): rounds["total"].astype(float).round(2).to_numpy(),
    })
    for label in sorted(wide.columns):
        out[label] = wide[label].to_numpy()
    out[t("rubric_version", lang)] = rounds["rubric_version"].astype(str).to_numpy()
    return out


def chart_points(own: pd.DataFrame, lang: str) -> pd.DataFrame:
    """year, dimension label, percent of max: what the small chart draws."""
    return pd.DataFrame({"year": own["year"].astype(int).to_numpy(),
                         "dimension": own.apply(dimension_label, axis=1, lang=lang).to_numpy(),
                         "percent": (100 * own["share"]).round(1).to_numpy()})


def rubric_note(own: pd.DataFrame, lang: str) -> str | None:
    """When the rounds were scored with different rubrics or different dimension sets: which
    rounds used which rubric, and that the subtotals compare only as shares of their maximum."""
    if own.empty:
        return None
    sets = own.groupby("year")["dimension"].apply(frozenset)
    maxima = own.groupby("dimension")["max_points"].nunique()
    if own["rubric_version"].nunique() < 2 and sets.nunique() < 2 and (maxima < 2).all():
        return None
    by_version = own.drop_duplicates("year").groupby("rubric_version", sort=False)["year"]
    spans = [f"{version} {'、'.join(str(y) for y in years)}" if lang == "zh"
             else f"{version} {', '.join(str(y) for y in years)}"
             for version, years in by_version]
    return t("dh_rubric_note", lang).format(spans="; ".join(spans))
