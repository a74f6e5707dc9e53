"""Small display helpers shared by the page view models."""

from __future__ import annotations

import math

import pandas as pd

from evalcore.labels import t
from evalcore.rubric import Rubric

GRADE_BADGES = ("🟢", "🔵", "🟡", "🔴", "⚫")


def grade_badges(rubric: Rubric, lang: str) -> dict[str, str]:
    """grade code → badge text, best grade first (works for any number of bands)."""
    ordered = sorted(rubric.grades, key=lambda g: -g.min)
    return {
        g.code: f"{GRADE_BADGES[min(i, len(GRADE_BADGES) - 1)]} {g.name(lang)}"
        for i, g in enumerate(ordered)
    }


def rank_arrow(change: float | None) -> str:
    """▲2 moved up two places, ▼1 down one, — unchanged, · no previous round."""
    if change is None or (isinstance(change, float) and math.isnan(change)) or change is pd.NA:
        return "·"
    change = int(change)
    return "—" if change == 0 else (f"▲{change}" if change > 0 else f"▼{-change}")


def verified_mark(verified: bool, lang: str) -> str:
    """"✓" or "⚠ 未核验": one indicator's mark (the criteria page) and, with a count, a
    unit's (unverified_mark: the leaderboard, the round status page)."""
    return "✓" if verified else "⚠ " + t("crit_unverified", lang)


def unverified_mark(count: int, lang: str) -> str:
    """A unit's mark from its board's `unverified_count`: "✓", or "⚠ 未核验（4项）" when its
    total counts indicators its verifying stage has not scored (an earlier stage stands in)."""
    if not count:
        return verified_mark(True, lang)
    return t("unverified_n", lang).format(mark=verified_mark(False, lang), n=int(count))


def areas_with_units(units: pd.DataFrame) -> list[str]:
    """The cities holding a county-level unit of `units` (a round's scored units, as the viewer
    may see them): the areas a county view can be narrowed to without coming out empty."""
    return sorted(set(units.loc[units["level"] == "county", "parent_code"].astype(str)))


def unit_names(frame: pd.DataFrame, lang: str) -> pd.Series:
    """Chinese names in both languages (official names), with the code in English."""
    if lang == "en":
        return frame["unit_name"] + " (" + frame["unit_code"] + ")"
    return frame["unit_name"]


def dimension_labels(rubric: Rubric, lang: str) -> dict[str, str]:
    return {d.code: f"{d.code} {d.name(lang)}" for d in rubric.dimensions}


def points_scale(rubric: Rubric, lang: str) -> str:
    """'基础分100，加分上限10' from the rubric ('基础分100，无加分' when it has no bonus)."""
    base, bonus = f"{rubric.rubric.base_total:g}", rubric.bonus.total_cap
    if bonus <= 0:
        return t("points_scale_no_bonus", lang).format(base=base)
    return t("points_scale", lang).format(base=base, bonus=f"{bonus:g}")


def change_mark(comparable: bool, lang: str) -> str:
    """'' or '（评分标准不同）': what stands beside a change against a round scored with
    another rubric (Reader.board's change_comparable)."""
    return "" if comparable else t("different_rubric", lang)


def dimension_summary(rubric: Rubric, lang: str) -> dict[str, str]:
    """n and the dimension names joined as the language joins a list (home page intro)."""
    names = [d.name(lang) for d in rubric.dimensions]
    joined = "、".join(names) if lang != "en" else ", ".join(names)
    return {"n": str(len(names)), "dimensions": joined}
