"""The one bridge between evalcore and Streamlit: cached store, cached loaders, shared widgets.

Every other evalcore module is importable without Streamlit. Loaders are cached by scalar
arguments (database path, year, level, stage), never by hashing DataFrames on each rerun:
filters and sorting happen on the cached frames.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import streamlit as st

from evalcore import labels, scoring
from evalcore.db import Store
from evalcore.labels import t
from evalcore.paths import default_db_path
from evalcore.rounds import load_round_inputs

TTL = 600
LEVELS = ("city", "county")
STAGE_CHOICES = ("final", "self", "cross", "third_party")


# -- store and cached loaders ------------------------------------------------------------

@st.cache_resource
def _store(path: str) -> Store:
    # One read-only connection per file for the whole server; each query takes its own cursor.
    return Store(path, read_only=True)


def db_path() -> Path:
    return default_db_path()


def store() -> Store:
    return _store(str(db_path()))


@st.cache_data(ttl=TTL)
def table_counts(path: str) -> dict[str, int]:
    return _store(path).table_counts()


@st.cache_data(ttl=TTL)
def meta(path: str) -> dict[str, str]:
    return _store(path).meta()


@st.cache_data(ttl=TTL)
def rounds(path: str) -> pd.DataFrame:
    return _store(path).rounds()


@st.cache_data(ttl=TTL)
def regions(path: str) -> pd.DataFrame:
    return _store(path).regions()


@st.cache_data(ttl=TTL)
def communities(path: str) -> pd.DataFrame:
    return _store(path).communities()


@st.cache_data(ttl=TTL)
def targets(path: str) -> pd.DataFrame:
    return _store(path).targets()


@st.cache_data(ttl=TTL)
def round_inputs(path: str, year: int) -> scoring.RoundInputs:
    return load_round_inputs(_store(path), year)


@st.cache_data(ttl=TTL)
def board(path: str, year: int, level: str, stage: str, within: str | None) -> pd.DataFrame:
    """The leaderboard, with change against the previous round where there is one."""
    inputs = round_inputs(path, year)
    years = set(rounds(path)["year"])
    previous = None
    if year - 1 in years:
        previous = scoring.leaderboard(round_inputs(path, year - 1), level, stage, within)
    return scoring.leaderboard(inputs, level, stage, within, previous=previous)


@st.cache_data(ttl=TTL)
def uncertainty(path: str, year: int, level: str, within: str | None) -> pd.DataFrame:
    return scoring.rank_uncertainty(round_inputs(path, year), level, draws=1000, seed=42,
                                    within=within)


@st.cache_data(ttl=TTL)
def indicator_table(path: str, year: int, level: str, within: str | None) -> pd.DataFrame:
    return scoring.indicator_table(round_inputs(path, year), level, within)


@st.cache_data(ttl=TTL)
def bonus_report(path: str, year: int, level: str, within: str | None, stage: str) -> pd.DataFrame:
    return scoring.bonus_report(round_inputs(path, year), level, within, stage)


@st.cache_data(ttl=TTL)
def deduction_report(path: str, year: int, level: str, within: str | None) -> pd.DataFrame:
    return scoring.deduction_report(round_inputs(path, year), level, within)


@st.cache_data(ttl=TTL)
def credibility(path: str, year: int, level: str, within: str | None):
    return scoring.credibility_report(round_inputs(path, year), level, within)


@st.cache_data(ttl=TTL)
def benchmark(path: str, year: int, level: str, within: str | None, unit: str):
    return scoring.benchmark_report(round_inputs(path, year), unit, level, within)


@st.cache_data(ttl=TTL, max_entries=256)
def what_if(path: str, year: int, level: str, within: str | None,
            weights: tuple[tuple[str, float], ...]) -> pd.DataFrame:
    """Weights as a tuple of (dimension, weight) pairs: hashable and cheap to key on."""
    return scoring.what_if(round_inputs(path, year), dict(weights), level, within)


@st.cache_data(ttl=TTL)
def rank_history(path: str, level: str, stage: str, within: str | None) -> pd.DataFrame:
    """unit_code, year, rank, total, grade for every round (the viewer's visible rounds)."""
    frames = [
        board(path, int(y), level, stage, within)[["unit_code", "rank", "total", "grade"]]
        .assign(year=int(y))
        for y in rounds(path)["year"]
    ]
    return pd.concat(frames, ignore_index=True)


# -- the shared context: round, level, stage, language -----------------------------------

@dataclass(frozen=True)
class Context:
    path: str
    year: int
    level: str
    stage: str
    lang: str
    is_demo: bool
    draft: bool

    def t(self, key: str) -> str:
        return t(key, self.lang)


def _sync_to_url(name: str, key: str) -> None:
    st.query_params[name] = str(st.session_state[key])


def param_select(
    name: str, options: Sequence, default, label: str,
    format_func: Callable = str, container=st.sidebar,
):
    """A selectbox whose value lives in the URL (`?name=value`), so views can be shared.

    The URL wins when it holds a valid value (a shared link); otherwise the session's last
    choice, otherwise `default`. Invalid URL values are ignored, never trusted.
    """
    key = f"param.{name}"
    by_text = {str(o): o for o in options}
    from_url = st.query_params.get(name)
    if from_url in by_text:
        st.session_state[key] = by_text[from_url]
    elif st.session_state.get(key) not in options:
        st.session_state[key] = default
    value = container.selectbox(label, options, key=key, format_func=format_func,
                                on_change=_sync_to_url, args=(name, key))
    st.query_params[name] = str(value)
    return value


def sidebar_context() -> Context:
    """The shared sidebar; called by app.py on every page."""
    path = str(db_path())
    lang = param_select("lang", labels.LANGS, "zh", "语言 / Language",
                        format_func=lambda v: {"zh": "中文", "en": "English"}[v])
    years = rounds(path)
    published = dict(zip(years["year"], years["published"], strict=True))
    options = sorted(published, reverse=True)
    default = max((y for y, p in published.items() if p), default=options[0])

    def year_label(y: int) -> str:
        return f"{y}" + ("" if published[y] else f" · {t('draft', lang)}")

    param_select("round", options, default, t("round", lang), year_label)
    param_select("level", LEVELS, "city", t("level", lang), lambda v: t(v, lang))
    param_select("stage", STAGE_CHOICES, "final", t("stage", lang), lambda v: t(v, lang))
    return context()


def _ensure_frame() -> None:
    """Make sure app.py (the frame) ran before this page.

    Streamlit treats an app with a `pages/` folder as a legacy multipage app until the first
    `st.navigation` call in the process; so the very first session of a fresh server that
    opens a deep link (/leaderboard) runs the page script alone. Switch the legacy mode off
    and rerun: the rerun goes through app.py and lands on the same page.
    """
    if "param.round" not in st.session_state:
        from streamlit.runtime.pages_manager import PagesManager

        PagesManager.uses_pages_directory = False
        st.rerun()


def context() -> Context:
    """The shared choices as the sidebar set them in this run (pages call this)."""
    _ensure_frame()
    path = str(db_path())
    year = int(st.session_state["param.round"])
    published = dict(zip(rounds(path)["year"], rounds(path)["published"], strict=True))
    return Context(
        path=path,
        year=year,
        level=st.session_state["param.level"],
        stage=st.session_state["param.stage"],
        lang=st.session_state["param.lang"],
        is_demo=meta(path).get("dataset") == "demo",
        draft=not published[year],
    )


# -- shared display pieces ---------------------------------------------------------------

def demo_notice(ctx: Context) -> None:
    if ctx.is_demo:
        note = meta(ctx.path)["note_en" if ctx.lang == "en" else "note_zh"]
        st.info(note, icon="🧪")


def source_caption(ctx: Context, what: str) -> str:
    """Chart caption: what it shows, units, and where the data comes from (demo or not)."""
    source = ctx.t("source_demo" if ctx.is_demo else "source_real")
    return f"{what} · {source}"


def _xlsx_bytes(frame: pd.DataFrame) -> bytes:
    buffer = io.BytesIO()
    frame.to_excel(buffer, index=False, sheet_name="data")
    return buffer.getvalue()


def download_buttons(ctx: Context, frame: pd.DataFrame, name: str) -> None:
    """CSV (UTF-8 with BOM, opens in Chinese Excel) and XLSX of the table exactly as shown."""
    shown = frame.copy()
    if ctx.is_demo:
        shown.insert(0, ctx.t("demo_badge"), ctx.t("demo_badge"))
    left, right, _ = st.columns([1, 1, 4])
    left.download_button(ctx.t("download_csv"), shown.to_csv(index=False).encode("utf-8-sig"),
                         file_name=f"{name}.csv", mime="text/csv", key=f"dl.csv.{name}")
    right.download_button(ctx.t("download_xlsx"), _xlsx_bytes(shown), file_name=f"{name}.xlsx",
                          mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                          key=f"dl.xlsx.{name}")


def within_select(ctx: Context) -> str | None:
    """For counties: the whole province or the counties of one city (`?within=330100`)."""
    if ctx.level != "county":
        return None
    cities = regions(ctx.path).query("level == 'city'")
    names = dict(zip(cities["code"], cities["name"], strict=True))
    options = ["all", *names]
    value = param_select("within", options, "all", ctx.t("within"),
                         lambda c: ctx.t("all_cities") if c == "all" else names[c], st)
    return None if value == "all" else value


def view_title(ctx: Context, within: str | None = None) -> str:
    """'2022 · 县（市、区） · 最终得分' (+ city, + draft) for titles and file names."""
    parts = [str(ctx.year), ctx.t(ctx.level), ctx.t(ctx.stage)]
    if within:
        parts.insert(1, regions(ctx.path).set_index("code").loc[within, "name"])
    if ctx.draft:
        parts.append(ctx.t("draft"))
    return " · ".join(parts)


def open_profile(ctx: Context, unit_code: str) -> None:
    st.switch_page("pages/profile.py", query_params={
        "unit": unit_code, "round": str(ctx.year), "level": ctx.level, "stage": ctx.stage,
        "lang": ctx.lang})


# -- profile and methodology pages -------------------------------------------------------

@st.cache_data(ttl=TTL)
def inspection_groups(path: str, year: int) -> pd.DataFrame:
    """group_no, leader_city_code, inspected_city_code of one round's cross inspection."""
    return _store(path).inspection_groups(year)


@st.cache_data(ttl=TTL)
def deduction_reasons(path: str, year: int) -> pd.DataFrame:
    """unit_code, seq, code, points, reason: recorded deductions with the reasons the engine
    does not carry."""
    return _store(path).deductions(year)


@st.cache_data(ttl=TTL, max_entries=128)
def profile_data(path: str, year: int, code: str):
    """One unit's profile (views.profile.ProfileData), cut once from the cached peer frames,
    so a rerun unpickles one small object instead of every peer frame."""
    from evalcore.views.profile import STAGE_VIEWS, assemble

    all_regions = regions(path)
    row = all_regions.set_index("code").loc[code]
    level = str(row["level"])
    peers = {s: board(path, year, level, s, None) for s in STAGE_VIEWS}
    city = board(path, year, level, "final", row["parent_code"]) if level == "county" else None
    frames = {
        "indicators": indicator_table(path, year, level, None),
        "bonus": bonus_report(path, year, level, None, "final"),
        "claims": round_inputs(path, year).bonus_claims,
        "deductions": deduction_report(path, year, level, None),
        "reasons": deduction_reasons(path, year),
        "history": rank_history(path, level, "final", None),
        "communities": communities(path),
    }
    rubric = round_inputs(path, year).rubric
    return assemble(code, year, rubric, all_regions, peers, frames, city)


# -- criterion, bonus, benchmark pages ---------------------------------------------------

@st.cache_data(ttl=TTL)
def bonus_cases(path: str, year: int) -> pd.DataFrame:
    """The round's bonus cases, one row per case and stage (Store.bonus_claims)."""
    return _store(path).bonus_claims(year)


def table_height(rows: int, max_rows: int = 15) -> int:
    """Pixel height that shows short tables (11 cities) whole, without an inner scrollbar;
    longer ones (90 counties, case lists) scroll after `max_rows`."""
    return 35 * (min(rows, max_rows) + 1) + 3


# -- progress, map pages -----------------------------------------------------------------

@st.cache_data(ttl=TTL)
def progress(path: str, year: int, cumulative: bool = False) -> pd.DataFrame:
    """Progress per region for a round year (views.progress.unit_progress)."""
    from evalcore.views.progress import unit_progress

    return unit_progress(communities(path), targets(path), regions(path), year, cumulative)


@st.cache_data(ttl=TTL)
def progress_trend(path: str) -> pd.DataFrame:
    """The province's progress in every plan year up to the latest round the viewer sees."""
    from evalcore.views.progress import trend

    latest = int(rounds(path)["year"].max())
    years = [int(y) for y in sorted(targets(path)["year"].unique()) if y <= latest]
    return trend(communities(path), targets(path), regions(path), years)


@st.cache_data(ttl=TTL)
def community_points(path: str, year: int, lang: str) -> pd.DataFrame:
    """Started communities of the plans up to `year`, with status colour and tooltip text."""
    from evalcore.views.progress import community_points as points

    return points(communities(path), regions(path), year, lang)


@st.cache_data(ttl=TTL)
def simple_outlines(level: str) -> dict:
    """Outlines of every region of `level`, simplified for small maps (views.map.simplified)."""
    from evalcore.geography import boundaries_geojson
    from evalcore.views.map import outline_features, simplified

    return simplified(outline_features(boundaries_geojson(), level))


@st.cache_data(ttl=TTL)
def region_view(code: str, width: int = 800, height: int = 500) -> dict[str, float]:
    """A pydeck view state (longitude, latitude, zoom) that fits region `code`."""
    from evalcore.geography import load_boundaries
    from evalcore.views.map import view_for_bounds

    return view_for_bounds(load_boundaries()[code].bounds, width, height)


def deferred_download_buttons(ctx: Context, frame: pd.DataFrame, name: str) -> None:
    """download_buttons with the same files, made only when clicked (a callable as data):
    an XLSX costs ~12 ms, too much to build for each of a dozen tables on every rerun."""
    shown = frame.copy()
    if ctx.is_demo:
        shown.insert(0, ctx.t("demo_badge"), ctx.t("demo_badge"))
    left, right, _ = st.columns([1, 1, 4])
    left.download_button(ctx.t("download_csv"),
                         lambda: shown.to_csv(index=False).encode("utf-8-sig"),
                         file_name=f"{name}.csv", mime="text/csv", key=f"dl.csv.{name}")
    right.download_button(ctx.t("download_xlsx"), lambda: _xlsx_bytes(shown),
                          file_name=f"{name}.xlsx",
                          mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                          key=f"dl.xlsx.{name}")
