"""N concurrent simulated sessions speaking Streamlit's websocket protocol, loopback only.

Each session opens `/_stcore/stream` (subprotocol `streamlit`, an Origin header, as the browser
does), then sends BackMsg rerun_script — the page by name on its first visit, as a deep link
does, and by page_script_hash afterwards, as a sidebar click does — and reads ForwardMsgs until
script_finished. A rerun's latency is from sending the BackMsg to script_finished. Bounded: a
fixed number of reruns per session and one deadline for the whole run.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Sequence
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
    """One simulated browser tab."""

    def __init__(self, url: str, hashes: dict[str, str]) -> None:
        parsed = urlparse(url)
        if parsed.hostname not in LOOPBACK:
            raise ValueError(f"sessions only target loopback, not {parsed.hostname}")
        self.stream = f"ws://{parsed.netloc}/_stcore/stream"
        self.origin = f"{parsed.scheme}://{parsed.netloc}"
        self.hashes = hashes  # url_path → page_script_hash, shared by all sessions
        self.ws = None

    async def open(self) -> None:
        from websockets.asyncio.client import connect

        self.ws = await connect(self.stream, subprotocols=["streamlit"], origin=self.origin,
                                max_size=None, open_timeout=60)

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
        while True:
            msg = ForwardMsg()
            msg.ParseFromString(await self.ws.recv())
            kind = msg.WhichOneof("type")
            if kind == "navigation":
                self._learn_pages(msg.navigation)
            elif kind == "delta" and _failed(msg.delta.new_element):
                failed = True
            elif kind == "script_finished":
                if msg.script_finished == ForwardMsg.FINISHED_WITH_COMPILE_ERROR:
                    raise RuntimeError(f"{url_path}: compile error")
                if msg.script_finished != ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                    return time.perf_counter() - start, failed


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


async def _run(url: str, n: int, pages: Sequence[tuple[str, str]], reruns: int,
               while_open: Callable[[], object] | None) -> SessionsResult:
    result, hashes = SessionsResult(), {}
    sessions = [Session(url, hashes) for _ in range(n)]
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
                 timeout_s: float,
                 while_open: Callable[[], object] | None = None) -> SessionsResult:
    """Open `n` sessions at once, each rerunning `reruns` pages (spread over `pages`), all
    within `timeout_s`; `while_open` is called after the reruns, before any session closes."""
    async def bounded() -> SessionsResult:
        return await asyncio.wait_for(_run(url, n, pages, reruns, while_open), timeout_s)

    try:
        return asyncio.run(bounded())
    except TimeoutError:
        return SessionsResult(errors=[f"timeout after {timeout_s:g} s"])
