"""Charts with their text alternative: the table behind a chart, one click away.

What belongs here: showing a figure the way every page does (a title inside the figure, the
data as a table in an expander under it, downloadable like every table). Screen readers and
anyone who cannot tell a chart's colours apart read the same numbers in the table.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from evalcore.ui.state import Context
from evalcore.ui.widgets import download_buttons


def chart_data(ctx: Context, frame: pd.DataFrame, name: str) -> None:
    """'📊 Chart data': the chart's numbers as a table, collapsed, with CSV/XLSX downloads."""
    with st.expander("📊 " + ctx.t("chart_data")):
        st.dataframe(frame, hide_index=True, key=f"chartdata.{name}")
        download_buttons(ctx, frame, f"{name}-data")


def chart(ctx: Context, figure, key: str, frame: pd.DataFrame, caption: str | None = None,
          **options):
    """st.plotly_chart(figure), its caption, then its data (`chart_data`); returns the
    chart's event (for `on_select`)."""
    event = st.plotly_chart(figure, key=key, **options)
    if caption:
        st.caption(caption)
    chart_data(ctx, frame, key.replace(".", "-"))
    return event
