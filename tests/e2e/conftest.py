"""End-to-end fixtures: a real Streamlit server on loopback and real headless Chromium.

Chromium is Debian's (/usr/bin/chromium, installed by `make test`); Playwright only drives it
and never downloads a browser. Every request that would leave 127.0.0.1 is blocked and
recorded, so a test can assert the dashboard works offline.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

import pytest

from evalcore.paths import ROOT

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
SHOTS = ROOT / "test-output" / "screenshots"
LOCAL_HOSTS = {"127.0.0.1", "localhost"}
# Streamlit's frontend probes these under a deep link's path before finding the server root.
HARMLESS_404 = re.compile(r"/[a-z_-]+/_stcore/(health|host-config)$")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_healthy(url: str, proc: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"streamlit exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise TimeoutError(f"streamlit did not become healthy at {url}")


ADMIN = ("e2e-admin", "correct horse battery staple")


def make_users(path: Path) -> Path:
    """A users database with one administrator, for tests that sign in through the form.

    Every server gets one of its own: a running server keeps its users file open, and DuckDB
    keeps every other process out of an open file, so a second server on the same file could
    not sign anyone in (and failed sign-ins would carry over between tests)."""
    from evalcore.auth import AccountStore

    with AccountStore(path) as accounts:
        accounts.add(*ADMIN, "admin", display_name="E2E 管理员")
    return path


@pytest.fixture
def users_db(tmp_path) -> Path:
    return make_users(tmp_path / "users.duckdb")


@contextlib.contextmanager
def served(db: Path, folder: Path, users_db: Path | None = None, **env: str):
    """A real server (serve.py, as `make run` starts it) on its own copy of `db`; its URL.
    Without `users_db`, a users database of its own (make_users)."""
    port = _free_port()
    log = (folder / "streamlit.log").open("w")
    # The server opens its database read-write: give it its own copy of the test database.
    copy = folder / "server.duckdb"
    shutil.copyfile(db, copy)
    users_db = users_db or make_users(folder / "users.duckdb")
    env = {**os.environ, "EVAL_DB": str(copy), "EVAL_USERS_DB": str(users_db), **env}
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(ROOT / "serve.py"), "--server.port",
         str(port), "--server.address", "127.0.0.1", "--server.headless", "true",
         "--browser.gatherUsageStats", "false"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(url, proc)
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=20)
        log.close()


@pytest.fixture(scope="session")
def server(demo_db_path: Path, tmp_path_factory) -> str:
    with served(demo_db_path, tmp_path_factory.mktemp("server")) as url:
        yield url


@pytest.fixture
def fresh_server(demo_db_path: Path, tmp_path) -> str:
    """A server no browser has visited yet (for what only a first visitor sees)."""
    with served(demo_db_path, tmp_path) as url:
        yield url


@pytest.fixture(scope="module")
def read_only_server(demo_db_path: Path, tmp_path_factory) -> str:
    with served(demo_db_path, tmp_path_factory.mktemp("read-only"),
                EVAL_READ_ONLY="1") as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run `make test` (it installs Debian's chromium)")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class Watched:
    """A browser page with what it tried to fetch outside loopback and what it logged."""

    def __init__(self, page) -> None:
        self.page = page
        self.external: list[str] = []
        self.console_errors: list[str] = []
        self.failed: list[str] = []
        page.route("**/*", self._route)
        page.on("console", self._console)
        page.on("response", self._response)
        page.on("pageerror", lambda exc: self.console_errors.append(f"pageerror: {exc}"))

    def _route(self, route) -> None:
        url = route.request.url
        host = urlparse(url).hostname
        if url.startswith(("data:", "blob:")) or host in LOCAL_HOSTS:
            route.continue_()
        else:
            self.external.append(url)
            route.abort()

    def _console(self, message) -> None:
        if message.type == "error" and "Failed to load resource" not in message.text:
            self.console_errors.append(message.text)

    def _response(self, response) -> None:
        if response.status >= 400 and not HARMLESS_404.search(urlparse(response.url).path):
            self.failed.append(f"{response.status} {response.url}")

    def screenshot(self, name: str) -> Path:
        SHOTS.mkdir(parents=True, exist_ok=True)
        path = SHOTS / f"{name}.png"
        self.page.screenshot(path=str(path), full_page=True)
        return path


@pytest.fixture
def watched(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(30_000)
    yield Watched(page)
    context.close()
