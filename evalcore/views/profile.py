"""Unit profile: one city or county in one round, shaped for the page and the printed report.

`ProfileData` holds the unit's slices of the cached engine frames; every display function
below is pure and takes it (plus the language), so the page and the report show the same
numbers. Unit names stay Chinese in both languages (official names).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from evalcore.labels import fmt_households, fmt_money_wan, t
from evalcore.rubric import EPS, Rubric
from evalcore.views.common import change_mark, dimension_labels, grade_badges, rank_arrow
from evalcore.vocab import COMMUNITY_STATUSES, LEVELS, STAGES

STAGE_VIEWS = (*STAGES, "final")  # the stage table's columns: the process, then its result
COMMUNITY_COLUMNS = ["name", "county_code", "batch_year", "status", "households",
                     "planned_investment_wan", "completed_investment_wan", "lon", "lat"]


@dataclass(frozen=True)
class ProfileData:
    """One unit's round: peer boards per stage, peer indicators and the unit's own rows."""

    unit: pd.Series              # regions row: code, name, short_name, level, parent_code
    year: int
    rubric: Rubric
    boards: dict[str, pd.DataFrame]   # stage view → the peer leaderboard (province-wide)
    indicators: pd.DataFrame     # peer indicator table (long), for the peer median
    bonus: pd.DataFrame          # the unit's bonus_report rows
    cases: pd.DataFrame          # the unit's bonus claim rows (all stages)
    deductions: pd.DataFrame     # the unit's deduction rows (engine) with reasons
    history: pd.DataFrame        # the unit's rank history: year, rank, total, grade, its
                                 # round's grade names and rubric_version (Reader.rank_history)
    communities: pd.DataFrame    # the unit's communities
    city_rank: tuple[int, int] | None = None   # a county's (rank, peers) within its city
    rubrics: dict[str, Rubric] = field(default_factory=dict)  # version → rubric, for history

    @property
    def code(self) -> str:
        return str(self.unit["code"])

    def row(self, stage: str = "final") -> pd.Series:
        board = self.boards[stage]
        return board.loc[board["unit_code"] == self.code].iloc[0]


# -- choosing the unit --------------------------------------------------------------------

def unit_options(regions: pd.DataFrame) -> list[str]:
    """Cities and counties by code, so each city comes just before its counties."""
    units = regions[regions["level"].isin(LEVELS)]
    return sorted(units["code"].astype(str))


def unit_labels(regions: pd.DataFrame, lang: str) -> dict[str, str]:
    """code → '西湖区（杭州市）' for a county, '杭州市' for a city; the code added in English."""
    units = regions[regions["level"].isin(LEVELS)]
    names = dict(zip(regions["code"], regions["name"], strict=True))
    out = {}
    for code, level, parent in zip(units["code"], units["level"], units["parent_code"],
                                   strict=True):
        text = names[code]
        if level == "county":
            text += f" · {names[parent]}" if lang == "en" else f"（{names[parent]}）"
        out[code] = f"{text} · {code}" if lang == "en" else text
    return out


def unit_label(regions: pd.DataFrame, code: str, lang: str) -> str:
    return unit_labels(regions, lang)[code]


def unit_communities(communities: pd.DataFrame, regions: pd.DataFrame, code: str) -> pd.DataFrame:
    """A county's communities, or those of every county of a city."""
    counties = regions.loc[regions["parent_code"] == code, "code"]
    mask = communities["county_code"].eq(code) | communities["county_code"].isin(counties)
    return communities.loc[mask].reset_index(drop=True)


def deductions_with_reasons(
    rows: pd.DataFrame, recorded: pd.DataFrame, code: str
) -> pd.DataFrame:
    """The engine's deduction rows of one unit (clipped points, veto, automatic) with the
    recorded reason: the n-th recorded row of a code matches the n-th engine row of it."""
    own = rows.loc[rows["unit_code"] == code].copy()
    own["nth"] = own.groupby(["code", "automatic"]).cumcount()
    mine = recorded.loc[recorded["unit_code"] == code, ["code", "reason"]].copy()
    mine["nth"] = mine.groupby("code").cumcount()
    mine["automatic"] = False
    out = own.merge(mine, on=["code", "automatic", "nth"], how="left")
    return out.drop(columns="nth")


