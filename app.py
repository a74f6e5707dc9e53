"""Entry point and frame: page config, the shared sidebar, navigation. No data logic here."""

import streamlit as st

from evalcore import ui
from evalcore.labels import t

st.set_page_config(page_title="老旧小区改造综合考评", page_icon="🏘️", layout="wide")

if not ui.store().exists():
    st.title("🏘️ " + t("app_title"))
    st.error(f"未找到数据库 {ui.db_path()}。Database not found.")
    st.code("make demo      # 或 python -m evalcore build-demo --db data/evaluation.duckdb")
    st.stop()

ctx = ui.sidebar_context()
PAGES = {
    "group_public": [
        ("pages/progress.py", "page_progress", "📈", "progress"),
        ("pages/map.py", "page_map", "🗺️", "map"),
    ],
    "group_evaluation": [
        ("pages/leaderboard.py", "page_leaderboard", "🏆", "leaderboard"),
        ("pages/criterion.py", "page_criterion", "🔍", "criteria"),
        ("pages/bonus.py", "page_bonus", "➕", "bonus"),
        ("pages/benchmark.py", "page_benchmark", "🎯", "benchmark"),
        ("pages/profile.py", "page_profile", "📋", "profile"),
    ],
    "group_method": [("pages/methodology.py", "page_methodology", "📐", "methodology")],
}
navigation = {
    ctx.t(group): [
        st.Page(path, title=ctx.t(title), icon=icon, url_path=url, default=(url == "progress"))
        for path, title, icon, url in pages
    ]
    for group, pages in PAGES.items()
}
st.navigation(navigation).run()
