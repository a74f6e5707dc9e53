"""The round status page's bridge (issue 11): its cached loader and who is offered the page.

Pages import it as `from evalcore.ui import status`. The rules are in evalcore.round_status
(no Streamlit); the rows come from the Store's readers bound to the access policy."""

from __future__ import annotations

import streamlit as st

from evalcore.access import Viewer
from evalcore.reader import Reader
from evalcore.round_status import RoundStatus, offered
from evalcore.ui.loaders import TTL, Source, _reader


@st.cache_data(ttl=TTL)
def round_status(source: Source, year: int, level: str) -> RoundStatus:
    """Where round `year` stands for the viewer's units of `level` (Reader.round_status)."""
    return Reader.round_status(_reader(source), year, level)


def page_visibility(viewer: Viewer) -> str | None:
    """How the navigation lists the status page: "visible" to viewers the policy lets read
    submissions; not listed otherwise (the public, and every read-only deployment, whose
    viewers are the public)."""
    return "visible" if offered(viewer) else None


def may_see(viewer: Viewer) -> bool:
    return offered(viewer)


__all__ = ["may_see", "page_visibility", "round_status"]
