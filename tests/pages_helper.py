"""Opening one page of the app in AppTest, with query parameters, on a test database."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from streamlit.testing.v1 import AppTest

from evalcore.paths import ROOT

APP = str(ROOT / "app.py")


_APP_COPIES: dict[Path, Path] = {}


def app_copy(db: Path) -> Path:
    """The app opens its database read-write (it writes imports and publishing), and DuckDB
    refuses two configurations of one file in a process: so the app under test gets its own
    copy of the test database, made once per session."""
    if db not in _APP_COPIES:
        copy = Path(tempfile.mkdtemp(prefix="app-db-")) / db.name
        shutil.copyfile(db, copy)
        _APP_COPIES[db] = copy
    return _APP_COPIES[db]


def sign_in_as(at: AppTest, monkeypatch, role: str, **codes: str) -> None:
    """Create an account of `role` in a private users database and put its session into the
    app's session state, exactly as the login form would."""
    from evalcore import auth

    users = Path(tempfile.mkdtemp(prefix="users-")) / "users.duckdb"
    monkeypatch.setenv("EVAL_USERS_DB", str(users))
    with auth.AccountStore(users) as accounts:
        account = accounts.add(f"test-{role}", "correct horse battery", role, **codes)
    for key, value in auth.new_session(account, auth.utc_now()).items():
        at.session_state[f"auth.{key}"] = value


def private_copy(db: Path) -> Path:
    """A fresh copy for a test that changes data through the app."""
    copy = Path(tempfile.mkdtemp(prefix="app-db-")) / db.name
    shutil.copyfile(db, copy)
    return copy


def open_page(db: Path, monkeypatch, page: str, role: str | None = None,
              codes: dict | None = None, private: Path | None = None, **params: str) -> AppTest:
    """Run app.py with `params` in the URL (signed in as `role` if given), then switch to
    pages/<page>.py and run it. Tests that change data pass `private=private_copy(db)`."""
    monkeypatch.setenv("EVAL_DB", str(private or app_copy(db)))
    at = AppTest.from_file(APP, default_timeout=60)
    if role:
        sign_in_as(at, monkeypatch, role, **(codes or {}))
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


def plotly_spec(at: AppTest, key: str) -> dict:
    """The spec of the plotly chart shown with `key` (Streamlit's element id ends with it)."""
    import json

    [chart] = [c for c in at.get("plotly_chart") if c.proto.id.endswith(key)]
    return json.loads(chart.proto.spec)
