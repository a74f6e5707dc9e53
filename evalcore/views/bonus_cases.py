"""The bonus cases workspace's tables, without Streamlit: one unit's cases with their evidence
and verdicts, the points they give now under the caps, the unit's own funding in a category's
channel, its deductions.

Inputs: the round's bonus_claims rows (Store.bonus_case_rows), its evidence rows, its
deduction entries, the communities and regions the viewer may see, and the round's rubric.
Points come from the engine (evalcore/scoring/bonus.py), never recomputed here.
"""

from __future__ import annotations

import pandas as pd

from evalcore.labels import t
from evalcore.rubric import Rubric
from evalcore.scoring import bonus as engine
from evalcore.views.bonus import STATUS_MARKS, verdict

CASE_KEY = ["unit_code", "category_code", "case_no"]
_MARKDOWN = set("\\`*_{}[]()#+-.!|<>~$:")


def plain(text: object) -> str:
    """User text made literal inside Markdown (a title, a note, a file name in a label):
    every Markdown character escaped, so no link, image or formatting comes from it."""
    return "".join("\\" + ch if ch in _MARKDOWN else ch for ch in str(text or ""))


def category_label(rubric: Rubric, code: str, lang: str) -> str:
    cat = next(c for c in rubric.bonus.categories if c.code == code)
    return f"{cat.code} {cat.name(lang)}"


def unit_cases(claims: pd.DataFrame, files: pd.DataFrame, rubric: Rubric,
               unit: str) -> pd.DataFrame:
    """One row per case of the unit claimed at self: category_code, case_no, case_title,
    case_description, amount_wan, points_claimed, review_stage, points_awarded, review_note,
    status (pending, awarded, rejected), files (evidence count), recorded_by, recorded_at."""
    mine = claims[claims["unit_code"] == unit]
    own = mine[mine["stage"] == "self"]
    stage_of = {c.code: c.stage for c in rubric.bonus.categories}
    out = own[CASE_KEY + ["case_title", "case_description", "amount_wan", "points_claimed",
                          "recorded_by", "recorded_at"]].copy()
    out["review_stage"] = out["category_code"].map(stage_of)
    verdicts = mine.rename(columns={"stage": "review_stage"})[
        [*CASE_KEY, "review_stage", "points_awarded", "review_note"]]
    out = out.merge(verdicts, on=[*CASE_KEY, "review_stage"], how="left")
    out["status"] = [verdict(a) for a in out["points_awarded"]]
    keys = [f"self/{c}/{int(n)}" for c, n in zip(out["category_code"], out["case_no"],
                                                  strict=True)]
    counts = files[(files["unit_code"] == unit) & (files["subject"] == "bonus_case")] \
        .groupby("subject_key").size()
    out["files"] = [int(counts.get(k, 0)) for k in keys]
    order = {c.code: i for i, c in enumerate(rubric.bonus.categories)}
    out = out.assign(_o=out["category_code"].map(order)).sort_values(["_o", "case_no"])
    return out.drop(columns="_o").reset_index(drop=True)


def cases_frame(cases: pd.DataFrame, rubric: Rubric, lang: str) -> pd.DataFrame:
    """The unit's case list as shown (labels in the user's language)."""
    return pd.DataFrame({
        t("bonus_category", lang): [category_label(rubric, c, lang)
                                    for c in cases["category_code"]],
        t("bc_case_no", lang): cases["case_no"].astype(int).to_numpy(),
        t("bonus_case_title", lang): cases["case_title"].to_numpy(),
        t("bc_amount_wan", lang): ["" if pd.isna(v) else f"{v:,.2f}".rstrip("0").rstrip(".")
                                   for v in cases["amount_wan"]],
        t("bc_files", lang): cases["files"].to_numpy(),
        t("bonus_status", lang): [f"{STATUS_MARKS[s]} {t('bonus_status_' + s, lang)}"
                                  for s in cases["status"]],
        t("bonus_review_stage", lang): [t(s, lang) for s in cases["review_stage"]],
        t("bonus_review_note", lang): cases["review_note"].fillna("").to_numpy(),
        t("bonus_case_description", lang): cases["case_description"].fillna("").to_numpy(),
    })


