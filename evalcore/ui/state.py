"""The shared choices of a session: round, level, stage, language, viewer, and the URL.

What belongs here: the Context pages receive, the sidebar that sets it (app.py calls
`sidebar_context`, pages call `context`), and selectors whose value lives in the URL
(`param_select`, `within_select`) so a link opens the same view. Session keys are namespaced
(`param.<name>`, `ctx.viewer`) and hold scalars only.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import streamlit as st

from evalcore import labels
from evalcore.access import Viewer, visible_views
from evalcore.labels import t
from evalcore.rubric import load_rubric
from evalcore.ui.compat import ensure_frame
from evalcore.ui.loaders import Source, areas, db_path, meta, regions, rounds
from evalcore.ui.session import current_viewer, login_box
from evalcore.vocab import LEVELS


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
    return _context()


def context() -> Context:
    """The shared choices as the sidebar set them in this run (pages call this)."""
    ensure_frame()
    return _context()


def _context() -> Context:
    viewer = Viewer.from_key(st.session_state["ctx.viewer"])
    source = Source(str(db_path()), viewer.key)
    year = int(st.session_state["param.round"])
    years = rounds(source)
    published = dict(zip(years["year"], years["published"], strict=True))
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


def within_select(ctx: Context) -> str | None:
    """For counties: the whole province or the counties of one city (`?within=330100`); only
    cities with a unit the viewer may see in this round are offered (a draft round shows a
    unit or group user its own units only)."""
    if ctx.level != "county":
        return None
    cities = regions(ctx.source).query("level == 'city'")
    cities = cities[cities["code"].isin(areas(ctx.source, ctx.year))]
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
