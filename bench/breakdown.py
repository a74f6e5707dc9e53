"""Where a browser first paint's seconds go: a timeline of one fresh visit to one page.

`python -m bench.breakdown URL [--page map ...] [--samples 3]` against a running server (loopback).
For each sample, from navigation (t = 0), in seconds:

- `html`, `main_js`: the page and the main bundle (index.*.js) received;
- `ws_open`, `new_session`, `first_delta`, `script_finished`: the websocket and the script run
  on the server (ForwardMsg types as they arrive);
- `delta:<kind>`: the first plotly / deck.gl / data-frame element to arrive;
- `chunk:<name>`: each lazily loaded JavaScript chunk, start → end of the download (size, and
  whether it was compressed);
- `visible:<kind>`: the element drawn (the same selectors as bench.browser);
- `longtasks`: main-thread tasks over 50 ms (script compile, chart render), their total.

Only for diagnosis; the benchmark's figure is still bench.browser.first_paint.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time

from bench.browser import EXCEPTION, SELECTORS, TIMEOUT_MS, Browser
from bench.config import page_query
from evalcore.navigation import PAGES

BIG_CHUNK = 100_000  # bytes: smaller chunks are listed only in the total
# Element types (streamlit.proto Element.type) by the kind names of bench.browser.SELECTORS;
# st.table's own type is renamed so it is not taken for a data frame.
KINDS = {"plotly_chart": "plotly", "deck_gl_json_chart": "deck", "dataframe": "table",
         "table": "static_table"}
LONGTASKS = """
window.__longtasks = [];
new PerformanceObserver(list => { for (const e of list.getEntries())
  window.__longtasks.push([e.startTime, e.duration]); })
  .observe({type: 'longtask', buffered: true});
"""


def _forward_kind(payload: bytes) -> str:
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    msg = ForwardMsg()
    try:
        msg.ParseFromString(payload)
    except Exception:  # noqa: BLE001 - a frame we cannot parse is still an event
        return "unparsed"
    kind = msg.WhichOneof("type") or "none"
    if kind == "script_finished" and msg.script_finished != ForwardMsg.FINISHED_SUCCESSFULLY:
        # e.g. a deep link's first run, stopped early for the rerun that draws the page
        return "script_finished_early"
    if kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
        element = msg.delta.new_element.WhichOneof("type")
        return f"delta:{KINDS.get(element, element)}"
    return kind


def kinds_drawn(events: dict[str, float]) -> list[str]:
    """The chart kinds whose elements arrived on the websocket (what the page must show)."""
    return [kind for kind in SELECTORS if f"delta:{kind}" in events]


def visit(browser, url: str, kinds: list[str] | None = None) -> dict:
    """One fresh-context visit; a dict of event → seconds since navigation, plus details.

    Waits for each of `kinds` to be visible; by default for the kinds the page sent, learnt
    from its websocket messages once the script has finished."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="zh-CN")
    context.add_init_script(LONGTASKS)
    page = context.new_page()
    events: dict[str, float] = {}
    chunks: dict[str, dict] = {}
    frames: list[tuple[float, str, int]] = []
    start = 0.0

    def now() -> float:
        return time.perf_counter() - start

    def on_request(request) -> None:
        name = request.url.rsplit("/", 1)[-1].split("?")[0]
        chunks[request.url] = {"name": name, "start": now()}

    def on_finished(request) -> None:
        entry = chunks.get(request.url)
        if entry is None:
            return
        entry["end"] = now()
        try:
            sizes = request.sizes()
            entry["bytes"] = sizes["responseBodySize"]
            entry["encoding"] = (request.response().headers or {}).get("content-encoding", "")
        except Exception:  # noqa: BLE001
            pass

    def on_ws(ws) -> None:
        events.setdefault("ws_open", now())

        def received(payload) -> None:
            if isinstance(payload, str):
                return
            kind = _forward_kind(payload)
            frames.append((now(), kind, len(payload)))
            events.setdefault(kind, now())
            if kind.startswith("delta"):
                events.setdefault("first_delta", now())

        ws.on("framereceived", received)

    page.on("request", on_request)
    page.on("requestfinished", on_finished)
    page.on("websocket", on_ws)
    try:
        start = time.perf_counter()
        page.goto(url, wait_until="commit", timeout=TIMEOUT_MS)
        if kinds is None:
            deadline = time.perf_counter() + TIMEOUT_MS / 1000
            while "script_finished" not in events and time.perf_counter() < deadline:
                page.wait_for_timeout(10)  # lets Playwright deliver the websocket frames
            kinds = kinds_drawn(events)
        for kind in kinds:
            visible = page.locator(f"{SELECTORS[kind]} >> visible=true")
            visible.or_(page.locator(EXCEPTION)).first.wait_for(timeout=TIMEOUT_MS)
            events[f"visible:{kind}"] = now()
        events["painted"] = now()
        tasks = page.evaluate("window.__longtasks")
    finally:
        context.close()
    js = [c for c in chunks.values() if c["name"].endswith(".js") and "end" in c]
    main = [c for c in js if c["name"].startswith("index.")]
    if main:
        events["main_js"] = main[0]["end"]
    html = [c for c in chunks.values() if "end" in c and not c["name"].endswith((".js", ".css"))]
    if html:
        events["html"] = html[0]["end"]
    return {
        "events": dict(sorted(events.items(), key=lambda kv: kv[1])),
        "big_chunks": [(c["name"], round(c["start"], 3), round(c["end"], 3), c.get("bytes"),
                        c.get("encoding")) for c in js if (c.get("bytes") or 0) >= BIG_CHUNK],
        "js_bytes": sum(c.get("bytes") or 0 for c in js),
        "js_files": len(js),
        "longtasks_s": round(sum(d for _, d in tasks) / 1000, 3),
        "longtasks": [(round(s / 1000, 3), round(d / 1000, 3)) for s, d in tasks],
        "ws_bytes": sum(n for _, _, n in frames),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.breakdown", description=__doc__)
    parser.add_argument("url", help="a running server, e.g. http://127.0.0.1:8501")
    parser.add_argument("--page", action="append", help="url path (repeatable); default: all")
    parser.add_argument("--samples", type=int, default=3)
    parser.add_argument("--json", action="store_true", help="every sample as JSON")
    args = parser.parse_args(argv)
    pages = args.page or [page.url_path for page in PAGES]
    out = {}
    with Browser() as browser:
        visit(browser, f"{args.url}/home", [])  # warm the server's static cache
        for name in pages:
            target = f"{args.url}/{name}?{page_query(name)}"
            out[name] = [visit(browser, target) for _ in range(args.samples)]
    if args.json:
        print(json.dumps(out, indent=1))
        return 0
    for name, samples in out.items():
        keys = list(samples[0]["events"])
        medians = {k: statistics.median(s["events"].get(k, float("nan")) for s in samples)
                   for k in keys}
        print(f"## {name}  (median of {len(samples)}; js {samples[0]['js_bytes'] / 1e6:.1f} MB "
              f"in {samples[0]['js_files']} files, ws {samples[0]['ws_bytes'] / 1e3:.0f} kB, "
              f"long tasks {statistics.median(s['longtasks_s'] for s in samples):.2f} s)")
        print("  " + "  ".join(f"{k}={v:.2f}" for k, v in medians.items()))
        for chunk in samples[-1]["big_chunks"]:
            print(f"    chunk {chunk[0]:<40} {chunk[1]:.2f}→{chunk[2]:.2f} s "
                  f"{(chunk[3] or 0) / 1e3:.0f} kB {chunk[4] or 'identity'}")
        print("    long tasks (start, s):", samples[-1]["longtasks"])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
