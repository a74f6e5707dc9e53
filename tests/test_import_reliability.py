"""Imports under stress: versioned and revertible, serialised when concurrent, and atomic
when the process is killed half-way (a real subprocess, a real SIGKILL)."""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from datetime import datetime

import pytest

from evalcore.db import Store, StoreError
from evalcore.importer import import_scores
from evalcore.importer.scores import score_columns
from evalcore.paths import ROOT
from evalcore.rubric import load_rubric
from tests.test_import import write_csv

RUBRIC = load_rubric("zj-2020")
HEADER = score_columns(RUBRIC)
N = len(RUBRIC.manual_indicators())
NOW = datetime(2024, 3, 1)


def score_file(tmp_path, name: str, units: list[str], value: float):
    rows = [[u, "", *[value] * N, "测试", ""] for u in units]
    return write_csv(tmp_path / name, HEADER, rows)


def content(db) -> str:
    digest = hashlib.sha256()
    with Store(db) as store:
        for table in ("scores", "audit_log", "change_log", "communities"):
            frame = store.query(f"SELECT * FROM {table} ORDER BY ALL")  # noqa: S608
            digest.update(frame.to_csv(index=False).encode())
    return digest.hexdigest()


def cross(db, unit: str) -> dict:
    with Store(db) as store:
        frame = store.stage_scores(2023, "cross")
    frame = frame[frame["unit_code"] == unit]
    return dict(zip(frame["indicator_code"], frame["points"], strict=True))


def test_previous_values_are_kept_and_an_import_can_be_reverted(writable_db, tmp_path) -> None:
    before = cross(writable_db, "330106")
    import_scores(writable_db, score_file(tmp_path, "a.csv", ["330106"], 0.5), 2023, "cross",
                  now=NOW)
    assert set(cross(writable_db, "330106").values()) == {0.5}
    with Store(writable_db, read_only=False) as store:
        audit_id = int(store.audit_log(1).iloc[0]["id"])
        changes = store.changes(audit_id)
        assert len(changes) == N and changes["old_row"].notna().all()
        store.revert(audit_id, "admin", NOW)
        assert store.audit_log(1).iloc[0]["action"] == "revert"
        with pytest.raises(StoreError, match="already reverted"):
            store.revert(audit_id, "admin", NOW)
    assert cross(writable_db, "330106") == before


def test_revert_removes_rows_an_import_added(writable_db, tmp_path) -> None:
    with Store(writable_db, read_only=False) as store, store.writing() as cur:
        cur.execute("DELETE FROM scores WHERE round_year = 2023 AND stage = 'third_party' "
                    "AND unit_code = '330106'")
    import_scores(writable_db, score_file(tmp_path, "t.csv", ["330106"], 1.0), 2023,
                  "third_party", now=NOW)
    with Store(writable_db, read_only=False) as store:
        audit_id = int(store.audit_log(1).iloc[0]["id"])
        assert store.changes(audit_id)["old_row"].isna().all()
        store.revert(audit_id, "admin", NOW)
        left = store.query("SELECT count(*) n FROM scores WHERE round_year = 2023 AND "
                           "stage = 'third_party' AND unit_code = '330106'")["n"].iloc[0]
    assert left == 0


def test_revert_refuses_when_a_later_import_changed_the_same_rows(writable_db, tmp_path):
    import_scores(writable_db, score_file(tmp_path, "a.csv", ["330106"], 0.5), 2023, "cross",
                  now=NOW)
    import_scores(writable_db, score_file(tmp_path, "b.csv", ["330106"], 1.5), 2023, "cross",
                  now=NOW)
    with Store(writable_db, read_only=False) as store:
        first, second = sorted(store.audit_log(2)["id"].astype(int))
        with pytest.raises(StoreError, match=f"changed again by entry {second}"):
            store.revert(first, "admin", NOW)
        store.revert(second, "admin", NOW)
        store.revert(first, "admin", NOW)


def test_two_imports_at_once_both_land_whole(writable_db, tmp_path) -> None:
    files = [score_file(tmp_path, "a.csv", ["330106", "330108"], 0.5),
             score_file(tmp_path, "b.csv", ["330108", "330127"], 1.5)]
    errors: list[BaseException] = []

    def run(path) -> None:
        try:
            import_scores(writable_db, path, 2023, "cross", now=NOW)
        except BaseException as exc:  # noqa: BLE001 - collected for the assertion below
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(f,)) for f in files]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []
    assert set(cross(writable_db, "330106").values()) == {0.5}
    assert set(cross(writable_db, "330127").values()) == {1.5}
    assert set(cross(writable_db, "330108").values()) in ({0.5}, {1.5})  # one after the other
    with Store(writable_db) as store:
        log = store.audit_log(2)
        assert (log["action"] == "import").all()
        assert store.changes(int(log["id"].iloc[0]))["table_name"].eq("scores").all()


HOLD_OPEN = textwrap.dedent("""
    import sys, time
    from evalcore.db import Store
    store = Store(sys.argv[1], read_only=False)
    store.cursor().execute("SELECT 1")
    print("open", flush=True)
    time.sleep(60)
""")


def test_an_import_while_another_process_holds_the_file_is_refused_clearly(writable_db,
                                                                           tmp_path) -> None:
    proc = subprocess.Popen([sys.executable, "-c", HOLD_OPEN, str(writable_db)], cwd=ROOT,
                            stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout.readline().strip() == "open"
        with pytest.raises(StoreError, match="in use by another process"):
            import_scores(writable_db, score_file(tmp_path, "a.csv", ["330106"], 0.5), 2023,
                          "cross", now=NOW)
    finally:
        proc.kill()
        proc.wait()


KILLED_MID_IMPORT = textwrap.dedent("""
    import sys, time
    from evalcore.db import Store
    from evalcore.importer import import_scores

    original = Store.upsert_versioned

    def slow(cur, table, rows, audit_id):
        original(cur, table, rows, audit_id)  # written inside the transaction, not committed
        print("written", flush=True)
        time.sleep(60)

    Store.upsert_versioned = staticmethod(slow)
    import_scores(sys.argv[1], sys.argv[2], 2023, "cross")
""")


def test_a_process_killed_mid_import_leaves_the_database_as_it_was(writable_db, tmp_path):
    units = [f"3301{n:02d}" for n in (2, 5, 6, 8, 9, 10, 11, 12, 13, 14, 22, 27, 82)]
    path = score_file(tmp_path, "big.csv", units, 0.1)
    before = content(writable_db)
    proc = subprocess.Popen([sys.executable, "-c", KILLED_MID_IMPORT, str(writable_db),
                             str(path)], cwd=ROOT, stdout=subprocess.PIPE, text=True,
                            env={**os.environ, "PYTHONPATH": str(ROOT)})
    try:
        assert proc.stdout.readline().strip() == "written"
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    time.sleep(0.2)
    assert content(writable_db) == before
