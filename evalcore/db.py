"""The data layer: every SQL statement of the product lives here.

`Store` owns one DuckDB connection per database file and gives each query its own cursor,
because DuckDB connections are not thread-safe and Streamlit sessions are threads. Values are
always bound as parameters; the few identifiers that vary (table names) come from the fixed
`schema.TABLES` tuple, never from user input.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from evalcore.access import FULL, Viewer, scope
from evalcore.duckfile import DuckDBFile
from evalcore.messages import Message, MessageError
from evalcore.metrics import USED_COLUMNS
from evalcore.migrations.runner import Migrated, SchemaError, open_current
from evalcore.schema import DDL, REPLACED_BY_DELETE, ROW_KEYS, SCHEMA_VERSION, TABLES
from evalcore.vocab import STAGES

# Readers of the same table share one visibility rule ($all: every unit; $own: these units),
# with the parameters the access policy gives (Store._scope); the column lists are constants.
_VISIBLE_ROWS = "round_year = $year AND ($all OR list_contains($own, unit_code))"


def _note(column: str) -> str:
    """A note column, kept only where the policy grants `notes` ($notes_all, $notes_own)."""
    return (f"CASE WHEN $notes_all OR list_contains($notes_own, unit_code) THEN {column} END "
            f"AS {column}")


# Every part below is a constant of this module (no value is ever formatted into SQL).
_VISIBLE_SCORES = (" FROM scores WHERE " + _VISIBLE_ROWS
                   + " ORDER BY unit_code, stage, indicator_code")
_BONUS_SQL = ("SELECT unit_code, stage, category_code, case_no, case_title, "  # noqa: S608
              "case_description, points_claimed, points_awarded, " + _note("review_note")
              + " FROM bonus_claims WHERE " + _VISIBLE_ROWS
              + " ORDER BY unit_code, category_code, case_no, stage")
_DEDUCTIONS_SQL = ("SELECT unit_code, seq, code, points, " + _note("reason")  # noqa: S608
                   + " FROM deductions WHERE " + _VISIBLE_ROWS + " ORDER BY unit_code, seq")
# Communities and targets of a batch year: published years for whom the policy lets see them,
# later years for all units or own units only. Rows outside the viewer's current view show
# their status as at the end of the last published year ($cutoff).
_COMMUNITY_VISIBLE = (
    " FROM communities WHERE (batch_year <= $last_public AND $pub_all) OR $draft_all "
    "OR list_contains($own, county_code) ORDER BY id"
)
_AS_OF_CUTOFF = (
    "$draft_all OR list_contains($own, county_code)"
)
_COMMUNITY_DATED = (
    "* REPLACE ("
    f"CASE WHEN {_AS_OF_CUTOFF} THEN status "
    "WHEN start_date IS NULL OR start_date > $cutoff THEN 'planned' "
    "WHEN completion_date IS NULL OR completion_date > $cutoff THEN 'started' "
    "ELSE status END AS status, "
    f"CASE WHEN {_AS_OF_CUTOFF} OR start_date <= $cutoff THEN start_date END AS start_date, "
    f"CASE WHEN {_AS_OF_CUTOFF} OR completion_date <= $cutoff THEN completion_date END "
    "AS completion_date, "
    f"CASE WHEN {_AS_OF_CUTOFF} OR completion_date <= $cutoff THEN satisfaction END "
    "AS satisfaction)"
)
_COMMUNITIES_SQL = "SELECT " + _COMMUNITY_DATED + _COMMUNITY_VISIBLE
# Column names from the constant metrics.USED_COLUMNS, not from input.
_COMMUNITY_METRICS_SQL = ("SELECT " + ", ".join(["county_code", *USED_COLUMNS])  # noqa: S608
                          + " FROM (SELECT " + _COMMUNITY_DATED + _COMMUNITY_VISIBLE + ")")


class StoreError(MessageError, RuntimeError):
    """The database is missing, locked, not one of ours or of another schema version (newer;
    older and read-only; its migration failed), or a write was refused: a Message,
    shown in the user's language (`render(lang)`); `str()` is English, for logs."""


# A write's re-check, run first inside its transaction: raises to refuse, else returns the
# actor's label for the audit log (evalcore.actions builds these from the access policy).
WriteCheck = Callable[[duckdb.DuckDBPyConnection], str]


