"""Entry point and frame: page config, the shared selectors, navigation. No data logic here.

Served through serve.py (`streamlit run serve.py`), which prepares the process before the
first session; `streamlit run app.py` works too."""

import streamlit as st

from evalcore import ui
from evalcore.labels import t
from evalcore.navigation import DATA_PAGE, DEFAULT_PAGE, SCREEN_PAGE, sections

st.set_page_config(page_title="老旧小区改造综合考评", page_icon="🏘️", layout="wide")

if not ui.store().exists() or not ui.store().is_initialised():
    st.title("🏘️ " + t("app_title"))
    st.error(f"未找到数据库 {ui.db_path()}。Database not found.")
    st.code("make demo      # 或 python -m evalcore build-demo --db data/evaluation.duckdb")
    st.stop()

lang = ui.language()  # the menu's titles; the selector row below may change it on a rerun
viewer = ui.current_viewer()
data_page = ui.data_page_visibility(viewer)  # "visible", "hidden" or None
hidden = {SCREEN_PAGE: "hidden", DATA_PAGE: data_page}
navigation = {
    t(group, lang): [
        st.Page(p.script, title=t(p.title_key, lang), icon=p.icon, url_path=p.url_path,
                default=p.url_path == DEFAULT_PAGE, visibility=hidden.get(p, "visible"))
        for p in pages
    ]
    for group, pages in sections(with_data=data_page is not None).items()
}
page = st.navigation(navigation)
if page.url_path == SCREEN_PAGE.url_path:
    # The big screen is a kiosk: no menu (the same pages again, the menu hidden), no
    # sidebar, no selectors; it reads as the public whoever is signed in (pages/screen.py).
    st.navigation(navigation, position="hidden")
    ui.run_page(page, lang)
else:
    ui.frame_style()
    home = None if page.url_path in ("", DEFAULT_PAGE) else f"pages/{DEFAULT_PAGE}.py"
    ui.run_page(page, ui.frame_context(viewer, home).lang)
