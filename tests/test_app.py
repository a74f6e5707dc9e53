"""The app frame: overview on the demo, a clear message when the database is missing."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from evalcore.paths import ROOT
from tests.pages_helper import app_copy, assert_no_failure

APP = str(ROOT / "app.py")


def test_selectors_default_to_latest_published_round(demo_db_path, monkeypatch) -> None:
    monkeypatch.setenv("EVAL_DB", str(app_copy(demo_db_path)))
    at = AppTest.from_file(APP, default_timeout=30).run()
    assert_no_failure(at)
    assert at.selectbox(key="param.round").value == 2022
    assert at.query_params["round"] == "2022" and at.query_params["lang"] == "zh"


def test_the_shared_selectors_are_on_the_page_not_in_the_sidebar(demo_db_path,
                                                                   monkeypatch) -> None:
    """Phones collapse the sidebar: language, round and level are a row at the top of the
    page; the sidebar keeps the menu and the sign-in box only."""
    monkeypatch.setenv("EVAL_DB", str(app_copy(demo_db_path)))
    at = AppTest.from_file(APP, default_timeout=30)
    at.query_params["lang"] = "en"
    at.run()
    assert_no_failure(at)
    assert not at.sidebar.selectbox
    row = {s.key: s for s in at.main.selectbox}
    assert {"param.lang", "param.round", "param.level"} <= set(row)
    assert "param.stage" not in row  # the public has one view, the final scores
    assert row["param.round"].options == ["Round 2022", "Round 2021", "Round 2020"]
    assert row["param.lang"].options == ["中文", "English"]
    row["param.lang"].select("zh").run()
    assert at.query_params["lang"] == "zh" and at.selectbox(key="param.level").options[0] == "设区市"


def test_missing_db_says_how_to_build(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("EVAL_DB", str(tmp_path / "missing.duckdb"))
    at = AppTest.from_file(APP, default_timeout=30).run()
    assert_no_failure(at)
    assert "未找到数据库" in at.error[0].value
    assert "build-demo" in at.code[0].value


def test_empty_database_says_nothing_is_published_yet(tmp_path, monkeypatch) -> None:
    from evalcore.db import Store

    path = tmp_path / "empty.duckdb"
    with Store(path, read_only=False) as store:
        store.initialise()
    monkeypatch.setenv("EVAL_DB", str(path))
    at = AppTest.from_file(APP, default_timeout=30).run()
    assert_no_failure(at)
    assert "暂无已发布的考评结果" in at.info[0].value


def test_uninitialised_file_says_how_to_build(tmp_path, monkeypatch) -> None:
    import duckdb

    path = tmp_path / "other.duckdb"
    duckdb.connect(str(path)).execute("CREATE TABLE t (a INT)").close()
    monkeypatch.setenv("EVAL_DB", str(path))
    at = AppTest.from_file(APP, default_timeout=30).run()
    assert_no_failure(at)
    assert "未找到数据库" in at.error[0].value


def test_a_failing_page_shows_a_short_message_and_logs_the_details(demo_db_path, monkeypatch,
                                                                    caplog) -> None:
    import streamlit as st

    from evalcore.labels import t
    from evalcore.reader import Reader

    def broken(*args, **kwargs):
        raise RuntimeError("boom at /srv/secret/evalcore/reader.py")

    st.cache_data.clear()  # nothing served from a previous test's cache
    monkeypatch.setattr(Reader, "board", broken)
    monkeypatch.setenv("EVAL_DB", str(app_copy(demo_db_path)))
    at = AppTest.from_file(APP, default_timeout=30)
    at.query_params["lang"] = "en"
    at.run()
    at.switch_page("pages/leaderboard.py").run()
    st.cache_data.clear()
    assert not at.exception  # no traceback, no exception type or message in the browser
    assert [e.value for e in at.error] == [t("page_failed", "en")]
    shown = " ".join(str(e.value) for kind in ("title", "markdown", "error", "info", "caption")
                     for e in getattr(at, kind))
    assert "boom" not in shown and "/srv/secret" not in shown
    assert "boom at /srv/secret" in caplog.text and "Traceback" in caplog.text  # server log
