"""Home: who is this for, and where each kind of user finds an answer in one click."""

import streamlit as st

from evalcore import ui
from evalcore.navigation import PAGES
from evalcore.views.common import dimension_summary

ctx = ui.context()
st.title("🏘️ " + ctx.t("app_title"))
ui.demo_notice(ctx)
rubric = ui.round_inputs(ctx.source, ctx.year).rubric
st.write(ctx.t("home_intro").format(**dimension_summary(rubric, ctx.lang)))

by_url = {p.url_path: p for p in PAGES}
AUDIENCES = (
    ("home_public", ("progress", "map")),
    ("home_leaders", ("leaderboard", "map", "methodology")),
    ("home_units", ("benchmark", "profile", "criteria", "bonus")),
)
for column, (audience, urls) in zip(st.columns(len(AUDIENCES)), AUDIENCES, strict=True):
    with column.container(border=True):
        st.subheader(ctx.t(audience))
        st.caption(ctx.t(audience + "_question"))
        for url in urls:
            page = by_url[url]
            st.page_link(page.script, label=ctx.t(page.title_key), icon=page.icon,
                         query_params={"round": str(ctx.year), "lang": ctx.lang})