def assemble(
    code: str, year: int, rubric: Rubric, regions: pd.DataFrame, peers: dict[str, pd.DataFrame],
    frames: dict[str, pd.DataFrame], city_board: pd.DataFrame | None = None,
    rubrics: dict[str, Rubric] | None = None,
) -> ProfileData:
    """Cut the unit's rows out of the peer frames. `frames` holds the engine's indicators,
    bonus (bonus_report), claims, deductions (deduction_report), reasons (the recorded
    deductions), history (rank_history) and communities, as the cached loaders return them;
    `rubrics` the rubric of each version in the history (the round's own at least)."""
    unit = regions.set_index("code").loc[code].copy()
    unit["code"] = code
    city_rank = None
    if city_board is not None:
        own = city_board.loc[city_board["unit_code"] == code, "rank"]
        city_rank = (int(own.iloc[0]), len(city_board))
    mine = {k: f.loc[f["unit_code"] == code].reset_index(drop=True)
            for k, f in frames.items() if k in ("bonus", "claims", "history")}
    # History up to the round shown: a 2021 profile does not know 2022.
    mine["history"] = mine["history"].loc[mine["history"]["year"] <= year]
    return ProfileData(
        unit=unit, year=year, rubric=rubric, boards=peers, indicators=frames["indicators"],
        bonus=mine["bonus"], cases=mine["claims"],
        deductions=deductions_with_reasons(frames["deductions"], frames["reasons"], code),
        history=mine["history"],
        communities=unit_communities(frames["communities"], regions, code)[COMMUNITY_COLUMNS],
        city_rank=city_rank, rubrics={rubric.id: rubric, **(rubrics or {})},
    )


# -- headline ------------------------------------------------------------------------------

@dataclass(frozen=True)
class Headline:
    total: float
    rank: int
    peers: int
    grade: str
    vetoed: bool
    rank_change: int | None
    total_change: float | None
    change_comparable: bool = True  # the previous round used the same rubric


def _missing(value) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and value != value)


def _number(value) -> float:
    """A board value as a float; NaN where it is withheld (access.mask_stage_board)."""
    return float("nan") if _missing(value) else float(value)


def headline(data: ProfileData) -> Headline:
    row = data.row("final")
    return Headline(
        total=round(float(row["total"]), 2),
        rank=int(row["rank"]),
        peers=len(data.boards["final"]),
        grade=str(row["grade"]),
        vetoed=bool(row["vetoed"]),
        rank_change=None if _missing(row["rank_change"]) else int(row["rank_change"]),
        total_change=(None if _missing(row["total_change"])
                      else round(float(row["total_change"]), 2)),
        change_comparable=bool(row.get("change_comparable", True)),
    )


def grade_text(data: ProfileData, grade: str, lang: str, badge: bool = True) -> str:
    names = {g.code: g.name(lang) for g in data.rubric.grades}
    return grade_badges(data.rubric, lang)[grade] if badge else names[grade]


def rank_fraction(rank: int, peers: int) -> str:
    return f"{rank} / {peers}"


def rank_text(rank: int, peers: int, lang: str) -> str:
    return t("pf_rank_of", lang).format(rank=rank, n=peers)


def change_text(head: Headline, lang: str) -> str:
    """'名次▲2，总分+1.35' against the previous round, or a plain 'no previous round'; marked
    '（评分标准不同）' when that round used another rubric."""
    if head.rank_change is None:
        return t("pf_no_previous", lang)
    rank = (t("pf_rank_same", lang) if head.rank_change == 0
            else t("pf_rank_moved", lang).format(arrow=rank_arrow(head.rank_change)))
    text = t("pf_change", lang).format(rank=rank, total=f"{head.total_change:+.2f}")
    return text + change_mark(head.change_comparable, lang)


def delta_text(change: float | int | None, comparable: bool, lang: str,
               digits: int = 0) -> float | int | str | None:
    """A metric's delta: the change as it is, or, against another rubric's round, as text
    with the mark beside it (its sign still says up or down)."""
    if change is None or comparable:
        return change
    return f"{change:+.{digits}f}{change_mark(False, lang)}"


def headline_facts(data: ProfileData, lang: str) -> list[tuple[str, str]]:
    """Label → text pairs for the report's headline box."""
    head = headline(data)
    facts = [
        (t("total", lang), f"{head.total:.2f}"),
        (t("rank", lang), rank_text(head.rank, head.peers, lang)),
        (t("grade", lang), grade_text(data, head.grade, lang, badge=False)
         + (f" · {t('vetoed', lang)}" if head.vetoed else "")),
        (t("pf_vs_last", lang), change_text(head, lang)),
    ]
    if data.city_rank:
        facts.append((t("pf_rank_in_city", lang), rank_text(*data.city_rank, lang)))
    return facts


