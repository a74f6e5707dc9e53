"""Style sheets the frame adds to Streamlit's own: phones, and the big screen (kiosk).

What belongs here: CSS, as constants. Nothing in them comes from data, the URL or a user, so
`st.html` never carries user text; a choice (the kiosk's dark variant) picks one constant or
another. Selectors name Streamlit's stable test ids (`data-testid`) and our keyed containers
(`st-key-<key>`); tests/e2e check what they do in a real browser.
"""

from __future__ import annotations

import streamlit as st

# Phones and touch screens: every control at least 44 px tall (WCAG 2.5.5); hover-only icons
# (headings' anchor links, the plotly mode bar) hidden; headings a size smaller.
PHONE_CSS = """
@media (max-width: 640px), (pointer: coarse) {
  .stButton button, .stDownloadButton button, .stFormSubmitButton button,
  [data-testid="stPopover"] button, [data-testid="stBaseButton-pills"],
  [data-testid="stBaseButton-pillsActive"] { min-height: 44px; }
  [data-testid="stPageLink"] a, [data-testid="stSidebarNavLink"] {
    min-height: 44px; display: flex; align-items: center; }
  [data-testid="stSelectbox"] [role="group"], [data-testid="stTextInputRootElement"] {
    min-height: 44px; }
  [data-testid="stExpander"] summary { min-height: 44px; }
  [data-testid="stExpandSidebarButton"], [data-testid="stSidebarCollapseButton"] button {
    min-width: 44px; min-height: 44px; }
  /* Hover-only extras, of no use on a touch screen: headings' anchor links, the mode bar. */
  [data-testid="stHeaderActionElements"], .modebar-container { display: none !important; }
}
@media (max-width: 640px) {
  /* Static tables fit the width (a scrolling box would need to be focusable): words break. */
  [data-testid="stTable"] th, [data-testid="stTable"] td,
  [data-testid="stTable"] [data-testid="stMarkdownContainer"],
  [data-testid="stTable"] [data-testid="stMarkdownContainer"] p {
    white-space: normal; overflow-wrap: anywhere; word-break: break-word; }
  [data-testid="stTable"] th, [data-testid="stTable"] td { padding: 0.3rem 0.35rem; }
  [data-testid="stTable"] table { width: 100%; }
  [data-testid="stMain"] h1 { font-size: 1.9rem; }
  [data-testid="stMain"] h2 { font-size: 1.45rem; }
  [data-testid="stMain"] h3 { font-size: 1.2rem; }
  [data-testid="stMainBlockContainer"] { padding-left: 0.75rem; padding-right: 0.75rem; }
}
"""

# The big screen: no header, toolbar, sidebar or its toggle, no running indicator; the page
# fills a 1920×1080 display without scrolling.
KIOSK_CSS = """
[data-testid="stHeader"], [data-testid="stToolbar"], [data-testid="stDecoration"],
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"],
[data-testid="stStatusWidget"], [data-testid="stMainMenu"],
[data-testid="stSpinner"] { display: none !important; }
/* A refresh re-renders in place: no fading of the previous content while it runs. */
[data-stale="true"] { opacity: 1 !important; transition: none !important; }
[data-testid="stMainBlockContainer"] { padding: 1.2rem 2.2rem 0.5rem 2.2rem; max-width: 100%; }
[data-testid="stMain"] h1 { font-size: 3rem; }
.st-key-screen-headline [data-testid="stMarkdownContainer"] p,
.st-key-screen-counter [data-testid="stMarkdownContainer"] p { font-size: 1.6rem; }
.st-key-screen-tiles [data-testid="stCaptionContainer"] p { font-size: 1.15rem; }
.st-key-screen-dots p, .st-key-screen-stamp p { font-size: 1.4rem; }
.st-key-screen-body [data-testid="stMarkdownContainer"] p, .st-key-screen-body td,
.st-key-screen-body th { font-size: 1.6rem; }
.st-key-screen-body h3 { font-size: 2rem; }
.st-key-screen-body [data-testid="stCaptionContainer"] p { font-size: 1.2rem; }
.st-key-screen-headline [data-testid="stMetricValue"],
.st-key-screen-headline [data-testid="stMetricValue"] p { font-size: 5.5rem; line-height: 1.1; }
.st-key-screen-counter [data-testid="stMetricValue"],
.st-key-screen-counter [data-testid="stMetricValue"] p { font-size: 7rem; line-height: 1.05; }
.st-key-screen-tiles [data-testid="stMetricValue"],
.st-key-screen-tiles [data-testid="stMetricValue"] p { font-size: 2.3rem; }
.st-key-screen-tiles [data-testid="stMetricLabel"] p { white-space: normal; }
.st-key-screen-headline [data-testid="stMetricLabel"] p,
.st-key-screen-counter [data-testid="stMetricLabel"] p { font-size: 1.9rem; }
.st-key-screen-tiles [data-testid="stMetricLabel"] p { font-size: 1.4rem; }
"""

# Dark variant: colours chosen for WCAG AA contrast on #0e1a2b (text 15.6:1, muted 7.4:1).
KIOSK_DARK_CSS = """
[data-testid="stApp"], [data-testid="stAppViewContainer"], [data-testid="stMain"] {
  background: #0e1a2b; color: #eef2f7; }
[data-testid="stMain"] h1, [data-testid="stMain"] h2, [data-testid="stMain"] h3,
[data-testid="stMain"] p, [data-testid="stMain"] li, [data-testid="stMain"] label,
[data-testid="stMetricValue"], [data-testid="stMetricLabel"] p,
[data-testid="stCaptionContainer"], [data-testid="stMarkdownContainer"] { color: #eef2f7; }
[data-testid="stCaptionContainer"] { opacity: 1; color: #b8c4d4; }
[data-testid="stCaptionContainer"] p { color: #b8c4d4; }
[data-testid="stVerticalBlockBorderWrapper"], [data-testid="stMetric"] {
  border-color: #2c3e57 !important; }
[data-testid="stAlertContainer"] { background: #16314f; }
[data-testid="stAlertContainer"] p { color: #eef2f7; }
[data-testid="stProgress"] > div > div { background: #2c3e57; }
[data-testid="stTable"] table, [data-testid="stTable"] th, [data-testid="stTable"] td {
  color: #eef2f7; border-color: #2c3e57; background: #0e1a2b; }
"""


def _style(css: str) -> None:
    # st.html of a <style> element alone takes no room on the page.
    st.html(f"<style>{css}</style>")


def frame_style() -> None:
    """The phone rules, on every page the frame draws."""
    _style(PHONE_CSS)


def kiosk_style(dark: bool) -> None:
    """The big screen's rules: no chrome; the dark variant's colours when asked."""
    _style(KIOSK_CSS + (KIOSK_DARK_CSS if dark else ""))
