"""Launcher: `streamlit run serve.py [--server.port N ...]` serves app.py.

Streamlit runs this module once, when the server starts and before any session, so the process
is set up before the first visitor: the app's navigation is app.py's st.navigation only, never
Streamlit's legacy list of the files in pages/ (evalcore.ui.compat.navigation_only).
"""

import streamlit as st

from evalcore.paths import ROOT
from evalcore.ui.compat import navigation_only

navigation_only()
app = st.App(str(ROOT / "app.py"))

if __name__ == "__main__":  # `python serve.py` works too
    app.run()
