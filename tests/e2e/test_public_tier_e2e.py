"""The public tier, for real (scripts/serve_public.Tier): a writer, read-only replicas on the
published snapshot and nginx on loopback.

- the public entry cannot reach the writer's pages or its sign-in; the admin entry can;
- static files come compressed and cached for a year, with the security headers;
- sessions spread over the replicas by cookie and stay on theirs;
- a replica killed under load: nginx sends its sessions' reconnects and new sessions to the
  others, and the others' sessions keep working;
- a snapshot published under load: no rerun fails, none shows parts of two snapshots;
- a corrupt snapshot or one of another schema is refused with a logged reason while the
  previous one is served;
- `scripts/serve_public.py` stops every process it started on Ctrl-C.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import duckdb
import pytest

from bench.config import page_query
from bench.sessions import Session, run_sync
from bench.tier import explicit_query, switch_under_load
from evalcore import snapshot
from evalcore.labels import t
from evalcore.navigation import PAGES
from evalcore.paths import ROOT
from scripts.serve_public import (
    COOKIE,
    NGINX,
    Tier,
    chunk_url,
    free_port,
    port_free,
    streamlit_static,
)
from tests.e2e.conftest import make_users

pytestmark = [pytest.mark.e2e,
              pytest.mark.skipif(not Path(NGINX).exists(), reason="nginx not installed")]


def _tier(db: Path, run_dir: Path, replicas: int, writer: bool, users_db: Path) -> Tier:
    return Tier(db, replicas=replicas, run_dir=run_dir, public_port=free_port(),
                admin_port=free_port(), writer_port=free_port(),
                reader_ports=tuple(free_port() for _ in range(replicas)), writer=writer,
                restart=False, static_cache=ROOT / "test-output" / "static",
                extra_env={"EVAL_USERS_DB": str(users_db)})


@pytest.fixture(scope="module")
def tier(demo_db_path, tmp_path_factory):
    """Writer, two replicas and nginx."""
    folder = tmp_path_factory.mktemp("tier")
    shutil.copyfile(demo_db_path, folder / "writer.duckdb")
    users = make_users(folder / "users.duckdb")
    with _tier(folder / "writer.duckdb", folder / "run", 2, True, users) as running:
        yield running


@pytest.fixture
def replicas(demo_db_path, users_db, tmp_path):
    """Two replicas and nginx, no writer: the test publishes itself (the same function the
    writer calls), so it needs the database file for itself."""
    shutil.copyfile(demo_db_path, tmp_path / "db.duckdb")
    with _tier(tmp_path / "db.duckdb", tmp_path / "run", 2, False, users_db) as running:
        yield running


def _get(url: str, **headers: str):
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as err:
        return err.code, dict(err.headers), err.read()


def _run(coro):
    return run_sync(asyncio.wait_for(coro, 300))


async def _elements(url: str, page: str, query: str = "lang=en") -> list:
    """The elements one fresh session is shown on `page`."""
    from streamlit.proto.Delta_pb2 import Delta

    session = Session(url, {}, f"{COOKIE}=e2e-{time.monotonic_ns()}", record=True)
    await session.open()
    try:
        await session.rerun(page, query)
        return [Delta.FromString(b).new_element for b in session.elements]
    finally:
        await session.close()


def _has_password_field(elements) -> bool:
    return any(e.WhichOneof("type") == "text_input" and e.text_input.type == 1
               for e in elements)


def test_the_public_entry_cannot_reach_the_writer(tier):
    for path in ("/data", "/data/", "/admin", "/auth/login", "/data/_stcore/health"):
        assert _get(tier.public_url + path)[0] == 404, path
    assert _get(tier.admin_url + "/data")[0] == 200
    # Through the public entry, the data page's route is a replica's, which offers neither
    # the page nor a sign-in; the admin entry's writer offers the sign-in form.
    public = _run(_elements(tier.public_url, "data"))
    assert not _has_password_field(public)
    assert t("data_read_only", "en") in [e.alert.body for e in public
                                         if e.WhichOneof("type") == "alert"]
    assert _has_password_field(_run(_elements(tier.admin_url, "home")))


def test_static_files_compressed_cached_and_with_security_headers(tier):
    plotly = chunk_url("PlotlyChart")
    status, headers, body = _get(tier.public_url + plotly, **{"Accept-Encoding": "br"})
    assert status == 200 and headers["Content-Encoding"] == "br"
    assert "immutable" in headers["Cache-Control"] and "max-age=31536000" in headers["Cache-Control"]
    assert len(body) < 0.3 * (streamlit_static() / plotly.lstrip("/")).stat().st_size
    status, headers, _ = _get(tier.public_url + plotly, **{"Accept-Encoding": "gzip"})
    assert headers["Content-Encoding"] == "gzip"
    for path in ("/", plotly, "/leaderboard"):
        headers = _get(tier.public_url + path)[1]
        assert headers["X-Frame-Options"] == "SAMEORIGIN", path
        assert headers["X-Content-Type-Options"] == "nosniff", path
    status, headers, _ = _get(tier.public_url + "/leaderboard")
    assert f"<{plotly}>; rel=modulepreload" in headers["Link"]
    assert headers["Set-Cookie"].startswith(f"{COOKIE}=")


def _upstreams(tier: Tier, cookies: list[str]) -> dict[str, set[str]]:
    """Which replica each routing cookie's websocket went to (nginx's access log)."""
    out: dict[str, set[str]] = {}
    for line in (tier.run_dir / "logs" / "access.log").read_text().splitlines():
        if "/_stcore/stream" in line and "route=" in line:
            route = line.rsplit("route=", 1)[1].strip()
            if route in cookies:
                out.setdefault(route, set()).add(line.split("upstream=", 1)[1].split()[0])
    return out


def test_sessions_spread_over_replicas_and_stick_to_theirs(tier):
    cookies = [f"spread-{i}-{time.monotonic_ns()}" for i in range(12)]

    async def twice(cookie: str) -> None:
        for _ in range(2):  # a reconnect with the same cookie
            session = Session(tier.public_url, {}, f"{COOKIE}={cookie}")
            await session.open()
            await session.rerun("leaderboard", page_query("leaderboard"))
            await session.close()

    async def every() -> None:
        await asyncio.gather(*(twice(c) for c in cookies))

    _run(every())
    time.sleep(0.5)  # nginx logs a websocket when it closes
    routes = _upstreams(tier, cookies)
    assert set(routes) == set(cookies)
    assert all(len(upstreams) == 1 for upstreams in routes.values())  # sticky
    assert len(set().union(*routes.values())) == 2  # both replicas used


def test_a_killed_replica_loses_only_its_sessions(replicas):
    """Kill one replica under load: its sessions' connections break and reconnect to the
    other; the other's sessions never notice; new sessions all work."""
    page, query = "leaderboard", page_query("leaderboard")
    victim = replicas.readers[0]

    async def scenario() -> tuple[int, int, int]:
        sessions = [Session(replicas.public_url, {}, f"{COOKIE}=kill-{i}") for i in range(12)]
        await asyncio.gather(*(s.open() for s in sessions))
        for session in sessions:
            await session.rerun(page, query)
        os.kill(victim.pid, signal.SIGKILL)
        victim.proc.wait()
        broken, kept = [], []

        async def again(session: Session) -> None:
            try:
                _, failed = await session.rerun(page, query)
                assert not failed
                kept.append(session)
            except Exception:  # noqa: BLE001 - the websocket of the killed replica closed
                broken.append(session)

        await asyncio.gather(*(again(s) for s in sessions))
        for session in kept:  # the survivors keep working
            _, failed = await session.rerun("bonus", page_query("bonus"))
            assert not failed
        reconnected = 0
        for session in broken:  # the browser reconnects, with its cookie
            await session.close()
            fresh = Session(replicas.public_url, {}, session.cookie)
            await fresh.open()
            _, failed = await fresh.rerun(page, query)
            reconnected += not failed
            await fresh.close()
        newcomers = [Session(replicas.public_url, {}, f"{COOKIE}=new-{i}") for i in range(8)]
        await asyncio.gather(*(s.open() for s in newcomers))
        results = await asyncio.gather(*(s.rerun(page, query) for s in newcomers))
        await asyncio.gather(*(s.close() for s in [*kept, *newcomers]))
        assert not any(failed for _, failed in results)
        return len(broken), len(kept), reconnected

    broken, kept, reconnected = _run(scenario())
    assert broken and kept  # sessions were on both replicas (12 cookies: 1 in 2,048 fails)
    assert reconnected == broken


