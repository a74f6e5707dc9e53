"""The public tier's nginx configuration (scripts/serve_public.py renders
deploy/nginx.conf.template): what it routes where, and that nginx accepts it."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from evalcore.navigation import DATA_PAGE, PAGES
from scripts.serve_public import (
    COOKIE,
    NGINX,
    SECURITY_CONF,
    NginxConfig,
    chunk_url,
    preload_map,
    streamlit_static,
)


@pytest.fixture
def conf(tmp_path: Path) -> str:
    return NginxConfig(18080, 18081, 18501, (18601, 18602), tmp_path / "static").render()


def _server(conf: str, listen: str) -> str:
    """The text of the server block listening on `listen`."""
    blocks = conf.split("    server {")[1:]
    return next(b for b in blocks if f"listen {listen};" in b)


def _locations(block: str) -> dict[str, str]:
    parts = re.split(r"\n        location ", block)[1:]
    return {p.split("{", 1)[0].strip(): p.split("{", 1)[1] for p in parts}


def test_every_placeholder_is_filled(conf):
    assert "@@" not in conf


def test_public_entry_reaches_only_the_replicas(conf):
    public = _server(conf, "127.0.0.1:18080")
    assert "http://readers" in public and "http://writer" not in public
    assert "127.0.0.1:18601" in conf and "127.0.0.1:18602" in conf
    blocked = _locations(public)[r"~ ^/(data|admin|auth)(/|$)"]
    assert "return 404" in blocked
    assert DATA_PAGE.url_path == "data"


def test_admin_entry_reaches_the_writer(conf):
    admin = _server(conf, "127.0.0.1:18081")
    assert "proxy_pass http://writer;" in admin and "readers" not in admin
    assert re.search(r"upstream writer \{\s*server 127\.0\.0\.1:18501;", conf)


def test_sessions_stick_by_cookie_and_failed_replicas_are_skipped(conf):
    assert "hash $route_key consistent;" in conf
    assert f"map $cookie_{COOKIE} $route_key" in conf
    assert "ip_hash" not in conf.split("upstream readers")[1].split("}")[0]
    for port in (18601, 18602):
        assert f"server 127.0.0.1:{port} max_fails=1 fail_timeout=10s;" in conf
    assert "proxy_next_upstream error timeout" in conf
    stream = _locations(_server(conf, "127.0.0.1:18080"))["= /_stcore/stream"]
    assert "proxy_set_header Upgrade $http_upgrade;" in stream


def test_security_headers_survive_every_location_that_adds_headers(conf):
    """nginx drops the server's add_header in a location with its own: each such location
    includes the security headers again."""
    for listen in ("127.0.0.1:18080", "127.0.0.1:18081"):
        block = _server(conf, listen)
        assert f"include {SECURITY_CONF};" in block.split("location")[0]
        for name, body in _locations(block).items():
            if "add_header" in body:
                assert f"include {SECURITY_CONF};" in body, name


def test_static_files_are_cached_for_a_year_and_compressed(conf):
    static = _locations(_server(conf, "127.0.0.1:18080"))["/static/"]
    assert 'Cache-Control "public, max-age=31536000, immutable"' in static
    assert "gzip_static on;" in conf and "application/javascript" in conf


def test_each_chart_page_preloads_its_chunks_and_their_imports():
    entries = preload_map([p.url_path for p in PAGES])
    lines = {line.split('"')[1]: line for line in entries.splitlines()}
    assert "~^/home/?$" not in lines  # the landing page draws no chart
    assert chunk_url("DeckGlJsonChart") in lines["~^/map/?$"]
    assert chunk_url("PlotlyChart") not in lines["~^/map/?$"]
    for chunk in ("PlotlyChart", "DataFrame", "arrowFormatUtils"):  # and a dependency
        assert chunk_url(chunk) in lines["~^/leaderboard/?$"]
    index = (streamlit_static() / "index.html").read_text()
    for url in re.findall(r"<(/static/js/[^>]+)>", entries):
        assert (streamlit_static() / url.lstrip("/")).is_file()
        assert url.lstrip("/") not in index  # index.html preloads those itself


@pytest.mark.skipif(not Path(NGINX).exists(), reason="nginx not installed (make system-deps)")
def test_nginx_accepts_the_configuration(tmp_path):
    conf = tmp_path / "nginx.conf"
    (tmp_path / "logs").mkdir()
    (tmp_path / "tmp").mkdir()
    conf.write_text(NginxConfig(18080, 18081, 18501, (18601,), tmp_path / "static").render())
    done = subprocess.run([NGINX, "-t", "-q", "-p", f"{tmp_path}/", "-c", str(conf),
                           "-e", "logs/error.log"], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
