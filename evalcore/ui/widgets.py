"""Display pieces every page shares: notices, captions, downloads, table heights, links, and
what a user sees when a page cannot be drawn.

What belongs here: small Streamlit helpers that render, with no data rule of their own. A page
that fails shows a short message in the user's language (`run_page`); the traceback goes to
the server log only. A view with no unit the viewer may see says so (`stop_if_empty`).
"""

from __future__ import annotations

import logging

import pandas as pd
import streamlit as st

from evalcore import exports
from evalcore.labels import LANGS, t
from evalcore.ui.loaders import meta
from evalcore.ui.state import Context

LOG = logging.getLogger("evalcore.ui")
# What a failed page shows, in every language: tests and the benchmark look for it.
FAILURE_TEXTS = frozenset(t("page_failed", lang) for lang in LANGS)
OUTCOME = "data.outcome"  # (kind, text) of the last data action, shown on the next run


def run_page(page, lang: str) -> None:
    """Run the page app.py navigated to. If it raises, the user reads one short sentence in
    `lang` and the server log gets the traceback (no file paths or code reach the browser).
    Streamlit's own stop and rerun signals are not exceptions and pass through."""
    try:
        page.run()
    except Exception:
        LOG.exception("page %s failed", getattr(page, "url_path", page))
        st.error(t("page_failed", lang), icon="⚠️")


def stop_if_empty(ctx: Context, frame: pd.DataFrame) -> None:
    """End the page with a clear message when the view holds no unit the viewer may see (a
    draft round is scored only over the viewer's own units, so a board can be empty)."""
    if frame.empty:
        st.info(ctx.t("no_units_visible"), icon="ℹ️")
        st.stop()


def demo_notice(ctx: Context) -> None:
    if ctx.is_demo:
        note = meta(ctx.source).get("note_en" if ctx.lang == "en" else "note_zh") or t(
            "demo_badge", ctx.lang)
        st.info(note, icon="🧪")


def source_caption(ctx: Context, what: str) -> str:
    """Chart caption: what it shows, units, and where the data comes from (demo or not)."""
    source = ctx.t("source_demo" if ctx.is_demo else "source_real")
    return f"{what} · {source}"


def download_buttons(ctx: Context, frame: pd.DataFrame, name: str) -> None:
    """CSV (UTF-8 with BOM, opens in Chinese Excel) and XLSX of the table as shown, in plain
    values: badges as words, numbers as numbers (exports.plain_frame); the XLSX with a
    frozen header, column widths and number formats.

    The files are made only when clicked (a callable as data): an XLSX costs ~12 ms, too much
    to build for each of a dozen tables on every rerun. Both are written by evalcore.exports:
    text stays text, never a formula."""
    shown = exports.plain_frame(frame, ctx.lang)
    if ctx.is_demo:
        shown.insert(0, ctx.t("demo_badge"), ctx.t("demo_badge"))
    left, right, _ = st.columns([1, 1, 4])
    left.download_button(ctx.t("download_csv"),
                         lambda: exports.csv_bytes(shown),
                         file_name=f"{name}.csv", mime=exports.CSV_MIME, key=f"dl.csv.{name}")
    right.download_button(ctx.t("download_xlsx"), lambda: exports.xlsx_bytes(shown, formatted=True),
                          file_name=f"{name}.xlsx", mime=exports.XLSX_MIME,
                          key=f"dl.xlsx.{name}")


def table_height(rows: int, max_rows: int = 15) -> int:
    """Pixel height that shows short tables (11 cities) whole, without an inner scrollbar;
    longer ones (90 counties, case lists) scroll after `max_rows`."""
    return 35 * (min(rows, max_rows) + 1) + 3


def open_profile(ctx: Context, unit_code: str) -> None:
    st.switch_page("pages/profile.py", query_params={
        "unit": unit_code, "round": str(ctx.year), "level": ctx.level, "stage": ctx.stage,
        "lang": ctx.lang})


def show_outcome() -> None:
    """The result of the last action (actions run as button callbacks, before the page)."""
    kind, text = st.session_state.pop(OUTCOME, (None, None))
    if kind == "success":
        st.success(text)
    elif kind == "error":
        st.error(text)