def _pages() -> list[tuple[str, str]]:
    return [(p.url_path, explicit_query(page_query(p.url_path))) for p in PAGES]


def test_a_snapshot_published_under_load_switches_cleanly(replicas):
    got = switch_under_load(replicas.public_url, replicas.db, replicas.snapshots, _pages(),
                            n=6, seconds=15, cookie_name=COOKIE)
    assert got.errors == [] and got.failed == 0
    assert got.mixed == 0  # every rerun showed the old snapshot or the new one, whole
    assert got.old > 0 and got.new > 0
    assert got.identical_pages == []  # every page changed with the publish: the check bites
    current = snapshot.Pointer.read(replicas.snapshots).version
    for url in replicas.reader_urls:  # each replica says which snapshot it serves
        status, _, body = _get(url + "/readyz")
        assert status == 200 and json.loads(body)["snapshot"] == current


def _bad_snapshot(directory: Path, kind: str) -> None:
    name = f"snapshot-29990101T000000000000Z-{kind}.duckdb"
    path = directory / name
    if kind == "corrupt":
        good = snapshot.Pointer.read(directory)
        data = bytearray((directory / good.file).read_bytes())
        data[len(data) // 4: 3 * len(data) // 4] = os.urandom(3 * len(data) // 4 - len(data) // 4)
        path.write_bytes(bytes(data))
        version = good.version  # not even its version can be read
    else:
        version = "29990101T000000000000Z-schema"
        con = duckdb.connect(str(path))
        con.execute("CREATE TABLE meta (key VARCHAR, value VARCHAR)")
        con.execute("INSERT INTO meta VALUES ('schema_version', '999'), "
                    "('snapshot_version', ?)", [version])
        con.close()
    pointer = snapshot.Pointer(name, version, snapshot.file_sha256(path), path.stat().st_size,
                               snapshot.VERSION)
    (directory / "current").write_text(pointer.to_json())


@pytest.mark.parametrize("kind", ["corrupt", "schema"])
def test_replicas_refuse_a_bad_snapshot_and_keep_serving(replicas, kind):
    page, query = "leaderboard", explicit_query(page_query("leaderboard"))

    async def shown() -> bytes:
        session = Session(replicas.public_url, {}, f"{COOKIE}=bad-{time.monotonic_ns()}",
                          record=True)
        await session.open()
        _, failed = await session.rerun(page, query)
        await session.close()
        assert not failed
        return b"".join(session.elements)

    before = _run(shown())
    _bad_snapshot(replicas.snapshots, kind)
    for _ in range(4):  # sessions on both replicas
        assert _run(shown()) == before
    for reader in replicas.readers:  # every replica that looked says why, in its log
        log = reader.log.read_text()
        if "snapshot refused" in log:
            assert "still serving" in log
    logs = "".join(r.log.read_text() for r in replicas.readers)
    assert "snapshot refused" in logs
    assert ("schema version '999'" if kind == "schema" else "does not open") in logs \
        or "cannot be read" in logs


def test_serve_public_stops_everything_on_ctrl_c(demo_db_path, users_db, tmp_path):
    shutil.copyfile(demo_db_path, tmp_path / "db.duckdb")
    ports = [free_port() for _ in range(4)]
    proc = subprocess.Popen(
        [sys.executable, str(ROOT / "scripts" / "serve_public.py"), "--replicas", "1",
         "--port", str(ports[0]), "--admin-port", str(ports[1]), "--writer-port",
         str(ports[2]), "--reader-port", str(ports[3]), "--db", str(tmp_path / "db.duckdb"),
         "--run-dir", str(tmp_path / "run")],
        cwd=ROOT, env={**os.environ, "EVAL_USERS_DB": str(users_db)},
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        lines = []
        for line in proc.stdout:
            lines.append(line)
            if "Ctrl-C stops everything" in line:
                break
        assert _get(f"http://127.0.0.1:{ports[0]}/_stcore/health")[0] == 200, lines
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=60) == 0
    finally:
        with contextlib.suppress(ProcessLookupError):
            proc.kill()
    assert all(port_free(p) for p in ports)
    assert not (tmp_path / "run" / "nginx.pid").exists()
