"""The one bridge between evalcore and Streamlit: cached store, cached loaders, shared widgets.

Every other evalcore module is importable without Streamlit. Loaders are cached by scalar
arguments (database path, year, level, stage), never by hashing DataFrames on each rerun:
filters and sorting happen on the cached frames.
"""

from __future__ import annotations

import io
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

import pandas as pd
import plotly.graph_objects as go
import pydeck as pdk
import streamlit as st

from evalcore import actions, labels, scoring
from evalcore.access import PUBLIC, Viewer, visible_views
from evalcore.access import importable_stages as importable_stages_of
from evalcore.actions import Actor
from evalcore.db import Store
from evalcore.labels import t
from evalcore.paths import default_db_path
from evalcore.reader import Reader
from evalcore.rubric import load_rubric
from evalcore.vocab import LEVELS

TTL = 600


# -- store and cached loaders ------------------------------------------------------------

class Source(NamedTuple):
    """What a cached loader reads: the database file and the viewer it reads for.

    Every loader takes one, so the cache is keyed by viewer: a public session can never be
    served a frame cached for a leader.
    """

    path: str
    viewer: str  # Viewer.key


def _viewer(source: Source) -> Viewer:
    return Viewer.from_key(source.viewer)


def read_only_deployment() -> bool:
    """EVAL_READ_ONLY=1 serves the file read-only (a public instance that cannot write)."""
    return os.environ.get("EVAL_READ_ONLY", "") == "1"


@st.cache_resource
def _store(path: str) -> Store:
    # One connection per file for the whole server; each query takes its own cursor. It is
    # read-write because data management writes through it (imports, publishing), unless
    # the deployment is read-only.
    return Store(path, read_only=read_only_deployment())


def db_path() -> Path:
    return default_db_path()


def store() -> Store:
    return _store(str(db_path()))


class _Cached(Reader):
    """The viewer's Reader whose every read goes through the Streamlit cache below, so a
    loader calling another (a board needs the round's inputs) reuses its cached result."""

    def __init__(self, source: Source) -> None:
        super().__init__(_store(source.path), _viewer(source))
        self.source = source

    def meta(self):
        return meta(self.source)

    def rounds(self):
        return rounds(self.source)

    def regions(self):
        return regions(self.source)

    def communities(self):
        return communities(self.source)

    def targets(self):
        return targets(self.source)

    def round_inputs(self, year):
        return round_inputs(self.source, year)

    def board(self, year, level, stage, within):
        return board(self.source, year, level, stage, within)

    def indicator_table(self, year, level, within):
        return indicator_table(self.source, year, level, within)

    def bonus_report(self, year, level, within, stage):
        return bonus_report(self.source, year, level, within, stage)

    def deduction_report(self, year, level, within):
        return deduction_report(self.source, year, level, within)

    def deduction_reasons(self, year):
        return deduction_reasons(self.source, year)

    def rank_history(self, level, stage, within):
        return rank_history(self.source, level, stage, within)


def _reader(source: Source) -> _Cached:
    return _Cached(source)


@st.cache_data(ttl=TTL)
def meta(source: Source) -> dict[str, str]:
    return Reader.meta(_reader(source))


@st.cache_data(ttl=TTL)
def rounds(source: Source) -> pd.DataFrame:
    return Reader.rounds(_reader(source))


@st.cache_data(ttl=TTL)
def regions(source: Source) -> pd.DataFrame:
    return Reader.regions(_reader(source))


@st.cache_data(ttl=TTL)
def communities(source: Source) -> pd.DataFrame:
    return Reader.communities(_reader(source))


@st.cache_data(ttl=TTL)
def targets(source: Source) -> pd.DataFrame:
    return Reader.targets(_reader(source))


@st.cache_data(ttl=TTL)
def round_inputs(source: Source, year: int) -> scoring.RoundInputs:
    return Reader.round_inputs(_reader(source), year)


@st.cache_data(ttl=TTL)
def board(source: Source, year: int, level: str, stage: str, within: str | None) -> pd.DataFrame:
    return Reader.board(_reader(source), year, level, stage, within)


@st.cache_data(ttl=TTL)
def uncertainty(source: Source, year: int, level: str, within: str | None) -> pd.DataFrame:
    return Reader.uncertainty(_reader(source), year, level, within)


