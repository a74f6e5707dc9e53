"""A public replica on a snapshot directory (AppTest): it serves the newest valid snapshot,
switches between reruns without a restart, and keeps the previous one when a bad one comes."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from evalcore import snapshot
from evalcore.actions import CLI, set_published
from evalcore.db import Store
from evalcore.paths import ROOT
from tests.pages_helper import assert_no_failure

APP = str(ROOT / "app.py")


def _rounds(at: AppTest) -> list[str]:
    """The round selector's years (its options read "2022年度": the selector row's
    self-describing options)."""
    return [o.removesuffix("年度") for o in at.selectbox(key="param.round").options]


def test_a_replica_switches_snapshot_between_reruns(writable_db, tmp_path, monkeypatch):
    snaps = tmp_path / "snapshots"
    with Store(writable_db) as store:
        snapshot.write_snapshot(store, snaps)
    monkeypatch.delenv("EVAL_READ_ONLY", raising=False)
    monkeypatch.setenv("EVAL_DB", str(snaps))
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert_no_failure(at)
    assert _rounds(at) == ["2022", "2021", "2020"]
    assert not at.sidebar.expander  # read-only: no sign-in
    first = Path(at.session_state["ctx.db_path"])

    # The writer publishes 2023 (a process of its own in production; the hook writes the
    # snapshot after the commit).
    monkeypatch.setenv(snapshot.SNAPSHOT_DIR_ENV, str(snaps))
    with Store(writable_db, read_only=False) as store:
        set_published(store, CLI, 2023, True)
    at.run()
    assert_no_failure(at)
    assert _rounds(at)[0] == "2023"
    assert Path(at.session_state["ctx.db_path"]) != first

    # A corrupt file behind the pointer: refused, the session keeps the last good one.
    bad = snaps / "snapshot-29990101T000000000000Z-bad.duckdb"
    bad.write_bytes(b"not a database" * 1000)
    good = snapshot.Pointer.read(snaps)
    (snaps / "current").write_text(snapshot.Pointer(
        bad.name, "29990101T000000000000Z-bad", snapshot.file_sha256(bad), bad.stat().st_size,
        good.schema_version).to_json())
    at.run()
    assert_no_failure(at)
    assert _rounds(at)[0] == "2023"
    assert Path(at.session_state["ctx.db_path"]).name == good.file
