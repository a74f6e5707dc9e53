"""Entry point and frame: page config, the shared sidebar, navigation. No data logic here.

Served through serve.py (`streamlit run serve.py`), which prepares the process before the
first session; `streamlit run app.py` works too."""

import streamlit as st

from evalcore import ui
from evalcore.labels import t
from evalcore.navigation import DATA_PAGE, DEFAULT_PAGE, SETUP_PAGE, sections

st.set_page_config(page_title="老旧小区改造综合考评", page_icon="🏘️", layout="wide")
ui.pin_db_path()  # the file this whole run reads (a public replica: the newest snapshot)

if problem := ui.database_problem():
    st.title("🏘️ " + t("app_title"))
    st.error(problem)
    st.code("make demo      # 或 python -m evalcore build-demo --db data/evaluation.duckdb\n"
            "python -m evalcore migrate --db FILE   # 旧版本数据库 / an older schema")
    st.stop()

ctx = ui.sidebar_context()
# "visible", "hidden" or None (not listed), by the access policy
managed = {DATA_PAGE: ui.data_page_visibility(ctx.viewer),
           SETUP_PAGE: ui.setup_page_visibility(ctx.viewer)}
navigation = {
    ctx.t(group): [
        st.Page(p.script, title=ctx.t(p.title_key), icon=p.icon, url_path=p.url_path,
                default=p.url_path == DEFAULT_PAGE, visibility=managed.get(p) or "visible")
        for p in pages
    ]
    for group, pages in sections(with_data=managed[DATA_PAGE] is not None,
                                 with_setup=managed[SETUP_PAGE] is not None).items()
}
ui.run_page(st.navigation(navigation), ctx.lang)
