"""The annual notice (通报): what the province publishes after a round, built from the data.

`build_notice(reader, year, lang)` returns a `Notice`: a title, the issuing body and number
placeholders, the addressees, and sections (the round in numbers, the city ranking, counties
by grade band with vetoes named, typical practices from accepted bonus cases, problems and
their rectification, a closing text). Every paragraph can be replaced before export
(`Notice.edited`). Rendering to DOCX and PDF is in evalcore/notice_render.py. No Streamlit.

Which rounds: a notice is for a published round. A draft round is refused (`NoticeRefused`)
unless `draft=True` and the viewer may read every unit's results of drafts (leaders and
administrators): then every page carries a 草稿 mark. A round without scores is refused too.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import pandas as pd

from evalcore.access import Viewer, scope
from evalcore.labels import fmt_households, fmt_money_wan, fmt_number, fmt_pct, t
from evalcore.messages import Message, MessageError
from evalcore.reader import Reader
from evalcore.rubric import Rubric
from evalcore.views import bonus as bonus_view
from evalcore.views.progress import province_row

MAX_PRACTICES = 12  # typical practices listed: the best-scored accepted cases, one per unit


class NoticeRefused(MessageError):
    """The notice cannot be made for that round (a draft, no scores, unknown): says why."""


@dataclass(frozen=True)
class NoticeSection:
    key: str  # stable id of the section (for edits): numbers, cities, counties, ...
    heading: str
    paragraphs: tuple[str, ...] = ()
    table: pd.DataFrame | None = field(default=None, compare=False)


@dataclass(frozen=True)
class Notice:
    year: int
    lang: str
    issuer: str
    number: str
    title: str
    addressees: str
    opening: str
    sections: tuple[NoticeSection, ...]
    signature: str
    date_text: str
    demo_mark: str | None = None  # 示例数据 on every page
    draft_mark: str | None = None  # 草稿 on every page (a draft round, leaders and admins)

    @property
    def marks(self) -> str:
        return " · ".join(m for m in (self.draft_mark, self.demo_mark) if m)

    def section(self, key: str) -> NoticeSection:
        return next(s for s in self.sections if s.key == key)

    def edited(self, texts: dict[str, str]) -> Notice:
        """The notice with some texts replaced: "opening", "closing" or a section's key, each
        a text whose lines are its paragraphs (blank lines dropped)."""
        def lines(text: str) -> tuple[str, ...]:
            return tuple(line.strip() for line in text.splitlines() if line.strip())

        sections = tuple(replace(s, paragraphs=lines(texts[s.key])) if s.key in texts else s
                         for s in self.sections)
        opening = " ".join(lines(texts["opening"])) if "opening" in texts else self.opening
        return replace(self, sections=sections, opening=opening)


# -- which rounds ---------------------------------------------------------------------------

def check_round(reader: Reader, year: int, draft: bool) -> bool:
    """Whether the round is a draft; NoticeRefused when the notice may not be made."""
    rounds = reader.rounds()
    row = rounds.loc[rounds["year"] == year]
    if row.empty:
        raise NoticeRefused(Message("notice_no_round", {"year": year}))
    published = bool(row["published"].iloc[0])
    if not published and not (draft and may_draft(reader.viewer)):
        raise NoticeRefused(Message("notice_draft_refused", {"year": year}))
    if not has_scores(reader, year):
        raise NoticeRefused(Message("notice_no_scores", {"year": year}))
    return not published


def may_draft(viewer: Viewer) -> bool:
    """A draft round's notice (marked 草稿) is for viewers who read every unit's drafts."""
    return scope(viewer, "read", "results", published=False) == "all"


def has_scores(reader: Reader, year: int) -> bool:
    return not reader.store.score_points(year, reader.viewer).empty


# -- building -------------------------------------------------------------------------------

def build_notice(reader: Reader, year: int, lang: str = "zh", draft: bool = False) -> Notice:
    """The notice of one round, as the data says it (NoticeRefused when it cannot be made)."""
    is_draft = check_round(reader, year, draft)
    inputs = reader.round_inputs(year)
    cities = reader.board(year, "city", "final", None)
    counties = reader.board(year, "county", "final", None)
    sections = (
        numbers_section(reader, year, lang),
        cities_section(cities, inputs.rubric, lang),
        counties_section(counties, inputs.rubric, reader.deduction_report(year, "county", None),
                         lang),
        practices_section(inputs.bonus_claims, inputs.rubric, counties, cities, lang),
        problems_section(reader.problems(year), lang),
        NoticeSection("closing", t("nt_closing_heading", lang), (t("nt_closing_text", lang),)),
    )
    return Notice(
        year=year, lang=lang, issuer=t("nt_issuer", lang),
        number=t("nt_number", lang).format(next=year + 1), title=t("nt_title", lang).format(
            year=year), addressees=t("nt_addressees", lang),
        opening=t("nt_opening", lang).format(year=year), sections=sections,
        signature=t("nt_issuer", lang), date_text=t("nt_date", lang).format(next=year + 1),
        demo_mark=t("demo_badge", lang) if reader.store.is_demo() else None,
        draft_mark=t("nt_draft_mark", lang) if is_draft else None,
    )


def numbers_section(reader: Reader, year: int, lang: str) -> NoticeSection:
    """The round in numbers: starts, households, investment, completions against targets."""
    p = province_row(reader.progress(year))
    texts = [t("nt_numbers_starts", lang).format(
        started=fmt_number(p["started"], lang), target=fmt_number(p["started_target"], lang),
        rate=_rate(p["started"], p["started_target"], lang))]
    texts.append(t("nt_numbers_households", lang).format(
        households=fmt_households(p["households"], lang),
        target=fmt_households(p["households_target"], lang),
        rate=_rate(p["households"], p["households_target"], lang)))
    invest = t("nt_numbers_investment", lang).format(
        planned=fmt_money_wan(p["planned_investment_wan"], lang),
        completed=fmt_money_wan(p["completed_investment_wan"], lang),
        rate=_rate(p["completed_investment_wan"], p["planned_investment_wan"], lang))
    if pd.notna(p["investment_target_wan"]) and p["investment_target_wan"] > 0:
        invest += t("nt_numbers_investment_target", lang).format(
            target=fmt_money_wan(p["investment_target_wan"], lang),
            rate=_rate(p["planned_investment_wan"], p["investment_target_wan"], lang))
    texts.append(invest + ("." if lang == "en" else "。"))
    if pd.notna(p["completed_target"]) and p["completed_target"] > 0:
        texts.append(t("nt_numbers_completed", lang).format(
            completed=fmt_number(p["completed"], lang),
            target=fmt_number(p["completed_target"], lang),
            rate=_rate(p["completed"], p["completed_target"], lang)))
    return NoticeSection("numbers", t("nt_numbers_heading", lang), tuple(texts))


def _rate(value: float, target: float, lang: str) -> str:
    if pd.isna(value) or pd.isna(target) or not target:
        return "–"
    return fmt_pct(float(value) / float(target), lang)


def cities_section(board: pd.DataFrame, rubric: Rubric, lang: str) -> NoticeSection:
    """The city ranking: rank, city, total, grade (plain words: the document has no badges)."""
    table = city_table(board, rubric, lang)
    first = board.iloc[0]
    text = t("nt_cities_text", lang).format(n=len(board), first=_name(first, lang),
                                             total=f"{first['total']:.2f}")
    return NoticeSection("cities", t("nt_cities_heading", lang), (text,), table)


def city_table(board: pd.DataFrame, rubric: Rubric, lang: str) -> pd.DataFrame:
    dims = {d.code: d.name(lang) for d in rubric.dimensions}
    out = pd.DataFrame({
        t("rank", lang): board["rank"].astype(int).to_numpy(),
        t("nt_city", lang): [_name(r, lang) for _, r in board.iterrows()],
        t("total", lang): board["total"].round(2).to_numpy(),
        t("grade", lang): grade_words(board, rubric, lang).to_numpy(),
    })
    for code, name in dims.items():
        out[name] = board[code].round(2).to_numpy()
    return out


def grade_words(board: pd.DataFrame, rubric: Rubric, lang: str) -> pd.Series:
    names = {g.code: g.name(lang) for g in rubric.grades}
    return board["grade"].map(names)


def _name(row: pd.Series, lang: str) -> str:
    return str(row["unit_name"]) if lang != "en" else f"{row['unit_name']} ({row['unit_code']})"


def grade_bands(board: pd.DataFrame, rubric: Rubric) -> list[tuple[str, list[str]]]:
    """(grade code, unit codes in rank order) for every band of the rubric, best first."""
    ordered = sorted(rubric.grades, key=lambda g: -g.min)
    return [(g.code, board.loc[board["grade"] == g.code, "unit_code"].tolist()) for g in ordered]


def counties_section(board: pd.DataFrame, rubric: Rubric, deductions: pd.DataFrame,
                     lang: str) -> NoticeSection:
    """Counties listed by grade band (best first), and the vetoed ones named with the item."""
    names = dict(zip(board["unit_code"], board["unit_name"], strict=True))
    sep = "、" if lang != "en" else ", "
    texts = []
    for code, units in grade_bands(board, rubric):
        grade = next(g for g in rubric.grades if g.code == code)
        listed = sep.join(names[u] for u in units) if units else t("nt_none", lang)
        texts.append(t("nt_band", lang).format(grade=grade.name(lang), n=len(units),
                                               units=listed))
    vetoes = {v.code: v.name(lang) for v in rubric.vetoes}
    vetoed = board.loc[board["vetoed"].astype(bool), "unit_code"]
    for unit in vetoed:
        items = deductions.loc[(deductions["unit_code"] == unit) & deductions["veto"], "code"]
        why = sep.join(vetoes.get(c, c) for c in items) or t("vetoed", lang)
        texts.append(t("nt_veto", lang).format(unit=names[unit], items=why))
    return NoticeSection("counties", t("nt_counties_heading", lang).format(n=len(board)),
                         tuple(texts))


def accepted_cases(claims: pd.DataFrame, rubric: Rubric, board: pd.DataFrame) -> pd.DataFrame:
    """Bonus cases accepted at their category's verifying stage (points_awarded > 0)."""
    cases = bonus_view.cases(claims, rubric, board, "final")
    return cases.loc[cases["status"] == "awarded"].reset_index(drop=True)


