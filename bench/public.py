"""The public display's benchmark rows (issue 13): first paint of the big screen (1920×1080)
and of the progress page on a phone (390×844), and the server's memory while the big screen
refreshes every second for a soak (10 minutes by default).

For `make bench`, bench.run can add `public_rows(db, label, soak_minutes)` to its rows (each
row is a bench.report.Row; targets are set here). Alone, on a fresh demo database:

    .venv/bin/python -m bench.public                    # first paints and a 10-minute soak
    .venv/bin/python -m bench.public --soak-minutes 120 # longer; --soak-minutes 0: none

The soak opens /screen?rotate=1 in headless Chromium and samples the server's resident memory
(VmRSS) every few seconds after a warm-up (every panel drawn, the caches filled); memory is
flat when the robust (Theil–Sen) slope through the second half of the samples is small (the
first half lets allocators settle: RSS climbs a few MB in the first minutes, then holds). The page counts its
own refreshes (the panel title changes), so a stalled screen cannot pass for a flat one.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from bench.browser import CHROMIUM, CHROMIUM_ARGS, OFFLINE_PROXY, TIMEOUT_MS
from bench.report import Row, make_row, markdown_table
from bench.server import Server, proc_status_mb

SCREEN_SELECTORS = ('.st-key-screen-headline [data-testid="stMetricValue"]',
                    '[data-testid="stPlotlyChart"] .main-svg')
PHONE_SELECTORS = ('[data-testid="stPlotlyChart"] .main-svg',)
DISPLAY = {"width": 1920, "height": 1080}
PHONE = {"width": 390, "height": 844}
TARGETS = {
    "browser_first_paint_s:screen": 3.0,
    "browser_first_paint_s:progress@390x844": 3.0,
    # Flat: less than 10 MB an hour, i.e. a day's running fits in the server's headroom.
    "screen_soak_rss_growth_mb_per_h": 10.0,
}
# Counts the panel title's changes: each is one refresh of the screen's fragment.
COUNT_REFRESHES = """
window.__refreshes = 0;
new MutationObserver(() => {
  const title = document.querySelector('.st-key-screen-body h3');
  const text = title ? title.textContent : '';
  if (text && text !== window.__lastPanel) { window.__refreshes += 1; window.__lastPanel = text; }
}).observe(document, {subtree: true, childList: true, characterData: true});
"""


def _row(metric: str, scale: str, samples: Sequence[float], unit: str,
         error: str | None = None) -> Row:
    row = make_row(metric, scale, samples, unit, error)
    row.target = TARGETS.get(metric)
    return row


def slope_per_hour(times_s: Sequence[float], values: Sequence[float]) -> float | None:
    """Theil–Sen slope of `values` over `times_s` (the median of the slopes between every two
    samples: one spike does not tilt it), per hour; None with fewer than 2 samples."""
    slopes = [(values[j] - values[i]) / (times_s[j] - times_s[i])
              for i in range(len(times_s)) for j in range(i + 1, len(times_s))
              if times_s[j] != times_s[i]]
    return statistics.median(slopes) * 3600 if slopes else None


def settled(samples: Sequence[float]) -> slice:
    """The second half of a soak's samples: the first lets caches and allocators settle."""
    return slice(len(samples) // 2, None)


def first_paint(browser, url: str, selectors: Sequence[str], viewport: dict,
                mobile: bool = False) -> float:
    """Seconds from navigation to every selector visible, in a fresh browser context."""
    context = browser.new_context(viewport=viewport, locale="zh-CN", is_mobile=mobile,
                                  has_touch=mobile)
    try:
        page = context.new_page()
        start = time.perf_counter()
        page.goto(url, wait_until="commit", timeout=TIMEOUT_MS)
        for selector in selectors:
            page.locator(f"{selector} >> visible=true").first.wait_for(timeout=TIMEOUT_MS)
        return time.perf_counter() - start
    finally:
        context.close()


def paint_rows(browser, base: str, label: str, samples: int = 3, warmup: int = 1) -> list[Row]:
    """browser_first_paint_s:screen and browser_first_paint_s:progress@390x844."""
    cases = (("browser_first_paint_s:screen", f"{base}/screen?rotate=60", SCREEN_SELECTORS,
              DISPLAY, False),
             ("browser_first_paint_s:progress@390x844", f"{base}/progress?round=2022",
              PHONE_SELECTORS, PHONE, True))
    rows = []
    for metric, url, selectors, viewport, mobile in cases:
        times, error = [], None
        try:
            for i in range(warmup + samples):
                seconds = first_paint(browser, url, selectors, viewport, mobile)
                if i >= warmup:
                    times.append(seconds)
        except Exception as exc:  # one failing case must not stop the other
            error = f"{type(exc).__name__}: {exc}".splitlines()[0][:200]
        rows.append(_row(metric, label, times, "s", error))
    return rows


def soak(browser, base: str, pid: int, minutes: float, rotate: int = 1,
         warmup_s: float = 30, every_s: float = 5) -> dict:
    """Open the big screen at `rotate` seconds a panel for `minutes` and sample the server's
    VmRSS (MB) and the page's JS heap after a garbage collection (MB) every `every_s` seconds
    after `warmup_s`."""
    context = browser.new_context(viewport=DISPLAY, locale="zh-CN")
    try:
        page = context.new_page()
        page.add_init_script(COUNT_REFRESHES)
        page.goto(f"{base}/screen?rotate={rotate}", timeout=TIMEOUT_MS)
        page.locator(SCREEN_SELECTORS[0]).first.wait_for(timeout=TIMEOUT_MS)
        page.wait_for_timeout(warmup_s * 1000)
        start = time.monotonic()
        refreshes_before = page.evaluate("window.__refreshes")
        # The heap the page keeps: garbage is collected before each sample (DevTools protocol).
        devtools = context.new_cdp_session(page)
        times, rss, heap = [], [], []
        while time.monotonic() - start < minutes * 60:
            times.append(time.monotonic() - start)
            rss.append(proc_status_mb(pid, "VmRSS") or float("nan"))
            devtools.send("HeapProfiler.collectGarbage")
            heap.append(devtools.send("Runtime.getHeapUsage")["usedSize"] / 2**20)
            page.wait_for_timeout(every_s * 1000)
        refreshes = page.evaluate("window.__refreshes") - refreshes_before
        return {"times_s": times, "rss_mb": rss, "heap_mb": heap, "refreshes": refreshes,
                "seconds": time.monotonic() - start}
    finally:
        context.close()


def soak_rows(result: dict, label: str, rotate: int) -> list[Row]:
    """RSS at the start, end and peak; its growth per hour; the JS heap's; refreshes seen."""
    rss, heap, times = result["rss_mb"], result["heap_mb"], result["times_s"]
    expected = result["seconds"] / rotate
    stalled = (None if result["refreshes"] >= 0.5 * expected else
               f"only {result['refreshes']} refreshes in {result['seconds']:.0f} s")
    rows = [
        _row("screen_soak_rss_mb:start", label, rss[:3], "MB"),
        _row("screen_soak_rss_mb:end", label, rss[-3:], "MB"),
        _row("screen_soak_rss_mb:peak", label, [max(rss)] if rss else [], "MB"),
        Row("screen_soak_rss_growth_mb_per_h", label,
            slope_per_hour(times[settled(times)], rss[settled(rss)]), "MB/h",
            TARGETS["screen_soak_rss_growth_mb_per_h"], rss, stalled),
        Row("screen_soak_js_heap_growth_mb_per_h", label,
            slope_per_hour(times[settled(times)], heap[settled(heap)]), "MB/h", None, heap,
            stalled),
        Row("screen_soak_refreshes", label, float(result["refreshes"]), "count", None, [],
            stalled),
    ]
    return rows


def public_rows(db: Path, label: str = "province", soak_minutes: float = 10,
                rotate: int = 1, samples: int = 3, logdir: Path | None = None) -> list[Row]:
    """Every row of this module on a server of its own (a copy of `db`)."""
    from playwright.sync_api import sync_playwright

    workdir = Path(tempfile.mkdtemp(prefix="bench-public-"))
    served = workdir / "server.duckdb"
    shutil.copyfile(db, served)
    log = (logdir or workdir) / "server-public.log"
    with Server(served, log) as server, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS,
                                     proxy=OFFLINE_PROXY)
        try:
            rows = paint_rows(browser, server.url, label, samples)
            if soak_minutes > 0:
                result = soak(browser, server.url, server.pid, soak_minutes, rotate)
                rows += soak_rows(result, label, rotate)
        finally:
            browser.close()
    shutil.rmtree(workdir, ignore_errors=True)
    return rows


def print_samples(rows: Sequence[Row]) -> None:
    """The soak's samples, for a look at their shape (stderr: stdout is the table)."""
    for row in rows:
        if row.metric.endswith("growth_mb_per_h") and row.samples:
            print(row.metric, " ".join(f"{v:.0f}" for v in row.samples), file=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.public", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", type=Path, help="database to serve (default: a fresh demo)")
    parser.add_argument("--soak-minutes", type=float, default=10)
    parser.add_argument("--rotate", type=int, default=1, help="seconds a panel during the soak")
    parser.add_argument("--samples", type=int, default=3, help="first paints per case")
    args = parser.parse_args(argv)
    db = args.db
    if db is None:
        from evalcore.demo import build_demo

        db = Path(tempfile.mkdtemp(prefix="bench-public-db-")) / "demo.duckdb"
        build_demo(db)
    rows = public_rows(db, "province", args.soak_minutes, args.rotate, args.samples)
    print_samples(rows)
    print(markdown_table(rows), end="")
    return 1 if any(r.error for r in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
