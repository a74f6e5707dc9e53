"""Links to share: a page's permanent address, as the visitor's browser reached the app.

What belongs here: turning a page and its query parameters into a full URL for a link or a
QR code. The origin comes from `st.context.url` (the address in the visitor's browser, query
removed); without a browser (AppTest) the link is relative. Parameters are encoded, never
pasted into the URL as text.
"""

from __future__ import annotations

from urllib.parse import urlencode, urlsplit

import streamlit as st


def app_base(current: str) -> str:
    """'http://host:port' (with any path the app is served under) seen from page `current`
    (its url_path), or '' without a browser."""
    url = st.context.url
    if not url:
        return ""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return ""
    # st.context.url ends with the current page's path: the app's base is the part before it.
    path = parts.path.rstrip("/").removesuffix("/" + current)
    return f"{parts.scheme}://{parts.netloc}{path}"


def permalink(url_path: str, **params: str) -> str:
    """The full address of page `url_path`, opened from that page, with `params`:
    'http://host/community?community=…&lang=zh' ('/community?…' without a browser)."""
    return f"{app_base(url_path)}/{url_path}?{urlencode(params)}"
