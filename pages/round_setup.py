"""Round setup: a round's deadlines, its 11 inspection groups and its targets per unit, with
checks before saving, templates and imports, and the history of changes. For accounts the
access policy lets write round_setup:* (administrators)."""

import streamlit as st

from evalcore import ui
from evalcore.ui import setup

ctx = ui.context()
st.title("🗓️ " + ctx.t("page_round_setup"))
if ui.read_only_deployment():
    st.info(ctx.t("data_read_only"))
    st.stop()
if not setup.may_set_up(ctx.viewer):
    st.error(ctx.t("setup_page_refused"))
    st.stop()

ui.show_outcome()
year = st.selectbox(ctx.t("round"), ui.round_years(ctx), key="setup.round")
for note in setup.notes(ctx, year):
    st.warning(note)
tabs = st.tabs([ctx.t("setup_tab_deadlines"), ctx.t("setup_tab_groups"),
               ctx.t("setup_tab_targets"), ctx.t("setup_history")])

with tabs[0]:
    default = setup.deadline_defaults(ctx, year)
    st.caption(ctx.t("setup_deadlines_caption"))
    due = st.date_input(ctx.t("setup_self_due"), value=default.get("self", (None, None))[1],
                        key=f"setup.self_due.{year}")
    cross = st.date_input(ctx.t("setup_cross_window"), value=default.get("cross", ()),
                          key=f"setup.cross.{year}")
    third = st.date_input(ctx.t("setup_third_party_window"),
                          value=default.get("third_party", ()), key=f"setup.third.{year}")
    windows, problems = setup.checked_deadlines(ctx, year, due, cross, third)
    for problem in problems:
        st.warning(problem)
    st.button(ctx.t("save_deadlines"), type="primary", key="setup.save_deadlines",
              on_click=setup.save_deadlines, args=(ctx, year, windows))
    setup.import_box(ctx, "deadlines", year)

with tabs[1]:
    base, suggested = setup.groups_table(ctx, year)
    st.caption(ctx.t("setup_groups_suggested" if suggested else "setup_groups_stored") + " "
               + ctx.t("setup_rotation_caption").format(k=setup.rotation_step(ctx, year)))
    st.button(ctx.t("suggest_rotation"), key="setup.suggest", on_click=setup.suggest,
              args=(year,))
    edited = st.data_editor(base, key=f"setup.groups_editor.{year}", hide_index=True,
                            num_rows="fixed", column_config=setup.group_columns(ctx),
                            height=ui.table_height(len(base)))
    groups, problems = setup.edited_groups(ctx, edited)
    if problems:
        st.warning(ctx.t("setup_groups_problems") + "\n\n" + "\n".join(f"- {p}" for p in problems))
    st.button(ctx.t("save_groups"), type="primary", key="setup.save_groups",
              on_click=setup.save_groups, args=(ctx, year, groups, suggested))
    setup.import_box(ctx, "groups", year)

with tabs[2]:
    st.caption(ctx.t("setup_targets_caption"))
    base = setup.targets_table(ctx, year)
    edited = st.data_editor(base, key=f"setup.targets_editor.{year}", hide_index=True,
                            num_rows="fixed", column_config=setup.target_columns(ctx),
                            height=ui.table_height(len(base)))
    rows, problems = setup.edited_targets(ctx, year, edited)
    if problems:
        st.warning(ctx.t("setup_targets_problems") + "\n\n" + "\n".join(f"- {p}" for p in problems))
    st.button(ctx.t("save_targets"), type="primary", key="setup.save_targets",
              on_click=setup.save_targets, args=(ctx, year, rows),
              disabled=rows.empty or bool(problems))
    setup.import_box(ctx, "targets", year)

with tabs[3]:
    shown, revertible = setup.history(ctx, year)
    if shown.empty:
        st.info(ctx.t("setup_no_history"))
    else:
        st.dataframe(shown, hide_index=True)
        ui.download_buttons(ctx, shown, f"setup-{year}")
    if revertible:
        entry = st.selectbox(ctx.t("setup_revert_entry"), revertible, key="setup.revert_id")
        st.button(ctx.t("setup_revert"), key="setup.revert", on_click=ui.revert,
                  args=(ctx, int(entry)))