@st.cache_data(ttl=TTL)
def indicator_table(source: Source, year: int, level: str, within: str | None) -> pd.DataFrame:
    return Reader.indicator_table(_reader(source), year, level, within)


@st.cache_data(ttl=TTL)
def bonus_report(source: Source, year: int, level: str, within: str | None, stage: str) -> pd.DataFrame:
    return Reader.bonus_report(_reader(source), year, level, within, stage)


@st.cache_data(ttl=TTL)
def deduction_report(source: Source, year: int, level: str, within: str | None) -> pd.DataFrame:
    return Reader.deduction_report(_reader(source), year, level, within)


@st.cache_data(ttl=TTL)
def credibility(source: Source, year: int, level: str, within: str | None):
    return Reader.credibility(_reader(source), year, level, within)


@st.cache_data(ttl=TTL)
def benchmark(source: Source, year: int, level: str, within: str | None, unit: str):
    return Reader.benchmark(_reader(source), year, level, within, unit)


@st.cache_data(ttl=TTL, max_entries=256)
def what_if(source: Source, year: int, level: str, within: str | None,
            weights: tuple[tuple[str, float], ...]) -> pd.DataFrame:
    return Reader.what_if(_reader(source), year, level, within, weights)


@st.cache_data(ttl=TTL)
def rank_history(source: Source, level: str, stage: str, within: str | None) -> pd.DataFrame:
    return Reader.rank_history(_reader(source), level, stage, within)


@st.cache_data(ttl=TTL)
def inspection_groups(source: Source, year: int) -> pd.DataFrame:
    return Reader.inspection_groups(_reader(source), year)


@st.cache_data(ttl=TTL)
def deduction_reasons(source: Source, year: int) -> pd.DataFrame:
    return Reader.deduction_reasons(_reader(source), year)


@st.cache_data(ttl=TTL, max_entries=128)
def profile_data(source: Source, year: int, code: str):
    """One unit's profile, cut once from the cached peer frames, so a rerun unpickles one
    small object instead of every peer frame (None: not on this viewer's board)."""
    return Reader.profile_data(_reader(source), year, code)


@st.cache_data(ttl=TTL)
def status_as_of(source: Source, code: str) -> str:
    return Reader.status_as_of(_reader(source), code)


@st.cache_data(ttl=TTL)
def bonus_cases(source: Source, year: int) -> pd.DataFrame:
    return Reader.bonus_cases(_reader(source), year)


@st.cache_data(ttl=TTL)
def progress(source: Source, year: int, cumulative: bool = False) -> pd.DataFrame:
    return Reader.progress(_reader(source), year, cumulative)


@st.cache_data(ttl=TTL)
def progress_trend(source: Source) -> pd.DataFrame:
    return Reader.progress_trend(_reader(source))


@st.cache_data(ttl=TTL)
def community_points(source: Source, year: int, lang: str) -> pd.DataFrame:
    return Reader.community_points(_reader(source), year, lang)


# -- figures, cached as specs -------------------------------------------------------------
# Building a plotly figure validates every value in Python (10–40 ms a figure, most of a
# page's rerun); a deck's JSON takes as long again. Both are cached here, per viewer like
# every loader (the Source comes first), keyed by everything the figure shows: a page passes
# its scalar choices as `params` and the builder as a callable, which is not hashed.


@st.cache_data(ttl=TTL, max_entries=512)
def _figure_spec(source: Source, name: str, params: tuple, _build: Callable) -> dict:
    return _build().to_dict()


def figure(source: Source, name: str, params: tuple, build: Callable[[], go.Figure]) -> go.Figure:
    """`build()` once per (viewer, name, params); a figure rebuilt from its cached spec after.

    The spec was validated when it was built, so it is not validated again (`_validate`).
    `params` must hold every choice the figure depends on (year, level, language, title...).
    """
    return go.Figure(_figure_spec(source, name, params, build), _validate=False)


@st.cache_data(ttl=TTL, max_entries=256)
def _deck_spec(source: Source, name: str, params: tuple, _build: Callable) -> tuple[str, dict]:
    deck = _build()
    return deck.to_json(), deck._tooltip  # noqa: SLF001 - pydeck keeps it there (no accessor)


def deck(source: Source, name: str, params: tuple, build: Callable[[], pdk.Deck]) -> pdk.Deck:
    """Like `figure`, for pydeck maps: the deck's JSON is made once per key."""
    from evalcore.figures.map import SpecDeck

    return SpecDeck(*_deck_spec(source, name, params, build))


