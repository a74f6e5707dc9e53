"""Bonus drill-down: units × categories (claimed / awarded / rejected), caps, cases, funding.

Inputs: the engine's bonus_report (long: unit × category with cap flags), the round's bonus
claim rows (one per case and stage), the board (rank order) and the communities table.
"""

from __future__ import annotations

import pandas as pd

from evalcore.labels import t
from evalcore.rubric import Rubric
from evalcore.views.common import unit_names
from evalcore.views.criterion import unit_labels

VALUES = ("claimed", "awarded", "rejected")
TOTAL_CAP_MARK = "■"
GROUP_CAP_MARK = "▲"
PUBLIC_FUNDS = ("central", "provincial", "local_fiscal")
SEED_CHANNELS = ("social_capital", "residents", "pooled_fiscal", "utilities", "special_bonds",
                 "bank_credit")
FUND_SOURCES = PUBLIC_FUNDS + SEED_CHANNELS


def category_codes(rubric: Rubric) -> list[str]:
    return [c.code for c in rubric.bonus.categories]


def category_labels(rubric: Rubric, lang: str) -> dict[str, str]:
    return {c.code: f"{c.code} {c.name(lang)}" for c in rubric.bonus.categories}


def wrap(text: str, width: int) -> str:
    """Break a long label into lines of `width` characters (plotly's <br>) for axis ticks."""
    return "<br>".join(text[i:i + width] for i in range(0, len(text), width))


def category_ticks(rubric: Rubric, lang: str) -> list[str]:
    """Heatmap column labels: code on top, the name wrapped (Chinese 7, English 14 chars)."""
    if lang == "zh":
        return [f"<b>{c.code}</b><br>{wrap(c.name(lang), 7)}" for c in rubric.bonus.categories]
    return [f"<b>{c.code}</b><br>{_wrap_words(c.name(lang), 14)}"
            for c in rubric.bonus.categories]


def _wrap_words(text: str, width: int) -> str:
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return "<br>".join(lines)


def matrix(report: pd.DataFrame, value: str, board: pd.DataFrame, rubric: Rubric) -> pd.DataFrame:
    """Units (rank order) × categories (rubric order) of one value; uncapped, as reported."""
    wide = report.pivot(index="unit_code", columns="category_code", values=value)
    units = [u for u in board["unit_code"] if u in wide.index]
    return wide.reindex(index=units, columns=category_codes(rubric)).fillna(0.0)


def cap_flags(report: pd.DataFrame, rubric: Rubric, lang: str) -> pd.DataFrame:
    """Per unit: the bonus groups whose cap is reached (names) and whether the total cap is."""
    groups = {g.code: g.name(lang) for g in rubric.bonus.groups}
    reached = report.loc[report["group_cap_reached"]].groupby("unit_code")["group_code"]
    out = pd.DataFrame(index=pd.Index(report["unit_code"].unique(), name="unit_code"))
    out["groups"] = reached.agg(lambda g: "、".join(groups[c] for c in dict.fromkeys(g)))
    out["groups"] = out["groups"].fillna("")
    out["total"] = report.groupby("unit_code")["total_cap_reached"].any()
    return out


def matrix_frame(wide: pd.DataFrame, report: pd.DataFrame, board: pd.DataFrame,
                 rubric: Rubric, lang: str) -> pd.DataFrame:
    """The matrix as a table: unit, one column per category, sum, cap marks, bonus counted."""
    rows = board.set_index("unit_code").loc[wide.index].reset_index()
    flags = cap_flags(report, rubric, lang).reindex(wide.index)
    # Sums and caps first: the category columns have long names and scroll off to the right.
    out = pd.DataFrame({
        t("unit_name", lang): unit_names(rows, lang).to_numpy(),
        t("bonus_sum", lang): wide.sum(axis=1).to_numpy(),
        t("bonus_counted", lang): rows["bonus"].round(2).to_numpy(),
        t("bonus_group_cap", lang): flags["groups"].to_numpy(),
        t("bonus_total_cap", lang): flags["total"].map({True: TOTAL_CAP_MARK, False: ""})
        .to_numpy(),
    })
    for code, label in category_labels(rubric, lang).items():
        out[label] = wide[code].to_numpy()
    return out


def cell_marks(wide: pd.DataFrame, report: pd.DataFrame) -> pd.DataFrame:
    """Heatmap cell text: the value, with ▲ where the category's group cap is reached."""
    flags = report.pivot(index="unit_code", columns="category_code", values="group_cap_reached")
    flags = flags.reindex(index=wide.index, columns=wide.columns).fillna(False).astype(bool)
    text = wide.map(lambda v: f"{v:g}" if v else "·")  # a dot keeps zeros quiet
    return text.where(~flags, text + GROUP_CAP_MARK)


