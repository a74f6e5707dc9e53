"""One viewer's browser session in AppTest, reused for many page views, and everything a page
view renders, downloads included: the machinery of tests/test_security_sweep.py.

Two things differ from tests/pages_helper.open_page, which opens one view per AppTest:

- Every run goes through app.py (the frame: sidebar, round, level, stage, sign-in) and then
  the page, as on a real server. AppTest resets Streamlit's "legacy pages/ directory" switch
  before each run, so a rerun of a session would run the page script alone, without the
  frame, and a changed `?round=` would not be read again. A real server leaves that switch
  off for good after the first `st.navigation` call of the process (app.py's
  `_ensure_frame` does the same); `framed_runs` keeps it off in AppTest too.
- Download buttons hand Streamlit a callable (the file is built on click). AppTest gives
  the button's placeholder id but drops its media manager after each run; `framed_runs`
  keeps the last one, so `Rendered.downloads` calls exactly what a click would call.

No evalcore.ui internals are used: only the app as a browser sees it.
"""

from __future__ import annotations

import io
import json
import zipfile
from dataclasses import dataclass, field

import pandas as pd
import streamlit.testing.v1.app_test as app_test
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.runtime.pages_manager import PagesManager
from streamlit.runtime.state.common import user_key_from_element_id
from streamlit.testing.v1 import AppTest

from tests.pages_helper import APP

_LAST_MEDIA: list[MediaFileManager] = []


class _FramedPagesManager(PagesManager):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        PagesManager.uses_pages_directory = False  # as after a real server's first run


class _RecordingMediaFileManager(MediaFileManager):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        _LAST_MEDIA[:] = [self]


def framed_runs(monkeypatch) -> None:
    """Install both patches for one test (monkeypatch undoes them)."""
    monkeypatch.setattr(PagesManager, "uses_pages_directory", PagesManager.uses_pages_directory)
    monkeypatch.setattr(app_test, "PagesManager", _FramedPagesManager)
    monkeypatch.setattr(app_test, "MediaFileManager", _RecordingMediaFileManager)


# -- what a page view rendered -------------------------------------------------------------

# Files whose bytes are not searched, and why.
SKIPPED_DOWNLOADS = {
    # The PDF renders the same `Report` as the HTML report (pages/profile.py: render_pdf and
    # render_html of one `printable()`), and fpdf2 writes its text as glyph ids of a subset
    # CJK font, which cannot be searched without a PDF text extractor (none is installed).
    # The HTML report's bytes are searched; making a PDF costs ~1 s.
    "profile.report_pdf": "same Report as the HTML report; text stored as glyph ids",
}


@dataclass
class Rendered:
    """One page view: every element's serialised proto (texts, tables as Arrow, chart and
    map specs, widget labels and options), the tables as frames, the plotly specs and the
    bytes of every download, each with where it came from."""

    page: str
    params: dict[str, str]  # the URL after the run: the values the page actually used
    title: str
    texts: list[tuple[str, str]] = field(default_factory=list)  # (where, text)
    frames: list[tuple[str, pd.DataFrame]] = field(default_factory=list)
    charts: list[tuple[str, dict]] = field(default_factory=list)
    downloads: list[tuple[str, str]] = field(default_factory=list)  # (key, decoded text)
    skipped: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # exceptions the page raised

    def everything(self) -> list[tuple[str, str]]:
        return [*self.texts, *self.downloads]


def _key(proto_id: str) -> str:
    """The user key Streamlit keeps at the end of an element id ("" if none)."""
    if not proto_id:
        return ""
    return user_key_from_element_id(proto_id) or ""


def _file_text(data: bytes) -> str:
    """A download's text: XLSX (a zip of XML) unpacked, others decoded."""
    if data[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(data)) as book:
            return "\n".join(book.read(n).decode("utf-8", "replace") for n in book.namelist())
    return data.decode("utf-8-sig", "replace")


def _element_id(node) -> str:
    return getattr(getattr(node, "proto", None), "id", "") or ""


def collect(at: AppTest, page: str, downloads: bool = True, xlsx: bool = True) -> Rendered:
    """Everything `at` rendered; the downloads' bytes too unless not `downloads`, and the
    XLSX files' unless not `xlsx` (download_buttons writes each table's CSV and XLSX from one
    frame, so the CSV stands for both where time is short)."""
    title = at.title[0].value if len(at.title) else ""
    out = Rendered(page, {k: str(v) for k, v in at.query_params.items()}, title)
    out.errors = [e.message for e in at.exception]  # their texts are collected below too
    for root, part in (("main", at.main), ("sidebar", at.sidebar)):
        heading = ""  # the last title or (sub)header: where an element is, for a person
        for i, node in enumerate(part):
            proto = getattr(node, "proto", None)
            key = _key(_element_id(node))
            where = f"{root}#{i} {node.type}" + (f" {key}" if key else f" under {heading!r}")
            if node.type in ("title", "header", "subheader"):
                heading = str(node.value)
            if proto is not None and hasattr(proto, "SerializeToString"):
                # Arrow tables keep strings as UTF-8, so markers show up in the raw bytes too.
                out.texts.append((where, proto.SerializeToString().decode("utf-8", "replace")))
            if node.type == "dataframe":
                assert not proto.HasField("lazy_data"), f"{where}: a partial (lazy) table"
                frame = node.value
                out.frames.append((where, frame))
                out.texts.append((where + " as CSV", frame.to_csv()))
            elif node.type == "plotly_chart":
                out.charts.append((where, json.loads(proto.spec)))
            elif node.type in ("title", "header", "subheader", "markdown", "caption", "info",
                               "warning", "success", "error", "metric", "text"):
                out.texts.append((where + " value", str(node.value)))
    if downloads:
        media = _LAST_MEDIA[0]
        for button in at.get("download_button"):
            key = _key(button.proto.id)
            if any(key.endswith(s) for s in SKIPPED_DOWNLOADS) \
                    or (not xlsx and key.startswith("dl.xlsx.")):
                out.skipped.append(key)
                continue
            deferred = button.proto.deferred_file_id  # a callable, run as a click would
            url = media.execute_deferred(deferred) if deferred else button.proto.url
            data = media._storage.get_file(url.rsplit("/", 1)[-1]).content  # noqa: SLF001
            out.downloads.append((f"download:{key}", _file_text(bytes(data))))
    return out


# -- one viewer's session ----------------------------------------------------------------

class Session:
    """A browser session of one viewer (signed in with `auth_state`, the session values the
    login form would keep), opening page views by URL: each `open` is what following a
    shared link in that tab does."""

    def __init__(self, auth_state: dict | None = None) -> None:
        self.at = AppTest.from_file(APP, default_timeout=60)
        for key, value in (auth_state or {}).items():
            self.at.session_state[f"auth.{key}"] = value
        self.at.run()
        assert not self.at.exception, self.at.exception

    def open(self, script: str, params: dict[str, str], downloads: bool = True,
             xlsx: bool = True) -> Rendered:
        at = self.at
        at.query_params.clear()
        at.query_params.update(params)
        at.switch_page(script)
        at.run()
        return collect(at, script, downloads, xlsx)
