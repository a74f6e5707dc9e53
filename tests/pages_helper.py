"""Opening one page of the app in AppTest, with query parameters, on a test database."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from streamlit.testing.v1 import AppTest

from evalcore.paths import ROOT
from evalcore.ui.widgets import FAILURE_TEXTS

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
    assert_no_failure(at)
    return at


def assert_no_failure(at: AppTest) -> None:
    """No exception, and not the short message app.py shows when a page fails (the page's
    traceback is then in the captured log)."""
    assert not at.exception, at.exception
    assert not [e.value for e in at.error if e.value in FAILURE_TEXTS], "the page failed"


def plotly_specs(at: AppTest) -> list[dict]:
    import json

    return [json.loads(c.proto.spec) for c in at.get("plotly_chart")]


def plotly_spec(at: AppTest, key: str) -> dict:
    """The spec of the plotly chart shown with `key` (Streamlit's element id ends with it)."""
    import json

    [chart] = [c for c in at.get("plotly_chart") if c.proto.id.endswith(key)]
    return json.loads(chart.proto.spec)


# A unit user (西湖区, a county) and the user of the inspection group led by 宁波 (330200):
# in the draft round 2023 they may see only their own units, so each page is checked at city
# and county level for both (the unit user's city-level board is empty).
RESTRICTED_USERS = (("unit", {"unit_code": "330106"}), ("group", {"group_city_code": "330200"}))
DRAFT_ROUND = 2023


def restricted_views() -> list:
    import pytest

    from evalcore.vocab import LEVELS

    return [pytest.param(role, codes, level, id=f"{role}-{level}")
            for role, codes in RESTRICTED_USERS for level in LEVELS]


def own_units(db: Path, role: str, codes: dict, level: str) -> set[str]:
    """The units of `level` the user may see in the draft round (the access policy's "own")."""
    from evalcore.access import Viewer
    from evalcore.db import Store

    with Store(db) as store:
        own = store.own_units(DRAFT_ROUND, Viewer(role, **codes))
        levels = store.regions().set_index("code")["level"]
    return {u for u in own if levels[u] == level}


def open_restricted(db: Path, monkeypatch, page: str, role: str, codes: dict, level: str,
                    **params: str) -> AppTest:
    """The page for that user in the draft round, in English (unit names read 'name (code)')."""
    at = open_page(db, monkeypatch, page, role=role, codes=codes, round=str(DRAFT_ROUND),
                   level=level, lang="en", **params)
    assert at.query_params["round"] == str(DRAFT_ROUND)  # the draft round was shown
    return at


def shown_units(at: AppTest, *selectboxes: str) -> set[str]:
    """Unit codes in the page's tables and in the named selectboxes' options."""
    import re

    texts = [str(v) for df in at.dataframe for column in df.value.columns
             for v in df.value[column]]
    texts += [str(o) for key in selectboxes for o in at.selectbox(key=key).options]
    return {code for text in texts for code in re.findall(r"\((\d{6})\)", text)}


def assert_own_units_only(at: AppTest, expected: set[str], *selectboxes: str) -> None:
    """Where a board shows, only the user's own units; where none is visible, the message."""
    from evalcore.labels import t

    if expected:
        shown = shown_units(at, *selectboxes)
        assert shown and shown <= expected, (shown, expected)
    else:
        assert t("no_units_visible", "en") in [i.value for i in at.info]
        assert not at.dataframe and not at.get("plotly_chart")