# -- scores by stage -----------------------------------------------------------------------

def stage_points(data: ProfileData) -> pd.DataFrame:
    """Long: dimension_code, stage, points (the engine's subtotals of each stage view)."""
    dims = [d.code for d in data.rubric.dimensions]
    rows = [(d, s, _number(row[d])) for s in STAGE_VIEWS for row in [data.row(s)] for d in dims]
    return pd.DataFrame(rows, columns=["dimension_code", "stage", "points"])


def stage_caption(data: ProfileData, lang: str) -> str:
    """The stage chart's caption, saying how the round's rubric makes the final score."""
    rec = data.rubric.reconciliation
    if rec.method == "blend":
        weights = join_list([f"{t(s, lang)} {w:.0%}" for s, w in rec.weights.items()], lang)
        final = t("pf_final_blend", lang).format(weights=weights)
    else:
        final = t("pf_final_verifying", lang)
    return t("pf_stage_caption", lang).format(final=final)


def stage_table(data: ProfileData, lang: str) -> pd.DataFrame:
    """Rows: each dimension, bonus, deductions, total; columns: max and the four views."""
    rubric = data.rubric
    items = [*dimension_labels(rubric, lang).items(), ("bonus", t("bonus", lang)),
             ("deductions", t("deductions", lang)), ("total", t("total", lang))]
    maxima = {d.code: d.max for d in rubric.dimensions}
    maxima |= {"bonus": rubric.bonus.total_cap, "deductions": -rubric.deductions.total_cap,
               "total": rubric.max_total}
    out = pd.DataFrame({t("pf_item", lang): [label for _, label in items],
                        t("pf_max", lang): [float(maxima[c]) for c, _ in items]})
    for stage in STAGE_VIEWS:
        row = data.row(stage)
        # Deductions shown as negative points; 0.0, not -0.0, when there are none.
        # Withheld values (another unit's internal stage detail) stay empty.
        out[t(stage, lang)] = [round(-_number(row[c]) if c == "deductions" else _number(row[c]),
                                     2) + 0.0 for c, _ in items]
    return out


# -- bonus and deductions ------------------------------------------------------------------

def join_list(items: list[str], lang: str) -> str:
    """'甲、乙' in Chinese, 'a, b' in English."""
    return (", " if lang == "en" else "、").join(items)


def _cap_text(row: pd.Series, lang: str) -> str:
    flags = [t("pf_group_cap", lang)] if row["group_cap_reached"] else []
    return join_list(flags + ([t("pf_total_cap", lang)] if row["total_cap_reached"] else []),
                     lang)


def bonus_total_text(data: ProfileData, lang: str) -> str:
    """'加分合计（封顶后）：5分' from the engine's bonus after caps."""
    return t("pf_bonus_total", lang).format(x=f"{float(data.row()['bonus']):g}")


def bullet_markdown(heading: str, items: list[str]) -> str:
    """A bold heading and a bullet list (texts from the rubric and labels, not user input)."""
    return f"**{heading}**\n\n" + "\n".join(f"- {item}" for item in items)


def bonus_table(data: ProfileData, lang: str) -> pd.DataFrame:
    """One row per bonus category of the rubric: claimed, awarded, rejected, caps reached."""
    cats = {c.code: c for c in data.rubric.bonus.categories}
    groups = {g.code: g for g in data.rubric.bonus.groups}
    b = data.bonus
    return pd.DataFrame({
        t("pf_category", lang): [f"{c} {cats[c].name(lang)}" for c in b["category_code"]],
        t("pf_group", lang): [groups[g].name(lang) for g in b["group_code"]],
        t("pf_claimed", lang): b["claimed"].round(2).to_numpy(),
        t("pf_awarded", lang): b["awarded"].round(2).to_numpy(),
        t("pf_rejected", lang): b["rejected"].round(2).to_numpy(),
        t("pf_cap", lang): [_cap_text(r, lang) for _, r in b.iterrows()],
    })


