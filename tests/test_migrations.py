"""Schema migrations: the registry, a kept file of every released version opened with today's
code (nothing lost, now current), newer files refused untouched, failed migrations undone."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from evalcore import migrations
from evalcore.__main__ import main
from evalcore.db import Store, StoreError
from evalcore.migrations import runner, v0002_schema_migrations
from evalcore.paths import ROOT
from evalcore.schema import SCHEMA_VERSION, TABLES

FIXTURES = ROOT / "tests" / "fixtures" / "schema"
KEPT = sorted(FIXTURES.glob("v*.duckdb"))

# Key columns as they were in version 1 (later versions may add columns, never drop these).
KEY_COLUMNS = {
    "scores": "round_year, unit_code, stage, indicator_code, points, evaluator, note, recorded_at",
    "communities": "id, county_code, status, households, start_date, completion_date, "
                   "planned_investment_wan, satisfaction",
    "audit_log": 'id, "at", actor, action, detail',
    "change_log": "audit_id, table_name, row_key, old_row, new_row",
    "rounds": "year, rubric_version, published, published_at",
}


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _key_sums(path: Path) -> dict[str, tuple]:
    """count(*) and sum(hash(key columns)) per table, read through a plain read-only
    connection (the file's version does not matter to it)."""
    con = duckdb.connect(str(path), read_only=True)
    try:
        return {t: con.execute(f"SELECT count(*), sum(hash({cols})) FROM {t}").fetchone()  # noqa: S608
                for t, cols in KEY_COLUMNS.items()}
    finally:
        con.close()


def _kept_columns(kept: Path) -> dict[str, list[str]]:
    """Every table of a kept file and its columns, in their order."""
    con = duckdb.connect(str(kept), read_only=True)
    try:
        rows = con.execute(
            "SELECT c.table_name, c.column_name FROM duckdb_columns() c JOIN duckdb_tables() t "
            "USING (database_name, schema_name, table_name) "
            "ORDER BY c.table_name, c.column_index").fetchall()
    finally:
        con.close()
    out: dict[str, list[str]] = {}
    for table, column in rows:
        out.setdefault(table, []).append(column)
    return out


def _digests_as_kept(path: Path, kept: Path, version: int) -> dict[str, dict]:
    """Row count and SHA-256 of every table of a kept file, read from `path` (that file opened
    with today's code) over the kept file's columns only, as make_v1.table_digests computed
    them: later versions may add columns and tables, never lose a row or a value. The
    schema_migrations rows are those the kept file had (versions up to its own)."""
    con = duckdb.connect(str(path), read_only=True)
    try:
        out = {}
        for table, columns in _kept_columns(kept).items():
            names = ", ".join(f'"{c}"' for c in columns)
            where = f" WHERE version <= {version}" if table == "schema_migrations" else ""
            rows = con.execute(f'SELECT {names} FROM "{table}"{where} ORDER BY ALL').fetchall()  # noqa: S608
            out[table] = {"rows": len(rows),
                          "sha256": hashlib.sha256(repr(rows).encode()).hexdigest()}
        return out
    finally:
        con.close()


def _raw_version(path: Path) -> str:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()[0]
    finally:
        con.close()


def _columns(path: Path) -> list[tuple]:
    """Every table's columns (type, nullability, default) and constraints: the schema."""
    con = duckdb.connect(str(path), read_only=True)
    try:
        columns = con.execute(
            "SELECT table_name, column_name, data_type, is_nullable, column_default "
            "FROM duckdb_columns() WHERE schema_name = 'main' ORDER BY ALL").fetchall()
        constraints = con.execute(
            "SELECT table_name, constraint_type, constraint_text FROM duckdb_constraints() "
            "WHERE schema_name = 'main' ORDER BY ALL").fetchall()
        sequences = con.execute("SELECT sequence_name FROM duckdb_sequences()").fetchall()
        return [*columns, *constraints, *sequences]
    finally:
        con.close()


@pytest.fixture
def v1_copy(tmp_path: Path) -> Path:
    path = tmp_path / "evaluation.duckdb"
    shutil.copyfile(FIXTURES / "v1.duckdb", path)
    return path


def _failing_steps(kind: str) -> tuple[migrations.Migration, ...]:
    """Version 2 that does its work and more, then fails; the real later steps after it."""
    return (_failing_step(kind), *(m for m in migrations.MIGRATIONS if m.version > 2))


def _failing_step(kind: str) -> migrations.Migration:
    """Version 2 that does its work and more, then fails."""
    def upgrade(cur) -> None:
        v0002_schema_migrations.upgrade(cur)
        cur.execute("UPDATE scores SET points = 0")
        if kind == "python":
            raise RuntimeError("injected failure")
        cur.execute("SELECT * FROM no_such_table")
    return migrations.Migration(2, "fails", upgrade, "v0002_fails")


# -- the registry ------------------------------------------------------------------------

def test_versions_run_from_2_without_a_gap_to_the_schema_version() -> None:
    versions = [m.version for m in migrations.MIGRATIONS]
    assert versions == list(range(2, SCHEMA_VERSION + 1))
    assert versions[-1] == SCHEMA_VERSION


def test_each_step_is_a_module_named_by_its_version_with_a_description() -> None:
    for step in migrations.MIGRATIONS:
        assert step.module.startswith(f"v{step.version:04d}_"), step.module
        assert step.description and callable(step.upgrade)
    modules = sorted(p.stem for p in (ROOT / "evalcore" / "migrations").glob("v*.py"))
    assert modules == [m.module for m in migrations.MIGRATIONS]


def test_a_released_version_has_a_kept_file_to_open() -> None:
    kept = {int(p.stem[1:]) for p in KEPT}
    assert kept == set(range(1, SCHEMA_VERSION))  # every version before today's
    for path in KEPT:
        assert path.stat().st_size < 1_000_000, f"{path.name}: keep fixtures small"
        assert path.with_suffix(".json").exists()


# -- every kept version, opened with today's code ----------------------------------------

@pytest.mark.parametrize("kept", KEPT, ids=lambda p: p.stem)
def test_a_kept_file_is_migrated_and_loses_nothing(kept: Path, tmp_path: Path) -> None:
    path = tmp_path / "evaluation.duckdb"
    shutil.copyfile(kept, path)
    recorded = json.loads(kept.with_suffix(".json").read_text(encoding="utf-8"))
    found = int(recorded["schema_version"])
    before = _key_sums(path)
    with Store(path, read_only=False) as store:
        assert store.meta()["schema_version"] == str(SCHEMA_VERSION)
        assert store.migrated.from_version == found
        assert store.migrated.to_version == SCHEMA_VERSION
        history = store.query("SELECT * FROM schema_migrations ORDER BY version")
    after = _digests_as_kept(path, kept, found)
    assert set(after) == set(recorded["tables"])  # every table the file had is still there
    for table, facts in recorded["tables"].items():
        if table == "meta":  # the version changed, and only that
            continue
        assert after[table] == facts, table
    assert _key_sums(path) == before
    # Version 1 kept no history: it gets a row of unknown date. A later file keeps its rows.
    first = 1 if found == 1 else found
    assert history["version"].tolist() == list(range(first, SCHEMA_VERSION + 1))
    assert history["applied_at"].isna().tolist() == [found == 1] + [False] * (
        SCHEMA_VERSION - first)
    backup = store.migrated.backup
    assert backup.name == f"evaluation.duckdb.v{recorded['schema_version']}.bak"
    assert _sha(backup) == _sha(kept)  # the file as it was, byte for byte


@pytest.mark.parametrize("kept", KEPT, ids=lambda p: p.stem)
def test_meta_changes_only_in_its_version(kept: Path, tmp_path: Path) -> None:
    path = tmp_path / "evaluation.duckdb"
    shutil.copyfile(kept, path)
    old = duckdb.connect(str(kept), read_only=True)
    expected = dict(old.execute("SELECT key, value FROM meta").fetchall())
    old.close()
    with Store(path, read_only=False) as store:
        assert store.meta() == {**expected, "schema_version": str(SCHEMA_VERSION)}


@pytest.mark.parametrize("kept", KEPT, ids=lambda p: p.stem)
def test_a_migrated_file_has_the_schema_of_a_new_one(kept: Path, tmp_path: Path) -> None:
    path = tmp_path / "evaluation.duckdb"
    shutil.copyfile(kept, path)
    new = tmp_path / "new.duckdb"
    with Store(new, read_only=False) as store:
        store.initialise()
    with Store(path, read_only=False) as store:
        store.meta()
    assert _columns(path) == _columns(new)
    assert {t for (t,) in duckdb.connect(str(new), read_only=True).execute(
        "SELECT table_name FROM duckdb_tables()").fetchall()} == set(TABLES)


BEFORE_3 = [p for p in KEPT if int(p.stem[1:]) < 3]
BEFORE_4 = [p for p in KEPT if int(p.stem[1:]) < 4]


@pytest.mark.parametrize("kept", BEFORE_3, ids=lambda p: p.stem)
def test_version_3_adds_deadlines_and_group_leaders_empty(kept: Path, tmp_path: Path) -> None:
    """The groups keep their pairings with no leader recorded; no deadline is set; and the
    round the kept file created without groups (2024) can be set up."""
    from datetime import date

    from evalcore import actions, rounds_setup

    path = tmp_path / "evaluation.duckdb"
    shutil.copyfile(kept, path)
    with Store(path, read_only=False) as store:
        groups = store.query("SELECT * FROM inspection_groups")
        assert len(groups) == 44
        assert groups[["leader_name", "leader_title", "members"]].isna().all().all()
        assert store.table_counts()["round_stages"] == 0
        assert store.group_assignments(2024).empty
        cities = store.regions().query("level == 'city'")["code"]
        actions.assign_groups(store, actions.CLI, 2024, rounds_setup.suggest_groups(cities, 2024))
        actions.set_deadlines(store, actions.CLI, 2024, {"self": (None, date(2024, 3, 31))})
        assert len(store.group_assignments(2024)) == 11
        assert store.round_stages(2024)["stage"].tolist() == ["self"]


@pytest.mark.parametrize("kept", BEFORE_4, ids=lambda p: p.stem)
def test_version_4_adds_the_round_workflow_empty(kept: Path, tmp_path: Path) -> None:
    """Bonus cases and deductions keep every value, with no recorder and no amount; no
    stage is submitted, no evidence or problem recorded; the new tables take rows."""
    from datetime import datetime

    import pandas as pd

    old = duckdb.connect(str(kept), read_only=True)
    claims = old.execute("SELECT * FROM bonus_claims ORDER BY ALL").df()
    deductions = old.execute("SELECT * FROM deductions ORDER BY ALL").df()
    old.close()
    path = tmp_path / "evaluation.duckdb"
    shutil.copyfile(kept, path)
    with Store(path, read_only=False) as store:
        now_claims = store.query("SELECT * FROM bonus_claims ORDER BY ALL")
        pd.testing.assert_frame_equal(now_claims[list(claims.columns)], claims)
        assert now_claims[["amount_wan", "recorded_by", "recorded_at"]].isna().all().all()
        now_deductions = store.query("SELECT * FROM deductions ORDER BY ALL")
        pd.testing.assert_frame_equal(now_deductions[list(deductions.columns)], deductions)
        assert now_deductions[["stage", "recorded_by", "recorded_at"]].isna().all().all()
        counts = store.table_counts()
        assert counts["stage_submissions"] == counts["evidence"] == counts["problems"] == 0
        at = datetime(2024, 5, 1, 9)
        store.write_rows("stage_submissions", pd.DataFrame([{
            "round_year": 2024, "unit_code": "330106", "stage": "self",
            "status": "submitted", "submitted_at": at, "submitted_by": "unit:u"}]),
            action="submit-stage", detail={"round": 2024}, at=at, actor="cli")
        assert store.table_counts()["stage_submissions"] == 1


def test_a_migrated_file_goes_on_being_written(v1_copy: Path) -> None:
    with Store(v1_copy, read_only=False) as store:
        last = store.scalar("SELECT max(id) FROM audit_log")
        entry = store.set_published(2023, True, actor="test")
        assert entry == last + 1  # the audit sequence carried over


def test_a_new_file_records_the_version_it_was_made_at(tmp_path: Path) -> None:
    from datetime import datetime
    path = tmp_path / "new.duckdb"
    with Store(path, read_only=False) as store:
        store.initialise(at=datetime(2025, 1, 2))
        store.initialise()  # idempotent: the first record stays
        rows = store.query("SELECT * FROM schema_migrations").to_dict("records")
        assert store.migrated is None
    assert rows == [{"version": SCHEMA_VERSION, "applied_at": datetime(2025, 1, 2),
                     "description": "new file at this version"}]


def test_the_demo_is_at_the_current_version(demo_store: Store) -> None:
    assert demo_store.meta()["schema_version"] == str(SCHEMA_VERSION)
    assert demo_store.query("SELECT version FROM schema_migrations")["version"].tolist() == [
        SCHEMA_VERSION]


def test_a_current_file_opens_untouched(writable_db: Path) -> None:
    digest = _sha(writable_db)
    with Store(writable_db, read_only=False) as store:
        store.meta()
        assert store.migrated is None
    assert _sha(writable_db) == digest
    assert list(writable_db.parent.glob("*.bak")) == []


def test_a_second_writer_in_the_same_process_opens_too(v1_copy: Path) -> None:
    """DuckDB allows no read-only probe of a file this process holds read-write: the version
    is then read on the read-write connection."""
    with Store(v1_copy, read_only=False) as first, Store(v1_copy, read_only=False) as second:
        first.meta()
        assert second.meta()["schema_version"] == str(SCHEMA_VERSION)
        assert second.migrated is None


def test_two_stores_opening_an_older_file_at_once_migrate_it_once(v1_copy: Path) -> None:
    from concurrent.futures import ThreadPoolExecutor

    stores = [Store(v1_copy, read_only=False) for _ in range(2)]
    with ThreadPoolExecutor(2) as pool:
        versions = list(pool.map(lambda s: s.meta()["schema_version"], stores))
    assert versions == [str(SCHEMA_VERSION)] * 2
    assert sum(s.migrated is not None for s in stores) == 1
    assert sorted(p.name for p in v1_copy.parent.glob("*.bak")) == ["evaluation.duckdb.v1.bak"]
    for store in stores:
        store.close()


# -- refusals --------------------------------------------------------------------------

def test_read_only_refuses_an_older_file_and_says_how_to_migrate(v1_copy: Path) -> None:
    digest = _sha(v1_copy)
    with pytest.raises(StoreError) as refused:
        Store(v1_copy).meta()
    assert refused.value.message.code == "store_schema_older"
    assert f"python -m evalcore migrate --db {v1_copy}" in str(refused.value)
    assert f"python -m evalcore migrate --db {v1_copy}" in refused.value.render("zh")
    assert _sha(v1_copy) == digest
    assert sorted(p.name for p in v1_copy.parent.iterdir()) == ["evaluation.duckdb"]


@pytest.fixture
def newer_copy(writable_db: Path) -> Path:
    con = duckdb.connect(str(writable_db))
    con.execute("UPDATE meta SET value = '999' WHERE key = 'schema_version'")
    con.execute("CHECKPOINT")
    con.close()
    return writable_db


@pytest.mark.parametrize("read_only", [True, False], ids=["read-only", "read-write"])
def test_a_newer_file_is_refused_and_left_byte_for_byte(newer_copy: Path, read_only) -> None:
    digest = _sha(newer_copy)
    listing = sorted(p.name for p in newer_copy.parent.iterdir())
    with pytest.raises(StoreError) as refused:
        Store(newer_copy, read_only=read_only).meta()
    assert refused.value.message.code == "store_schema_newer"
    assert "999" in str(refused.value) and f"newer than this program's {SCHEMA_VERSION}" in str(
        refused.value)
    assert "999" in refused.value.render("zh")
    assert _sha(newer_copy) == digest
    assert sorted(p.name for p in newer_copy.parent.iterdir()) == listing


def test_the_newer_file_was_never_opened_read_write(newer_copy: Path, monkeypatch) -> None:
    opened = []
    real = duckdb.connect

    def connect(path, read_only=False, **kw):
        opened.append(read_only)
        return real(path, read_only=read_only, **kw)

    monkeypatch.setattr(runner.duckdb, "connect", connect)
    with pytest.raises(StoreError):
        Store(newer_copy, read_only=False).meta()
    assert opened == [True]


@pytest.mark.parametrize("kind", ["python", "sql"])
def test_a_failing_migration_leaves_the_file_as_it_was(v1_copy: Path, monkeypatch, kind) -> None:
    digest = _sha(v1_copy)
    monkeypatch.setattr(runner, "MIGRATIONS", _failing_steps(kind))
    with pytest.raises(StoreError) as failed:
        Store(v1_copy, read_only=False).meta()
    assert failed.value.message.code == "store_migration_failed"
    backup = v1_copy.with_name("evaluation.duckdb.v1.bak")
    assert str(backup) in str(failed.value)
    assert _sha(v1_copy) == digest and _sha(backup) == digest
    assert not v1_copy.with_name("evaluation.duckdb.wal").exists()
    assert _raw_version(v1_copy) == "1"
    assert _key_sums(v1_copy) == _key_sums(FIXTURES / "v1.duckdb")
    monkeypatch.undo()
    with Store(v1_copy, read_only=False) as store:  # the real steps, later: a second backup
        assert store.meta()["schema_version"] == str(SCHEMA_VERSION)
        assert store.migrated.backup.name == "evaluation.duckdb.v1.2.bak"
    assert _sha(backup) == digest  # the first backup was not overwritten


def test_a_file_of_unreadable_version_is_refused(writable_db: Path) -> None:
    con = duckdb.connect(str(writable_db))
    con.execute("UPDATE meta SET value = 'two' WHERE key = 'schema_version'")
    con.close()
    with pytest.raises(StoreError, match="not a number: 'two'"):
        Store(writable_db, read_only=False).meta()


# -- the command and the dashboard ---------------------------------------------------

def test_migrate_command(v1_copy: Path, capsys) -> None:
    assert main(["migrate", "--db", str(v1_copy)]) == 0
    out = capsys.readouterr().out
    assert f"migrated from schema version 1 to {SCHEMA_VERSION}" in out
    assert "evaluation.duckdb.v1.bak" in out
    assert main(["migrate", "--db", str(v1_copy), "--lang", "zh"]) == 0
    assert "无需升级" in capsys.readouterr().out
    assert _raw_version(v1_copy) == str(SCHEMA_VERSION)


def test_migrate_command_creates_no_file(tmp_path: Path, capsys) -> None:
    assert main(["migrate", "--db", str(tmp_path / "typo.duckdb")]) == 1
    assert "does not exist" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def test_read_only_command_refuses_an_older_file(v1_copy: Path, capsys) -> None:
    assert main(["score", "--db", str(v1_copy), "--round", "2022", "--level", "city"]) == 1
    assert "python -m evalcore migrate --db" in capsys.readouterr().err


def test_the_dashboard_migrates_the_file_it_opens(v1_copy: Path, monkeypatch) -> None:
    monkeypatch.setenv("EVAL_DB", str(v1_copy))
    monkeypatch.delenv("EVAL_READ_ONLY", raising=False)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30).run()
    assert not at.exception
    assert at.selectbox(key="param.round").value == 2022  # the data, not an error
    con = duckdb.connect(str(v1_copy))  # the app's cached store holds it read-write
    try:
        assert con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchall() == [
            (str(SCHEMA_VERSION),)]
    finally:
        con.close()
    assert v1_copy.with_name("evaluation.duckdb.v1.bak").exists()


def test_the_dashboard_says_why_it_refuses_a_newer_file(tmp_path, monkeypatch) -> None:
    """A file of a newer schema is refused with the reason on the page, in both languages."""
    import shutil

    from streamlit.testing.v1 import AppTest

    from evalcore.paths import ROOT

    newer = tmp_path / "newer.duckdb"
    shutil.copyfile(FIXTURES / "v1.duckdb", newer)
    with duckdb.connect(str(newer)) as con:
        con.execute("UPDATE meta SET value = '999' WHERE key = 'schema_version'")
    before = newer.read_bytes()
    monkeypatch.setenv("EVAL_DB", str(newer))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    assert not at.exception
    text = at.error[0].value
    assert "999" in text and "newer" in text.lower()
    assert newer.read_bytes() == before