# -- the shared context: round, level, stage, language -----------------------------------

@dataclass(frozen=True)
class Context:
    path: str
    viewer: Viewer
    year: int
    level: str
    stage: str
    lang: str
    is_demo: bool
    draft: bool

    def t(self, key: str) -> str:
        return t(key, self.lang)

    @property
    def source(self) -> Source:
        return Source(self.path, self.viewer.key)


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
    viewer = current_viewer()
    st.session_state["ctx.viewer"] = viewer.key
    source = Source(str(db_path()), viewer.key)
    lang = param_select("lang", labels.LANGS, "zh", "语言 / Language",
                        format_func=lambda v: {"zh": "中文", "en": "English"}[v])
    years = rounds(source)
    if years.empty:
        # Nothing this viewer may see yet (an empty database, or only draft rounds).
        login_box(lang, viewer)
        st.title("🏘️ " + t("app_title", lang))
        st.info(t("no_rounds", lang))
        st.stop()
    published = dict(zip(years["year"], years["published"], strict=True))
    options = sorted(published, reverse=True)
    default = max((y for y, p in published.items() if p), default=options[0])

    def year_label(y: int) -> str:
        return f"{y}" + ("" if published[y] else f" · {t('draft', lang)}")

    year = param_select("round", options, default, t("round", lang), year_label)
    param_select("level", LEVELS, "city", t("level", lang), lambda v: t(v, lang))
    rubric = load_rubric(str(years.set_index("year").loc[year, "rubric_version"]))
    views = visible_views(viewer, any(i.internal for i in rubric.indicators))
    param_select("stage", views, "final", t("stage", lang), lambda v: t(v, lang))
    login_box(lang, viewer)
    return context()


def _ensure_frame() -> None:
    """Make sure app.py (the frame) ran before this page.

    Streamlit treats an app with a `pages/` folder as a legacy multipage app until the first
    `st.navigation` call in the process; so the very first session of a fresh server that
    opens a deep link (/leaderboard) runs the page script alone. Switch the legacy mode off
    and rerun: the rerun goes through app.py and lands on the same page.
    """
    if "param.round" not in st.session_state or "ctx.viewer" not in st.session_state:
        from streamlit.runtime.pages_manager import PagesManager

        PagesManager.uses_pages_directory = False
        st.rerun()


def context() -> Context:
    """The shared choices as the sidebar set them in this run (pages call this)."""
    _ensure_frame()
    viewer = Viewer.from_key(st.session_state["ctx.viewer"])
    source = Source(str(db_path()), viewer.key)
    year = int(st.session_state["param.round"])
    published = dict(zip(rounds(source)["year"], rounds(source)["published"], strict=True))
    return Context(
        path=source.path,
        viewer=viewer,
        year=year,
        level=st.session_state["param.level"],
        stage=st.session_state["param.stage"],
        lang=st.session_state["param.lang"],
        # Anything not declared real (the demo, the synthetic national benchmark) is labelled.
        is_demo=meta(source).get("dataset", "real") != "real",
        draft=not published[year],
    )


# -- shared display pieces ---------------------------------------------------------------

def demo_notice(ctx: Context) -> None:
    if ctx.is_demo:
        note = meta(ctx.source).get("note_en" if ctx.lang == "en" else "note_zh") or t(
            "demo_badge", ctx.lang)
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
    """CSV (UTF-8 with BOM, opens in Chinese Excel) and XLSX of the table exactly as shown.

    The files are made only when clicked (a callable as data): an XLSX costs ~12 ms, too much
    to build for each of a dozen tables on every rerun."""
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


def within_select(ctx: Context) -> str | None:
    """For counties: the whole province or the counties of one city (`?within=330100`)."""
    if ctx.level != "county":
        return None
    cities = regions(ctx.source).query("level == 'city'")
    names = dict(zip(cities["code"], cities["name"], strict=True))
    options = ["all", *names]
    value = param_select("within", options, "all", ctx.t("within"),
                         lambda c: ctx.t("all_cities") if c == "all" else names[c], st)
    return None if value == "all" else value


def view_title(ctx: Context, within: str | None = None) -> str:
    """'2022 · 县（市、区） · 最终得分' (+ city, + draft) for titles and file names."""
    parts = [str(ctx.year), ctx.t(ctx.level), ctx.t(ctx.stage)]
    if within:
        parts.insert(1, regions(ctx.source).set_index("code").loc[within, "name"])
    if ctx.draft:
        parts.append(ctx.t("draft"))
    return " · ".join(parts)


