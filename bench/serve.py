"""The server-side rows: websocket sessions, peak memory and browser first paint."""

from __future__ import annotations

import shutil
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from bench.apptest import PageRun
from bench.browser import Browser, first_paint, selectors_for
from bench.config import Profile, page_query
from bench.report import Row, derived_row, make_row, percentile
from bench.server import Server
from bench.sessions import run_sessions

RSS_SESSIONS = 10  # server_rss_mb is the peak with this many sessions open
_START = time.monotonic()


def log(message: str) -> None:
    """Progress on stderr, so stdout is the table alone."""
    print(f"[{time.monotonic() - _START:6.1f} s] {message}", file=sys.stderr, flush=True)


def session_rows(server: Server, label: str, pages: Sequence[tuple[str, str]],
                 profile: Profile) -> list[Row]:
    """sessions_p50_s:<N>, sessions_p95_s:<N> per N, and server_rss_mb while N sessions are open."""
    rows = []
    counts = profile.session_counts
    rss_n = RSS_SESSIONS if RSS_SESSIONS in counts else counts[0]
    for n in counts:
        log(f"  {label}: {n} concurrent sessions × {profile.session_reruns} reruns")
        cpu_before = server.cpu_s()
        result = run_sessions(server.url, n, pages, profile.session_reruns,
                              profile.session_timeout_s, while_open=server.peak_rss_mb)
        problems = result.errors[:3]
        if result.exceptions:  # a page that fails fast would flatter the latency
            problems.append(f"{result.exceptions} of {len(result.latencies)} reruns showed an "
                            "exception")
        error = "; ".join(problems) or None
        for q in (50, 95):
            rows.append(derived_row(f"sessions_p{q}_s:{n}", label,
                                    percentile(result.latencies, q), "s", error))
            rows[-1].samples = result.latencies
        # CPU time is what other load on the machine does not inflate, unlike wall time.
        cpu = _per_rerun_ms(cpu_before, server.cpu_s(), len(result.latencies))
        rows.append(derived_row(f"server_cpu_per_rerun_ms:{n}", label, cpu, "ms", error))
        if n == rss_n:  # peak RSS so far (warm-up included), read before any session closes
            name = "server_rss_mb" if n == RSS_SESSIONS else f"server_rss_mb:{n}"
            rows.append(derived_row(name, label, result.while_open, "MB", error))
    return rows


def _per_rerun_ms(before: float | None, after: float | None, reruns: int) -> float | None:
    if before is None or after is None or reruns == 0:
        return None
    return 1000 * (after - before) / reruns


def browser_pages(runs: Sequence[PageRun], limit: int | None) -> list[PageRun]:
    """Every page, or the first `limit` that drew a chart in AppTest (then any)."""
    if limit is None:
        return list(runs)
    drawn = [r for r in runs if any(r.kinds.values()) and not r.error]
    rest = [r for r in runs if r not in drawn]
    return (drawn + rest)[:limit]


def paint_rows(url: str, label: str, runs: Sequence[PageRun], profile: Profile) -> list[Row]:
    """browser_first_paint_s:<page> for the chosen pages."""
    rows = []
    with Browser() as browser:
        for run in browser_pages(runs, profile.browser_pages):
            target = f"{url}/{run.url_path}?{page_query(run.url_path)}"
            selectors = selectors_for(run.kinds)
            log(f"  {label}: Chromium first paint of /{run.url_path}")
            samples, error = [], None
            if run.error:  # what it draws is unknown: timing its title would flatter it
                rows.append(make_row(f"browser_first_paint_s:{run.url_path}", label, [], "s",
                                     f"the page raised in AppTest: {run.error}"))
                continue
            try:
                for i in range(profile.warmup + profile.browser_samples):
                    seconds = first_paint(browser, target, selectors)
                    if i >= profile.warmup:
                        samples.append(seconds)
            except Exception as exc:  # one failing page must not stop the others
                error = f"{type(exc).__name__}: {exc}".splitlines()[0][:200]
            rows.append(make_row(f"browser_first_paint_s:{run.url_path}", label, samples, "s",
                                 error))
    return rows


def server_rows(db: Path, label: str, runs: Sequence[PageRun], profile: Profile,
                logdir: Path, options: tuple[str, ...] = ()) -> list[Row]:
    """Start a server on `db`, warm every page once, then sessions, memory and first paint."""
    pages = [(r.url_path, page_query(r.url_path)) for r in runs]
    # The app opens its database read-write (data management) and DuckDB locks the file for
    # the process that has it open: AppTest in this process still has; the server gets a copy.
    served = db.with_name(f"{db.stem}-server{db.suffix}")
    shutil.copyfile(db, served)
    with Server(served, logdir / f"server-{label}.log", options) as server:
        log(f"  {label}: warming the server (one session visits every page)")
        warm = run_sessions(server.url, 1, pages, len(pages), profile.session_timeout_s * 4)
        if warm.errors or warm.exceptions:
            log(f"  warm-up: {warm.errors[:1]} {warm.exceptions} page(s) showed an exception")
        # Load only pages that work at this scale (a failing page is its own rows' error).
        working = [(r.url_path, page_query(r.url_path)) for r in runs if not r.error]
        if len(working) < len(pages):
            log(f"  sessions leave out failing pages: {[r.url_path for r in runs if r.error]}")
        rows = session_rows(server, label, working or pages, profile)
        rows += paint_rows(server.url, label, runs, profile)
    return rows
