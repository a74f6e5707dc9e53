import streamlit as st

from evalcore import ui

ctx = ui.context()
st.title(ctx.t("page_benchmark"))