def case_table(data: ProfileData, lang: str) -> pd.DataFrame:
    """The unit's bonus cases: the claim (self stage) and the verifying stage's award."""
    stage_of = {c.code: c.stage for c in data.rubric.bonus.categories}
    cases = data.cases
    claims = cases.loc[cases["stage"] == "self"]
    verdict = cases.loc[cases["stage"] == cases["category_code"].map(stage_of)]
    key = ["category_code", "case_no"]
    merged = claims.merge(verdict[[*key, "points_awarded"]], on=key, how="left",
                          suffixes=("_self", ""))
    awarded = [t("pf_pending", lang) if pd.isna(p) else f"{p:g}" for p in merged["points_awarded"]]
    names = {c.code: c.name(lang) for c in data.rubric.bonus.categories}
    return pd.DataFrame({
        t("pf_category", lang): [f"{c} {names[c]}" for c in merged["category_code"]],
        t("pf_case_title", lang): merged["case_title"].to_numpy(),
        t("pf_case_description", lang): merged["case_description"].to_numpy(),
        t("pf_claimed", lang): merged["points_claimed"].to_numpy(),
        t("pf_awarded", lang): awarded,
    })


def _penalty_names(rubric: Rubric, lang: str) -> dict[str, str]:
    return {p.code: p.name(lang) for p in [*rubric.deductions.items, *rubric.vetoes]}


def deduction_table(data: ProfileData, lang: str) -> pd.DataFrame:
    """Each deduction or veto row: item, points (as scored), reason (automatic ones explained)."""
    names = _penalty_names(data.rubric, lang)
    rows = data.deductions
    auto = t("pf_auto_reason", lang).format(n=data.rubric.credibility.min_inflated)
    reasons = [auto if a else ("" if pd.isna(r) else str(r))
               for a, r in zip(rows["automatic"], rows["reason"], strict=True)]
    return pd.DataFrame({
        t("pf_deduction_item", lang): [f"{c} {names[c]}" for c in rows["code"]],
        t("pf_points", lang): rows["points"].round(2).to_numpy(),
        t("vetoed", lang): ["⛔" if v else "" for v in rows["veto"]],
        t("pf_reason", lang): reasons,
    })


def veto_text(data: ProfileData, lang: str) -> str | None:
    names = _penalty_names(data.rubric, lang)
    vetoes = data.deductions.loc[data.deductions["veto"].astype(bool), "code"]
    if vetoes.empty:
        return None
    return t("pf_veto", lang).format(items=join_list([names[c] for c in vetoes], lang))


# -- history -------------------------------------------------------------------------------

def history_grades(data: ProfileData, lang: str, badge: bool = True) -> list[str]:
    """Each history row's grade as its own round named it: the badge of that round's rubric
    when asked for and known, else the grade name the row carries."""
    h = data.history.sort_values("year")
    out = []
    for grade, version, name in zip(h["grade"], h["rubric_version"], h[f"grade_name_{lang}"],
                                    strict=True):
        rubric = data.rubrics.get(version)
        out.append(grade_badges(rubric, lang)[grade] if badge and rubric else str(name))
    return out


def history_table(
    data: ProfileData, lang: str, drafts: set[int], badge: bool = True
) -> pd.DataFrame:
    """One row per round: year (draft marked), rank, total, grade, rubric version (each from
    its own round)."""
    h = data.history.sort_values("year")
    years = [f"{y}" + (f" · {t('draft', lang)}" if y in drafts else "") for y in h["year"]]
    return pd.DataFrame({
        t("pf_year", lang): years,
        t("rank", lang): h["rank"].astype(int).to_numpy(),
        t("total", lang): h["total"].round(2).to_numpy(),
        t("grade", lang): history_grades(data, lang, badge),
        t("rubric_version", lang): h["rubric_version"].astype(str).to_numpy(),
    })


def history_note(data: ProfileData, lang: str) -> str | None:
    """When the history spans rounds scored with different rubrics: which rounds used which,
    and that their totals are not directly comparable."""
    h = data.history.sort_values("year")
    if h["rubric_version"].nunique() < 2:
        return None
    spans = [f"{years[0]}–{years[-1]} {version}" if len(years) > 1 else f"{years[0]} {version}"
             for version, years in _runs(h["year"].astype(int), h["rubric_version"])]
    return t("pf_history_rubrics", lang).format(spans=join_list(spans, lang))


def history_caption(data: ProfileData, lang: str) -> str:
    """The history chart's caption, with history_note when the rubrics differ."""
    note = history_note(data, lang)
    caption = t("pf_history_caption", lang)
    return caption if note is None else caption + (". " if lang == "en" else "；") + note


def _runs(years: pd.Series, versions: pd.Series) -> list[tuple[str, list[int]]]:
    """Consecutive rounds on one rubric: [(version, [years…]), …] in year order."""
    runs: list[tuple[str, list[int]]] = []
    for year, version in zip(years, versions.astype(str), strict=True):
        if runs and runs[-1][0] == version:
            runs[-1][1].append(int(year))
        else:
            runs.append((version, [int(year)]))
    return runs