def points_now(rubric: Rubric, claims: pd.DataFrame, unit: str) -> dict[str, float]:
    """What the unit gets now (accepted cases, capped), what it would get if every claimed
    case were accepted (capped the same way), and the total cap."""
    mine = claims[claims["unit_code"] == unit]
    awarded, claimed = engine.bonus_arrays(rubric, mine, pd.Index([unit], dtype=object))
    return {"awarded": float(awarded[0]), "claimed": float(claimed[0]),
            "cap": float(rubric.bonus.total_cap)}


def caps_frame(rubric: Rubric, claims: pd.DataFrame, unit: str, lang: str) -> pd.DataFrame:
    """Per category of the unit: points, verifying stage, claimed and awarded points (before
    caps), and whether the group cap or the total cap is reached now."""
    mine = claims[claims["unit_code"] == unit]
    table = engine.bonus_table(rubric, mine, pd.Index([unit], dtype=object))
    groups = {g.code: f"{g.name(lang)} ≤ {g.cap:g}" for g in rubric.bonus.groups}
    cats = {c.code: c for c in rubric.bonus.categories}
    return pd.DataFrame({
        t("bonus_category", lang): [category_label(rubric, c, lang)
                                    for c in table["category_code"]],
        t("bc_group", lang): table["group_code"].map(groups).to_numpy(),
        t("bc_points", lang): [cats[c].points for c in table["category_code"]],
        t("bonus_review_stage", lang): [t(cats[c].stage, lang) for c in table["category_code"]],
        t("bonus_v_claimed", lang): table["claimed"].to_numpy(),
        t("bonus_v_awarded", lang): table["awarded"].to_numpy(),
        t("bonus_group_cap", lang): table["group_cap_reached"].map({True: "▲", False: ""})
        .to_numpy(),
    })


def unit_communities(communities: pd.DataFrame, regions: pd.DataFrame,
                     unit: str) -> pd.DataFrame:
    """The communities of a unit: a county's own, a city's counties'."""
    counties = regions.loc[regions["parent_code"] == unit, "code"].tolist()
    return communities[communities["county_code"].isin([unit, *counties])]


def channel_funding(communities: pd.DataFrame, regions: pd.DataFrame, unit: str, year: int,
                    source: str) -> dict[str, float]:
    """The unit's own community funding in one channel (fund_<source>_wan): the round's
    batch and every batch up to it, and how many communities of the batch report money in
    it. What a reviewer checks a funding case against."""
    mine = unit_communities(communities, regions, unit)
    column = f"fund_{source}_wan"
    batch = mine[mine["batch_year"] == year]
    upto = mine[mine["batch_year"] <= year]
    return {"batch_wan": float(batch[column].sum()), "upto_wan": float(upto[column].sum()),
            "with_money": int((batch[column] > 0).sum()), "batch": len(batch)}


def deductions_frame(entries: pd.DataFrame, rubric: Rubric, unit: str | None,
                     lang: str) -> pd.DataFrame:
    """The round's deductions and vetoes (one unit's, or all) as shown."""
    rows = entries if unit is None else entries[entries["unit_code"] == unit]
    names = {d.code: d.name(lang) for d in rubric.deductions.items}
    names |= {v.code: f"{v.name(lang)}（{t('vetoed', lang)}）" for v in rubric.vetoes}
    return pd.DataFrame({
        **({t("unit_code", lang): rows["unit_code"].to_numpy()} if unit is None else {}),
        t("bc_seq", lang): rows["seq"].astype(int).to_numpy(),
        t("bc_item", lang): [f"{c} {names.get(c, '')}" for c in rows["code"]],
        t("bc_points", lang): rows["points"].to_numpy(),
        t("bc_reason", lang): rows["reason"].fillna("").to_numpy(),
        t("bc_recorded_by", lang): rows["recorded_by"].fillna("").to_numpy(),
    })


def deduction_options(rubric: Rubric, lang: str) -> dict[str, str]:
    """Item code → label with its range (vetoes: no points), for the entry form."""
    out = {d.code: f"{d.code} {d.name(lang)}（{d.min_points:g}–{d.max_points:g}）"
           for d in rubric.deductions.items}
    out |= {v.code: f"{v.code} {v.name(lang)}（{t('vetoed', lang)}）" for v in rubric.vetoes}
    return out
