"""The community search's index, cached per viewer like every loader.

What belongs here: what the community search page reads. The index is built from the
viewer's communities (the Reader's, through the cached loaders), so the search finds nothing
the viewer may not see: for the public, published plans only.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from evalcore.ui.loaders import TTL, Source, communities, regions
from evalcore.views.community import search_index


@st.cache_data(ttl=TTL)
def community_index(source: Source) -> pd.DataFrame:
    """id, name, county_code, county, city and batch_year of the viewer's communities."""
    return search_index(communities(source), regions(source))
