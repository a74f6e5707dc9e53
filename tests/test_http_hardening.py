"""Issue #15 §5: the server's HTTP settings (.streamlit/config.toml) and the proxy's
Content-Security-Policy (deploy/nginx-security.conf) match what they claim, for the installed
Streamlit. tests/e2e/test_csp_e2e.py renders every page under the policy in Chromium;
tests/e2e/test_http_e2e.py checks the cookie and the upload route of a running server."""

from __future__ import annotations

import base64
import hashlib
import re
import tomllib
from pathlib import Path

import streamlit

from evalcore.importer.limits import LIMITS
from evalcore.paths import ROOT

CONFIG = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
CONF = (ROOT / "deploy" / "nginx-security.conf").read_text(encoding="utf-8")


def csp() -> dict[str, list[str]]:
    [policy] = re.findall(r'add_header Content-Security-Policy "([^"]+)" always;', CONF)
    directives = [d.split() for d in policy.split(";") if d.strip()]
    return {d[0]: d[1:] for d in directives}


def test_server_settings() -> None:
    server = CONFIG["server"]
    assert server["enableXsrfProtection"] is True and server["xsrfCookieSameSite"] == "strict"
    assert server["enableCORS"] is True and server["corsAllowedOrigins"] == []  # no CORS
    assert server["address"] == "127.0.0.1"
    assert server["enableStaticServing"] is False and server["enableAgentApi"] is False


def test_upload_limit_is_the_importers() -> None:
    limits = {limit.name: limit.value for limit in LIMITS}
    assert CONFIG["server"]["maxUploadSize"] == limits["max_file_mb"]


def _inline_script_hashes() -> set[str]:
    html = (Path(streamlit.__file__).parent / "static" / "index.html").read_text(encoding="utf-8")
    scripts = re.findall(r"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", html, re.S)
    return {"'sha256-" + base64.b64encode(hashlib.sha256(s.encode()).digest()).decode() + "'"
            for s in scripts}


def test_the_policy_allows_exactly_the_inline_scripts_of_this_streamlit() -> None:
    policy = csp()
    hashes = {s for s in policy["script-src"] if s.startswith("'sha256-")}
    assert hashes == _inline_script_hashes(), "Streamlit's index.html changed: update the hash"


def test_the_policy_is_tight() -> None:
    policy = csp()
    assert policy["default-src"] == ["'self'"]
    assert set(policy["script-src"]) - {"'self'", "'wasm-unsafe-eval'"} == _inline_script_hashes()
    assert "'unsafe-eval'" not in str(policy) and "*" not in str(policy)
    assert "'unsafe-inline'" not in policy["script-src"]
    assert policy["frame-ancestors"] == ["'self'"] and policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"] and policy["form-action"] == ["'self'"]
    for header in ("X-Frame-Options SAMEORIGIN", "X-Content-Type-Options nosniff",
                   "Referrer-Policy same-origin"):
        assert f"add_header {header} always;" in CONF
