"""Big screen (大屏): an unattended 1920×1080 display of the public's latest published round.

`/screen?rotate=15&theme=dark&lang=zh&panel=map` (all optional, validated: views.screen).
The body is a fragment that runs again every `rotate` seconds: it re-reads the loaders, so a
round published on the data page (which clears the caches) shows at the next rotation, and
it moves to the next panel. It reads as the public whoever is signed in.
"""

from datetime import datetime

import streamlit as st

from evalcore import ui
from evalcore.figures.progress import build_progress_map, build_trend_figure
from evalcore.figures.screen import build_city_rates, for_screen
from evalcore.labels import t
from evalcore.views import screen as sv

lang = ui.language()
rotate = sv.parse_rotate(st.query_params.get("rotate"))
theme = sv.parse_choice(st.query_params.get("theme"), sv.THEMES, "light")
pinned = sv.parse_choice(st.query_params.get("panel"), sv.PANELS, None)
ui.kiosk_style(theme == "dark")
PANEL_HEIGHT = 800


def panel_figure(ctx, panel: str, progress, title: str):
    """The panel's figure, cached per round, language and theme like every figure."""
    def build():
        if panel == "map":
            province = ui.regions(ctx.source).query("level == 'province'")["code"].iloc[0]
            zoom = ui.region_view(province, 700, PANEL_HEIGHT)["zoom"]
            points = ui.community_points(ctx.source, ctx.year, lang)
            return for_screen(build_progress_map(ui.map_outlines("city", zoom), points, lang,
                                                 height=PANEL_HEIGHT), theme, PANEL_HEIGHT)
        if panel == "cities":
            return build_city_rates(sv.city_rates(progress), lang, None, theme, PANEL_HEIGHT)
        trend = ui.progress_trend(ctx.source)
        return for_screen(build_trend_figure(trend, ctx.year, lang, ""), theme, PANEL_HEIGHT)
    return ui.figure(ctx.source, f"screen.{panel}", (ctx.year, lang, theme, title), build)


@st.fragment(run_every=rotate)
def screen() -> None:
    tick = st.session_state.get("screen.tick", -1) + 1
    st.session_state["screen.tick"] = tick
    ctx = ui.screen_context(lang)
    if ctx is None:
        st.title("🏘️ " + t("app_title", lang))
        st.info(t("no_rounds", lang))
        return
    progress = ui.progress(ctx.source, ctx.year)
    cumulative = ui.progress(ctx.source, ctx.year, cumulative=True)
    head = sv.headline(progress, ctx.year, lang)
    panel = sv.panel_for(tick, pinned)

    top, stamp = st.columns([5, 2], vertical_alignment="bottom")
    top.title("🏘️ " + ctx.t("screen_title").format(year=ctx.year))
    demo = f"🧪 {ctx.t('demo_badge')} · " if ctx.is_demo else ""
    stamp.container(key="screen-stamp").markdown(
        demo + ctx.t("screen_updated").format(time=datetime.now().strftime("%H:%M")))

    left, right = st.columns([3, 2], gap="large")
    with left, st.container(key="screen-body"):
        title = ctx.t(f"screen_panel_{panel}").format(year=ctx.year)
        st.subheader(title)
        if panel == "ranking":
            inputs = ui.round_inputs(ctx.source, ctx.year)
            board = ui.board(ctx.source, ctx.year, "city", "final", None)
            st.table(sv.ranking(board, inputs.rubric, lang), hide_index=True)
        else:
            st.plotly_chart(panel_figure(ctx, panel, progress, title), key=f"screen.{panel}",
                            config={"displayModeBar": False, "staticPlot": True})
        st.caption(ui.source_caption(ctx, ctx.t(f"screen_panel_{panel}_caption")))
    with right:
        with st.container(key="screen-headline", border=True):
            st.metric(ctx.t("screen_rate").format(year=ctx.year), head.rate_text)
            st.progress(min(head.rate or 0.0, 1.0))
            st.markdown(ctx.t("screen_started_of").format(started=head.started,
                                                         target=head.target))
        with st.container(key="screen-tiles", horizontal=True):
            for label, value, against in head.tiles:
                with st.container(border=True):
                    st.metric(label, value)
                    st.caption(against or " ")
        with st.container(key="screen-counter", border=True):
            year_count, since = sv.counter(progress, cumulative, lang)
            st.metric(ctx.t("screen_counter").format(year=ctx.year), year_count)
            st.markdown(ctx.t("screen_since").format(n=since))
        st.container(key="screen-dots").markdown("  ".join(
            ("●" if p == panel else "○") + " " + ctx.t(f"screen_dot_{p}") for p in sv.PANELS))


screen()
