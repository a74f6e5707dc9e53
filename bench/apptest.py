"""Warm reruns of every registered page in AppTest, against an empty page timed alongside."""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass, field
from pathlib import Path

from bench.config import page_query
from bench.report import Row, derived_row, make_row, median, paired_ratio
from bench.timing import time_once
from evalcore.navigation import PAGES
from evalcore.paths import ROOT
from evalcore.ui.widgets import FAILURE_TEXTS

APP = str(ROOT / "app.py")
EMPTY_APP = str(Path(__file__).with_name("empty_app.py"))
TIMEOUT_S = 900  # a cold national page computes every cached frame it needs
# Bare-mode warnings, and page tracebacks that already become their row's error.
QUIET_LOGGERS = ("streamlit.runtime.scriptrunner_utils.script_run_context",
                 "streamlit.error_util")
# AppTest element types whose visibility the browser benchmark waits for, by kind.
CHART_TYPES = {"plotly": "plotly_chart", "deck": "deck_gl_json_chart", "table": "arrow_data_frame"}


@dataclass
class PageRun:
    """What one page drew in AppTest: how many charts of each kind, and any exception."""

    url_path: str
    kinds: dict[str, int] = field(default_factory=dict)
    error: str | None = None


def _query_params(query: str) -> dict[str, str]:
    return dict(part.split("=", 1) for part in query.split("&") if "=" in part)


def open_page(script: str, query: str):
    """app.py with `query` in the URL, switched to the page and run once (cold)."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(APP, default_timeout=TIMEOUT_S)
    for key, value in _query_params(query).items():
        at.query_params[key] = value
    at.run()
    at.switch_page(script)
    at.run()
    return at


def _error(at) -> str | None:
    if at.exception:
        return at.exception[0].message.strip().splitlines()[0][:200] or "exception"
    if any(e.value in FAILURE_TEXTS for e in at.error):  # caught by app.py, logged
        return "the page failed (see the log)"
    return None


def _kinds(at) -> dict[str, int]:
    return {kind: len(at.get(name)) for kind, name in CHART_TYPES.items()}


def page_rows(db: Path, label: str, reruns: int, warmup: int) -> tuple[list[Row], list[PageRun]]:
    """page_rerun_ms:<page> and page_floor_ratio:<page> for every page in the registry."""
    from streamlit.testing.v1 import AppTest

    for name in QUIET_LOGGERS:  # AppTest resets log levels on each run: disable instead
        logging.getLogger(name).disabled = True
    os.environ["EVAL_DB"] = str(db)
    empty = AppTest.from_file(EMPTY_APP, default_timeout=60)
    empty.run()
    rows, runs, all_empty = [], [], []
    for spec in PAGES:
        run = PageRun(spec.url_path)
        try:
            at = open_page(spec.script, page_query(spec.url_path))
            for _ in range(warmup):
                at.run()
                empty.run()
            pairs = [(time_once(at.run), time_once(empty.run)) for _ in range(reruns)]
            run.error, run.kinds = _error(at), _kinds(at)
        except Exception as exc:  # a page that cannot even be run is a row with an error
            run.error, pairs = f"{type(exc).__name__}: {exc}"[:200], []
        runs.append(run)
        page_ms = [1000 * a for a, _ in pairs]
        empty_ms = [1000 * b for _, b in pairs]
        all_empty += empty_ms
        rows.append(make_row(f"page_rerun_ms:{spec.url_path}", label, page_ms, "ms", run.error))
        rows.append(derived_row(f"page_floor_ratio:{spec.url_path}", label,
                                paired_ratio(page_ms, empty_ms), "×", run.error))
    # The floor itself, every sample taken between two page reruns (it has no target).
    rows.append(Row("empty_rerun_ms", label, median(all_empty), "ms", None, all_empty))
    return rows, runs
