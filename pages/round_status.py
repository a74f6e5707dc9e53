"""Round status: for the round, which units have submitted each stage, what is missing,
deadlines and overdue items, open problems, and the units ranked on unverified indicators.
For accounts the access policy lets read `submissions` (each sees its own units)."""

import streamlit as st

from evalcore import ui
from evalcore.ui import status
from evalcore.views import round_status as view

ctx = ui.context()
st.title("🚦 " + ctx.t("page_round_status"))
if not status.may_see(ctx.viewer):
    st.error(ctx.t("status_page_refused"))
    st.stop()
ui.demo_notice(ctx)
state = status.round_status(ctx.source, ctx.year, ctx.level)
if state.units.empty:
    st.info(ctx.t("status_no_units"), icon="ℹ️")
    st.stop()
st.caption(ctx.t("status_intro").format(year=ctx.year, as_of=state.as_of.isoformat()))
if ctx.is_demo:
    st.caption(ctx.t("status_as_of_demo").format(as_of=state.as_of.isoformat()))
name = f"{ctx.year}-{ctx.level}"

st.subheader(ctx.t("status_deadlines"))
deadlines = view.deadlines_frame(state, ctx.lang)
st.dataframe(deadlines, hide_index=True, key="status.deadlines")

st.subheader(ctx.t("status_units"))
units = view.units_frame(state, ctx.lang)
st.dataframe(units, hide_index=True, height=ui.table_height(len(units)), key="status.units")
st.caption(ui.source_caption(ctx, ctx.t("status_units_caption")))
ui.download_buttons(ctx, units, f"round-status-{name}")

st.subheader(ctx.t("status_unverified"))
st.write(view.unverified_summary(state, ctx.lang))
if state.unverified.empty:
    st.success(ctx.t("status_all_verified"))
else:
    shown = view.unverified_frame(state, ctx.lang)
    st.dataframe(shown, hide_index=True, height=ui.table_height(len(shown)),
                 key="status.unverified")
    ui.download_buttons(ctx, shown, f"round-unverified-{name}")

st.subheader(ctx.t("status_problems"))
if state.problems.empty:
    st.success(ctx.t("status_nothing_overdue"))
else:
    shown = view.problems_frame(state, ctx.lang)
    st.dataframe(shown, hide_index=True, height=ui.table_height(len(shown)),
                 key="status.problems")

st.subheader(ctx.t("status_missing"))
st.caption(ctx.t("status_missing_caption"))
if state.missing.empty:
    st.success(ctx.t("status_nothing_missing"))
else:
    shown = view.missing_frame(state, ctx.lang)
    st.dataframe(shown, hide_index=True, height=ui.table_height(len(shown)),
                 key="status.missing")

st.subheader(ctx.t("status_cases_pending"))
if state.cases.empty:
    st.success(ctx.t("status_no_cases_pending"))
else:
    shown = view.cases_frame(state, ctx.lang)
    st.dataframe(shown, hide_index=True, height=ui.table_height(len(shown)), key="status.cases")
