"""Renovation progress for the public: started, completed, accepted, households, investment.

Measured for a round year as of its 31 December with the definitions of evalcore/metrics.py:
the year's plan (batch, 批次) started by year end against the year's target, last year's plan
completed by year end against last year's target. Counts are summed county → city →
province. A target that was never published stays NaN and is shown as "–", never invented.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from evalcore.labels import fmt_households, fmt_money_wan, fmt_number, t
from evalcore.views import palette

COUNTS = ("started", "completed", "accepted", "households",
          "planned_investment_wan", "completed_investment_wan")
TARGETS = ("started_target", "completed_target", "households_target", "investment_target_wan")
# Colour-blind-safe colours, and a marker shape for each (the legend's text names them).
STATUS_COLOURS = {s: palette.STATUS_COLOURS[s] for s in ("started", "completed", "accepted")}
STATUS_SWATCHES = {s: palette.STATUS_GLYPHS[s] for s in STATUS_COLOURS}


def as_of(year: int) -> pd.Timestamp:
    return pd.Timestamp(year=year, month=12, day=31)


def status_as_of(communities: pd.DataFrame, year: int) -> pd.Series:
    """Each community's status on 31 Dec of `year`, from its dates.

    Acceptance has no date: a community completed by then counts as accepted when it is
    accepted in the data now.
    """
    end = as_of(year)
    status = pd.Series("planned", index=communities.index, dtype=object)
    status[communities["start_date"] <= end] = "started"
    done = communities["completion_date"] <= end
    status[done] = "completed"
    status[done & (communities["status"] == "accepted")] = "accepted"
    return status


# -- measures per region -----------------------------------------------------------------

def _county_tally(started: pd.DataFrame, done: pd.DataFrame, plan: pd.DataFrame) -> pd.DataFrame:
    by = "county_code"
    parts = {
        "started": started.groupby(by).size(),
        "completed": done.groupby(by).size(),
        "accepted": done[done["status"] == "accepted"].groupby(by).size(),
        "households": started.groupby(by)["households"].sum(),
        "planned_investment_wan": plan.groupby(by)["planned_investment_wan"].sum(),
        "completed_investment_wan": plan.groupby(by)["completed_investment_wan"].sum(),
    }
    return pd.DataFrame({k: v.astype(float) for k, v in parts.items()}, columns=list(COUNTS))


def _roll_up(by_county: pd.DataFrame, regions: pd.DataFrame) -> pd.DataFrame:
    """County sums plus their city and province totals, one row per region (0 where none)."""
    parent = regions.set_index("code")["parent_code"]
    by_county = by_county.fillna(0)
    city = by_county.groupby(by_county.index.map(parent)).sum()
    province = city.groupby(city.index.map(parent)).sum()
    return pd.concat([province, city, by_county]).reindex(regions["code"]).fillna(0)


def target_sum(targets: pd.DataFrame, years: Sequence[int], column: str) -> pd.Series:
    """Per unit, the sum of `column` over `years`; NaN if any year is missing or unpublished."""
    if not len(years):
        return pd.Series(dtype=float)
    rows = targets[targets["year"].isin(list(years))]
    grouped = rows[column].astype(float).groupby(rows["unit_code"])
    return grouped.sum().where(grouped.count() == len(years))


def _cohorts(c: pd.DataFrame, year: int, cumulative: bool):
    """(plan, started, done): the plan's communities, those started and those completed."""
    end = as_of(year)
    plan = c[c["batch_year"] <= year] if cumulative else c[c["batch_year"] == year]
    done_from = plan if cumulative else c[c["batch_year"] == year - 1]
    return plan, plan[plan["start_date"] <= end], done_from[done_from["completion_date"] <= end]


def unit_progress(communities: pd.DataFrame, targets: pd.DataFrame, regions: pd.DataFrame,
                  year: int, cumulative: bool = False) -> pd.DataFrame:
    """One row per region: code, name, level, parent_code, COUNTS and TARGETS.

    Cumulative: every plan up to `year` as of its year end, against the sum of the plans;
    completions then have no target (plans are for starts).
    """
    plan, started, done = _cohorts(communities, year, cumulative)
    out = _roll_up(_county_tally(started, done, plan), regions)
    plan_years = sorted(y for y in targets["year"].unique() if y <= year) if cumulative else [year]
    done_years = [] if cumulative else [year - 1]
    out["started_target"] = target_sum(targets, plan_years, "communities")
    out["completed_target"] = target_sum(targets, done_years, "communities")
    out["households_target"] = target_sum(targets, plan_years, "households")
    out["investment_target_wan"] = target_sum(targets, plan_years, "investment_wan")
    info = regions.set_index("code")[["name", "level", "parent_code"]]
    return info.join(out).rename_axis("unit_code").reset_index()


