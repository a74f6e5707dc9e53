"""Opening one page of the app in AppTest, with query parameters, on a test database."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from evalcore.paths import ROOT

APP = str(ROOT / "app.py")


def open_page(db: Path, monkeypatch, page: str, **params: str) -> AppTest:
    """Run app.py with `params` in the URL, then switch to pages/<page>.py and run it."""
    monkeypatch.setenv("EVAL_DB", str(db))
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    at.switch_page(f"pages/{page}.py")
    at.run()
    assert not at.exception, at.exception
    return at


def plotly_specs(at: AppTest) -> list[dict]:
    import json

    return [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
