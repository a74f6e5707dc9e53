"""Entry point and frame: page config, the shared sidebar, navigation. No data logic here."""

import streamlit as st

from evalcore import ui
from evalcore.labels import t
from evalcore.navigation import DEFAULT_PAGE, sections

st.set_page_config(page_title="老旧小区改造综合考评", page_icon="🏘️", layout="wide")

if not ui.store().exists() or not ui.store().is_initialised():
    st.title("🏘️ " + t("app_title"))
    st.error(f"未找到数据库 {ui.db_path()}。Database not found.")
    st.code("make demo      # 或 python -m evalcore build-demo --db data/evaluation.duckdb")
    st.stop()

ctx = ui.sidebar_context()
navigation = {
    ctx.t(group): [
        st.Page(p.script, title=ctx.t(p.title_key), icon=p.icon, url_path=p.url_path,
                default=p.url_path == DEFAULT_PAGE)
        for p in pages
    ]
    for group, pages in sections(with_data=ui.may_import(ctx.viewer)).items()
}
st.navigation(navigation).run()