def province_row(progress: pd.DataFrame) -> pd.Series:
    return progress[progress["level"] == "province"].iloc[0]


def trend(communities: pd.DataFrame, targets: pd.DataFrame, regions: pd.DataFrame,
          years: Sequence[int]) -> pd.DataFrame:
    """Province progress per year: year + COUNTS + TARGETS.

    A year with no previous plan (neither targets nor communities) has no completions to
    measure: NaN, not 0.
    """
    rows = [{**province_row(unit_progress(communities, targets, regions, y)), "year": y}
            for y in years]
    out = pd.DataFrame(rows).reset_index(drop=True)
    planned_years = set(targets["year"]) | set(communities["batch_year"])
    has_previous = out["year"].sub(1).isin(planned_years)
    out[["completed", "accepted"]] = out[["completed", "accepted"]].where(has_previous, axis=0)
    return out[["year", *COUNTS, *TARGETS]]


# -- headline cards ----------------------------------------------------------------------

@dataclass(frozen=True)
class Card:
    label: str
    value: str
    delta: str | None
    delta_description: str | None
    help: str


def fmt_communities(n: float, lang: str) -> str:
    if pd.isna(n):
        return "–"
    return fmt_number(n, lang) + ("" if lang == "en" else "个")


def fmt_households_short(n: float, lang: str) -> str:
    """18.7万户 in Chinese; the bare number in English (the card's label names the unit)."""
    if lang == "zh" or pd.isna(n):
        return fmt_households(n, lang)
    return fmt_number(n, lang)


FORMATS: dict[str, Callable[[float, str], str]] = {
    "count": fmt_communities, "households": fmt_households_short, "money": fmt_money_wan,
}

# measure, what it is compared with, format, label key, 'vs' key
CARD_SPECS = (
    ("started", "started_target", "count", "progress_card_started", "progress_vs_target"),
    ("completed", "completed_target", "count", "progress_card_completed", "progress_vs_target"),
    ("accepted", None, "count", "progress_card_accepted", None),
    ("households", "households_target", "households", "progress_card_households",
     "progress_vs_target"),
    ("planned_investment_wan", "investment_target_wan", "money",
     "progress_card_planned_investment", "progress_vs_target"),
    ("completed_investment_wan", "planned_investment_wan", "money",
     "progress_card_completed_investment", "progress_vs_plan"),
)


def signed(fmt: Callable[[float, str], str], diff: float, lang: str) -> str:
    """'+9个' / '-1.1万户': a sign, then the usual format of the absolute difference."""
    return ("-" if diff < 0 else "+") + fmt(abs(diff), lang)


def _card(row: pd.Series, spec: tuple, lang: str, help_text: str) -> Card:
    measure, against, kind, label, vs = spec
    fmt = FORMATS[kind]
    value = row[measure]
    target = row[against] if against else np.nan
    if pd.isna(target):
        note = "" if against is None else " · " + t("progress_target_unpublished", lang)
        return Card(t(label, lang), fmt(value, lang), None, None, help_text + note)
    description = t(vs, lang).format(target=fmt(target, lang))
    return Card(t(label, lang), fmt(value, lang), signed(fmt, value - target, lang),
                description, help_text)


def headline_cards(row: pd.Series, year: int, lang: str, cumulative: bool = False,
                   first_year: int | None = None) -> list[Card]:
    """The six headline numbers of a region, each against its target where one exists."""
    suffix = "_cum" if cumulative else ""
    words = {"year": year, "prev": year - 1, "first": first_year or year}
    specs = [
        # Plans are for starts: cumulative completions have nothing to be compared with.
        (spec[0], None, *spec[2:4], None) if cumulative and spec[0] == "completed" else spec
        for spec in CARD_SPECS
    ]
    return [_card(row, spec, lang, t(f"progress_help_{spec[0]}{suffix}", lang).format(**words))
            for spec in specs]


# -- the city table ----------------------------------------------------------------------

def _scales(lang: str) -> tuple[float, float]:
    """Divisors for households and money (万元): 万户 and 亿元 in Chinese, units and ¥ m."""
    return (10_000.0, 10_000.0) if lang == "zh" else (1.0, 100.0)


def _rate(actual: pd.Series, target: pd.Series) -> pd.Series:
    return (100 * actual / target.where(target > 0)).round(1)


