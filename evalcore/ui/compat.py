"""Every use of a library internal, in one place, each pinned by tests/test_ui_compat.py.

Only what no public API offers (streamlit 1.67, plotly 7.1, pydeck 0.9) belongs here; the test
checks the installed versions equal the pins in requirements.txt and that each internal still
exists and behaves, so an upgrade fails there, loudly, instead of in a page.

- `PagesManager.uses_pages_directory`: an app whose main script has a `pages/` folder beside it
  runs in Streamlit's legacy multipage mode (every file in `pages/` listed as navigation, and a
  deep link running its page script without app.py) until the process's first `st.navigation`
  call. No option turns that off; the launcher (serve.py) switches it off before the first
  session (`navigation_only`), and `ensure_frame` covers a server started on app.py directly.
- `get_script_run_ctx().session_id`: the session's id, what a sign-in from loopback counts
  its failures by (evalcore.ui.session.sign_in_source); `st.context` has no session id.
- `go.Figure(spec, _validate=False)`: a figure rebuilt from a spec that was validated when it
  was built (validating again costs 10–40 ms a figure, most of a page's rerun).
- `SpecDeck.to_json`: `st.pydeck_chart` shows a deck as its `to_json()`; a cached spec is
  returned as is instead of serialising the deck again.

One more lives outside, since it needs no Streamlit and evalcore.figures may not import it:
figures.map.CompactDeck uses pydeck's encoder hook (`json_tools.default_serialize`); the same
test pins it.
"""

from __future__ import annotations

import plotly.graph_objects as go
import pydeck as pdk
import streamlit as st
from streamlit.runtime.pages_manager import PagesManager
from streamlit.runtime.scriptrunner import get_script_run_ctx


def navigation_only() -> None:
    """Switch Streamlit's legacy `pages/` mode off for this process (app.py's st.navigation is
    the only navigation). Call before the first session: serve.py does, at import."""
    PagesManager.uses_pages_directory = False


def ensure_frame() -> None:
    """Called first by every page: if this run is in legacy mode, the page script runs alone,
    without app.py (a first session's deep link on a server started on app.py itself, and every
    AppTest run, which resets the mode). Switch legacy mode off and rerun: the rerun goes
    through app.py and lands on the same page."""
    if PagesManager.uses_pages_directory:
        navigation_only()
        st.rerun()


def session_id() -> str:
    """This browser session's id (st.context offers none): "" outside a script run."""
    ctx = get_script_run_ctx()
    return ctx.session_id if ctx is not None else ""


def figure_from_spec(spec: dict) -> go.Figure:
    """A plotly figure from a spec validated when it was built, without validating again."""
    return go.Figure(spec, _validate=False)


class SpecDeck(pdk.Deck):
    """A deck whose JSON was made before (a cached spec): shown as is, not serialised again."""

    def __init__(self, spec: str, tooltip: dict | bool = True) -> None:
        super().__init__(layers=[], map_provider=None, tooltip=tooltip)
        self._spec = spec

    def to_json(self) -> str:
        return self._spec