def open_profile(ctx: Context, unit_code: str) -> None:
    st.switch_page("pages/profile.py", query_params={
        "unit": unit_code, "round": str(ctx.year), "level": ctx.level, "stage": ctx.stage,
        "lang": ctx.lang})


# -- display helpers ---------------------------------------------------------------------

def table_height(rows: int, max_rows: int = 15) -> int:
    """Pixel height that shows short tables (11 cities) whole, without an inner scrollbar;
    longer ones (90 counties, case lists) scroll after `max_rows`."""
    return 35 * (min(rows, max_rows) + 1) + 3


# -- maps ---------------------------------------------------------------------------------

@st.cache_data(ttl=TTL)
def map_outlines(level: str, zoom: float) -> dict:
    """Every region of `level` as a map at `zoom` draws it: simplified, and parted from its
    neighbours by a pixel's gap instead of a stroked border (views.map.drawn_at)."""
    from evalcore.geography import boundaries_geojson
    from evalcore.views.map import drawn_at, outline_features

    return drawn_at(outline_features(boundaries_geojson(), level), zoom)


@st.cache_data(ttl=TTL)
def region_view(code: str, width: int = 800, height: int = 500) -> dict[str, float]:
    """A pydeck view state (longitude, latitude, zoom) that fits region `code`."""
    from evalcore.geography import load_boundaries
    from evalcore.views.map import view_for_bounds

    shapes = load_boundaries()
    # The maps draw the boundaries shipped in data/geo (Zhejiang); other codes fall back to it.
    return view_for_bounds(shapes.get(code, shapes["330000"]).bounds, width, height)


# -- login and roles ---------------------------------------------------------------------

AUTH_PREFIX = "auth."


def _accounts():
    from evalcore.auth import AccountStore

    return AccountStore()


def current_viewer() -> Viewer:
    """The signed-in user's viewer, or the public one; expired sessions are signed out."""
    from evalcore import auth

    session = {k[len(AUTH_PREFIX):]: v for k, v in st.session_state.items()
               if isinstance(k, str) and k.startswith(AUTH_PREFIX)}
    if not session:
        return PUBLIC
    now = auth.utc_now()
    with _accounts() as accounts:
        account = auth.session_account(accounts, session, now)
    if account is None:
        sign_out()
        st.session_state["login.expired"] = True
        return PUBLIC
    for key, value in auth.touch_session(session, now).items():
        st.session_state[AUTH_PREFIX + key] = value
    return Viewer(account.role if account.role != "admin" else "admin",
                  unit_code=account.unit_code, group_city_code=account.group_city_code)


def sign_out() -> None:
    for key in [k for k in st.session_state if isinstance(k, str) and k.startswith(AUTH_PREFIX)]:
        del st.session_state[key]


def _sign_in(username: str, password: str) -> bool:
    from evalcore import auth

    with _accounts() as accounts:
        account = auth.authenticate(accounts, username, password, auth.utc_now())
    if account is None:
        return False
    sign_out()
    for key, value in auth.new_session(account, auth.utc_now()).items():
        st.session_state[AUTH_PREFIX + key] = value
    return True


def login_box(lang: str, viewer: Viewer) -> None:
    """Sign in / out in the sidebar. One message for every failure: no hint of which
    usernames exist; failed attempts are slowed and then locked (evalcore.auth)."""
    from evalcore import auth

    box = st.sidebar.expander(t("login", lang), expanded=False)
    if viewer != PUBLIC:
        name = st.session_state.get(AUTH_PREFIX + "display_name") or \
            st.session_state.get(AUTH_PREFIX + "username")
        box.text(f"{t('signed_in_as', lang)} {name} · {t('role_' + viewer.role, lang)}")
        if box.button(t("sign_out", lang), key="login.out"):
            sign_out()
            st.rerun()
        return
    if st.session_state.pop("login.expired", False):
        box.info(t("session_expired", lang))
    with box.form("login.form", clear_on_submit=True):
        username = st.text_input(t("username", lang), max_chars=auth.MAX_USERNAME_LENGTH)
        password = st.text_input(t("password", lang), type="password",
                                 max_chars=auth.MAX_PASSWORD_LENGTH)
        if st.form_submit_button(t("sign_in", lang)):
            if _sign_in(username, password):
                st.rerun()
            box.error(auth.FAILURE_MESSAGE)