def city_table(progress: pd.DataFrame, lang: str, level: str = "city") -> pd.DataFrame:
    """The cities (or, with level="county", the counties after their city's name) in code
    order with labelled columns; target columns with no data left out."""
    c = progress[progress["level"] == level].sort_values("unit_code").reset_index(drop=True)
    hh, money = _scales(lang)
    digits, mdigits = (2, 2) if lang == "zh" else (0, 1)
    columns = {
        "progress_col_city": c["name"],
        "progress_col_started": c["started"].astype(int),
        "progress_col_started_target": c["started_target"],
        "progress_col_start_rate": _rate(c["started"], c["started_target"]),
        "progress_col_completed": c["completed"].astype(int),
        "progress_col_completed_target": c["completed_target"],
        "progress_col_completion_rate": _rate(c["completed"], c["completed_target"]),
        "progress_col_accepted": c["accepted"].astype(int),
        "progress_col_households": (c["households"] / hh).round(digits),
        "progress_col_households_target": (c["households_target"] / hh).round(digits),
        "progress_col_planned_investment": (c["planned_investment_wan"] / money).round(mdigits),
        "progress_col_completed_investment": (c["completed_investment_wan"] / money)
        .round(mdigits),
        "progress_col_investment_target": (c["investment_target_wan"] / money).round(mdigits),
    }
    kept = {t(k, lang): v for k, v in columns.items() if not v.isna().all()}
    out = pd.DataFrame(kept)
    if level == "county":
        cities = progress.set_index("unit_code")["name"]
        out = out.rename(columns={t("progress_col_city", lang): t("progress_col_county", lang)})
        out.insert(0, t("progress_col_city", lang), c["parent_code"].map(cities).to_numpy())
    return out


# -- community points --------------------------------------------------------------------

def community_points(communities: pd.DataFrame, regions: pd.DataFrame, year: int,
                     lang: str) -> pd.DataFrame:
    """Communities of the plans up to `year` that had started by its year end.

    Columns: county_code, city_code, lon, lat, status (as of year end), colour, tip.
    """
    c = communities[communities["batch_year"] <= year]
    status = status_as_of(c, year)
    c, status = c[status != "planned"], status[status != "planned"]
    names = regions.set_index("code")
    out = pd.DataFrame({
        "county_code": c["county_code"], "city_code": c["county_code"].map(names["parent_code"]),
        "lon": c["lon"].round(5), "lat": c["lat"].round(5), "status": status,
        "colour": status.map(lambda s: list(STATUS_COLOURS[s])),
    })
    out["tip"] = _point_tips(c, status, names["name"], lang)
    return out.reset_index(drop=True)


def _point_tips(c: pd.DataFrame, status: pd.Series, names: pd.Series, lang: str) -> list[str]:
    county = c["county_code"].map(names)
    batch = [t("progress_batch", lang).format(year=y) for y in c["batch_year"]]
    return [
        f"{name}\n{cty} · {b} · {t(s, lang)}\n{fmt_households(float(h), lang)}"
        for name, cty, b, s, h in zip(c["name"], county, batch, status, c["households"],
                                      strict=True)
    ]


def status_legend(lang: str) -> str:
    """'▲ 已开工 · ■ 已完工 · ● 已验收' for captions: the maps' marker shapes."""
    return " · ".join(f"{sw} {t(s, lang)}" for s, sw in STATUS_SWATCHES.items())


# -- the charts' text alternatives ---------------------------------------------------------

def map_table(points: pd.DataFrame, regions: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The small map as a table: per city, the communities it shows by status (and all)."""
    names = regions.set_index("code")["name"]
    counts = pd.crosstab(points["city_code"], points["status"]).reindex(
        columns=list(STATUS_COLOURS), fill_value=0)
    out = pd.DataFrame({t("progress_col_city", lang): counts.index.map(names)})
    for status in STATUS_COLOURS:
        out[f"{STATUS_SWATCHES[status]} {t(status, lang)}"] = counts[status].to_numpy()
    out[t("pf_count", lang)] = counts.sum(axis=1).to_numpy()
    return out


def trend_table(trend: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The trend chart as a table: one row per year, the counts and targets it draws."""
    columns = {"pf_year": "year", "progress_started": "started", "progress_plan": "started_target",
               "progress_completed": "completed", "progress_households": "households",
               "progress_households_target": "households_target"}
    return pd.DataFrame({t(k, lang): trend[c] for k, c in columns.items()})
