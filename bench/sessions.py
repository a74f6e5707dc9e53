"""N concurrent simulated sessions speaking Streamlit's websocket protocol, loopback only.

Each session opens `/_stcore/stream` (subprotocol `streamlit`, an Origin header, as the browser
does), then sends BackMsg rerun_script — the page by name on its first visit, as a deep link
does, and by page_script_hash afterwards, as a sidebar click does — and reads ForwardMsgs until
script_finished. A rerun's latency is from sending the BackMsg to script_finished. Bounded: a
fixed number of reruns per session and one deadline for the whole run.
"""

from __future__ import annotations

import asyncio
import secrets
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from urllib.parse import urlparse

from evalcore.navigation import DEFAULT_PAGE
from evalcore.ui.widgets import FAILURE_TEXTS

LOOPBACK = {"127.0.0.1", "localhost", "::1"}


@dataclass
class SessionsResult:
    latencies: list[float] = field(default_factory=list)  # seconds, every finished rerun
    errors: list[str] = field(default_factory=list)  # timeouts and protocol failures
    exceptions: int = 0  # reruns whose page showed an exception
    while_open: object = None  # what the callback returned while every session was open


class Session:
    """One simulated browser tab.

    `cookie`: sent with the websocket's handshake, as a browser sends the cookies of the
    origin; behind the public tier's nginx it is the routing cookie that keeps a session on
    one replica (deploy/nginx.conf.template), so distinct cookies spread sessions over the
    replicas. `record`: keep the elements each rerun drew (`elements`), to compare reruns."""

    def __init__(self, url: str, hashes: dict[str, str], cookie: str | None = None,
                 record: bool = False) -> None:
        parsed = urlparse(url)
        if parsed.hostname not in LOOPBACK:
            raise ValueError(f"sessions only target loopback, not {parsed.hostname}")
        self.stream = f"ws://{parsed.netloc}/_stcore/stream"
        self.origin = f"{parsed.scheme}://{parsed.netloc}"
        self.hashes = hashes  # url_path → page_script_hash, shared by all sessions
        self.cookie = cookie
        self.record = record
        self.elements: list[bytes] = []  # the last rerun's elements, when recording
        self.ws = None

    async def open(self) -> None:
        from websockets.asyncio.client import connect

        headers = {"Cookie": self.cookie} if self.cookie else None
        self.ws = await connect(self.stream, subprotocols=["streamlit"], origin=self.origin,
                                max_size=None, open_timeout=60, additional_headers=headers)

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()

    def _back_msg(self, url_path: str, query: str) -> bytes:
        from streamlit.proto.BackMsg_pb2 import BackMsg

        msg = BackMsg()
        msg.rerun_script.query_string = query
        if url_path in self.hashes:
            msg.rerun_script.page_script_hash = self.hashes[url_path]
        else:
            msg.rerun_script.page_name = url_path
        return msg.SerializeToString()

    def _learn_pages(self, navigation) -> None:
        for page in navigation.app_pages:
            path = page.url_pathname or (DEFAULT_PAGE if page.is_default else "")
            if path:
                self.hashes[path] = page.page_script_hash

    async def rerun(self, url_path: str, query: str) -> tuple[float, bool]:
        """(seconds to script_finished, whether the page showed an exception)."""
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        start = time.perf_counter()
        await self.ws.send(self._back_msg(url_path, query))
        failed = False
        self.elements = []
        while True:
            msg = ForwardMsg()
            msg.ParseFromString(await self.ws.recv())
            kind = msg.WhichOneof("type")
            if kind == "navigation":
                self._learn_pages(msg.navigation)
            elif kind == "delta" and _failed(msg.delta.new_element):
                failed = True
            if kind == "delta" and self.record and (content := _content(msg.delta)):
                self.elements.append(content)
            elif kind == "script_finished":
                if msg.script_finished == ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                    self.elements = []  # the rerun that follows draws the page again
                if msg.script_finished == ForwardMsg.FINISHED_WITH_COMPILE_ERROR:
                    raise RuntimeError(f"{url_path}: compile error")
                if msg.script_finished != ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                    return time.perf_counter() - start, failed


# Deltas that are not what the page shows: a cold cache's spinners (transient elements),
# which a warm cache does not send.
_TRANSIENT_DELTAS = {"new_transient"}
_TRANSIENT_ELEMENTS = {"spinner", "empty"}


def _content(delta) -> bytes | None:
    """A delta as bytes that are equal whenever two sessions see the same thing: None for
    transient ones; a download's session-specific media URL and file id left out."""
    kind = delta.WhichOneof("type")
    if kind in _TRANSIENT_DELTAS:
        return None
    if kind == "new_element":
        element = delta.new_element.WhichOneof("type")
        if element in _TRANSIENT_ELEMENTS:
            return None
        if element == "download_button":
            delta = type(delta).FromString(delta.SerializeToString())
            for name in ("url", "deferred_file_id"):
                delta.new_element.download_button.ClearField(name)
    return delta.SerializeToString(deterministic=True)


def _failed(element) -> bool:
    """An exception, or the short message app.py shows when a page fails (details logged)."""
    kind = element.WhichOneof("type")
    return kind == "exception" or (kind == "alert" and element.alert.body in FAILURE_TEXTS)


async def _visit(session: Session, index: int, pages: Sequence[tuple[str, str]], reruns: int,
                 result: SessionsResult) -> None:
    for j in range(reruns):
        url_path, query = pages[(index + j) % len(pages)]
        seconds, failed = await session.rerun(url_path, query)
        result.latencies.append(seconds)
        result.exceptions += failed


def session_cookie(cookie_name: str | None, index: int) -> str | None:
    """A session's own routing cookie (distinct per session and per run), or none."""
    if cookie_name is None:
        return None
    return f"{cookie_name}=bench-{index}-{secrets.token_hex(4)}"


async def _run(url: str, n: int, pages: Sequence[tuple[str, str]], reruns: int,
               while_open: Callable[[], object] | None,
               cookie_name: str | None = None) -> SessionsResult:
    result, hashes = SessionsResult(), {}
    sessions = [Session(url, hashes, session_cookie(cookie_name, i)) for i in range(n)]
    try:
        await asyncio.gather(*(s.open() for s in sessions))
        outcomes = await asyncio.gather(
            *(_visit(s, i, pages, reruns, result) for i, s in enumerate(sessions)),
            return_exceptions=True)
        failed = [o for o in outcomes if isinstance(o, BaseException)]
        result.errors += [f"{type(o).__name__}: {o}" for o in failed]
        if while_open is not None:
            result.while_open = while_open()
    finally:
        await asyncio.gather(*(s.close() for s in sessions), return_exceptions=True)
    return result


def run_sessions(url: str, n: int, pages: Sequence[tuple[str, str]], reruns: int,
                 timeout_s: float, while_open: Callable[[], object] | None = None,
                 cookie_name: str | None = None) -> SessionsResult:
    """Open `n` sessions at once, each rerunning `reruns` pages (spread over `pages`), all
    within `timeout_s`; `while_open` is called after the reruns, before any session closes.
    `cookie_name`: each session sends its own cookie of that name (the proxy's routing key)."""
    async def bounded() -> SessionsResult:
        return await asyncio.wait_for(_run(url, n, pages, reruns, while_open, cookie_name),
                                      timeout_s)

    try:
        return run_sync(bounded())
    except TimeoutError:
        return SessionsResult(errors=[f"timeout after {timeout_s:g} s"])


def run_sync(coro):
    """asyncio.run(coro), also where this thread already runs an event loop (Playwright's
    sync API in the same process): then in a thread of its own."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coro)
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coro).result()