# -- data management (imports, audit, publishing) -----------------------------------------

def may_import(viewer: Viewer) -> bool:
    """Whether the data page is offered: never on a read-only deployment."""
    return viewer.may_import and not read_only_deployment()


def round_years(ctx: Context) -> list[int]:
    return [int(y) for y in rounds(ctx.source)["year"]]


def importable_stages(ctx: Context) -> tuple[str, ...]:
    return importable_stages_of(ctx.viewer)


def template_bytes(ctx: Context, year: int, stage: str) -> bytes:
    from evalcore.importer.template import write_score_template
    from evalcore.rubric import load_rubric

    version = rounds(ctx.source).set_index("year").loc[year, "rubric_version"]
    buffer = io.BytesIO()
    write_score_template(buffer, load_rubric(str(version)), regions(ctx.source), year, stage)
    return buffer.getvalue()


def _saved_upload(upload) -> Path:
    """The uploaded file on disk under its own base name (messages name the file)."""
    import tempfile

    folder = Path(tempfile.mkdtemp(prefix="upload-"))
    path = folder / Path(upload.name).name
    path.write_bytes(upload.getvalue())
    return path


def prepare_upload(ctx: Context, upload, year: int, stage: str):
    """(prepared import, []) or (None, problems); validation only, nothing written."""
    from evalcore.importer import ImportRejected, prepare_scores

    try:
        return prepare_scores(_store(ctx.path), _saved_upload(upload), year, stage,
                              ctx.viewer), []
    except ImportRejected as rejected:
        return None, rejected.problems


def _actor(ctx: Context) -> str:
    return f"{ctx.viewer.role}:{st.session_state.get(AUTH_PREFIX + 'username', '?')}"


def _changed() -> None:
    """Data changed: every cached frame may be stale, for every viewer."""
    st.cache_data.clear()


OUTCOME = "data.outcome"


def show_outcome() -> None:
    """The result of the last action (actions run as button callbacks, before the page)."""
    kind, text = st.session_state.pop(OUTCOME, (None, None))
    if kind == "success":
        st.success(text)
    elif kind == "error":
        st.error(text)


def _act(ctx: Context, action: Callable[[Actor], int], success_key: str) -> None:
    """Run one write action as the signed-in account, re-checked when it writes; record the
    outcome in the user's language. A refusal or a store error writes nothing."""
    from evalcore.db import StoreError

    actor = Actor(st.session_state.get(AUTH_PREFIX + "username"), _accounts())
    try:
        entry = action(actor)
    except StoreError as refused:  # Refused included: a Message in the user's language
        st.session_state[OUTCOME] = ("error", refused.render(ctx.lang))
        return
    finally:
        _changed()
    st.session_state[OUTCOME] = ("success", ctx.t(success_key).format(id=entry))


def apply_upload(ctx: Context, prepared) -> None:
    _act(ctx, lambda actor: actions.import_prepared(_store(ctx.path), actor, prepared),
         "import_done")


def audit_log(ctx: Context, action: str | None, text: str | None) -> pd.DataFrame:
    """The audit log for administrators; others see the entries they made themselves."""
    actor = None if ctx.viewer.may_manage else _actor(ctx)
    return _store(ctx.path).audit_entries(action=action, actor=actor, text=text)


def revert(ctx: Context, audit_id: int) -> None:
    _act(ctx, lambda actor: actions.revert(_store(ctx.path), actor, audit_id), "reverted")


def rounds_for_admin(ctx: Context) -> pd.DataFrame:
    return _store(ctx.path).rounds() if ctx.viewer.may_manage else pd.DataFrame()


def set_published(ctx: Context, year: int, published: bool) -> None:
    _act(ctx, lambda actor: actions.set_published(_store(ctx.path), actor, year, published),
         "published_done" if published else "unpublished_done")


def rubric_versions() -> list[str]:
    from evalcore.rubric import list_rubrics

    return list_rubrics()


def create_round(ctx: Context) -> None:
    """A new draft round from the form's values (admin); refused if the year exists."""
    year = int(st.session_state["data.new_year"])
    version = str(st.session_state["data.new_rubric"])
    _act(ctx, lambda actor: actions.create_round(_store(ctx.path), actor, year, version),
         "round_created")
