"""The data layer: schema documented, constraints enforced, transactions all or nothing."""

from __future__ import annotations

import re
from datetime import datetime

import duckdb
import pytest

from evalcore.db import Store, StoreError
from evalcore.paths import ROOT
from evalcore.schema import TABLES


def _documented_columns() -> dict[str, set[str]]:
    text = (ROOT / "docs" / "schema.md").read_text(encoding="utf-8")
    sections = re.split(r"^## ", text, flags=re.M)[1:]
    out = {}
    for section in sections:
        title, _, body = section.partition("\n")
        out[title.strip()] = set(re.findall(r"`([a-z_0-9]+)`", body))
    return out


def test_every_table_and_column_is_documented(demo_store: Store) -> None:
    documented = _documented_columns()
    for table in TABLES:
        columns = demo_store.query(
            "SELECT column_name FROM information_schema.columns WHERE table_name = ?", [table]
        )["column_name"]
        missing = set(columns) - documented.get(table, set())
        assert not missing, f"{table}: undocumented columns {sorted(missing)}"


def test_regions_hierarchy(demo_store: Store) -> None:
    regions = demo_store.regions()
    assert regions["level"].value_counts().to_dict() == {"county": 90, "city": 11, "province": 1}
    codes = set(regions["code"])
    assert set(regions["parent_code"].dropna()) <= codes


def test_missing_database_is_reported(tmp_path) -> None:
    with pytest.raises(StoreError, match="does not exist"):
        Store(tmp_path / "none.duckdb").regions()


def test_read_only_store_refuses_writes(demo_store: Store) -> None:
    with pytest.raises(duckdb.Error):
        with demo_store.transaction() as cur:
            cur.execute("DELETE FROM scores")


@pytest.mark.parametrize(
    ("sql", "params"),
    [
        ("INSERT INTO inspection_groups VALUES (2022, 12, '330100', '330100')", []),
        ("INSERT INTO scores VALUES (2022, '330106', 'self', 'A1', -1, NULL, NULL, ?)",
         [datetime(2023, 1, 1)]),
        ("INSERT INTO scores VALUES (2022, '330106', 'peer', 'A1', 1, NULL, NULL, ?)",
         [datetime(2023, 1, 1)]),
        ("INSERT INTO scores VALUES (2022, '999999', 'self', 'A1', 1, NULL, NULL, ?)",
         [datetime(2023, 1, 1)]),
        ("UPDATE rounds SET published = TRUE, published_at = NULL WHERE year = 2023", []),
    ],
    ids=["own-city", "negative", "stage", "unknown-unit", "published-without-date"],
)
def test_constraints_refuse_bad_rows(writable_db, sql, params) -> None:
    with Store(writable_db, read_only=False) as store:
        with pytest.raises(duckdb.Error):
            with store.transaction() as cur:
                cur.execute(sql, params)


def test_transaction_rolls_back_everything(writable_db) -> None:
    with Store(writable_db, read_only=False) as store:
        before = store.table_counts()
        with pytest.raises(RuntimeError):
            with store.transaction() as cur:
                cur.execute("DELETE FROM scores")
                Store.audit(cur, "test", "delete", {}, datetime(2024, 1, 1))
                raise RuntimeError("boom")
        assert store.table_counts() == before


def test_insert_frame_refuses_unknown_tables(writable_db) -> None:
    import pandas as pd

    with Store(writable_db, read_only=False) as store, store.transaction() as cur:
        with pytest.raises(ValueError, match="unknown table"):
            Store.insert_frame(cur, "scores; DROP TABLE scores", pd.DataFrame({"a": [1]}))


def test_publish_and_unpublish_are_audited(writable_db) -> None:
    from evalcore.access import PUBLIC

    with Store(writable_db, read_only=False) as store:
        store.set_published(2023, True, "admin", datetime(2024, 5, 1))
        assert 2023 in set(store.rounds(PUBLIC)["year"])
        store.set_published(2023, False, "admin", datetime(2024, 5, 2))
        assert 2023 not in set(store.rounds(PUBLIC)["year"])
        log = store.audit_entries(actor="admin")
        assert log["action"].tolist() == ["unpublish", "publish"]
        assert len(store.audit_entries(action="publish", text='"round": 2023')) == 1
        with pytest.raises(StoreError, match="round 1999 does not exist"):
            store.set_published(1999, True, "admin", datetime(2024, 5, 1))


def test_audit_filters_are_parameters_not_sql(writable_db) -> None:
    with Store(writable_db) as store:
        assert store.audit_entries(actor="x' OR '1'='1").empty
        assert store.audit_entries(text="'; DROP TABLE audit_log; --").empty
        assert store.table_counts()["audit_log"] >= 1
