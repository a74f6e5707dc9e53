"""Cached reads: the store, the viewer's Reader, and one `st.cache_data` loader per question.

What belongs here: reading data for pages, cached. Every loader takes a Source (database file
and viewer key), so the cache is keyed by viewer, and delegates to evalcore.reader.Reader, whose
answers are already masked by the access policy. `_Cached(Reader)` routes the Reader's own
reads through these loaders, so a loader calling another (a board needs the round's inputs)
reuses its cached result. Loaders are keyed by scalars, never by hashing frames on a rerun:
filters and sorting happen on the cached frames. No rules here: they live in the Reader.
"""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

import pandas as pd
import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from evalcore import scoring, snapshot
from evalcore.access import Viewer
from evalcore.db import Store, StoreError
from evalcore.manage import read_only_deployment
from evalcore.paths import default_db_path
from evalcore.reader import Reader
from evalcore.views.common import areas_with_units

TTL = 600


class Source(NamedTuple):
    """What a cached loader reads: the database file and the viewer it reads for.

    Every loader takes one, so the cache is keyed by viewer: a public session can never be
    served a frame cached for a leader.
    """

    path: str
    viewer: str  # Viewer.key


def _viewer(source: Source) -> Viewer:
    return Viewer.from_key(source.viewer)


@st.cache_resource(max_entries=4)  # a replica's snapshot, and older ones runs still read
def _store(path: str) -> Store:
    # One connection per file for the server, a cursor per query; read-write (data management
    # writes through it) unless the deployment is read-only.
    return Store(path, read_only=read_only_deployment())


def pin_db_path() -> Path:
    """app.py's first call each run: the file it all reads (EVAL_DB or its newest snapshot)."""
    st.session_state["ctx.db_path"] = str(path := snapshot.resolve(default_db_path()))
    return path


def db_path() -> Path:
    """The file this run reads (pinned: every Source, so every cache key, holds it)."""
    pinned = get_script_run_ctx() and st.session_state.get("ctx.db_path")
    return Path(pinned) if pinned else snapshot.resolve(default_db_path())


def store() -> Store:
    return _store(str(db_path()))


def database_problem() -> str | None:
    """Why the database cannot be served (missing, or refused: a newer schema, an older one
    on a read-only instance, in use), in both languages; None when it can."""
    try:
        if store().exists() and store().is_initialised():
            return None
    except StoreError as refused:
        return f"{refused.render('zh')}\n\n{refused.render('en')}"
    return f"未找到数据库 {db_path()}。\n\nDatabase not found: {db_path()}."


class _Cached(Reader):
    """The viewer's Reader whose every read goes through the Streamlit cache below, so a
    loader calling another (a board needs the round's inputs) reuses its cached result."""

    def __init__(self, source: Source) -> None:
        super().__init__(_store(source.path), _viewer(source))
        self.source = source

    def meta(self):
        return meta(self.source)

    def rounds(self):
        return rounds(self.source)

    def regions(self):
        return regions(self.source)

    def communities(self):
        return communities(self.source)

    def targets(self):
        return targets(self.source)

    def round_inputs(self, year):
        return round_inputs(self.source, year)

    def board(self, year, level, stage, within):
        return board(self.source, year, level, stage, within)

    def indicator_table(self, year, level, within):
        return indicator_table(self.source, year, level, within)

    def bonus_report(self, year, level, within, stage):
        return bonus_report(self.source, year, level, within, stage)

    def deduction_report(self, year, level, within):
        return deduction_report(self.source, year, level, within)

    def deduction_reasons(self, year):
        return deduction_reasons(self.source, year)

    def rank_history(self, level, stage, within):
        return rank_history(self.source, level, stage, within)


def _reader(source: Source) -> _Cached:
    return _Cached(source)


@st.cache_data(ttl=TTL)
def meta(source: Source) -> dict[str, str]:
    return Reader.meta(_reader(source))


@st.cache_data(ttl=TTL)
def rounds(source: Source) -> pd.DataFrame:
    return Reader.rounds(_reader(source))


