"""The public tier's rows (README, "Many viewers"): read-only replicas on the published
snapshot, directly and behind nginx (scripts/serve_public.Tier), on loopback.

- `tier_sessions_*:<config>:<N>`: N websocket sessions at once against one replica directly
  (`direct`), one replica behind nginx (`nginx1`), two behind nginx (`nginx2`); throughput
  (reruns per wall second), CPU per rerun of the replicas and of nginx, reruns per CPU second
  (what one core gives, whatever else runs on the machine), the busiest replica's share;
- `tier_first_paint_*`: real Chromium, fresh context: a cold first visit directly and through
  nginx, on loopback and on an emulated 10 Mbit/s, 40 ms link (CDP network emulation), and
  a returning visitor (warm HTTP cache, through nginx); the bytes of a first visit;
- `snapshot_switch_*`: sessions rerun while a round is published; every rerun must show
  one snapshot whole (old or new), none may fail.
Behind nginx each session carries its own routing cookie, as a browser would
(deploy/nginx.conf.template), so sessions spread over the replicas.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import hashlib
import os
import shutil
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from bench.apptest import PageRun
from bench.browser import EXCEPTION, TIMEOUT_MS, Browser, selectors_for
from bench.config import Profile, page_query
from bench.report import Row, derived_row, make_row, median, paired_ratio, percentile
from bench.server import proc_cpu_s
from bench.sessions import Session, run_sessions, run_sync, session_cookie

CONFIGS = {"direct": (1, False), "nginx1": (1, True), "nginx2": (2, True)}
# Chromium's network emulation: 10 Mbit/s both ways, 40 ms added to every request.
SLOW_LINK = {"offline": False, "latency": 40, "downloadThroughput": 10e6 / 8,
             "uploadThroughput": 10e6 / 8}


def _log(message: str) -> None:
    from bench.serve import log

    log(message)


def descendants(pid: int) -> list[int]:
    """`pid` and every process below it (nginx's workers, say), from /proc."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError, IndexError, ValueError):
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
                children.setdefault(ppid, []).append(int(entry.name))
    out, todo = [], [pid]
    while todo:
        current = todo.pop()
        out.append(current)
        todo += children.get(current, [])
    return out


def tree_cpu_s(pids: Sequence[int]) -> float:
    """CPU seconds used so far by these processes and their descendants."""
    return sum(proc_cpu_s(p) or 0.0 for pid in pids for p in descendants(pid))


def _tier(db: Path, workdir: Path, config: str, static_cache: Path):
    from scripts.serve_public import Tier, free_port

    replicas, nginx = CONFIGS[config]
    return Tier(db, replicas=replicas, run_dir=workdir / f"tier-{config}",
                public_port=free_port(), admin_port=free_port(),
                reader_ports=tuple(free_port() for _ in range(replicas)), nginx=nginx,
                writer=False, restart=False, static_cache=static_cache)


def _warm(tier, pages: Sequence[tuple[str, str]], timeout_s: float) -> None:
    """One session per replica (directly) visits every page: caches warm everywhere."""
    for url in tier.reader_urls:
        run_sessions(url, 1, pages, len(pages), timeout_s)


def _busiest_share(tier, before: int) -> float | None:
    """The share of websocket sessions (since access-log line `before`) that went to the
    busiest replica: 0.5 is an even spread over two."""
    log = tier.run_dir / "logs" / "access.log"
    if not log.exists():
        return None
    lines = log.read_text().splitlines()[before:]
    counts: dict[str, int] = {}
    for line in lines:
        if "/_stcore/stream" in line and " 101 " in line:
            upstream = line.split("upstream=", 1)[1].split()[0]
            counts[upstream] = counts.get(upstream, 0) + 1
    total = sum(counts.values())
    return max(counts.values()) / total if total else None


def _log_lines(tier) -> int:
    log = tier.run_dir / "logs" / "access.log"
    return len(log.read_text().splitlines()) if log.exists() else 0


def session_rows(tier, config: str, label: str, pages: Sequence[tuple[str, str]],
                 profile: Profile) -> tuple[list[Row], dict[int, float | None]]:
    """The sessions rows of one configuration; also its p95 per N (for the ratios)."""
    from scripts.serve_public import COOKIE

    _, nginx = CONFIGS[config]
    url = tier.public_url if nginx else tier.reader_urls[0]
    replicas = [c.pid for c in tier.readers]
    proxies = [c.pid for c in tier.children if c.name == "nginx"]
    rows, p95 = [], {}
    for n in profile.tier_session_counts:
        _log(f"  tier {config}: {n} sessions × {profile.tier_reruns} reruns")
        cpu, proxy_cpu, lines = tree_cpu_s(replicas), tree_cpu_s(proxies), _log_lines(tier)
        start = time.perf_counter()
        result = run_sessions(url, n, pages, profile.tier_reruns, profile.session_timeout_s,
                              cookie_name=COOKIE if nginx else None)
        wall = time.perf_counter() - start
        reruns = len(result.latencies)
        cpu, proxy_cpu = tree_cpu_s(replicas) - cpu, tree_cpu_s(proxies) - proxy_cpu
        problems = result.errors[:3]
        if result.exceptions:
            problems.append(f"{result.exceptions} of {reruns} reruns showed an exception")
        error = "; ".join(problems) or None
        name = f"{config}:{n}"
        p95[n] = None if error else percentile(result.latencies, 95)
        rows += [
            derived_row(f"tier_sessions_p50_s:{name}", label,
                        percentile(result.latencies, 50), "s", error),
            derived_row(f"tier_sessions_p95_s:{name}", label, p95[n], "s", error),
            derived_row(f"tier_throughput_rps:{name}", label,
                        reruns / wall if reruns else None, "reruns/s", error),
            derived_row(f"tier_cpu_per_rerun_ms:{name}", label,
                        1000 * cpu / reruns if reruns else None, "ms", error),
            derived_row(f"tier_reruns_per_cpu_s:{name}", label,
                        reruns / (cpu + proxy_cpu) if cpu + proxy_cpu > 0 else None,
                        "reruns/CPU s", error),
        ]
        rows[1].samples = result.latencies
        if nginx:
            rows.append(derived_row(f"tier_nginx_cpu_per_rerun_ms:{name}", label,
                                    1000 * proxy_cpu / reruns if reruns else None, "ms", error))
        if len(tier.readers) > 1:
            rows.append(derived_row(f"tier_busiest_replica_share:{name}", label,
                                    _busiest_share(tier, lines), "share", error))
    return rows, p95


# -- first paint ------------------------------------------------------------------------------

@dataclass
class Visit:
    seconds: float
    http_bytes: int  # encoded bytes over HTTP (headers and bodies, as on the wire)
    ws_bytes: int  # websocket payloads received (after permessage-deflate, if any)

    @property
    def kb(self) -> float:
        return (self.http_bytes + self.ws_bytes) / 1000


def visit(context, url: str, selectors: Sequence[str], slow: bool = False) -> Visit:
    """One navigation in `context` (fresh: cold; reused: a returning visitor) until every
    selector is visible; its seconds and bytes."""
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    counted = {"http": 0, "ws": 0}

    def finished(event) -> None:
        counted["http"] += int(event.get("encodedDataLength", 0))

    def frame(event) -> None:
        payload = event["response"].get("payloadData", "")
        binary = event["response"].get("opcode") == 2
        counted["ws"] += len(base64.b64decode(payload)) if binary else len(payload)

    cdp.on("Network.loadingFinished", finished)
    cdp.on("Network.webSocketFrameReceived", frame)
    cdp.send("Network.enable")
    if slow:
        cdp.send("Network.emulateNetworkConditions", SLOW_LINK)
    try:
        start = time.perf_counter()
        page.goto(url, wait_until="commit", timeout=TIMEOUT_MS)
        for selector in selectors:
            visible = page.locator(f"{selector} >> visible=true")
            visible.or_(page.locator(EXCEPTION)).first.wait_for(timeout=TIMEOUT_MS)
            if page.locator(EXCEPTION).count():
                raise RuntimeError("the page shows an exception")
        seconds = time.perf_counter() - start
        page.wait_for_timeout(300)  # late frames and requests still count as bytes
        return Visit(seconds, counted["http"], counted["ws"])
    finally:
        page.close()


def _context(browser):
    return browser.new_context(viewport={"width": 1400, "height": 1000}, locale="zh-CN")


def _once(browser, url: str, selectors: Sequence[str], slow: bool = False) -> Visit:
    context = _context(browser)
    try:
        return visit(context, url, selectors, slow)
    finally:
        context.close()


def _cold_and_warm(browser, url: str, selectors: Sequence[str]) -> tuple[Visit, Visit]:
    """A first visit, then the same visitor again in a new tab (its HTTP cache kept)."""
    context = _context(browser)
    try:
        return visit(context, url, selectors), visit(context, url, selectors)
    finally:
        context.close()


def paint_pages(runs: Sequence[PageRun], limit: int | None) -> list[PageRun]:
    """The pages that draw a chart (plotly or deck.gl) and work."""
    pages = [r for r in runs if not r.error and (r.kinds.get("plotly") or r.kinds.get("deck"))]
    return pages if limit is None else pages[:limit]


@dataclass
class PaintSamples:
    direct: list[Visit] = field(default_factory=list)
    proxied: list[Visit] = field(default_factory=list)
    warm: list[Visit] = field(default_factory=list)
    slow_direct: list[Visit] = field(default_factory=list)
    slow_proxied: list[Visit] = field(default_factory=list)


def paint_rows(direct: str, proxied: str, label: str, runs: Sequence[PageRun],
               profile: Profile) -> list[Row]:
    rows = []
    with Browser() as browser:
        with contextlib.suppress(Exception):  # Chromium's own first start is not a sample
            _once(browser, f"{proxied}/home", selectors_for({}))
        for run in paint_pages(runs, profile.tier_paint_pages):
            target = f"/{run.url_path}?{page_query(run.url_path)}"
            selectors = selectors_for(run.kinds)
            _log(f"  tier: Chromium first paint of /{run.url_path}, direct and through nginx")
            got, error = PaintSamples(), None
            try:
                for i in range(profile.tier_paint_samples):
                    got.direct.append(_once(browser, direct + target, selectors))
                    cold, warm = _cold_and_warm(browser, proxied + target, selectors)
                    got.proxied.append(cold)
                    got.warm.append(warm)
                    if profile.tier_emulate:
                        got.slow_proxied.append(_once(browser, proxied + target, selectors,
                                                      slow=True))
                        if i == 0:  # the baseline, once: ~9 MB at 10 Mbit/s
                            got.slow_direct.append(_once(browser, direct + target, selectors,
                                                         slow=True))
            except Exception as exc:  # one failing page must not stop the others
                error = f"{type(exc).__name__}: {exc}".splitlines()[0][:200]
            rows += _paint_page_rows(run.url_path, label, got, error, profile.tier_emulate)
    return rows


def _paint_page_rows(page: str, label: str, got: PaintSamples, error: str | None,
                     emulate: bool) -> list[Row]:
    def secs(visits: list[Visit]) -> list[float]:
        return [v.seconds for v in visits]

    def kbs(visits: list[Visit]) -> list[float]:
        return [v.kb for v in visits]

    rows = [
        make_row(f"tier_first_paint_s:{page}:direct", label, secs(got.direct), "s", error),
        make_row(f"tier_first_paint_s:{page}:proxied", label, secs(got.proxied), "s", error),
        derived_row(f"tier_first_paint_ratio:{page}", label,
                    paired_ratio(secs(got.proxied), secs(got.direct)), "×", error),
        make_row(f"tier_first_paint_warm_s:{page}", label, secs(got.warm), "s", error),
        make_row(f"tier_first_visit_kb:{page}:direct", label, kbs(got.direct), "kB", error),
        make_row(f"tier_first_visit_kb:{page}:proxied", label, kbs(got.proxied), "kB", error),
        derived_row(f"tier_first_visit_bytes_ratio:{page}", label,
                    paired_ratio(kbs(got.proxied), kbs(got.direct)), "×", error),
        make_row(f"tier_warm_visit_kb:{page}", label, kbs(got.warm), "kB", error),
    ]
    if emulate:
        rows += [
            make_row(f"tier_first_paint_10mbit_s:{page}:direct", label, secs(got.slow_direct),
                     "s", error),
            make_row(f"tier_first_paint_10mbit_s:{page}:proxied", label,
                     secs(got.slow_proxied), "s", error),
        ]
    return rows


# -- snapshot switch under load -------------------------------------------------------------

@dataclass
class SwitchResult:
    reruns: int = 0
    failed: int = 0  # reruns that raised, showed an exception or broke the connection
    mixed: int = 0  # reruns that showed neither the old nor the new snapshot whole
    old: int = 0
    new: int = 0
    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    publish_s: float | None = None
    identical_pages: list[str] = field(default_factory=list)  # old == new: not telling


def signature(session: Session) -> str:
    return hashlib.sha256(b"".join(session.elements)).hexdigest()


async def _signatures(url: str, pages: Sequence[tuple[str, str]], cookie_name: str | None,
                      ) -> dict[str, str]:
    """What each page shows now, as one fresh session sees it."""
    session = Session(url, {}, session_cookie(cookie_name, 0), record=True)
    await session.open()
    try:
        out = {}
        for page, query in pages:
            _, failed = await session.rerun(page, query)
            if failed:
                raise RuntimeError(f"/{page} failed")
            out[page] = signature(session)
        return out
    finally:
        await session.close()


def publish_next(db: Path, snapshots: Path) -> float:
    """Publish the newest draft round (else unpublish the newest round) as the writer does
    (evalcore.actions.set_published, which writes the snapshot after the commit); seconds."""
    from evalcore import snapshot
    from evalcore.actions import CLI, set_published
    from evalcore.db import Store

    previous = os.environ.get(snapshot.SNAPSHOT_DIR_ENV)
    os.environ[snapshot.SNAPSHOT_DIR_ENV] = str(snapshots)
    try:
        with Store(db, read_only=False) as store:
            rounds = store.rounds()
            drafts = rounds[~rounds["published"]]
            publish = not drafts.empty
            year = int((drafts if publish else rounds)["year"].max())
            start = time.perf_counter()
            set_published(store, CLI, year, publish)
            return time.perf_counter() - start
    finally:
        if previous is None:
            os.environ.pop(snapshot.SNAPSHOT_DIR_ENV, None)
        else:
            os.environ[snapshot.SNAPSHOT_DIR_ENV] = previous


async def _switch(url: str, db: Path, snapshots: Path, pages: Sequence[tuple[str, str]],
                  n: int, seconds: float, cookie_name: str | None) -> SwitchResult:
    result = SwitchResult()
    old = await _signatures(url, pages, cookie_name)
    seen: list[tuple[str, str, bool]] = []
    stop = asyncio.Event()

    async def loop(i: int) -> None:
        session = Session(url, {}, session_cookie(cookie_name, i + 1), record=True)
        await session.open()
        try:
            j = 0
            while not stop.is_set():
                page, query = pages[(i + j) % len(pages)]
                j += 1
                spent, failed = await session.rerun(page, query)
                result.latencies.append(spent)
                seen.append((page, signature(session), failed))
        finally:
            await session.close()

    async def publish() -> None:
        await asyncio.sleep(seconds / 3)
        result.publish_s = await asyncio.to_thread(publish_next, db, snapshots)
        await asyncio.sleep(seconds * 2 / 3)
        stop.set()

    outcomes = await asyncio.gather(*(loop(i) for i in range(n)), publish(),
                                    return_exceptions=True)
    for outcome in outcomes:
        if isinstance(outcome, BaseException):
            result.failed += 1
            result.errors.append(f"{type(outcome).__name__}: {outcome}"[:200])
    new = await _signatures(url, pages, cookie_name)
    result.identical_pages = [p for p, _ in pages if old[p] == new[p]]
    for page, sig, failed in seen:
        result.reruns += 1
        result.failed += failed
        result.old += sig == old[page]
        result.new += sig == new[page]
        result.mixed += sig not in (old[page], new[page])
    return result


def switch_under_load(url: str, db: Path, snapshots: Path, pages: Sequence[tuple[str, str]],
                      n: int, seconds: float, cookie_name: str | None = None,
                      timeout_s: float = 600) -> SwitchResult:
    """`n` sessions rerun `pages` for `seconds`; a third of the way in, a round is published
    (a new snapshot). Every rerun is compared with what each page showed before and after."""
    async def bounded() -> SwitchResult:
        return await asyncio.wait_for(
            _switch(url, db, snapshots, pages, n, seconds, cookie_name), timeout_s)

    return run_sync(bounded())


def explicit_query(query: str) -> str:
    """A page's query with every sidebar choice spelt out, so what a rerun shows does not
    depend on the page the session showed before (the sidebar keeps a session's choices)."""
    params = dict(part.split("=", 1) for part in query.split("&") if "=" in part)
    for key, value in (("lang", "zh"), ("round", "2022"), ("level", "city"),
                       ("stage", "final")):
        params.setdefault(key, value)
    return "&".join(f"{k}={v}" for k, v in params.items())


def switch_rows(tier, db: Path, label: str, pages: Sequence[tuple[str, str]],
                profile: Profile) -> list[Row]:
    from scripts.serve_public import COOKIE

    _log(f"  tier: snapshot switch under load ({profile.switch_sessions} sessions, "
         f"{profile.switch_seconds:g} s)")
    try:
        explicit = [(page, explicit_query(query)) for page, query in pages]
        got = switch_under_load(tier.public_url, db, tier.snapshots, explicit,
                                profile.switch_sessions, profile.switch_seconds, COOKIE)
    except Exception as exc:
        error = f"{type(exc).__name__}: {exc}"[:200]
        return [derived_row("snapshot_switch_failed_reruns", label, None, "reruns", error)]
    problems = list(got.errors[:3])
    if not got.new:
        problems.append("no rerun showed the new snapshot")
    if got.identical_pages:
        problems.append(f"pages unchanged by the publish: {got.identical_pages}")
    error = "; ".join(problems) or None
    return [
        derived_row("snapshot_switch_failed_reruns", label, got.failed, "reruns", error),
        derived_row("snapshot_switch_mixed_reruns", label, got.mixed, "reruns", error),
        Row("snapshot_switch_reruns", label, got.reruns, "reruns", None, [got.old, got.new],
            error),
        derived_row("snapshot_switch_p95_s", label, percentile(got.latencies, 95), "s", error),
        derived_row("snapshot_publish_s", label, got.publish_s, "s", error),
    ]


# -- the whole set ------------------------------------------------------------------------------

def tier_rows(db: Path, label: str, runs: Sequence[PageRun], profile: Profile,
              workdir: Path, static_cache: Path) -> list[Row]:
    """Every public-tier row (province only: one replica of the national database does not
    fit the machine's time budget next to everything else)."""
    if label != "province":
        _log(f"  tier rows skipped at {label}: measured at province scale only")
        return []
    copy = workdir / "tier.duckdb"
    shutil.copyfile(db, copy)
    pages = [(r.url_path, page_query(r.url_path)) for r in runs if not r.error]
    rows: list[Row] = []
    p95: dict[str, dict[int, float | None]] = {}
    skipped = [c for c in CONFIGS if c not in profile.tier_configs]
    if skipped:
        _log(f"  tier configurations skipped in this profile: {skipped}")
    for config in profile.tier_configs:
        _log(f"  tier {config}: starting {CONFIGS[config][0]} replica(s)"
             + (" behind nginx" if CONFIGS[config][1] else ""))
        try:
            with _tier(copy, workdir, config, static_cache) as tier:
                if profile.tier_warm:
                    _warm(tier, pages, profile.session_timeout_s * 4)
                got, p95[config] = session_rows(tier, config, label, pages, profile)
                rows += got
                if config == profile.tier_configs[-1] and CONFIGS[config][1]:
                    if profile.tier_paint_pages == 0:
                        _log("  tier: first paint skipped in this profile (full run only; "
                             "the browser rows above already check Chromium runs)")
                    else:
                        rows += paint_rows(tier.reader_urls[0], tier.public_url, label,
                                           runs, profile)
                    rows += switch_rows(tier, copy, label, pages, profile)
        except Exception as exc:
            error = f"{type(exc).__name__}: {exc}"[:200]
            rows.append(derived_row(f"tier_sessions_p95_s:{config}", label, None, "s", error))
    for config in ("nginx1", "nginx2"):
        for n in profile.tier_session_counts:
            value, floor = p95.get(config, {}).get(n), p95.get("direct", {}).get(n)
            if value is not None and floor is not None:
                rows.append(derived_row(f"tier_p95_ratio:{config}/direct:{n}", label,
                                        value / floor, "×"))
    if not profile.tier_emulate:
        _log("  tier: 10 Mbit/s emulation skipped in this profile (full run only)")
    return rows


__all__ = ["median", "switch_under_load", "tier_rows", "visit"]
