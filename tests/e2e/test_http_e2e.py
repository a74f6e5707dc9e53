"""A running server's HTTP hardening (.streamlit/config.toml): the XSRF cookie is SameSite=
Strict, an upload without the XSRF token is refused, other origins get no CORS grant."""

from __future__ import annotations

import urllib.error
import urllib.request

import pytest

pytestmark = pytest.mark.e2e


def fetch(url: str, method: str = "GET", headers: dict | None = None, data: bytes | None = None):
    request = urllib.request.Request(url, method=method, headers=headers or {}, data=data)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.headers
    except urllib.error.HTTPError as error:
        return error.code, error.headers


def test_the_xsrf_cookie_is_strict(server) -> None:
    status, headers = fetch(f"{server}/_stcore/health")
    cookie = headers.get("Set-Cookie", "")
    assert status == 200 and cookie.startswith("_streamlit_xsrf=")
    assert "SameSite=Strict" in cookie and "Path=/" in cookie


def test_an_upload_without_the_xsrf_token_is_refused(server) -> None:
    status, _ = fetch(f"{server}/_stcore/upload_file/session/file", "PUT",
                      {"Origin": server}, b"unit_code\n330106\n")
    assert status == 403


@pytest.mark.parametrize("path", ["/_stcore/health", "/_stcore/host-config", "/"])
def test_other_origins_get_no_cors_grant(server, path) -> None:
    _, headers = fetch(f"{server}{path}", headers={"Origin": "http://evil.example"})
    assert headers.get("Access-Control-Allow-Origin") in (None, server)
    _, headers = fetch(f"{server}/_stcore/upload_file/s/f", "OPTIONS",
                       {"Origin": "http://evil.example", "Access-Control-Request-Method": "PUT"})
    assert headers.get("Access-Control-Allow-Origin") != "http://evil.example"
    assert headers.get("Access-Control-Allow-Origin") != "*"