def _plain(value: Any) -> Any:
    """JSON-safe scalar: timestamps as ISO text, NaN/NaT as null."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value.item() if hasattr(value, "item") else value


def _row_key(row: dict, keys: list[str]) -> str:
    return json.dumps([_plain(row[k]) for k in keys], ensure_ascii=False)


def _row_json(row: dict) -> str:
    return json.dumps({k: _plain(v) for k, v in row.items()}, ensure_ascii=False, sort_keys=True)


class Store(DuckDBFile):
    """One evaluation database file."""

    def __init__(self, path: Path | str, read_only: bool = True) -> None:
        super().__init__(path)
        self.read_only = read_only
        self.migrated: Migrated | None = None  # what opening the file migrated, if anything

    def exists(self) -> bool:
        return self.path.exists() and self.path.stat().st_size > 0

    def _open(self) -> duckdb.DuckDBPyConnection:
        """Connect at today's schema version: read-write migrates an older file (after a
        backup beside it), read-only refuses it; a newer file is refused either way
        (evalcore/migrations/)."""
        if self.read_only and not self.exists():
            raise StoreError(Message("store_missing", {"path": str(self.path)}))
        try:
            con, self.migrated = open_current(self.path, self.read_only)
            return con
        except SchemaError as exc:
            raise StoreError(exc.message) from exc
        except duckdb.IOException as exc:
            if "lock" in str(exc).lower():
                raise StoreError(Message("store_in_use", {"path": str(self.path)})) from exc
            raise StoreError(Message("store_cannot_open", {"path": str(self.path),
                                                           "reason": str(exc)})) from exc

    # -- schema -------------------------------------------------------------------------

    def initialise(self, at: datetime | None = None) -> None:
        """Create every table (idempotent) and record the schema version; a new file records
        it in schema_migrations too, as made at `at` (default now)."""
        with self.transaction() as cur:
            for statement in DDL:
                cur.execute(statement)
            cur.execute(
                "INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)", [str(SCHEMA_VERSION)]
            )
            cur.execute("INSERT OR IGNORE INTO schema_migrations VALUES (?, ?, ?)",
                        [SCHEMA_VERSION, at or datetime.now(), "new file at this version"])

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
        """Synthetic data (the demo, the national benchmark): anything not declared real."""
        return self.meta().get("dataset", "real") != "real"

    def regions(self) -> pd.DataFrame:
        """code, name, short_name, level, parent_code, rep_lon, rep_lat, area_km2."""
        return self.query("SELECT * FROM regions ORDER BY code")

    def community_rows(self) -> pd.DataFrame:
        """Every column of `communities`, unordered (for comparing an import with the store)."""
        return self.query("SELECT * FROM communities")

    # Readers below take a Viewer and return only what it may see: each asks the access
    # policy (evalcore/access.py) for its scope and binds it as parameters of one shared
    # clause. Internal callers (CLI, importer, tests) default to FULL.

    def last_public_year(self) -> int:
        return self.scalar("SELECT coalesce(max(year), 0) FROM rounds WHERE published")

    def _is_published(self, year: int) -> bool:
        return bool(self.scalar("SELECT published FROM rounds WHERE year = ?", [year]))

    def current_year(self) -> int | None:
        return self.scalar("SELECT max(year) FROM rounds")

    def sees_current_status(self, viewer: Viewer, county_code: str) -> bool:
        """Whether the viewer sees the current status of a county's communities (else as at
        the last published year's end): the rule of the communities readers."""
        params = self._progress_scope(viewer)
        return params["draft_all"] or county_code in params["own"]

    def _progress_scope(self, viewer: Viewer) -> dict[str, Any]:
        """Parameters of the progress rule: published batch years for whom the policy lets,
        later ones for all units or the viewer's own (in the newest round), and the day the
        last published year ended, as at which other rows show their status."""
        last = self.last_public_year()
        current = self.current_year()
        draft = scope(viewer, "read", "progress", published=False)
        own = self.own_units(current, viewer) if draft == "own" and current else []
        # Communities belong to counties: a city's own rows are its counties'.
        own = own + self.query("SELECT code FROM regions WHERE list_contains(?, parent_code) "
                               "AND level = 'county'", [own])["code"].tolist() if own else []
        return {"last_public": last,
                "pub_all": scope(viewer, "read", "progress", published=True) == "all",
                "draft_all": draft == "all", "own": own,
                "cutoff": date(last, 12, 31) if last else date(1900, 1, 1)}

    def communities(self, viewer: Viewer = FULL) -> pd.DataFrame:
        """Every column of `communities` the viewer may see (access policy, `progress`)."""
        return self.query(_COMMUNITIES_SQL, self._progress_scope(viewer))

    def community_metrics_rows(self, viewer: Viewer = FULL) -> pd.DataFrame:
        """What scoring reads of communities(), under the same rule: county_code and
        metrics.USED_COLUMNS (which include batch_year and households, read by
        rounds.units_frame too). Names, addresses and coordinates are not copied."""
        return self.query(_COMMUNITY_METRICS_SQL, self._progress_scope(viewer))

    def targets(self, viewer: Viewer = FULL) -> pd.DataFrame:
        """year, unit_code, communities, households, investment_wan (same rule as above)."""
        params = self._progress_scope(viewer)
        del params["cutoff"]
        return self.query(
            "SELECT * FROM targets WHERE (year <= $last_public AND $pub_all) OR $draft_all "
            "OR list_contains($own, unit_code) ORDER BY year, unit_code", params)

    def rounds(self, viewer: Viewer = FULL) -> pd.DataFrame:
        """year, rubric_version, published, published_at; newest first."""
        return self.query(
            "SELECT * FROM rounds WHERE published OR ? ORDER BY year DESC",
            [scope(viewer, "read", "results", published=False) is not None],
        )

    def own_units(self, year: int, viewer: Viewer) -> list[str]:
        """The viewer's own units in that round: a unit user's unit; a group user's inspected
        city and its counties. The policy's "own" means these."""
        if viewer.role == "unit" and viewer.unit_code:
            return [viewer.unit_code]
        if viewer.role == "group" and viewer.group_city_code:
            frame = self.query(
                "SELECT code FROM regions WHERE code = (SELECT inspected_city_code "
                "FROM inspection_groups WHERE round_year = ? AND leader_city_code = ?) "
                "OR parent_code = (SELECT inspected_city_code FROM inspection_groups "
                "WHERE round_year = ? AND leader_city_code = ?)",
                [year, viewer.group_city_code, year, viewer.group_city_code],
            )
            return frame["code"].tolist()
        return []

    def scope_of(self, year: int, viewer: Viewer, resource: str,
                 action: str = "read") -> tuple[bool, list[str]]:
        """(all units?, own units) the policy grants `viewer` on `resource` in round `year`."""
        granted = scope(viewer, action, resource, self._is_published(year))
        return granted == "all", self.own_units(year, viewer) if granted == "own" else []

    def _scope(self, year: int, viewer: Viewer) -> dict[str, Any]:
        """Named parameters of the visibility rule shared by the round-scoped readers:
        rows ($all, $own) and notes ($notes_all, $notes_own)."""
        rows_all, own = self.scope_of(year, viewer, "results")
        notes_all, notes_own = self.scope_of(year, viewer, "notes")
        return {"year": year, "all": rows_all, "own": own, "notes_all": notes_all,
                "notes_own": notes_own}

    def inspection_groups(self, year: int, viewer: Viewer = FULL) -> pd.DataFrame:
        """group_no, leader_city_code, inspected_city_code for one round: every pairing, or
        where the policy grants only "own", the pairings its own city leads or is inspected
        by (a group user's leading city; a unit user's city)."""
        every, own = self.scope_of(year, viewer, "groups")
        city = viewer.group_city_code or self.scalar(
            "SELECT CASE WHEN level = 'city' THEN code ELSE parent_code END FROM regions "
            "WHERE code = ?", [viewer.unit_code])
        mine = [city] if own and city else []
        return self.query(
            "SELECT group_no, leader_city_code, inspected_city_code FROM inspection_groups "
            "WHERE round_year = ? AND (? OR list_contains(?, leader_city_code) "
            "OR list_contains(?, inspected_city_code)) ORDER BY group_no",
            [year, every, mine, mine],
        )

    def group_assignments(self, year: int, viewer: Viewer = FULL) -> pd.DataFrame:
        """group_no, leader_city_code, inspected_city_code, leader_name, leader_title, members
        of one round, for viewers the policy lets read `round_setup` (else no rows)."""
        return self.query(
            "SELECT group_no, leader_city_code, inspected_city_code, leader_name, "
            "leader_title, members FROM inspection_groups WHERE round_year = ? AND ? "
            "ORDER BY group_no", [year, self._reads_setup(year, viewer)])

    def round_stages(self, year: int, viewer: Viewer = FULL) -> pd.DataFrame:
        """stage, opens, closes of one round (its deadlines), for viewers the policy lets read
        `round_setup` (else no rows); in the order of the stages."""
        return self.query(
            "SELECT stage, opens, closes FROM round_stages WHERE round_year = ? AND ? "
            "ORDER BY list_position(?, stage)",
            [year, self._reads_setup(year, viewer), list(STAGES)])

    def _reads_setup(self, year: int, viewer: Viewer) -> bool:
        return scope(viewer, "read", "round_setup", self._is_published(year)) == "all"

    def stage_scores(self, year: int, stage: str) -> pd.DataFrame:
        """unit_code, indicator_code, points, evaluator, note of one stage of a round."""
        return self.query(
            "SELECT unit_code, indicator_code, points, evaluator, note FROM scores "
            "WHERE round_year = ? AND stage = ?",
            [year, stage],
        )

    def scores(self, year: int, viewer: Viewer = FULL) -> pd.DataFrame:
        """unit_code, stage, indicator_code, points, evaluator, note, recorded_at.

        Draft rounds only for those who may see them (own units for unit and group users);
        evaluators' notes only where the policy grants `notes`.
        """
        return self.query(
            "SELECT unit_code, stage, indicator_code, points, evaluator, " + _note("note")
            + ", recorded_at" + _VISIBLE_SCORES,
            self._scope(year, viewer),
        )

    def score_points(self, year: int, viewer: Viewer = FULL) -> pd.DataFrame:
        """unit_code, stage, indicator_code, points: what scoring reads of scores(), under the
        same visibility rule."""
        params = self._scope(year, viewer)
        del params["notes_all"], params["notes_own"]
        return self.query(
            "SELECT unit_code, stage, indicator_code, points" + _VISIBLE_SCORES, params)

    def bonus_claims(self, year: int, viewer: Viewer = FULL) -> pd.DataFrame:
        """unit_code, stage, category_code, case_no, case_title, case_description, points,
        review_note (the reviewer's note: where the policy grants `notes`)."""
        return self.query(
            _BONUS_SQL,
            self._scope(year, viewer),
        )

    def deductions(self, year: int, viewer: Viewer = FULL) -> pd.DataFrame:
        """unit_code, seq, code, points, reason (reasons: where the policy grants `notes`)."""
        return self.query(
            _DEDUCTIONS_SQL,
            self._scope(year, viewer),
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
    ) -> int:
        """Append an audit entry; returns its id (change_log rows point to it)."""
        row = cur.execute(
            'INSERT INTO audit_log ("at", actor, action, detail) VALUES (?, ?, ?, ?) '
            "RETURNING id",
            [at, actor, action, json.dumps(detail, ensure_ascii=False, sort_keys=True)],
        ).fetchone()
        return int(row[0])

    @contextmanager
    def writing(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A write transaction (DuckDBFile.writing) whose database errors become StoreError:
        callers see the store's own error, and nothing of the transaction is kept."""
        try:
            with super().writing() as cur:
                yield cur
        except duckdb.Error as exc:
            raise StoreError(Message("store_database_error",
                                     {"reason": str(exc).splitlines()[0]})) from exc

    @staticmethod
    def _who(cur, actor: str | None, check: WriteCheck | None) -> str:
        """The audit actor: what `check` returns after re-checking rights inside the
        transaction (evalcore.actions), else the caller's label (CLI, demo, tests)."""
        if check is not None:
            return check(cur)
        if actor is None:
            raise ValueError("a write needs an actor or a check")
        return actor

    def write_rows(self, table: str, rows: pd.DataFrame, *, action: str, detail: dict,
                   at: datetime, actor: str | None = None,
                   check: WriteCheck | None = None) -> int:
        """Replace rows by key in one transaction with their audit entry and the previous
        rows in change_log (so the change can be reverted); returns the audit id."""
        with self.writing() as cur:
            who = Store._who(cur, actor, check)
            audit_id = Store.audit(cur, who, action, detail, at=at)
            Store.upsert_versioned(cur, table, rows, audit_id)
        return audit_id

    def load_tables(self, frames: dict[str, pd.DataFrame], *, meta: dict[str, str],
                    action: str, detail: dict, at: datetime, actor: str) -> int:
        """Insert whole tables and dataset facts (`meta`: demo label, as-of date) in one
        audited transaction: the demo and benchmark builders."""
        with self.writing() as cur:
            for key, value in meta.items():
                cur.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", [key, str(value)])
            for table, frame in frames.items():
                Store.insert_frame(cur, table, frame)
            return Store.audit(cur, actor, action, detail, at=at)

    def checkpoint(self) -> None:
        """Write the WAL into the file (before it is moved or copied)."""
        cur = self.cursor()
        try:
            cur.execute("CHECKPOINT")
        finally:
            cur.close()

    def set_published(self, year: int, published: bool, actor: str | None = None,
                      at: datetime | None = None, check: WriteCheck | None = None) -> int:
        """Publish or unpublish a round, with an audit entry; returns the entry id."""
        at = at or datetime.now()
        with self.writing() as cur:
            who = Store._who(cur, actor, check)
            found = cur.execute("SELECT published FROM rounds WHERE year = ?", [year]).fetchone()
            if found is None:
                raise StoreError(Message("round_missing", {"year": year}))
            cur.execute(
                "UPDATE rounds SET published = ?, published_at = ? WHERE year = ?",
                [published, at if published else None, year],
            )
            action = "publish" if published else "unpublish"
            return Store.audit(cur, who, action, {"round": year, "was": bool(found[0])}, at=at)

    def create_round(self, year: int, rubric_version: str, actor: str | None = None,
                     at: datetime | None = None, check: WriteCheck | None = None) -> int:
        """A new draft round scored with `rubric_version`; audited."""
        at = at or datetime.now()
        with self.writing() as cur:
            who = Store._who(cur, actor, check)
            cur.execute("INSERT INTO rounds (year, rubric_version, published) VALUES (?, ?, FALSE)",
                        [year, rubric_version])
            return Store.audit(cur, who, "create-round",
                               {"round": year, "rubric": rubric_version}, at=at)

    def audit_entries(self, action: str | None = None, actor: str | None = None,
                      text: str | None = None, limit: int = 500) -> pd.DataFrame:
        """The audit log filtered by action, actor and a text in the detail; newest first."""
        return self.query(
            "SELECT id, \"at\", actor, action, detail FROM audit_log "
            "WHERE (? IS NULL OR action = ?) AND (? IS NULL OR actor = ?) "
            "AND (? IS NULL OR contains(detail, ?)) ORDER BY id DESC LIMIT ?",
            [action, action, actor, actor, text, text, limit],
        )

    # -- versioning: nothing is overwritten without the previous value being kept ---------

    @staticmethod
    def _stored_rows(cur, table: str, rows: pd.DataFrame) -> pd.DataFrame:
        """The stored rows with the same keys as `rows` (table and keys from schema.ROW_KEYS)."""
        keys = list(ROW_KEYS[table])
        cur.register("incoming_keys", rows[keys])
        try:
            on = " AND ".join(f"t.{k} = i.{k}" for k in keys)
            return cur.execute(
                f"SELECT t.* FROM {table} t JOIN incoming_keys i ON {on}"  # noqa: S608
            ).df()
        finally:
            cur.unregister("incoming_keys")

    @staticmethod
    def upsert_versioned(cur, table: str, rows: pd.DataFrame, audit_id: int) -> None:
        """Replace rows by key, keeping each previous row (or its absence) in change_log."""
        keys = list(ROW_KEYS[table])
        old = Store._stored_rows(cur, table, rows)
        old_by_key = {_row_key(r, keys): _row_json(r) for r in old.to_dict("records")}
        log = pd.DataFrame(
            [
                {"audit_id": audit_id, "table_name": table, "row_key": (key := _row_key(r, keys)),
                 "old_row": old_by_key.get(key), "new_row": _row_json(r)}
                for r in rows.to_dict("records")
            ]
        )
        Store.insert_frame(cur, "change_log", log)
        Store._replace_rows(cur, table, rows)

    @staticmethod
    def _replace_rows(cur, table: str, rows: pd.DataFrame) -> None:
        """Insert rows, replacing those with the same key (schema.ROW_KEYS). A table with
        another UNIQUE constraint (schema.REPLACED_BY_DELETE) has its keyed rows deleted
        first: DuckDB cannot INSERT OR REPLACE there, and pairs may swap within the rows."""
        if table not in REPLACED_BY_DELETE:
            Store.insert_frame(cur, table, rows, replace=True)
            return
        keys = list(ROW_KEYS[table])
        cur.register("replaced_keys", rows[keys])
        try:
            match = " AND ".join(f"{table}.{k} = r.{k}" for k in keys)
            cur.execute(f"DELETE FROM {table} WHERE EXISTS "  # noqa: S608
                        f"(SELECT 1 FROM replaced_keys r WHERE {match})")
        finally:
            cur.unregister("replaced_keys")
        Store.insert_frame(cur, table, rows)

    def changes(self, audit_id: int) -> pd.DataFrame:
        """table_name, row_key, old_row, new_row of one audited change."""
        return self.query(
            "SELECT table_name, row_key, old_row, new_row FROM change_log WHERE audit_id = ?",
            [audit_id],
        )

    def revert(self, audit_id: int, actor: str | None = None, at: datetime | None = None,
               check: WriteCheck | None = None) -> int:
        """Undo one import: restore every previous row, delete rows it added. Refused when it
        was already reverted, or when a later import (not itself reverted) changed the same
        rows: revert that one first."""
        at = at or datetime.now()
        with self.writing() as cur:
            who = Store._who(cur, actor, check)
            reverted = set(cur.execute(
                "SELECT CAST(json_extract(detail, '$.reverted') AS BIGINT) r FROM audit_log "
                "WHERE action = 'revert'").df()["r"])
            if audit_id in reverted:
                raise StoreError(Message("store_already_reverted", {"id": audit_id}))
            log = cur.execute(
                "SELECT table_name, row_key, old_row FROM change_log WHERE audit_id = ?",
                [audit_id],
            ).df()
            if log.empty:
                raise StoreError(Message("store_nothing_to_revert", {"id": audit_id}))
            later = cur.execute(
                "SELECT DISTINCT c.audit_id FROM change_log c JOIN change_log o "
                "ON c.table_name = o.table_name AND c.row_key = o.row_key "
                "WHERE o.audit_id = ? AND c.audit_id > ? ORDER BY 1",
                [audit_id, audit_id],
            ).df()["audit_id"]
            blocking = [int(a) for a in later if int(a) not in reverted]
            if blocking:
                raise StoreError(Message("store_changed_again",
                                         {"id": audit_id, "later": blocking[0]}))
            for table, group in log.groupby("table_name"):
                Store._restore(cur, str(table), group)
            return Store.audit(cur, who, "revert", {"reverted": audit_id, "rows": len(log)},
                               at=at)

    @staticmethod
    def _restore(cur, table: str, log: pd.DataFrame) -> None:
        keys = list(ROW_KEYS[table])
        added = log[log["old_row"].isna()]
        for row_key in added["row_key"]:
            values = json.loads(row_key)
            where = " AND ".join(f"{k} = ?" for k in keys)
            cur.execute(f"DELETE FROM {table} WHERE {where}", values)  # noqa: S608
        previous = [json.loads(r) for r in log["old_row"].dropna()]
        if previous:
            Store._replace_rows(cur, table, pd.DataFrame(previous))

    # -- problems and rectification (issue 11) -------------------------------------------
    # Problems found by inspectors and their rectification (整改): readable where the policy
    # grants `problems` (never the public); what scoring reads of them (unit and status) is
    # a result, read under the `results` rule so every viewer's totals agree.

    def problems(self, year: int, viewer: Viewer = FULL) -> pd.DataFrame:
        """Every column of `problems` of one round that the viewer may read (access policy,
        `problems`: all units, its own, or none), by unit and id."""
        every, own = self.scope_of(year, viewer, "problems")
        return self.query(
            "SELECT * FROM problems WHERE " + _VISIBLE_ROWS  # noqa: S608 (constants)
            + " ORDER BY unit_code, id",
            {"year": year, "all": every, "own": own})

    def problem_metric_rows(self, year: int, viewer: Viewer = FULL) -> pd.DataFrame:
        """unit_code, status of the round's problems, for the units whose results the viewer
        may read (metrics.PROBLEM_COLUMNS: what the rectification rate is computed from)."""
        every, own = self.scope_of(year, viewer, "results")
        return self.query(
            "SELECT unit_code, status FROM problems WHERE " + _VISIBLE_ROWS  # noqa: S608
            + " ORDER BY unit_code, id", {"year": year, "all": every, "own": own})

    def problem_row(self, problem_id: int) -> pd.DataFrame:
        """One problem (every column) by id, for the write actions (no viewer: they check)."""
        return self.query("SELECT * FROM problems WHERE id = ?", [problem_id])

    # -- online entry, submissions and evidence (issue 11) -----------------------------------

    def evidence_rows(self, year: int, viewer: Viewer = FULL, subject: str | None = None,
                      unit: str | None = None) -> pd.DataFrame:
        """unit_code, subject, subject_key, sha256, size_bytes, media_type, file_name,
        uploaded_by, uploaded_at of one round's evidence files the policy lets the viewer read
        (`evidence`: the public never), of one subject and one unit if given."""
        every, own = self.scope_of(year, viewer, "evidence")
        return self.query(
            "SELECT round_year, unit_code, subject, subject_key, sha256, size_bytes, "  # noqa: S608
            "media_type, "
            "file_name, uploaded_by, uploaded_at FROM evidence WHERE " + _VISIBLE_ROWS
            + " AND ($subject IS NULL OR subject = $subject) "
            "AND ($unit IS NULL OR unit_code = $unit) "
            "ORDER BY unit_code, subject, subject_key, uploaded_at",
            {"year": year, "all": every, "own": own, "subject": subject, "unit": unit})

    def evidence_used_bytes(self, year: int, unit: str,
                            cur: duckdb.DuckDBPyConnection | None = None,
                            without: str | None = None) -> int:
        """The bytes of a unit's evidence in a round, each distinct file once (its quota),
        leaving out the file `without` (a SHA-256) if given; read through `cur` inside a
        write transaction."""
        sql = ("SELECT coalesce(sum(size_bytes), 0) FROM (SELECT DISTINCT sha256, size_bytes "
               "FROM evidence WHERE round_year = ? AND unit_code = ? "
               "AND sha256 IS DISTINCT FROM ?)")
        if cur is not None:
            return int(cur.execute(sql, [year, unit, without]).fetchone()[0])
        return int(self.scalar(sql, [year, unit, without]))

    def stage_submissions(self, year: int, viewer: Viewer) -> pd.DataFrame:
        """unit_code, stage, status, submitted_at, submitted_by, reopened_at, reopened_by,
        reopen_reason of one round, as the policy lets the viewer read `submissions`. A unit
        and stage without a row is a draft."""
        every, own = self.scope_of(year, viewer, "submissions")
        return self.query(
            "SELECT unit_code, stage, status, submitted_at, submitted_by, "  # noqa: S608
            "reopened_at, reopened_by, reopen_reason FROM stage_submissions WHERE " + _VISIBLE_ROWS
            + " ORDER BY unit_code, list_position($stages, stage)",
            {"year": year, "all": every, "own": own, "stages": list(STAGES)})

    @staticmethod
    def submitted_units(cur: duckdb.DuckDBPyConnection, year: int, stage: str,
                        units: list[str]) -> list[str]:
        """Those of `units` whose `stage` is submitted (locked) in the round, in a write's
        transaction."""
        rows = cur.execute(
            "SELECT unit_code FROM stage_submissions WHERE round_year = ? AND stage = ? "
            "AND status = 'submitted' AND list_contains(?, unit_code) ORDER BY unit_code",
            [year, stage, list(units)]).fetchall()
        return [r[0] for r in rows]

    @staticmethod
    def submission_row(cur: duckdb.DuckDBPyConnection, year: int, unit: str,
                       stage: str) -> dict | None:
        """The stored submission of a unit's stage (every column), or None (a draft)."""
        frame = cur.execute("SELECT * FROM stage_submissions WHERE round_year = ? "
                            "AND unit_code = ? AND stage = ?", [year, unit, stage]).df()
        return None if frame.empty else frame.iloc[0].to_dict()

    @staticmethod
    def stage_window(cur: duckdb.DuckDBPyConnection, year: int,
                     stage: str) -> tuple[date | None, date] | None:
        """(opens, closes) of a round's stage, or None where no deadline is set."""
        row = cur.execute("SELECT opens, closes FROM round_stages WHERE round_year = ? "
                          "AND stage = ?", [year, stage]).fetchone()
        return None if row is None else (row[0], row[1])

    @staticmethod
    def scored_count(cur: duckdb.DuckDBPyConnection, year: int, unit: str, stage: str) -> int:
        """How many indicators of a unit's stage have points stored."""
        return int(cur.execute("SELECT count(*) FROM scores WHERE round_year = ? "
                               "AND unit_code = ? AND stage = ?",
                               [year, unit, stage]).fetchone()[0])

    @staticmethod
    def unit_label(cur: duckdb.DuckDBPyConnection, code: str) -> str:
        """'name (code)' of a region, for messages; the code alone if unknown."""
        row = cur.execute("SELECT name FROM regions WHERE code = ?", [code]).fetchone()
        return f"{row[0]} ({code})" if row else code

    def entry_window(self, year: int, stage: str, viewer: Viewer) -> pd.DataFrame:
        """stage, opens, closes of one stage of a round, for a viewer the policy lets write
        that stage's scores in it (who must keep to a window sees it; the other deadlines
        are `round_setup`: Store.round_stages); else no rows."""
        writes = scope(viewer, "write", f"scores:{stage}", self._is_published(year))
        return self.query("SELECT stage, opens, closes FROM round_stages WHERE round_year = ? "
                          "AND stage = ? AND ?", [year, stage, writes is not None])

    # -- round status (issue 11) ----------------------------------------------------------
    # What the round status page reads: who submitted which stage, what each unit has entered,
    # and its problems, for viewers the policy lets read `submissions` (and `problems`):
    # every unit, or the viewer's own units (Store.own_units); no rows otherwise.

    def _submission_scope(self, year: int, viewer: Viewer,
                          resource: str = "submissions") -> dict[str, Any]:
        every, own = self.scope_of(year, viewer, resource)
        return {"year": year, "all": every, "own": own}

    def entered_scores(self, year: int, viewer: Viewer = FULL) -> pd.DataFrame:
        """unit_code, stage, indicator_code of every score row entered in one round (drafts
        included; no points): what the status page counts as entered or missing."""
        return self.query(
            "SELECT unit_code, stage, indicator_code FROM scores WHERE " + _VISIBLE_ROWS  # noqa: S608
            + " ORDER BY unit_code, stage, indicator_code",
            self._submission_scope(year, viewer))

    def bonus_review_state(self, year: int, viewer: Viewer = FULL) -> pd.DataFrame:
        """unit_code, stage, category_code, case_no of every bonus row of one round (a claim
        at 'self', a review at its verifying stage): which claims await their review."""
        return self.query(
            "SELECT unit_code, stage, category_code, case_no FROM bonus_claims WHERE "  # noqa: S608
            + _VISIBLE_ROWS + " ORDER BY unit_code, category_code, case_no, stage",
            self._submission_scope(year, viewer))

    def problem_counts(self, year: int, as_of: date, viewer: Viewer = FULL) -> pd.DataFrame:
        """unit_code, total, open (not closed), overdue (not closed, deadline before `as_of`)
        per unit with problems in one round, for viewers the policy lets read `problems`."""
        return self.query(
            "SELECT unit_code, count(*) AS total, count(*) FILTER (status <> 'closed') AS open, "
            "count(*) FILTER (status <> 'closed' AND deadline < $as_of) AS overdue "
            "FROM problems WHERE " + _VISIBLE_ROWS + " GROUP BY unit_code ORDER BY unit_code",
            {**self._submission_scope(year, viewer, "problems"), "as_of": as_of})

    def overdue_problems(self, year: int, as_of: date, viewer: Viewer = FULL) -> pd.DataFrame:
        """id, unit_code, found_stage, severity, deadline, status of the round's problems not
        closed by their deadline (before `as_of`), oldest deadline first (no descriptions)."""
        return self.query(
            "SELECT id, unit_code, found_stage, severity, deadline, status FROM problems "  # noqa: S608
            "WHERE " + _VISIBLE_ROWS + " AND status <> 'closed' AND deadline < $as_of "
            "ORDER BY deadline, id",
            {**self._submission_scope(year, viewer, "problems"), "as_of": as_of})

    def stage_deadlines(self, year: int, viewer: Viewer = FULL) -> pd.DataFrame:
        """stage, opens, closes of one round, for viewers the policy lets read `submissions`
        (what submissions are measured against; round_stages() is for `round_setup`)."""
        granted = scope(viewer, "read", "submissions", self._is_published(year)) is not None
        return self.query(
            "SELECT stage, opens, closes FROM round_stages WHERE round_year = ? AND ? "
            "ORDER BY list_position(?, stage)", [year, granted, list(STAGES)])
    # -- bonus cases, deductions and their evidence (issue 11) ----------------------------

    def bonus_case_rows(self, year: int, viewer: Viewer = FULL) -> pd.DataFrame:
        """Every column of `bonus_claims` of one round under the results rule (own units for
        unit and group users in a draft round); review notes where the policy grants notes."""
        return self.query(
            "SELECT round_year, unit_code, stage, category_code, case_no, case_title, "  # noqa: S608
            "case_description, points_claimed, points_awarded, " + _note("review_note")
            + ", amount_wan, recorded_by, recorded_at FROM bonus_claims WHERE " + _VISIBLE_ROWS
            + " ORDER BY unit_code, category_code, case_no, stage", self._scope(year, viewer))

    def deduction_entries(self, year: int, viewer: Viewer = FULL) -> pd.DataFrame:
        """Every column of `deductions` of one round under the results rule; reasons where
        the policy grants notes."""
        return self.query(
            "SELECT round_year, unit_code, seq, code, points, " + _note("reason")  # noqa: S608
            + ", stage, recorded_by, recorded_at FROM deductions WHERE " + _VISIBLE_ROWS
            + " ORDER BY unit_code, seq", self._scope(year, viewer))

    def write_changes(self, writes: dict[str, pd.DataFrame], *, action: str, detail: dict,
                      at: datetime, deletes: dict[str, pd.DataFrame] | None = None,
                      actor: str | None = None, check: WriteCheck | None = None) -> int:
        """write_rows over several tables at once, and deletions: rows replaced by key
        (`writes`) and rows deleted by key (`deletes`: frames of the key columns), in one
        transaction with one audit entry. A deleted row is kept in change_log (old_row, with
        new_row the JSON `null`), so Store.revert puts it back. Returns the audit id."""
        with self.writing() as cur:
            who = Store._who(cur, actor, check)
            audit_id = Store.audit(cur, who, action, detail, at=at)
            for table, keys in (deletes or {}).items():
                Store._delete_versioned(cur, table, keys, audit_id)
            for table, rows in writes.items():
                if not rows.empty:
                    Store.upsert_versioned(cur, table, rows, audit_id)
        return audit_id

    @staticmethod
    def _delete_versioned(cur, table: str, keys: pd.DataFrame, audit_id: int) -> None:
        old = Store._stored_rows(cur, table, keys) if not keys.empty else keys
        if old.empty:
            return
        names = list(ROW_KEYS[table])
        log = pd.DataFrame([{"audit_id": audit_id, "table_name": table,
                             "row_key": _row_key(r, names), "old_row": _row_json(r),
                             "new_row": "null"} for r in old.to_dict("records")])
        Store.insert_frame(cur, "change_log", log)
        where = " AND ".join(f"{k} = ?" for k in names)
        for r in old.to_dict("records"):
            cur.execute(f"DELETE FROM {table} WHERE {where}",  # noqa: S608
                        [_plain(r[k]) for k in names])
