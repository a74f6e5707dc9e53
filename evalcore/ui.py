"""The one bridge between evalcore and Streamlit: cached store, cached loaders, shared widgets.

Every other evalcore module is importable without Streamlit. Loaders are cached by their
scalar arguments (database path, year), never by hashing DataFrames on each rerun.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import streamlit as st

from evalcore.db import Store
from evalcore.paths import default_db_path


@st.cache_resource
def _store(path: str) -> Store:
    # One read-only connection per file for the whole server; each query takes its own cursor.
    return Store(path, read_only=True)


def db_path() -> Path:
    return default_db_path()


def store() -> Store:
    return _store(str(db_path()))


@st.cache_data(ttl=600)
def table_counts(path: str) -> dict[str, int]:
    return _store(path).table_counts()


@st.cache_data(ttl=600)
def meta(path: str) -> dict[str, str]:
    return _store(path).meta()


@st.cache_data(ttl=600)
def rounds(path: str) -> pd.DataFrame:
    return _store(path).rounds()
