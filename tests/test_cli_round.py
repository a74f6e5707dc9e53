"""`python -m evalcore round`: create a round, assign its groups (the rotation or a file), set
its deadlines, show it; broken input prints a message, exits 2 and writes nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from evalcore.__main__ import main
from evalcore.db import Store
from evalcore.importer.setup import TEMPLATE_COLUMNS
from tests.test_import import digest, write_xlsx
from tests.test_import_setup import rotation_rows


def run(db: Path, *args: str) -> int:
    return main(["round", *args, "--db", str(db)])


def test_create_says_what_a_new_round_lacks(writable_db, capsys) -> None:
    assert run(writable_db, "create", "2024", "--rubric", "zj-2020") == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("round 2024 created (rubric zj-2020); audit entry ")
    assert out[1:] == [
        "round 2024 has no inspection groups yet: group accounts can neither see nor score any "
        "unit in it",
        "round 2024 has no targets yet: until they are set, the start rate scores 0 for every unit"]
    with Store(writable_db) as store:
        rounds = store.rounds().set_index("year")
        assert rounds.loc[2024, "rubric_version"] == "zj-2020" and not rounds.loc[2024, "published"]
        assert store.audit_entries(action="create-round").iloc[0]["actor"] == "cli"
        assert store.group_assignments(2024).empty


@pytest.mark.parametrize(("args", "expected"), [
    (("create", "2023", "--rubric", "zj-2020"), "round 2023 already exists"),
    (("create", "2025", "--rubric", "zj-1999"), "unknown rubric version zj-1999"),
    (("groups", "2031", "--suggest"), "round 2031 does not exist"),
    (("deadlines", "2023"), "no date given: set at least one stage"),
    (("deadlines", "2023", "--cross", "2024-04-01"), "'2024-04-01' is not a date window"),
    (("deadlines", "2023", "--self-due", "2024-02-30"), "'2024-02-30' is not a valid date"),
    # (the demo's own third-party window, 1–31 March, would be a second problem: moved too)
    (("deadlines", "2023", "--self-due", "2024-04-15", "--cross", "2024-04-01:2024-04-30",
      "--third-party", "2024-05-01:2024-05-31"),
     "nothing was saved (1 problem(s)): the self-evaluation is due on 2024-04-15, which must be "
     "before the cross inspection opens on 2024-04-01"),
    (("deadlines", "2023", "--cross", "2030-04-01:2030-04-30"), "is outside 2022-01-01 to "
                                                                  "2024-12-31"),
    (("show", "2031"), "round 2031 does not exist"),
])
def test_broken_input_exits_2_with_a_message_and_writes_nothing(writable_db, capsys, args,
                                                                expected) -> None:
    before = digest(writable_db)
    assert run(writable_db, *args) == 2
    captured = capsys.readouterr()
    assert expected in captured.err and "Traceback" not in captured.err
    assert digest(writable_db) == before


def test_messages_in_chinese(writable_db, capsys) -> None:
    assert run(writable_db, "deadlines", "2023", "--cross", "2024-05-01:2024-04-01",
               "--lang", "zh") == 2
    assert "交叉互查：开始日期 2024-05-01 晚于截止日期 2024-04-01" in capsys.readouterr().err


def test_groups_suggest_writes_and_prints_the_rotation(writable_db, capsys) -> None:
    run(writable_db, "create", "2024", "--rubric", "zj-2020")
    capsys.readouterr()
    assert run(writable_db, "groups", "2024", "--suggest") == 0
    out = capsys.readouterr().out.splitlines()
    assert out[1] == "1\t330100 杭州市\t330600 绍兴市\t\t"  # k = 1 + 2024 mod 10 = 5
    assert out[-1].startswith("saved the 11 inspection groups of round 2024; audit entry ")
    with Store(writable_db) as store:
        assert len(store.group_assignments(2024)) == 11
        detail = store.audit_entries(action="assign-groups").iloc[0]["detail"]
    assert '"source": "suggestion"' in detail


def test_groups_from_a_file(writable_db, tmp_path, capsys) -> None:
    run(writable_db, "create", "2024", "--rubric", "zj-2020")
    path = write_xlsx(tmp_path / "groups.xlsx", TEMPLATE_COLUMNS["groups"], rotation_rows())
    assert run(writable_db, "groups", "2024", "--file", str(path)) == 0
    assert "imported 11 rows from groups.xlsx: 11 new" in capsys.readouterr().out
    rows = rotation_rows()
    rows[3][2] = rows[3][1]  # group 4 inspects its own city
    write_xlsx(path, TEMPLATE_COLUMNS["groups"], rows)
    before = digest(writable_db)
    assert run(writable_db, "groups", "2024", "--file", str(path), "--lang", "zh") == 2
    assert "第 4 组由嘉兴市牵头，不能检查本市" in capsys.readouterr().err
    assert digest(writable_db) == before


def test_deadlines_and_show(writable_db, capsys) -> None:
    assert run(writable_db, "deadlines", "2023", "--self-due", "2024-01-31", "--cross",
               "2024-02-01:2024-02-29", "--third-party", "2024-03-01:2024-03-31") == 0
    assert capsys.readouterr().out.splitlines()[:3] == [
        "Self-evaluation: 2024-01-31", "Cross inspection: 2024-02-01 – 2024-02-29",
        "Third-party evaluation: 2024-03-01 – 2024-03-31"]
    assert run(writable_db, "deadlines", "2023", "--third-party", "2024-03-05:2024-04-30") == 0
    assert run(writable_db, "show", "2023", "--lang", "zh") == 0
    out = capsys.readouterr().out
    assert "第三方评价: 2024-03-05 – 2024-04-30" in out and "市县自评: 2024-01-31" in out
    assert "1\t330100 杭州市\t330500 湖州市" in out  # the demo's groups
    with Store(writable_db) as store:
        assert len(store.audit_entries(action="set-deadlines")) == 2


def test_a_missing_database_is_not_created(tmp_path, capsys) -> None:
    assert run(tmp_path / "typo.duckdb", "create", "2024", "--rubric", "zj-2020") == 1
    assert "does not exist" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []
