"""Launcher: `streamlit run serve.py [--server.port N ...]` serves app.py.

Streamlit runs this module once, when the server starts and before any session, so the process
is set up before the first visitor: the app's navigation is app.py's st.navigation only, never
Streamlit's legacy list of the files in pages/ (evalcore.ui.compat.navigation_only), and a
public replica on a snapshot directory has verified its snapshot (evalcore.snapshot).
"""

import streamlit as st
from starlette.responses import JSONResponse
from starlette.routing import Route

from evalcore.paths import ROOT, default_db_path
from evalcore.snapshot import readiness
from evalcore.ui.compat import navigation_only


def ready(request) -> JSONResponse:
    """`/readyz`: 200 once the database is readable (on a snapshot directory: a snapshot is
    accepted, and which), else 503; for a load balancer's or Kubernetes' readiness probe."""
    ok, facts = readiness(default_db_path())
    return JSONResponse({"ready": ok, **facts}, status_code=200 if ok else 503)


navigation_only()
readiness(default_db_path())  # a replica accepts its snapshot before the first visitor
app = st.App(str(ROOT / "app.py"), routes=[Route("/readyz", ready)])

if __name__ == "__main__":  # `python serve.py` works too
    app.run()
