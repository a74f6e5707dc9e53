"""Data management page: refused to the public and to leaders, rights by role, publishing."""

from __future__ import annotations

import io
import json

import pytest

from evalcore.importer.scores import score_columns
from evalcore.rubric import load_rubric
from tests.pages_helper import app_copy, open_page, private_copy


@pytest.mark.parametrize("role", [None, "leader"])
def test_public_and_leaders_have_no_data_page(demo_db_path, monkeypatch, role) -> None:
    # Not in their navigation at all (and the page refuses them itself: see the e2e test).
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        open_page(demo_db_path, monkeypatch, "data", role=role)


def test_admin_sees_import_audit_and_publishing(demo_db_path, monkeypatch) -> None:
    at = open_page(demo_db_path, monkeypatch, "data", role="admin", lang="en")
    assert [t.label for t in at.tabs] == ["Import", "Audit log", "Publishing"]
    assert at.selectbox(key="data.stage").options == ["Self-evaluation", "Cross inspection",
                                                      "Third-party evaluation"]
    assert [b.label for b in at.button if b.key and b.key.startswith("data.publish")][:1] == [
        "Publish 2023"]
    audit = at.dataframe[0].value
    assert "build demo data" in set(audit["Action"])  # the action build-demo, labelled


def test_unit_user_imports_only_its_self_evaluation(demo_db_path, monkeypatch) -> None:
    at = open_page(demo_db_path, monkeypatch, "data", role="unit",
                   codes={"unit_code": "330106"})
    assert [t.label for t in at.tabs] == ["导入", "审计日志"]
    assert at.selectbox(key="data.stage").options == ["市县自评"]


def test_publish_button_publishes_and_audits(demo_db_path, monkeypatch) -> None:
    from evalcore.ui.loaders import _store

    db = private_copy(demo_db_path)
    at = open_page(demo_db_path, monkeypatch, "data", role="admin", private=db)
    at.button(key="data.publish.2023").click().run()
    store = _store(str(db))
    assert bool(store.rounds().set_index("year").loc[2023, "published"])
    assert store.audit_entries(action="publish").iloc[0]["actor"] == "admin:test-admin"


class Upload(io.BytesIO):
    """What st.file_uploader gives: the bytes, the file's name and the uploader's id for it."""

    def __init__(self, name: str, data: bytes) -> None:
        super().__init__(data)
        self.name = name
        self.file_id = f"test-{name}"


@pytest.mark.parametrize("role", ["admin"])
def test_prepare_and_apply_an_upload(demo_db_path, monkeypatch, role) -> None:
    from evalcore.access import FULL
    from evalcore.ui.actions import prepare_upload
    from evalcore.ui.state import Context

    rubric = load_rubric("zj-2020")
    header = score_columns(rubric)
    n = len(rubric.manual_indicators())
    csv = ",".join(header) + "\n" + ",".join(["西湖区", ""] + ["1.5"] * n + ["组", "<b>x</b>"])
    path = str(app_copy(demo_db_path))
    ctx = Context(path, FULL, 2023, "county", "final", "zh", True, True)
    prepared, problems = prepare_upload(ctx, Upload("s.csv", csv.encode()), 2023, "cross")
    assert problems == [] and prepared.result.rows == n
    bad = csv.replace("1.5", "99", 1)
    none, problems = prepare_upload(ctx, Upload("bad.csv", bad.encode()), 2023, "cross")
    assert none is None and "bad.csv, row 2, column A1: 99 is above the maximum 4" == str(
        problems[0])


def test_admin_creates_a_draft_round(demo_db_path, monkeypatch) -> None:
    from evalcore.ui.loaders import _store

    db = private_copy(demo_db_path)
    at = open_page(demo_db_path, monkeypatch, "data", role="admin", private=db)
    at.number_input[0].set_value(2024)
    next(b for b in at.button if b.label == "新建考评年度").click()
    at.run()
    store = _store(str(db))
    rounds = store.rounds().set_index("year")
    assert 2024 in rounds.index and not rounds.loc[2024, "published"]
    assert store.audit_entries(action="create-round").iloc[0]["detail"].startswith("{")


def test_audit_filter_lists_every_action_in_the_users_language(demo_db_path, monkeypatch) -> None:
    from evalcore.labels import t
    from evalcore.vocab import AUDIT_ACTIONS, audit_label_key

    for lang in ("en", "zh"):
        at = open_page(demo_db_path, monkeypatch, "data", role="admin", lang=lang)
        action = at.selectbox(key="data.action")
        # "all" first, then every action the log records (create-round too), each labelled.
        assert action.options == [t("audit_all", lang)] + [
            t(audit_label_key(a), lang) for a in AUDIT_ACTIONS]
        assert "create-round" in AUDIT_ACTIONS and "None" not in action.options
        assert not [o for o in action.options if o.startswith("audit_")]  # no raw keys
    assert action.options[:3] == ["全部操作", "导入", t("audit_revert", "zh")]
    assert len(at.dataframe[0].value) >= 1
    action.select("create-round").run()
    assert at.dataframe[0].value.empty  # no round created in the demo


