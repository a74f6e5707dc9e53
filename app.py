"""Entry point: the frame of the dashboard (until the pages land, an overview of the store)."""

import streamlit as st

from evalcore import ui

st.set_page_config(page_title="老旧小区改造综合考评", page_icon="🏘️", layout="wide")
st.title("🏘️ 浙江省城镇老旧小区改造综合考评")

path = ui.db_path()
if not ui.store().exists():
    st.error(f"未找到数据库 {path}。Database not found.")
    st.code("make demo      # 或 python -m evalcore build-demo --db data/evaluation.duckdb")
    st.stop()

meta = ui.meta(str(path))
if meta.get("dataset") == "demo":
    st.warning(f"{meta['note_zh']}\n\n{meta['note_en']}", icon="🧪")

counts = ui.table_counts(str(path))
cols = st.columns(4)
cols[0].metric("行政区 Regions", counts["regions"])
cols[1].metric("改造小区 Communities", counts["communities"])
cols[2].metric("考评年度 Rounds", counts["rounds"])
cols[3].metric("评分记录 Score rows", counts["scores"])
st.dataframe(ui.rounds(str(path)), hide_index=True)
