"""Data management: templates, imports with validation and preview, audit and revert,
publishing. Refused to the public; each role acts within its rights (evalcore.importer.rights)."""

import streamlit as st

from evalcore import ui
from evalcore.importer.problems import problem_count
from evalcore.ui import bonus_workspace
from evalcore.views.data import (
    audit_frame,
    preview_frame,
    problems_frame,
    revertible,
    sign_in_frame,
)
from evalcore.vocab import audit_label_key

ctx = ui.context()
st.title("🗂️ " + ctx.t("page_data"))
if ui.read_only_deployment():
    st.info(ctx.t("data_read_only"))
    st.stop()
if not ui.may_import(ctx.viewer):
    st.error(ctx.t("data_refused"))
    st.stop()

ui.show_outcome()
tabs = st.tabs([ctx.t("tab_import"), ctx.t("tab_audit")] +
               ([ctx.t("tab_publish")] if ctx.viewer.may_manage else []))

with tabs[0]:
    year = st.selectbox(ctx.t("round"), ui.round_years(ctx), key="data.round")
    stages = ui.importable_stages(ctx)
    stage = st.selectbox(ctx.t("stage"), stages, format_func=ctx.t, key="data.stage")
    st.download_button(ctx.t("download_template"), lambda: ui.template_bytes(ctx, year, stage),
                       file_name=f"template-{year}-{stage}.xlsx", key="data.template")
    upload = st.file_uploader(ctx.t("upload"), type=["csv", "xlsx"], key="data.upload")
    if upload is not None:
        prepared, problems = ui.prepare_upload(ctx, upload, year, stage)
        if problems:
            st.error(ctx.t("import_refused").format(n=problem_count(problems)))
            st.dataframe(problems_frame(problems, ctx.lang), hide_index=True)
        else:
            r = prepared.result
            st.success(ctx.t("import_ready").format(new=r.new, changed=r.changed,
                                                    unchanged=r.unchanged))
            st.dataframe(preview_frame(prepared.preview, ["unit_code", "indicator_code"],
                                       ctx.lang), hide_index=True)
            st.button(ctx.t("confirm_import"), type="primary", key="data.confirm",
                      on_click=ui.apply_upload, args=(ctx, prepared))
    # Bonus cases and deductions: the same import as on the bonus cases page.
    for kind in bonus_workspace.kinds_allowed(ctx.viewer):
        with st.expander(ctx.t(f"bc_kind_{kind}")):
            bonus_workspace.import_box(ctx, kind, year, prefix="data")

with tabs[1]:
    action = st.selectbox(ctx.t("action"), ui.audit_actions(), key="data.action",
                          format_func=lambda a: ctx.t(audit_label_key(a)))
    text = st.text_input(ctx.t("search"), key="data.text", max_chars=100) or None
    log = ui.audit_log(ctx, action, text)
    shown = audit_frame(log, ctx.lang)
    st.dataframe(shown, hide_index=True)
    ui.download_buttons(ctx, shown, "audit-log")
    candidates = revertible(log) if ctx.viewer.may_manage else []
    if candidates:
        entry = st.selectbox(ctx.t("revert_entry"), candidates, key="data.revert_id")
        st.button(ctx.t("revert"), key="data.revert", on_click=ui.revert,
                  args=(ctx, int(entry)))
    st.subheader(ctx.t("sign_in_events"))
    events = sign_in_frame(ui.sign_in_events(ctx), ctx.lang)
    st.dataframe(events, hide_index=True)
    ui.download_buttons(ctx, events, "sign-in-events")
    if locked := ui.locked_accounts(ctx):
        name = st.selectbox(ctx.t("locked_account"), locked, key="data.unlock_name")
        st.button(ctx.t("unlock_account"), key="data.unlock", on_click=ui.unlock_account,
                  args=(ctx, name))

if ctx.viewer.may_manage:
    with tabs[2]:
        with st.form("data.new_round", clear_on_submit=True):
            st.subheader(ctx.t("create_round"))
            st.number_input(ctx.t("round"), min_value=2019, max_value=2100,
                            value=max(ui.round_years(ctx)) + 1, step=1, key="data.new_year")
            st.selectbox(ctx.t("rubric_version"), ui.rubric_versions(), key="data.new_rubric")
            st.form_submit_button(ctx.t("create_round"), on_click=ui.create_round, args=(ctx,))
        for row in ui.rounds_for_admin(ctx).itertuples():
            label = ctx.t("unpublish") if row.published else ctx.t("publish")
            col_year, col_state, col_button = st.columns([1, 2, 2])
            col_year.write(f"**{row.year}**")
            col_state.write(ctx.t("published") if row.published else ctx.t("draft"))
            col_button.button(f"{label} {row.year}", key=f"data.publish.{row.year}",
                              on_click=ui.set_published,
                              args=(ctx, int(row.year), not row.published))