CSV_HEADER = score_columns(load_rubric("zj-2020"))


def upload_csv(value: str = "1.5") -> bytes:
    n = len(load_rubric("zj-2020").manual_indicators())
    return (",".join(CSV_HEADER) + "\n" + ",".join(["330106", ""] + [value] * n + ["", ""])
            + "\n").encode()


def test_an_upload_is_prepared_once_from_memory_whatever_the_reruns(demo_db_path, monkeypatch,
                                                                    tmp_path) -> None:
    import tempfile

    from evalcore.labels import t
    from evalcore.ui import actions

    ready = t("import_ready", "en").split("{")[0]
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))  # anything temporary lands here
    calls: list[str] = []
    prepare = actions.prepare_scores

    def counted(store, name, *args, **kwargs):
        calls.append(str(name))
        return prepare(store, name, *args, **kwargs)

    monkeypatch.setattr(actions, "prepare_scores", counted)
    at = open_page(demo_db_path, monkeypatch, "data", role="admin", lang="en",
                   private=private_copy(demo_db_path))
    at.selectbox(key="data.stage").select("cross").run()
    before = set(tmp_path.iterdir())  # the test's own copies of the databases
    at.get("file_uploader")[0].set_value(("cross.csv", upload_csv(), "text/csv")).run()
    assert at.success[0].value.startswith(ready)
    at.run()
    at.text_input(key="data.text").input("x").run()  # another widget: a rerun
    assert not at.exception and at.success[0].value.startswith(ready)
    assert calls == ["cross.csv"]  # validated and hashed once
    assert set(tmp_path.iterdir()) == before  # nothing written to disk
    at.selectbox(key="data.stage").select("self").run()  # another stage: prepared anew
    assert calls == ["cross.csv", "cross.csv"]
    at.get("file_uploader")[0].set_value(("cross.csv", upload_csv("2"), "text/csv")).run()
    assert len(calls) == 3  # a new upload (a new file id), even under the same name


def test_a_failing_action_says_so_and_writes_nothing(demo_db_path, monkeypatch) -> None:
    from evalcore import actions
    from evalcore.labels import t
    from evalcore.ui.loaders import _store

    def broken(*args, **kwargs):
        raise RuntimeError("disk on fire at /srv/secret/path")

    monkeypatch.setattr(actions, "set_published", broken)
    db = private_copy(demo_db_path)
    at = open_page(demo_db_path, monkeypatch, "data", role="admin", private=db)
    at.button(key="data.publish.2023").click().run()
    assert not at.exception
    assert [e.value for e in at.error] == [t("msg_action_failed", "zh")]
    assert not bool(_store(str(db)).rounds().set_index("year").loc[2023, "published"])


def test_read_only_instance_offers_no_sign_in_and_no_data_management(demo_db_path,
                                                                     monkeypatch) -> None:
    from evalcore.labels import t

    monkeypatch.setenv("EVAL_READ_ONLY", "1")
    # Even a session signed in before: on a read-only instance everyone is the public.
    at = open_page(demo_db_path, monkeypatch, "data", role="admin", lang="en",
                   private=private_copy(demo_db_path))
    assert [i.value for i in at.info] == [t("data_read_only", "en")]
    assert not at.tabs and not at.get("file_uploader") and not at.button
    assert not at.sidebar.expander and not at.sidebar.text_input  # no login box
    assert at.sidebar.selectbox(key="param.round").options == ["2022", "2021", "2020"]
    home = open_page(demo_db_path, monkeypatch, "home", lang="en",
                     private=private_copy(demo_db_path))
    assert not home.sidebar.expander and not home.sidebar.text_input


# -- sign-in events and unlocking, beside the audit log (issue #15 §5) ---------------------

def _events_table(at):
    """The sign-in events table (the audit log's has an id column)."""
    [table] = [df.value for df in at.dataframe if "id" not in df.value.columns]
    return table


def _fail(name: str, times: int, source: str) -> None:
    from evalcore import auth

    for _ in range(times):
        auth.login(auth.shared_accounts(), name, "wrong password", auth.utc_now(), source=source)


