"""The meeting pack: one document for a leadership meeting, built from the data.

Headline numbers (the notice's), the city leaderboard, the map, where points were lost by
dimension, rank changes, rank uncertainty in plain words, then one page per city. Every chart
is the figure a page shows, made by the same builder (evalcore/figures); evalcore/pack_render.py
turns them into images in one batch and lays out the PDF. No Streamlit, no I/O here.

A pack is for a published round; a draft round only with `draft=True` for viewers who read
every unit's drafts, and then every page is marked 草稿, like the notice.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd
import plotly.graph_objects as go

from evalcore.figures.benchmark import build_radar_figure
from evalcore.figures.criterion import build_lost_heatmap
from evalcore.figures.leaderboard import build_leaderboard_figure
from evalcore.figures.map import build_region_map
from evalcore.figures.methodology import build_interval_figure
from evalcore.figures.progress import build_city_figure
from evalcore.geography import boundaries_geojson, load_boundaries
from evalcore.labels import fmt_number, t
from evalcore.messages import Message, MessageError
from evalcore.notice import city_table, grade_words, has_scores, may_draft, numbers_section
from evalcore.reader import Reader
from evalcore.rubric import Rubric
from evalcore.views import benchmark as bench_view
from evalcore.views import criterion as crit_view
from evalcore.views import map as map_view
from evalcore.views.common import dimension_labels


class PackRefused(MessageError):
    """The pack cannot be made for that round (a draft, no scores, unknown): says why."""


@dataclass(frozen=True)
class PackSection:
    key: str  # numbers, leaderboard, map, dimensions, changes, uncertainty, city-<code>
    heading: str
    paragraphs: tuple[str, ...] = ()
    tables: tuple[pd.DataFrame, ...] = field(default=(), compare=False)
    figure: str | None = None  # a key of Pack.figures, drawn under the text


@dataclass(frozen=True)
class Pack:
    year: int
    lang: str
    title: str
    subtitle: str
    sections: tuple[PackSection, ...]
    figures: dict[str, go.Figure] = field(default_factory=dict, compare=False)
    demo_mark: str | None = None
    draft_mark: str | None = None

    @property
    def marks(self) -> str:
        return " · ".join(m for m in (self.draft_mark, self.demo_mark) if m)

    def section(self, key: str) -> PackSection:
        return next(s for s in self.sections if s.key == key)


class MemoReader(Reader):
    """A plain Reader that keeps its answers for one pack: every city page reads the round's
    inputs and boards again (the app's cached Reader needs no such help)."""

    def __init__(self, reader: Reader) -> None:
        super().__init__(reader.store, reader.viewer)
        self._memo: dict[tuple, object] = {}

    def _keep(self, name: str, *args):
        if (name, *args) not in self._memo:
            self._memo[(name, *args)] = getattr(Reader, name)(self, *args)
        return self._memo[(name, *args)]

    def rounds(self):
        return self._keep("rounds")

    def regions(self):
        return self._keep("regions")

    def communities(self):
        return self._keep("communities")

    def targets(self):
        return self._keep("targets")

    def round_inputs(self, year):
        return self._keep("round_inputs", year)

    def board(self, year, level, stage, within):
        return self._keep("board", year, level, stage, within)

    def progress(self, year, cumulative=False):
        return self._keep("progress", year, cumulative)


def check_round(reader: Reader, year: int, draft: bool) -> bool:
    """Whether the round is a draft; PackRefused when the pack may not be made."""
    rounds = reader.rounds()
    row = rounds.loc[rounds["year"] == year]
    if row.empty:
        raise PackRefused(Message("notice_no_round", {"year": year}))
    published = bool(row["published"].iloc[0])
    if not published and not (draft and may_draft(reader.viewer)):
        raise PackRefused(Message("pack_draft_refused", {"year": year}))
    if not has_scores(reader, year):
        raise PackRefused(Message("pack_no_scores", {"year": year}))
    return not published


def build_pack(reader: Reader, year: int, lang: str = "zh", draft: bool = False) -> Pack:
    """The pack of one round (PackRefused when it cannot be made)."""
    reader = MemoReader(reader) if type(reader) is Reader else reader
    is_draft = check_round(reader, year, draft)
    rubric = reader.round_inputs(year).rubric
    board = reader.board(year, "city", "final", None)
    uncertainty = reader.uncertainty(year, "city", None)
    figures: dict[str, go.Figure] = {}
    sections = [
        _numbers(reader, year, lang, figures),
        _leaderboard(board, rubric, year, lang, figures),
        _map(reader, board, rubric, year, lang, figures),
        _dimensions(reader, board, rubric, year, lang, figures),
        _changes(board, year, lang),
        _uncertainty(board, uncertainty, year, lang, figures),
    ]
    shared = CityFrames(board, uncertainty, reader.progress(year).set_index("unit_code"),
                        reader.strength(year, "city").set_index("unit_code"))
    sections += [_city_page(reader, shared, rubric, code, year, lang, figures)
                 for code in board["unit_code"]]
    return Pack(year=year, lang=lang, title=t("pk_title", lang).format(year=year),
                subtitle=t("pk_subtitle", lang).format(n=len(board)),
                sections=tuple(sections), figures=figures,
                demo_mark=t("demo_badge", lang) if reader.store.is_demo() else None,
                draft_mark=t("nt_draft_mark", lang) if is_draft else None)


# -- the province ------------------------------------------------------------------------

def _numbers(reader: Reader, year: int, lang: str, figures: dict) -> PackSection:
    title = t("progress_city_chart", lang) + f" · {year}"
    figures["progress"] = build_city_figure(reader.progress(year), lang, title)
    return PackSection("numbers", t("pk_numbers", lang),
                       numbers_section(reader, year, lang).paragraphs, figure="progress")


def _leaderboard(board: pd.DataFrame, rubric: Rubric, year: int, lang: str,
                 figures: dict) -> PackSection:
    title = t("leaderboard_chart", lang) + f" · {year} · {t('city', lang)}"
    figures["leaderboard"] = build_leaderboard_figure(board, rubric, lang, title)
    first = board.iloc[0]
    text = t("nt_cities_text", lang).format(n=len(board), first=_name(first, lang),
                                             total=f"{first['total']:.2f}")
    return PackSection("leaderboard", t("pk_leaderboard", lang), (text,),
                       (city_table(board, rubric, lang),), "leaderboard")


def _map(reader: Reader, board: pd.DataFrame, rubric: Rubric, year: int, lang: str,
         figures: dict) -> PackSection:
    """The map page's map of the cities by total (quartile classes), names on it."""
    inputs = reader.round_inputs(year)
    table = map_view.region_table(board, inputs.metrics, "total", rubric, lang)
    geojson = boundaries_geojson()
    zoom = map_view.view_for_bounds(load_boundaries()["330000"].bounds, 700, 600)["zoom"]
    outlines = map_view.drawn_at(map_view.outline_features(geojson, "city"), zoom)
    features = map_view.region_features(outlines, table)
    shown = [f["properties"]["code"] for f in features["features"]]
    figures["map"] = build_region_map(
        features, table, map_view.legend_entries(table, "total", lang),
        map_view.region_labels(geojson, shown), None, None, "none", lang, True)
    source = map_view.boundary_source(geojson)
    texts = (t("pk_map_text", lang) + t("map_quartiles", lang),
             t("map_schematic", lang).format(source=source))
    return PackSection("map", t("pk_map", lang) + f" · {year}", texts, figure="map")


def _dimensions(reader: Reader, board: pd.DataFrame, rubric: Rubric, year: int, lang: str,
                figures: dict) -> PackSection:
    """Points lost per indicator (the criterion page's heatmap), and per dimension in words:
    the best city and the median."""
    table = reader.indicator_table(year, "city", None)
    matrix = crit_view.lost_matrix(table, rubric, board, "final")
    title = t("crit_heatmap", lang) + f" · {year} · {t('city', lang)}"
    figures["dimensions"] = build_lost_heatmap(
        matrix, crit_view.unit_labels(list(matrix.index), board, lang),
        crit_view.indicator_names(rubric, lang), crit_view.dimension_spans(rubric, lang),
        title, lang)
    return PackSection("dimensions", t("pk_dimensions", lang),
                       tuple(dimension_lines(board, rubric, lang)), figure="dimensions")


def maxima(rubric: Rubric) -> dict[str, float]:
    return {d.code: d.max for d in rubric.dimensions}


def dimension_lines(board: pd.DataFrame, rubric: Rubric, lang: str) -> list[str]:
    """One line per dimension: the best city's subtotal and the median, out of the max."""
    lines = []
    for code, label in dimension_labels(rubric, lang).items():
        best = board.loc[board[code].idxmax()]
        lines.append(t("pk_dimension_line", lang).format(
            dimension=label, max=f"{maxima(rubric)[code]:g}", best=_name(best, lang),
            points=f"{best[code]:.2f}", median=f"{board[code].median():.2f}"))
    return lines


def change_text(change, comparable: bool, lang: str) -> str:
    """'上升2位' / 'up 2', '持平', '–' with no previous round; marked when the rubrics differ."""
    if pd.isna(change):
        return "–"
    change = int(change)
    key = "pk_same" if change == 0 else ("pk_up" if change > 0 else "pk_down")
    text = t(key, lang).format(n=abs(change))
    return text if comparable else text + t("pk_other_rubric", lang)


def changes_table(board: pd.DataFrame, lang: str) -> pd.DataFrame:
    previous = board["rank"] + board["rank_change"]
    comparable = board.get("change_comparable", pd.Series(True, index=board.index))
    return pd.DataFrame({
        t("rank", lang): board["rank"].astype(int).to_numpy(),
        t("nt_city", lang): [_name(r, lang) for _, r in board.iterrows()],
        t("pk_previous_rank", lang): previous.astype("Int64").to_numpy(),
        t("rank_change", lang): [change_text(c, bool(k), lang) for c, k in
                                 zip(board["rank_change"], comparable, strict=True)],
        t("total", lang): board["total"].round(2).to_numpy(),
        t("pk_total_change", lang): [("–" if pd.isna(c) else f"{c:+.2f}")
                                     for c in board["total_change"]],
    })


def _changes(board: pd.DataFrame, year: int, lang: str) -> PackSection:
    moved = board.dropna(subset=["rank_change"])
    if moved.empty:
        text = t("pk_no_previous", lang).format(year=year)
    else:
        up, down = moved.loc[moved["rank_change"].idxmax()], moved.loc[moved["rank_change"].idxmin()]
        text = t("pk_changes_text", lang).format(
            up=_name(up, lang), up_n=change_text(up["rank_change"], True, lang),
            down=_name(down, lang), down_n=change_text(down["rank_change"], True, lang),
            same=int((moved["rank_change"] == 0).sum()))
    return PackSection("changes", t("pk_changes", lang), (text,), (changes_table(board, lang),))


def uncertainty_lines(board: pd.DataFrame, uncertainty: pd.DataFrame, lang: str) -> list[str]:
    """Per city in rank order, in words: its rank, the 90% interval, whom it is tied with."""
    names = {r["unit_code"]: _name(r, lang) for _, r in board.iterrows()}
    lines = []
    for _, u in uncertainty.sort_values(["rank", "unit_code"]).iterrows():
        low, high = int(u["rank_p05"]), int(u["rank_p95"])
        key = "pk_uncert_fixed" if low == high else "pk_uncert_range"
        line = t(key, lang).format(unit=names[u["unit_code"]], rank=int(u["rank"]), low=low,
                                   high=high, top3=f"{u['p_top3']:.0%}")
        if len(u["tied_with"]):
            tied = ("、" if lang == "zh" else ", ").join(names.get(c, c) for c in u["tied_with"])
            line += t("pk_uncert_tied", lang).format(units=tied)
        lines.append(line)
    return lines


def _uncertainty(board: pd.DataFrame, uncertainty: pd.DataFrame, year: int, lang: str,
                 figures: dict) -> PackSection:
    title = t("mt_interval_chart", lang) + f" · {year} · {t('city', lang)}"
    figures["uncertainty"] = build_interval_figure(uncertainty, board, lang, title)
    texts = (t("pk_uncert_intro", lang), *uncertainty_lines(board, uncertainty, lang))
    return PackSection("uncertainty", t("pk_uncertainty", lang), texts, figure="uncertainty")


# -- one page per city -------------------------------------------------------------------

@dataclass(frozen=True)
class CityFrames:
    """What every city page reads: the city board, rank uncertainty, progress and strength
    (the last two indexed by unit code)."""

    board: pd.DataFrame
    uncertainty: pd.DataFrame
    progress: pd.DataFrame
    strength: pd.DataFrame


def _city_page(reader: Reader, shared: CityFrames, rubric: Rubric, code: str, year: int,
               lang: str, figures: dict) -> PackSection:
    board = shared.board
    row = board.loc[board["unit_code"] == code].iloc[0]
    name = _name(row, lang)
    report = reader.benchmark(year, "city", None, code)
    second = bench_view.runner_up(board, code) if report.next_higher is None else None
    rival = None if second is None else board.set_index("unit_code").loc[second]
    radar = bench_view.radar_frame(report.gaps, rubric, lang, rival)
    names = {"own": name, "median": t("bench_median", lang),
             "leader": t("bench_second" if second else "bench_leader", lang)}
    title = f"{t('bench_radar', lang)} · {name} · {year}"
    figures[f"city-{code}"] = build_radar_figure(radar, names, title,
                                                 bench_view.radar_floor(radar))
    return PackSection(f"city-{code}", f"{int(row['rank'])}. {name}",
                       tuple(city_lines(shared, row, rubric, lang)),
                       (city_dimension_table(radar, rubric, board, row, lang),
                        county_table(reader, code, year, rubric, lang)), f"city-{code}")


def city_lines(shared: CityFrames, row: pd.Series, rubric: Rubric, lang: str) -> list[str]:
    """The city in words: total, rank and grade, change, rank interval, progress, strength."""
    code = row["unit_code"]
    grade = {g.code: g.name(lang) for g in rubric.grades}[row["grade"]]
    u = shared.uncertainty.set_index("unit_code").loc[code]
    lines = [t("pk_city_result", lang).format(
        total=f"{row['total']:.2f}", rank=int(row["rank"]), grade=grade,
        change=t("pk_no_previous_round", lang) if pd.isna(row["rank_change"])
        else change_text(row["rank_change"], bool(row.get("change_comparable", True)), lang),
        low=int(u["rank_p05"]), high=int(u["rank_p95"]))]
    p = shared.progress.loc[code]
    lines.append(t("pk_city_progress", lang).format(
        started=fmt_number(p["started"], lang), target=fmt_number(p["started_target"], lang),
        completed=fmt_number(p["completed"], lang),
        completed_target=fmt_number(p["completed_target"], lang)))
    s = shared.strength.loc[code]
    lines.append(t("pk_city_strength", lang).format(
        per_household=fmt_number(s["investment_per_household_yuan"], lang),
        local=_pct(s["local_fiscal_share"]), social=_pct(s["social_resident_share"])))
    return lines


def _pct(share: float) -> str:
    return "–" if pd.isna(share) else f"{100 * share:.1f}%"


def city_dimension_table(radar: pd.DataFrame, rubric: Rubric, board: pd.DataFrame,
                         row: pd.Series, lang: str) -> pd.DataFrame:
    """Per dimension: the city's subtotal, the province median and the best city's."""
    codes = [d.code for d in rubric.dimensions]
    return pd.DataFrame({
        t("pk_dimension", lang): radar["label"].to_numpy(),
        t("pk_max", lang): [f"{maxima(rubric)[c]:g}" for c in codes],
        t("pk_own", lang): [round(float(row[c]), 2) for c in codes],
        t("bench_median", lang): [round(float(board[c].median()), 2) for c in codes],
        t("pk_best", lang): [round(float(board[c].max()), 2) for c in codes],
    })


def county_table(reader: Reader, city: str, year: int, rubric: Rubric,
                 lang: str) -> pd.DataFrame:
    """The city's counties: rank within the city, county, total, grade (words)."""
    counties = reader.board(year, "county", "final", city)
    return pd.DataFrame({
        t("pk_rank_in_city", lang): counties["rank"].astype(int).to_numpy(),
        t("progress_col_county", lang): [_name(r, lang) for _, r in counties.iterrows()],
        t("total", lang): counties["total"].round(2).to_numpy(),
        t("grade", lang): grade_words(counties, rubric, lang).to_numpy(),
    })


def _name(row: pd.Series, lang: str) -> str:
    return str(row["unit_name"]) if lang != "en" else f"{row['unit_name']} ({row['unit_code']})"
