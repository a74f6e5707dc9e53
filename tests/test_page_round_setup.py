"""The round setup page: offered to administrators only; deadlines, groups and targets saved
through the write actions (audited, versioned); a group inspecting its own city refused with
the message in the user's language and nothing written; uploads; revert."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from evalcore import actions
from evalcore.db import Store
from evalcore.labels import t
from evalcore.messages import Message, render
from tests.pages_helper import open_page, private_copy

NEW = 2024  # a round created for the test: no groups, no targets, no deadlines


@pytest.fixture
def new_round_db(demo_db_path: Path) -> Path:
    db = private_copy(demo_db_path)
    with Store(db, read_only=False) as store:
        actions.create_round(store, actions.CLI, NEW, "zj-2020")
    return db


def _store(db: Path) -> Store:
    from evalcore.ui.loaders import _store as cached

    return cached(str(db))  # the app's own connection (it holds the file read-write)


@pytest.mark.parametrize(("role", "codes"), [
    (None, None), ("leader", None), ("unit", {"unit_code": "330106"}),
    ("group", {"group_city_code": "330200"})])
def test_only_administrators_get_the_page(demo_db_path, monkeypatch, role, codes) -> None:
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        open_page(demo_db_path, monkeypatch, "round_setup", role=role, codes=codes)


def test_admin_sees_deadlines_groups_targets_and_history(demo_db_path, monkeypatch) -> None:
    at = open_page(demo_db_path, monkeypatch, "round_setup", role="admin", lang="en")
    assert at.title[0].value == "🗓️ Round setup"
    assert [tab.label for tab in at.tabs] == ["Deadlines", "Inspection groups", "Targets",
                                              "Changes"]
    assert at.selectbox(key="setup.round").value == 2023
    groups = at.data_editor(key="setup.groups_editor.2023").value
    assert len(groups) == 11 and groups.loc[0, "leader_city"] == "杭州市"
    assert groups.loc[0, "inspected_city"] == "湖州市"  # the demo's 2023 groups, as stored
    targets = at.data_editor(key="setup.targets_editor.2023").value
    assert len(targets) == 102 and targets.loc[0, "communities"] == 377  # the province's
    assert not at.warning  # the demo's 2023 has groups and targets


def test_a_new_round_says_what_it_lacks_and_suggests_the_rotation(demo_db_path, new_round_db,
                                                                  monkeypatch) -> None:
    at = open_page(demo_db_path, monkeypatch, "round_setup", role="admin", private=new_round_db)
    assert at.selectbox(key="setup.round").value == NEW
    assert [w.value for w in at.warning] == [
        render(Message("setup_round_no_groups", {"year": NEW}), "zh"),
        render(Message("setup_round_no_targets", {"year": NEW}), "zh")]
    groups = at.data_editor(key=f"setup.groups_editor.{NEW}").value
    k = 1 + NEW % 10
    assert groups["leader_city"].tolist()[:2] == ["杭州市", "宁波市"]
    assert groups.loc[0, "inspected_city"] == groups.loc[k, "leader_city"]
    assert "（尚未保存）" not in at.caption[1].value and "建议的轮换" in at.caption[1].value


def test_saving_the_rotation_writes_11_groups_and_an_audit_entry(demo_db_path, new_round_db,
                                                                 monkeypatch) -> None:
    at = open_page(demo_db_path, monkeypatch, "round_setup", role="admin", private=new_round_db)
    at.button(key="setup.save_groups").click().run()
    assert not at.exception
    assert at.success[0].value.startswith("已保存检查组，审计编号")
    store = _store(new_round_db)
    groups = store.group_assignments(NEW)
    assert len(groups) == 11
    assert (groups["leader_city_code"] != groups["inspected_city_code"]).all()
    assert groups["inspected_city_code"].nunique() == 11
    entry = store.audit_entries(action="assign-groups").iloc[0]
    assert entry["actor"] == "admin:test-admin" and '"source": "suggestion"' in entry["detail"]
    assert len(store.changes(int(entry["id"]))) == 11  # versioned, revertible
    assert not [w.value for w in at.warning if "检查组" in w.value]  # no longer lacking


def test_a_group_inspecting_its_own_city_is_refused_in_chinese(demo_db_path, new_round_db,
                                                              monkeypatch) -> None:
    at = open_page(demo_db_path, monkeypatch, "round_setup", role="admin", private=new_round_db)
    key = f"setup.groups_editor.{NEW}"
    at.session_state[key] = {"edited_rows": {0: {"inspected_city": "杭州市"}},
                             "added_rows": [], "deleted_rows": []}
    at.run()
    own = "第 1 组由杭州市牵头，不能检查本市"
    assert any(own in w.value for w in at.warning)  # said before saving
    before = _store(new_round_db).table_counts()
    at.button(key="setup.save_groups").click().run()
    assert not at.exception
    [error] = [e.value for e in at.error]
    assert error.startswith("未保存任何内容") and own in error
    assert _store(new_round_db).table_counts() == before  # nothing written, no audit entry


def test_the_message_follows_the_users_language(demo_db_path, new_round_db,
                                               monkeypatch) -> None:
    at = open_page(demo_db_path, monkeypatch, "round_setup", role="admin", lang="en",
                   private=new_round_db)
    at.session_state[f"setup.groups_editor.{NEW}"] = {
        "edited_rows": {0: {"inspected_city": "杭州市"}}, "added_rows": [], "deleted_rows": []}
    at.run()
    at.button(key="setup.save_groups").click().run()
    assert "group 1 is led by 杭州市 and cannot inspect its own city" in at.error[0].value


def test_saving_deadlines(demo_db_path, new_round_db, monkeypatch) -> None:
    at = open_page(demo_db_path, monkeypatch, "round_setup", role="admin", private=new_round_db)
    at.date_input(key=f"setup.self_due.{NEW}").set_value(date(2024, 3, 31))
    at.date_input(key=f"setup.cross.{NEW}").set_value((date(2024, 4, 1), date(2024, 4, 30)))
    at.run()
    at.button(key="setup.save_deadlines").click().run()
    assert at.success[0].value.startswith("已保存考评时间")
    stages = _store(new_round_db).round_stages(NEW)
    assert stages["stage"].tolist() == ["self", "cross"]
    # Self-evaluation due after the cross inspection opens: said, and refused on saving.
    at.date_input(key=f"setup.self_due.{NEW}").set_value(date(2024, 4, 15)).run()
    assert any("应早于交叉互查开始日期" in w.value for w in at.warning)
    at.button(key="setup.save_deadlines").click().run()
    assert at.error and len(_store(new_round_db).audit_entries(action="set-deadlines")) == 1


def test_saving_targets_writes_the_changed_units_only(demo_db_path, new_round_db,
                                                     monkeypatch) -> None:
    at = open_page(demo_db_path, monkeypatch, "round_setup", role="admin", private=new_round_db)
    key = f"setup.targets_editor.{NEW}"
    assert at.button(key="setup.save_targets").disabled  # nothing changed yet
    at.session_state[key] = {"edited_rows": {0: {"communities": 576}, 1: {"communities": 120,
                                                                          "households": 40000}},
                             "added_rows": [], "deleted_rows": []}
    at.run()
    at.button(key="setup.save_targets").click().run()
    assert at.success[0].value.startswith("已保存目标任务")
    targets = _store(new_round_db).targets().query(f"year == {NEW}").set_index("unit_code")
    assert targets["communities"].to_dict() == {"330000": 576, "330100": 120}
    assert targets.loc["330100", "households"] == 40000
    assert _store(new_round_db).audit_entries(action="set-targets").iloc[0]["detail"] == (
        '{"round": 2024, "units": 2}')


def test_an_uploaded_groups_file_inspecting_its_own_city_is_refused(
        demo_db_path, new_round_db, monkeypatch) -> None:
    rows = ["1,杭州市,杭州市,张三,副局长,"] + [f"{i},{c},{d},,," for i, (c, d) in enumerate(
        [("宁波", "温州"), ("温州", "宁波")], start=2)]
    data = ("group_no,leader_city,inspected_city,leader_name,leader_title,members\n"
            + "\n".join(rows) + "\n").encode()
    at = open_page(demo_db_path, monkeypatch, "round_setup", role="admin", private=new_round_db)
    before = _store(new_round_db).table_counts()
    at.get("file_uploader")[1].set_value(("groups.csv", data, "text/csv")).run()
    [problems] = [d.value for d in at.dataframe if "原因" in d.value.columns]
    assert at.error[0].value == t("import_refused", "zh").format(n=len(problems))
    own = problems[problems["原因"] == "第 1 组由杭州市牵头，不能检查本市"]
    assert own[["文件", "行", "列"]].values.tolist() == [["groups.csv", 2, "inspected_city"]]
    assert "groups.csv" in problems["文件"].tolist() and len(problems) > 1  # every problem
    assert _store(new_round_db).table_counts() == before


def test_a_setup_change_is_reverted_from_the_history(demo_db_path, new_round_db,
                                                     monkeypatch) -> None:
    at = open_page(demo_db_path, monkeypatch, "round_setup", role="admin", private=new_round_db)
    at.button(key="setup.save_groups").click().run()
    assert len(_store(new_round_db).group_assignments(NEW)) == 11
    entry = int(_store(new_round_db).audit_entries(action="assign-groups").iloc[0]["id"])
    assert at.selectbox(key="setup.revert_id").options == [str(entry)]
    at.button(key="setup.revert").click().run()
    assert at.success[0].value.startswith("已撤销")
    assert _store(new_round_db).group_assignments(NEW).empty


def test_read_only_instance_has_no_round_setup(demo_db_path, monkeypatch) -> None:
    monkeypatch.setenv("EVAL_READ_ONLY", "1")
    at = open_page(demo_db_path, monkeypatch, "round_setup", role="admin", lang="en",
                   private=private_copy(demo_db_path))
    assert [i.value for i in at.info] == [t("data_read_only", "en")]
    assert not at.tabs and not at.button and not at.data_editor
