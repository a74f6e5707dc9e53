"""One DuckDB file held by one connection: the plumbing shared by every store of the project.

DuckDB connections are not thread-safe and Streamlit sessions are threads, so each query takes
its own cursor. Writers of one file in one process take one lock, so two writes land one after
the other instead of one being aborted on a conflict.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

_WRITE_LOCKS: dict[str, threading.RLock] = {}
_WRITE_LOCKS_GUARD = threading.Lock()


def write_lock_for(path: Path) -> threading.RLock:
    """The process-wide write lock of one database file."""
    key = str(path.resolve())
    with _WRITE_LOCKS_GUARD:
        return _WRITE_LOCKS.setdefault(key, threading.RLock())


class DuckDBFile:
    """A database file opened lazily by `_open` (subclasses say how and with which errors)."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self._con: duckdb.DuckDBPyConnection | None = None
        self._open_lock = threading.Lock()
        self._write_lock = write_lock_for(self.path)

    def _open(self) -> duckdb.DuckDBPyConnection:
        raise NotImplementedError

    def _connection(self) -> duckdb.DuckDBPyConnection:
        with self._open_lock:
            if self._con is None:
                self._con = self._open()
            return self._con

    def cursor(self) -> duckdb.DuckDBPyConnection:
        return self._connection().cursor()

    def close(self) -> None:
        with self._open_lock:
            if self._con is not None:
                self._con.close()
                self._con = None

    def __enter__(self):
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

    @contextmanager
    def writing(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A write transaction, serialised with every other writer of this file in-process."""
        with self._write_lock, self.transaction() as cur:
            yield cur

    def query(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> pd.DataFrame:
        cur = self.cursor()
        try:
            return cur.execute(sql, params).df()
        finally:
            cur.close()

    def fetchone(self, sql: str, params: Sequence[Any] = ()) -> tuple | None:
        cur = self.cursor()
        try:
            return cur.execute(sql, params).fetchone()
        finally:
            cur.close()

    def scalar(self, sql: str, params: Sequence[Any] = ()) -> Any:
        row = self.fetchone(sql, params)
        return None if row is None else row[0]