@st.cache_data(ttl=TTL)
def regions(source: Source) -> pd.DataFrame:
    return Reader.regions(_reader(source))


@st.cache_data(ttl=TTL)
def communities(source: Source) -> pd.DataFrame:
    return Reader.communities(_reader(source))


@st.cache_data(ttl=TTL)
def targets(source: Source) -> pd.DataFrame:
    return Reader.targets(_reader(source))


@st.cache_data(ttl=TTL)
def round_inputs(source: Source, year: int) -> scoring.RoundInputs:
    return Reader.round_inputs(_reader(source), year)


@st.cache_data(ttl=TTL)
def board(source: Source, year: int, level: str, stage: str, within: str | None) -> pd.DataFrame:
    return Reader.board(_reader(source), year, level, stage, within)


@st.cache_data(ttl=TTL)
def areas(source: Source, year: int) -> list[str]:
    """The cities a county view of round `year` can be narrowed to, for this viewer."""
    return areas_with_units(_reader(source).round_inputs(year).units)


@st.cache_data(ttl=TTL)
def uncertainty(source: Source, year: int, level: str, within: str | None) -> pd.DataFrame:
    return Reader.uncertainty(_reader(source), year, level, within)


@st.cache_data(ttl=TTL)
def indicator_table(source: Source, year: int, level: str, within: str | None) -> pd.DataFrame:
    return Reader.indicator_table(_reader(source), year, level, within)


@st.cache_data(ttl=TTL)
def bonus_report(source: Source, year: int, level: str, within: str | None, stage: str) -> pd.DataFrame:
    return Reader.bonus_report(_reader(source), year, level, within, stage)


@st.cache_data(ttl=TTL)
def deduction_report(source: Source, year: int, level: str, within: str | None) -> pd.DataFrame:
    return Reader.deduction_report(_reader(source), year, level, within)


@st.cache_data(ttl=TTL)
def credibility(source: Source, year: int, level: str, within: str | None):
    return Reader.credibility(_reader(source), year, level, within)


@st.cache_data(ttl=TTL)
def benchmark(source: Source, year: int, level: str, within: str | None, unit: str):
    return Reader.benchmark(_reader(source), year, level, within, unit)


@st.cache_data(ttl=TTL, max_entries=256)
def what_if(source: Source, year: int, level: str, within: str | None,
            weights: tuple[tuple[str, float], ...]) -> pd.DataFrame:
    return Reader.what_if(_reader(source), year, level, within, weights)


@st.cache_data(ttl=TTL)
def rank_history(source: Source, level: str, stage: str, within: str | None) -> pd.DataFrame:
    return Reader.rank_history(_reader(source), level, stage, within)


@st.cache_data(ttl=TTL)
def inspection_groups(source: Source, year: int) -> pd.DataFrame:
    return Reader.inspection_groups(_reader(source), year)


@st.cache_data(ttl=TTL)
def deduction_reasons(source: Source, year: int) -> pd.DataFrame:
    return Reader.deduction_reasons(_reader(source), year)


@st.cache_data(ttl=TTL, max_entries=128)
def profile_data(source: Source, year: int, code: str):
    """One unit's profile, cut once from the cached peer frames, so a rerun unpickles one
    small object instead of every peer frame (None: not on this viewer's board)."""
    return Reader.profile_data(_reader(source), year, code)


@st.cache_data(ttl=TTL)
def status_as_of(source: Source, code: str) -> str:
    return Reader.status_as_of(_reader(source), code)


@st.cache_data(ttl=TTL)
def bonus_cases(source: Source, year: int) -> pd.DataFrame:
    return Reader.bonus_cases(_reader(source), year)


@st.cache_data(ttl=TTL)
def progress(source: Source, year: int, cumulative: bool = False) -> pd.DataFrame:
    return Reader.progress(_reader(source), year, cumulative)


@st.cache_data(ttl=TTL)
def progress_trend(source: Source) -> pd.DataFrame:
    return Reader.progress_trend(_reader(source))


@st.cache_data(ttl=TTL)
def community_points(source: Source, year: int, lang: str) -> pd.DataFrame:
    return Reader.community_points(_reader(source), year, lang)
