"""Leaderboard: who leads, who lags, who moved. Click a row to open the unit's profile."""

import streamlit as st

from evalcore import ui
from evalcore.figures.leaderboard import build_leaderboard_figure
from evalcore.views.leaderboard import caption, display_frame

ctx = ui.context()
st.title("🏆 " + ctx.t("page_leaderboard"))
ui.demo_notice(ctx)
within = ui.within_select(ctx)
board = ui.board(ctx.source, ctx.year, ctx.level, ctx.stage, within)
ui.stop_if_empty(ctx, board)
rubric = ui.round_inputs(ctx.source, ctx.year).rubric
uncertainty = ui.uncertainty(ctx.source, ctx.year, ctx.level, within) if ctx.stage == "final" else None
shown = display_frame(board, rubric, ctx.lang, uncertainty)

st.subheader(ui.view_title(ctx, within))
event = st.dataframe(shown, hide_index=True, on_select="rerun", selection_mode="single-row",
                     height=min(38 + 35 * len(shown), 640),
                     key="leaderboard.table")
st.caption(ui.source_caption(ctx, caption(rubric, ctx.lang)))
ui.download_buttons(ctx, shown, f"leaderboard-{ctx.year}-{ctx.level}-{ctx.stage}")
if event.selection.rows:
    ui.open_profile(ctx, board.iloc[event.selection.rows[0]]["unit_code"])

title = ctx.t("leaderboard_chart") + " · " + ui.view_title(ctx, within)
figure = ui.figure(ctx.source, "leaderboard", (ctx.year, ctx.level, ctx.stage, within, ctx.lang, title),
                   lambda: build_leaderboard_figure(board, rubric, ctx.lang, title))
st.plotly_chart(figure, key="leaderboard.chart")
st.caption(ui.source_caption(ctx, ctx.t("points_caption")))