def test_admin_sees_sign_in_events_and_unlocks_a_locked_account(demo_db_path,
                                                                monkeypatch) -> None:
    from evalcore import auth
    from evalcore.labels import t

    at = open_page(demo_db_path, monkeypatch, "data", role="admin", lang="en",
                   private=private_copy(demo_db_path))
    accounts = auth.shared_accounts()  # the users database the page reads (EVAL_USERS_DB)
    accounts.add("xihu", "correct horse battery", "unit", unit_code="330106")
    _fail("xihu", 5, "10.0.0.9")
    _fail("nobody", 1, "10.0.0.9")
    at.run()
    events = _events_table(at)
    actions = list(events[t("action", "en")])
    assert actions.count("failed sign-in") == 6 and actions.count("locked out") == 1
    assert set(events[t("actor", "en")]) == {"xihu", ""}  # an unknown name is not kept
    assert "10.0.0.9" not in events.to_csv()  # sources are keyed hashes
    assert at.selectbox(key="data.unlock_name").options == ["xihu"]
    at.button(key="data.unlock").click().run()
    assert [s.value for s in at.success] == ["Account xihu unlocked."]
    assert not accounts.lock_state("xihu", "10.0.0.9").locked(auth.utc_now().replace(tzinfo=None))
    unlock = accounts.sign_in_events(action="unlock-account").iloc[0]
    assert unlock["actor"] == "admin:test-admin" and '"account": "xihu"' in unlock["detail"]
    assert "data.unlock_name" not in [s.key for s in at.selectbox]  # none locked now


def test_a_unit_user_sees_only_its_own_sign_ins_and_unlocks_nothing(demo_db_path,
                                                                    monkeypatch) -> None:
    from evalcore import auth

    at = open_page(demo_db_path, monkeypatch, "data", role="unit",
                   codes={"unit_code": "330106"}, lang="en")
    auth.shared_accounts().add("other", "correct horse battery", "unit", unit_code="330108")
    _fail("other", 5, "10.0.0.7")
    _fail("test-unit", 1, "10.0.0.7")
    at.run()
    assert set(_events_table(at)["Actor"]) == {"test-unit"}
    assert "data.unlock_name" not in [s.key for s in at.selectbox]
    assert not [b for b in at.button if b.key == "data.unlock"]


def test_the_unlock_re_checks_the_actor(demo_db_path, monkeypatch) -> None:
    """An unlock clicked by an account that has meanwhile lost its rights writes nothing."""
    from evalcore import auth

    at = open_page(demo_db_path, monkeypatch, "data", role="admin", lang="en",
                   private=private_copy(demo_db_path))
    accounts = auth.shared_accounts()
    accounts.add("xihu", "correct horse battery", "unit", unit_code="330106")
    _fail("xihu", 5, "10.0.0.9")
    at.run()
    accounts.remove("test-admin")
    at.button(key="data.unlock").click().run()
    assert accounts.lock_state("xihu", "10.0.0.9").locked(auth.utc_now().replace(tzinfo=None))
    assert accounts.sign_in_events(action="unlock-account").empty


def _signing_in() -> None:
    """A script that signs in as the login form does (evalcore.ui.session._sign_in)."""
    import streamlit as st

    from evalcore.ui import session

    st.session_state["signed_in"] = session._sign_in(st.session_state["name"],
                                                     st.session_state["password"])


def test_signing_in_counts_failures_by_the_session(tmp_path, monkeypatch) -> None:
    """Behind loopback there is no client address: the session is the source, so one
    session's failures lock the name for that session only (tests/test_security_accounts.py
    tests the per-source lockout itself)."""
    from streamlit.testing.v1 import AppTest

    from evalcore import auth

    monkeypatch.setattr(auth, "delay_seconds", lambda *args, **kwargs: 0.0)
    users = tmp_path / "users.duckdb"
    monkeypatch.setenv("EVAL_USERS_DB", str(users))
    with auth.AccountStore(users) as accounts:
        accounts.add("alice", "correct horse battery", "admin")
    at = AppTest.from_function(_signing_in)
    for password in ["wrong password"] * 5 + ["correct horse battery"]:
        at.session_state["name"], at.session_state["password"] = "alice", password
        at.run()
        assert at.session_state["signed_in"] is False, password  # the last one: locked
    store = auth.shared_accounts()
    session = "session:test session id"  # AppTest's session id
    events = store.sign_in_events()
    assert {json.loads(d)["source"] for d in events["detail"]} == {store.source_key(session)[:12]}
    assert list(events["action"]).count("lockout") == 1
    assert store.lock_state("alice", session).failed_count == 6
    assert store.lock_state("alice", "10.0.0.1").failed_count == 0  # another source: free


def test_a_client_address_is_the_source_when_there_is_one(monkeypatch) -> None:
    from types import SimpleNamespace

    from evalcore.ui import session

    monkeypatch.setattr(session.st, "context", SimpleNamespace(ip_address="10.1.2.3"))
    assert session.sign_in_source() == "10.1.2.3"
    monkeypatch.setattr(session.st, "context", SimpleNamespace(ip_address=None))
    monkeypatch.setattr(session.compat, "session_id", lambda: "abc")
    assert session.sign_in_source() == "session:abc"
