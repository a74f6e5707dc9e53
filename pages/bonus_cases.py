"""Bonus cases (加分项) and deductions: a unit claims cases with evidence files; the verifying
stage accepts or rejects each with a reason, beside the unit's own funding in that channel;
the third party and administrators enter deductions and vetoes. The points the unit would get
now, under the caps, shown as cases are claimed and reviewed. For accounts the access policy
lets claim, review or enter deductions (bonus:claim, bonus:review:<stage>, deductions)."""

import streamlit as st

from evalcore import actions_bonus, ui
from evalcore.ui import bonus_forms as forms
from evalcore.ui import bonus_workspace as bc
from evalcore.views import bonus_cases as view

ctx = ui.context()
st.title("🧾 " + ctx.t("page_bonus_cases"))
if ui.read_only_deployment():
    st.info(ctx.t("data_read_only"))
    st.stop()
if not bc.may_use(ctx.viewer):
    st.error(ctx.t("bc_page_refused"))
    st.stop()

ui.show_outcome()
left, right = st.columns(2)
year = left.selectbox(ctx.t("round"), ui.round_years(ctx), key="bc.round")
units = bc.units(ctx, year)
if not units:
    st.info(ctx.t("bc_no_units").format(year=year))
    st.stop()
unit = right.selectbox(ctx.t("unit_name"), list(units), format_func=units.get, key="bc.unit")
rubric = bc.rubric(ctx, year)
claims = bc.rows(ctx, "claims", year)

now = view.points_now(rubric, claims, unit)
one, two, three = st.columns(3)
one.metric(ctx.t("bc_points_now"), f"{now['awarded']:g}")
two.metric(ctx.t("bc_points_if_all"), f"{now['claimed']:g}")
three.metric(ctx.t("bc_total_cap"), f"{now['cap']:g}")
st.dataframe(view.caps_frame(rubric, claims, unit, ctx.lang), hide_index=True,
             key="bc.caps")
st.caption(ctx.t("bc_caps_caption"))

# Keyed, so the tab in use stays open after a form's rerun.
tabs = st.tabs([ctx.t("bonus_cases"), ctx.t("bc_review_tab"), ctx.t("bc_deductions"),
                ctx.t("bc_files_tab")], key="bc.tab", on_change="rerun")
cases = view.unit_cases(claims, bc.rows(ctx, "evidence", year), rubric, unit)
with tabs[0]:
    shown = view.cases_frame(cases, rubric, ctx.lang)
    if shown.empty:
        st.info(ctx.t("bc_no_cases"))
    else:
        st.dataframe(shown, hide_index=True, key="bc.cases")
        ui.download_buttons(ctx, shown, f"bonus-cases-{year}-{unit}")
    if actions_bonus.may_claim(ctx.viewer):
        st.subheader(ctx.t("bc_claim_heading"))
        st.caption(ctx.t("bc_claim_caption"))
        forms.claim_form(ctx, year, unit, rubric, cases)

with tabs[1]:
    if actions_bonus.review_stages(ctx.viewer):
        forms.review_form(ctx, year, unit, rubric, cases)
    else:
        st.info(ctx.t("bc_not_a_reviewer"))

with tabs[2]:
    entries = view.deductions_frame(bc.rows(ctx, "deductions", year), rubric, unit, ctx.lang)
    st.dataframe(entries, hide_index=True, key="bc.deductions")
    ui.download_buttons(ctx, entries, f"deductions-{year}-{unit}")
    st.caption(ctx.t("bc_deductions_caption"))
    if actions_bonus.may_enter_deductions(ctx.viewer):
        forms.deduction_form(ctx, year, unit, rubric)

with tabs[3]:
    for kind in bc.kinds_allowed(ctx.viewer):
        st.subheader(ctx.t(f"bc_kind_{kind}"))
        bc.import_box(ctx, kind, year)
