"""The data layer: every SQL statement of the product lives here.

`Store` owns one DuckDB connection per database file and gives each query its own cursor,
because DuckDB connections are not thread-safe and Streamlit sessions are threads. Values are
always bound as parameters; the few identifiers that vary (table names) come from the fixed
`schema.TABLES` tuple, never from user input.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from evalcore.schema import DDL, SCHEMA_VERSION, TABLES


class StoreError(RuntimeError):
    """The database is missing, locked or not one of ours."""


class Store:
    """One evaluation database file."""

    def __init__(self, path: Path | str, read_only: bool = True) -> None:
        self.path = Path(path)
        self.read_only = read_only
        self._con: duckdb.DuckDBPyConnection | None = None
        self._lock = threading.Lock()

    # -- connection ---------------------------------------------------------------------

    def exists(self) -> bool:
        return self.path.exists() and self.path.stat().st_size > 0

    def _connection(self) -> duckdb.DuckDBPyConnection:
        with self._lock:
            if self._con is None:
                if self.read_only and not self.exists():
                    raise StoreError(f"database {self.path} does not exist")
                try:
                    self._con = duckdb.connect(str(self.path), read_only=self.read_only)
                except duckdb.IOException as exc:
                    raise StoreError(f"cannot open {self.path}: {exc}") from exc
            return self._con

    def cursor(self) -> duckdb.DuckDBPyConnection:
        return self._connection().cursor()

    def close(self) -> None:
        with self._lock:
            if self._con is not None:
                self._con.close()
                self._con = None

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """All or nothing: commit when the block ends, roll back on any exception."""
        cur = self.cursor()
        cur.execute("BEGIN TRANSACTION")
        try:
            yield cur
        except BaseException:
            cur.execute("ROLLBACK")
            raise
        else:
            cur.execute("COMMIT")
        finally:
            cur.close()

    def query(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> pd.DataFrame:
        cur = self.cursor()
        try:
            return cur.execute(sql, params).df()
        finally:
            cur.close()

    def scalar(self, sql: str, params: Sequence[Any] = ()) -> Any:
        cur = self.cursor()
        try:
            row = cur.execute(sql, params).fetchone()
            return None if row is None else row[0]
        finally:
            cur.close()

    # -- schema -------------------------------------------------------------------------

    def initialise(self) -> None:
        """Create every table (idempotent) and record the schema version."""
        with self.transaction() as cur:
            for statement in DDL:
                cur.execute(statement)
            cur.execute(
                "INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)", [SCHEMA_VERSION]
            )

    def is_initialised(self) -> bool:
        found = self.scalar(
            "SELECT count(*) FROM information_schema.tables WHERE table_name = 'meta'"
        )
        return bool(found)

    def table_counts(self) -> dict[str, int]:
        """Row count per table; table names come from the fixed schema, not from input."""
        return {t: int(self.scalar(f"SELECT count(*) FROM {t}")) for t in TABLES}  # noqa: S608

    # -- readers ------------------------------------------------------------------------

    def meta(self) -> dict[str, str]:
        frame = self.query("SELECT key, value FROM meta")
        return dict(zip(frame["key"], frame["value"], strict=True))

    def is_demo(self) -> bool:
        return self.meta().get("dataset") == "demo"

    def regions(self) -> pd.DataFrame:
        """code, name, short_name, level, parent_code, rep_lon, rep_lat, area_km2."""
        return self.query("SELECT * FROM regions ORDER BY code")

    def community_rows(self) -> pd.DataFrame:
        """Every column of `communities`, unordered (for comparing an import with the store)."""
        return self.query("SELECT * FROM communities")

    def communities(self) -> pd.DataFrame:
        """Every column of `communities`, one row per community."""
        return self.query("SELECT * FROM communities ORDER BY id")

    def targets(self) -> pd.DataFrame:
        """year, unit_code, communities, households, investment_wan."""
        return self.query("SELECT * FROM targets ORDER BY year, unit_code")

    def rounds(self, published_only: bool = False) -> pd.DataFrame:
        """year, rubric_version, published, published_at; newest first."""
        return self.query(
            "SELECT * FROM rounds WHERE published OR NOT ? ORDER BY year DESC", [published_only]
        )

    def inspection_groups(self, year: int) -> pd.DataFrame:
        """group_no, leader_city_code, inspected_city_code for one round."""
        return self.query(
            "SELECT group_no, leader_city_code, inspected_city_code FROM inspection_groups "
            "WHERE round_year = ? ORDER BY group_no",
            [year],
        )

    def stage_scores(self, year: int, stage: str) -> pd.DataFrame:
        """unit_code, indicator_code, points, evaluator, note of one stage of a round."""
        return self.query(
            "SELECT unit_code, indicator_code, points, evaluator, note FROM scores "
            "WHERE round_year = ? AND stage = ?",
            [year, stage],
        )

    def scores(self, year: int) -> pd.DataFrame:
        """unit_code, stage, indicator_code, points, evaluator, note, recorded_at."""
        return self.query(
            "SELECT unit_code, stage, indicator_code, points, evaluator, note, recorded_at "
            "FROM scores WHERE round_year = ? ORDER BY unit_code, stage, indicator_code",
            [year],
        )

    def bonus_claims(self, year: int) -> pd.DataFrame:
        """unit_code, stage, category_code, case_no, case_title, case_description, points."""
        return self.query(
            "SELECT unit_code, stage, category_code, case_no, case_title, case_description, "
            "points_claimed, points_awarded FROM bonus_claims WHERE round_year = ? "
            "ORDER BY unit_code, category_code, case_no, stage",
            [year],
        )

    def deductions(self, year: int) -> pd.DataFrame:
        """unit_code, seq, code, points, reason."""
        return self.query(
            "SELECT unit_code, seq, code, points, reason FROM deductions WHERE round_year = ? "
            "ORDER BY unit_code, seq",
            [year],
        )

    def audit_log(self, limit: int = 200) -> pd.DataFrame:
        """id, at, actor, action, detail (JSON text); newest first."""
        return self.query("SELECT * FROM audit_log ORDER BY id DESC LIMIT ?", [limit])

    # -- writers ------------------------------------------------------------------------

    @staticmethod
    def insert_frame(
        cur: duckdb.DuckDBPyConnection, table: str, frame: pd.DataFrame, replace: bool = False
    ) -> int:
        """Insert a DataFrame's rows by column name; `replace` overwrites rows with the same
        primary key. `table` must be one of schema.TABLES and the columns its own."""
        if table not in TABLES:
            raise ValueError(f"unknown table {table!r}")
        known = set(
            cur.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_name = ?", [table]
            ).df()["column_name"]
        )
        if unknown := set(frame.columns) - known:
            raise ValueError(f"unknown columns for {table}: {sorted(unknown)}")
        if frame.empty:
            return 0
        columns = ", ".join(frame.columns)
        cur.register("incoming_frame", frame)
        try:
            cur.execute(
                f"INSERT {'OR REPLACE ' if replace else ''}INTO {table} ({columns}) "  # noqa: S608
                f"SELECT {columns} FROM incoming_frame"
            )
        finally:
            cur.unregister("incoming_frame")
        return len(frame)

    @staticmethod
    def audit(
        cur: duckdb.DuckDBPyConnection, actor: str, action: str, detail: dict, at: datetime
    ) -> None:
        cur.execute(
            'INSERT INTO audit_log ("at", actor, action, detail) VALUES (?, ?, ?, ?)',
            [at, actor, action, json.dumps(detail, ensure_ascii=False, sort_keys=True)],
        )
