"""Community search (public): was my community renovated, and what was done?"""

import streamlit as st

from evalcore import ui
from evalcore.figures.community import build_location_map, qr_png
from evalcore.views import community as cv

ctx = ui.context()
st.title("🏠 " + ctx.t("page_community"))
ui.demo_notice(ctx)
index = ui.community_index(ctx.source)
chosen = cv.valid_id(st.query_params.get("community"), index["id"])


def link(label: str, **params: str) -> None:
    st.page_link("pages/community.py", label=label, query_params={**params, "lang": ctx.lang,
                                                                  "round": str(ctx.year)})


if chosen is None:
    if st.query_params.get("community"):
        st.warning(ctx.t("cm_not_found"))
        del st.query_params["community"]
    st.write(ctx.t("cm_intro"))
    query = st.text_input(ctx.t("cm_search"), key="community.q", max_chars=cv.MAX_QUERY,
                          placeholder=ctx.t("cm_search_placeholder"))
    counties = index.drop_duplicates("county_code").sort_values("county_code")
    names = dict(zip(counties["county_code"], counties["city"] + " · " + counties["county"],
                     strict=True))
    county = ui.param_select("county", ["all", *names], "all", ctx.t("cm_county"),
                             lambda c: ctx.t("cm_all_counties") if c == "all" else names[c], st)
    hits, found = cv.search(index, query, None if county == "all" else county)
    if not cv.normalise(query) and county == "all":
        st.info(ctx.t("cm_start_hint"), icon="🔎")
    elif not found:
        st.info(ctx.t("cm_none"), icon="🔎")
    else:
        st.subheader(ctx.t("cm_results").format(n=found))
        for row in hits.itertuples(index=False):
            link(cv.result_label(row, ctx.lang), community=row.id)
        if found > len(hits):
            st.caption(ctx.t("cm_more").format(shown=len(hits)))
    st.stop()

row = ui.communities(ctx.source).set_index("id").loc[chosen].copy()
row["id"] = chosen
card = cv.community_card(row, ui.regions(ctx.source), ctx.lang)
link("← " + ctx.t("cm_back"))
with st.container(border=True, key="community.card"):
    st.header(cv.plain(card.name))
    st.markdown(f"**{card.status}** · {card.place}")
    as_of = ui.status_as_of(ctx.source, row["county_code"])
    st.caption(ctx.t("cm_status_as_of").format(as_of=as_of))
    facts = [*card.facts, (ctx.t("cm_items"), card.items),
             (ctx.t("cm_management"), card.management),
             (ctx.t("cm_satisfaction"), card.satisfaction or ctx.t("cm_satisfaction_none")),
             (ctx.t("cm_investment"), card.investment)]
    st.markdown("\n".join(f"- {cv.fact_line(label, text, ctx.lang)}" for label, text in facts))
    st.markdown(f"**{ctx.t('cm_funding')}**")
    funding = cv.funding_table(row, ctx.lang)
    st.dataframe(funding, hide_index=True, key="community.funding")
    st.caption(ui.source_caption(ctx, ctx.t("cm_amount_wan")))
    ui.download_buttons(ctx, funding, f"community-{chosen}-funding")

st.subheader(ctx.t("cm_location"))
neighbours = ui.communities(ctx.source).query("county_code == @row.county_code")
st.plotly_chart(ui.figure(ctx.source, "community.map", (chosen,),
                          lambda: build_location_map(row, neighbours)), key="community.map")
st.caption(ctx.t("cm_location_caption"))

st.subheader(ctx.t("cm_share_heading"))
url = ui.permalink("community", community=chosen, lang=ctx.lang)
st.markdown(f"{ctx.t('cm_permalink')}:")
st.code(url, language=None, wrap_lines=True)  # no inner scrolling: nothing to focus
st.image(qr_png(url), caption=ctx.t("cm_qr_caption"), width=200, alt=ctx.t("cm_qr_caption"))
