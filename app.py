"""Entry point and frame: page config, the shared selectors, navigation. No data logic here.

Served through serve.py (`streamlit run serve.py`), which prepares the process before the
first session; `streamlit run app.py` works too."""

import streamlit as st

from evalcore import ui
from evalcore.labels import t
from evalcore.navigation import (
    BONUS_CASES_PAGE,
    DATA_PAGE,
    DEFAULT_PAGE,
    SCREEN_PAGE,
    SETUP_PAGE,
    sections,
)

st.set_page_config(page_title="老旧小区改造综合考评", page_icon="🏘️", layout="wide")
ui.pin_db_path()  # the file this whole run reads (a public replica: the newest snapshot)

if problem := ui.database_problem():
    st.title("🏘️ " + t("app_title"))
    st.error(problem)
    st.code("make demo      # 或 python -m evalcore build-demo --db data/evaluation.duckdb\n"
            "python -m evalcore migrate --db FILE   # 旧版本数据库 / an older schema")
    st.stop()

lang = ui.language()  # the menu's titles; the selector row below may change it on a rerun
viewer = ui.current_viewer()
# "visible", "hidden" or None (not listed), by the access policy; the big screen is routed
# but not listed (the home page links to it).
managed = {DATA_PAGE: ui.data_page_visibility(viewer),
           SETUP_PAGE: ui.setup_page_visibility(viewer),
           BONUS_CASES_PAGE: ui.bonus_cases_visibility(viewer)}
visibility = {**managed, SCREEN_PAGE: "hidden"}
navigation = {
    t(group, lang): [
        st.Page(p.script, title=t(p.title_key, lang), icon=p.icon, url_path=p.url_path,
                default=p.url_path == DEFAULT_PAGE, visibility=visibility.get(p) or "visible")
        for p in pages
    ]
    for group, pages in sections(with_data=managed[DATA_PAGE] is not None,
                                 with_setup=managed[SETUP_PAGE] is not None,
                                 with_bonus_cases=managed[BONUS_CASES_PAGE] is not None).items()
}
# Expanded: an administrator's menu (13 pages and more) would otherwise fold its last
# section, the management pages, behind "View N more".
page = st.navigation(navigation, expanded=True)
if page.url_path == SCREEN_PAGE.url_path:
    # The big screen is a kiosk: no menu (the same pages again, the menu hidden), no
    # sidebar, no selectors; it reads as the public whoever is signed in (pages/screen.py).
    st.navigation(navigation, position="hidden")
    ui.run_page(page, lang)
else:
    ui.frame_style()
    home = None if page.url_path in ("", DEFAULT_PAGE) else f"pages/{DEFAULT_PAGE}.py"
    ui.run_page(page, ui.frame_context(viewer, home).lang)