# -- strengths and weaknesses --------------------------------------------------------------

def indicator_gaps(data: ProfileData) -> pd.DataFrame:
    """Per indicator: own points, peer median, diff = own − median and diff as share of max."""
    ind = data.indicators
    median = ind.groupby("indicator_code")["points"].median()
    own = ind.loc[ind["unit_code"] == data.code].set_index("indicator_code")
    out = own[["max_points"]].assign(own=own["points"], median=median.reindex(own.index))
    out["diff"] = out["own"] - out["median"]
    out["share"] = out["diff"] / out["max_points"]
    return out.reset_index()


def _sentence(row: pd.Series, rubric: Rubric, key: str, lang: str) -> str:
    return t(key, lang).format(
        code=row["indicator_code"], name=rubric.indicator(row["indicator_code"]).name(lang),
        own=f"{row['own']:.2f}".rstrip("0").rstrip("."), max=f"{row['max_points']:g}",
        diff=f"{abs(row['diff']):.2f}".rstrip("0").rstrip("."))


def strengths_weaknesses(data: ProfileData, lang: str, n: int = 3) -> tuple[list[str], list[str]]:
    """Plain sentences: the n indicators farthest above and below the peer median."""
    gaps = indicator_gaps(data).sort_values(["share", "indicator_code"], ascending=[False, True])
    above = gaps.loc[gaps["diff"] > EPS].head(n)
    below = gaps.loc[gaps["diff"] < -EPS].sort_values("share", kind="stable").head(n)
    return (
        [_sentence(r, data.rubric, "pf_above", lang) for _, r in above.iterrows()]
        or [t("pf_none_above", lang)],
        [_sentence(r, data.rubric, "pf_below", lang) for _, r in below.iterrows()]
        or [t("pf_none_below", lang)],
    )


# -- communities ---------------------------------------------------------------------------

def community_table(data: ProfileData, regions: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Name, county, batch, status, households, investment; by batch then name."""
    names = regions.set_index("code")["name"]
    c = data.communities.sort_values(["batch_year", "name"], kind="stable")
    return pd.DataFrame({
        t("pf_community", lang): c["name"].to_numpy(),
        t("pf_county", lang): c["county_code"].map(names).to_numpy(),
        t("pf_batch", lang): c["batch_year"].astype(int).to_numpy(),
        t("pf_status", lang): [t(s, lang) for s in c["status"]],
        t("households", lang): c["households"].astype(int).to_numpy(),
        t("pf_planned_wan", lang): c["planned_investment_wan"].round(1).to_numpy(),
        t("pf_completed_wan", lang): c["completed_investment_wan"].round(1).to_numpy(),
    })


def community_summary(data: ProfileData, lang: str) -> pd.DataFrame:
    """Per status (in process order): communities, households, planned investment."""
    c = data.communities
    grouped = c.groupby("status").agg(n=("name", "size"), hh=("households", "sum"),
                                      inv=("planned_investment_wan", "sum"))
    grouped = grouped.reindex([s for s in COMMUNITY_STATUSES if s in grouped.index])
    return pd.DataFrame({
        t("pf_status", lang): [t(s, lang) for s in grouped.index],
        t("pf_count", lang): grouped["n"].astype(int).to_numpy(),
        t("households", lang): [fmt_households(float(v), lang) for v in grouped["hh"]],
        t("planned_investment", lang): [fmt_money_wan(float(v), lang) for v in grouped["inv"]],
    })


def community_sentence(data: ProfileData, lang: str) -> str:
    c = data.communities
    return t("pf_community_total", lang).format(
        n=len(c), hh=fmt_households(float(c["households"].sum()), lang),
        inv=fmt_money_wan(float(c["planned_investment_wan"].sum()), lang))


def history_points(data: ProfileData, lang: str) -> pd.DataFrame:
    """year, rank, grade_label (plain grade name, as its round named it) for the rank-history
    chart."""
    h = data.history.sort_values("year")
    return pd.DataFrame({"year": h["year"].astype(int).to_numpy(),
                         "rank": h["rank"].astype(int).to_numpy(),
                         "grade_label": history_grades(data, lang, badge=False)})


def default_unit(regions: pd.DataFrame, level: str) -> str:
    """The first unit of the sidebar's level, when the URL names none."""
    return str(regions.loc[regions["level"] == level, "code"].sort_values().iloc[0])
