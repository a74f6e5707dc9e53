"""The floor of a page rerun: a Streamlit script that draws one line and does nothing else."""

import streamlit as st

st.write("empty")