def row_labels(wide: pd.DataFrame, report: pd.DataFrame, board: pd.DataFrame,
               lang: str) -> list[str]:
    """Unit names, with ■ where the unit's total bonus cap is reached."""
    total = report.groupby("unit_code")["total_cap_reached"].any()
    names = unit_labels(list(wide.index), board, lang)
    return [n + (f" {TOTAL_CAP_MARK}" if total.get(c, False) else "")
            for n, c in zip(names, wide.index, strict=True)]


def review_stage(rubric: Rubric, category: str, view: str) -> str:
    """The stage whose verdict on a case counts in this view (the engine's rule)."""
    if view in ("cross", "third_party"):
        return view
    return next(c.stage for c in rubric.bonus.categories if c.code == category)


def cases(claims: pd.DataFrame, rubric: Rubric, board: pd.DataFrame, view: str,
          category: str | None = None) -> pd.DataFrame:
    """One row per case of the peer set (rank order): claim, reviewing stage, verdict, note."""
    rows = claims.loc[claims["unit_code"].isin(board["unit_code"])]
    if category:
        rows = rows.loc[rows["category_code"] == category]
    key = ["unit_code", "category_code", "case_no"]
    out = rows.drop_duplicates(key)[key + ["case_title", "case_description"]]
    claimed = rows.loc[rows["stage"] == "self", key + ["points_claimed"]]
    out = out.merge(claimed, on=key, how="left")
    # Typed even when empty (no case in the peer set): an empty list would be float64 and
    # could not be merged with the claims' stage column.
    out["review_stage"] = pd.Series([review_stage(rubric, c, view) for c in out["category_code"]],
                                    index=out.index, dtype=rows["stage"].dtype)
    verdicts = rows.rename(columns={"stage": "review_stage"})
    verdicts = verdicts[[c for c in [*key, "review_stage", "points_awarded", "review_note"]
                         if c in verdicts.columns]]
    out = out.merge(verdicts, on=[*key, "review_stage"], how="left")
    if "review_note" not in out.columns:  # older stores do not return the note
        out["review_note"] = None
    out["status"] = [verdict(a) for a in out["points_awarded"]]
    return _rank_order(out, board).reset_index(drop=True)


def verdict(awarded: float) -> str:
    if pd.isna(awarded):
        return "pending"
    return "awarded" if awarded > 0 else "rejected"


def _rank_order(frame: pd.DataFrame, board: pd.DataFrame) -> pd.DataFrame:
    order = {code: i for i, code in enumerate(board["unit_code"])}
    frame = frame.assign(_order=frame["unit_code"].map(order))
    keys = ["_order", "category_code", "case_no"]
    return frame.sort_values(keys, kind="stable").drop(columns="_order")


STATUS_MARKS = {"awarded": "✅", "rejected": "❌", "pending": "⏳"}


def cases_frame(case_rows: pd.DataFrame, board: pd.DataFrame, rubric: Rubric,
                lang: str) -> pd.DataFrame:
    """The case list as shown."""
    names = board.set_index("unit_code")["unit_name"]
    labels = category_labels(rubric, lang)
    # Verdict before the long texts, so it is on screen without scrolling sideways.
    return pd.DataFrame({
        t("unit_name", lang): case_rows["unit_code"].map(names).to_numpy(),
        t("bonus_category", lang): case_rows["category_code"].map(labels).to_numpy(),
        t("bonus_case_title", lang): case_rows["case_title"].to_numpy(),
        t("bonus_case_claimed", lang): case_rows["points_claimed"].to_numpy(),
        t("bonus_case_awarded", lang): case_rows["points_awarded"].to_numpy(),
        t("bonus_status", lang): [f"{STATUS_MARKS[s]} {t('bonus_status_' + s, lang)}"
                                  for s in case_rows["status"]],
        t("bonus_review_stage", lang): [t(s, lang) for s in case_rows["review_stage"]],
        t("bonus_review_note", lang): case_rows["review_note"].fillna("").to_numpy(),
        t("bonus_case_description", lang): case_rows["case_description"].to_numpy(),
    })


def funding_mix(communities: pd.DataFrame, regions: pd.DataFrame, year: int,
                board: pd.DataFrame, level: str) -> pd.DataFrame:
    """Units (rank order) × funding sources, 万元, of the communities in the year's batch."""
    batch = communities.loc[communities["batch_year"] == year]
    unit = batch["county_code"]
    if level == "city":
        unit = unit.map(regions.set_index("code")["parent_code"])
    columns = [f"fund_{s}_wan" for s in FUND_SOURCES]
    sums = batch[columns].groupby(unit.to_numpy()).sum()
    sums.columns = list(FUND_SOURCES)
    return sums.reindex([u for u in board["unit_code"]]).fillna(0.0)


def seed_share(mix: pd.DataFrame) -> float:
    """Share of the six seed channels (social forces, bonds, credit) in all funding."""
    total = float(mix.to_numpy().sum())
    return float(mix[list(SEED_CHANNELS)].to_numpy().sum()) / total if total else float("nan")
