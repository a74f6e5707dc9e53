"""Online entry beside Excel: a unit's stage scored in a form built from the rubric, saved as a
draft, submitted (locked), reopened by an administrator; evidence files per indicator. For
accounts the access policy lets write some stage's scores."""

import streamlit as st

from evalcore import ui
from evalcore.ui import entry

ctx = ui.context()
st.title("✍️ " + ctx.t("page_entry"))
if ui.read_only_deployment():
    st.info(ctx.t("data_read_only"))
    st.stop()
if not entry.may_enter(ctx.viewer):
    st.error(ctx.t("entry_refused"))
    st.stop()

ui.show_outcome()
years = entry.draft_years(ctx)
if not years:
    st.info(ctx.t("entry_no_rounds"))
    st.stop()
c_year, c_stage, c_unit = st.columns(3)
year = c_year.selectbox(ctx.t("round"), years, key="entry.round")
# Keyed by language: a selectbox keeps its options' first labels while its key stays.
stage = c_stage.selectbox(ctx.t("stage"), entry.stages(ctx), format_func=ctx.t,
                          key=f"entry.stage.{ctx.lang}")
units = entry.units(ctx, year, stage)
if not units:
    st.info(ctx.t("entry_no_units"))
    st.stop()
unit = c_unit.selectbox(ctx.t("entry_unit"), units, format_func=entry.unit_name(ctx),
                        key="entry.unit")

state = entry.state(ctx, year, stage, unit)
kind, text = entry.state_text(ctx, state)
getattr(st, kind)(text)
rows = entry.form_rows(ctx, year, stage, unit)

with st.form(f"entry.form.{year}.{stage}.{unit}"):
    st.caption(ctx.t("entry_caption"))
    st.text_input(ctx.t("entry_evaluator"), key="entry.evaluator", max_chars=60)
    for row in rows:
        with st.container(border=True):
            st.markdown(f"**{row.code} · {row.name}**")
            st.caption(entry.row_caption(ctx, row))
            if row.derived:
                st.write(ctx.t("entry_derived").format(value=entry.value_text(ctx, row)))
                continue
            c_points, c_note = st.columns([1, 3])
            c_points.number_input(ctx.t("entry_points").format(max=f"{row.max:g}"),
                                  min_value=0.0, max_value=row.max, step=row.step,
                                  value=row.value, disabled=state.locked,
                                  key=entry.points_key(year, stage, unit, row.code))
            c_note.text_input(ctx.t("entry_note"), value=row.note, max_chars=500,
                              disabled=state.locked,
                              key=entry.note_key(year, stage, unit, row.code))
    st.form_submit_button(ctx.t("entry_save"), type="primary", disabled=state.locked,
                          on_click=entry.save,
                          args=(ctx, year, stage, unit, [r.code for r in rows if not r.derived]))

st.subheader(ctx.t("entry_evidence_header"))
st.caption(entry.evidence_caption(ctx))
files = entry.evidence_table(ctx, year, stage, unit)
if files.empty:
    st.info(ctx.t("entry_evidence_none"))
for file in files.itertuples():
    st.download_button(entry.download_label(file),
                       lambda sha=file.sha256: entry.evidence_bytes(ctx, year, unit, sha),
                       file_name=file.file_name, key=f"entry.download.{file.Index}")
if not state.locked:
    c_ind, c_file = st.columns([1, 3])
    c_ind.selectbox(ctx.t("entry_evidence_indicator"), [r.code for r in rows],
                    key="entry.evidence_indicator")
    c_file.file_uploader(ctx.t("entry_evidence_file"),
                         type=["pdf", "jpg", "jpeg", "png", "docx", "xlsx"],
                         key=entry.uploader_key())
    st.button(ctx.t("entry_evidence_add"), key="entry.evidence_add", on_click=entry.add_evidence,
              args=(ctx, year, stage, unit))

st.subheader(ctx.t("entry_submit_header"))
if state.locked:
    if entry.may_reopen(ctx):
        st.text_input(ctx.t("entry_reopen_reason"), key="entry.reopen_reason", max_chars=300)
        st.button(ctx.t("entry_reopen"), key="entry.reopen", on_click=entry.reopen,
                  args=(ctx, year, stage, unit))
else:
    if missing := entry.missing_text(ctx, rows):
        st.warning(missing)
    confirmed = st.checkbox(ctx.t("entry_confirm"), key="entry.confirm")
    st.button(ctx.t("entry_submit"), key="entry.submit", disabled=not confirmed,
              on_click=entry.submit, args=(ctx, year, stage, unit))
