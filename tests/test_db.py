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