def practices_section(claims: pd.DataFrame, rubric: Rubric, counties: pd.DataFrame,
                      cities: pd.DataFrame, lang: str) -> NoticeSection:
    """Typical practices: accepted cases, one per unit (counties first in rank order, then
    cities), categories taking turns, the first MAX_PRACTICES, each 'unit: title (category)'."""
    labels = {c.code: c.name(lang) for c in rubric.bonus.categories}
    names = dict(zip(pd.concat([counties["unit_code"], cities["unit_code"]]),
                     pd.concat([counties["unit_name"], cities["unit_name"]]), strict=True))
    frames = [accepted_cases(claims, rubric, b) for b in (counties, cities)]
    rows = pd.concat(frames, ignore_index=True).drop_duplicates("unit_code")
    # One of each category first, then the next of each: the list shows the range of practice.
    rows = rows.assign(_k=rows.groupby("category_code").cumcount()).sort_values(
        "_k", kind="stable")
    texts = [t("nt_practice", lang).format(unit=names[r["unit_code"]], title=r["case_title"],
                                           category=labels.get(r["category_code"],
                                                               r["category_code"]))
             for _, r in rows.head(MAX_PRACTICES).iterrows()]
    intro = t("nt_practices_intro", lang).format(n=len(rows))
    if not texts:
        return NoticeSection("practices", t("nt_practices_heading", lang),
                             (t("nt_practices_none", lang),))
    return NoticeSection("practices", t("nt_practices_heading", lang), (intro, *texts))


def problems_section(problems: pd.DataFrame, lang: str) -> NoticeSection:
    """Main problems found and their rectification status (Reader.problems). Until the round
    workflow records problems, the table is absent and the section says so."""
    heading = t("nt_problems_heading", lang)
    if problems.empty:
        return NoticeSection("problems", heading, (t("nt_problems_none", lang),))
    status = problems["status"].astype(str) if "status" in problems else pd.Series(dtype=str)
    done = int(status.isin(["rectified", "closed", "done"]).sum())
    summary = t("nt_problems_summary", lang).format(n=len(problems), done=done,
                                                    rate=_rate(done, len(problems), lang))
    listed = [str(d) for d in problems.get("description", pd.Series(dtype=str)).head(10)]
    return NoticeSection("problems", heading, (summary, *listed))
