"""Local accounts: argon2id password hashes, lockout, a sign-in log and session expiry.

No Streamlit here. The login form calls `authenticate` (or `login`, which returns how long to
wait instead of sleeping) with the client's address (else its session id) as `source`, and
keeps `new_session(...)` in session state; every rerun asks `session_account(...)`. Accounts
live in their own DuckDB file, `users_db_path()`, outside git and apart from the evaluation
data; the dashboard keeps one `shared_accounts()` store per process. Times are UTC: naive
datetimes are taken as UTC, aware ones are converted.

Every failure, whether the username is unknown, the password wrong or the account locked, gives
the same answer (`None`, `FAILURE_MESSAGE`, the same delay) after the same work (one argon2
verification, the same statements), so neither the message nor the timing tells which
usernames exist. Failures are counted per keyed hash of the normalised name and of the source,
whether or not an account has the name; what was typed as an unknown name is never stored.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
import threading
import time
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from evalcore.duckfile import DuckDBFile, write_lock_for
from evalcore.paths import DATA_DIR

ROLES = ("admin", "leader", "unit", "group", "third_party")
FAILURE_MESSAGE = "用户名或密码错误 / wrong username or password"
MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 1024
MAX_USERNAME_LENGTH = 64


@dataclass(frozen=True)
class LockoutPolicy:
    """How repeated failed logins are slowed, then locked (the defaults are the policy).

    Failures are counted per name and source (the client's address, else its session id), so
    one source failing on purpose locks the name for itself only; a ceiling across all sources
    still stops guessing spread over many. A name is counted the same whether or not an
    account has it."""

    failures_before_lock: int = 5  # this many failures in a row from one source lock the
    lock_minutes: int = 15  # name for that source this long; each later failure locks again
    first_delay_seconds: float = 0.5  # the caller waits this long after the 1st failure,
    max_delay_seconds: float = 8.0  # doubling with each further one, up to this
    account_ceiling: int = 50  # this many checked failures from all sources within
    ceiling_minutes: int = 15  # this long lock the name for every source for lock_minutes
    forget_after_hours: float = 24  # a source's count is dropped after this long without failures


POLICY = LockoutPolicy()

ACTIONS = ("sign-in", "sign-in-failed", "lockout", "unlock-account")
EVERY_SOURCE = "*"  # the source key of the ceiling's lock (real keys are hex digests)

USERS_COLUMNS = ("username", "password_hash", "role", "unit_code", "group_city_code",
                 "display_name", "created_at", "last_login_at")
USERS_TABLE = """CREATE TABLE IF NOT EXISTS {name} (
        username VARCHAR PRIMARY KEY,
        password_hash VARCHAR NOT NULL,
        role VARCHAR NOT NULL CHECK (role IN ('admin', 'leader', 'unit', 'group', 'third_party')),
        unit_code VARCHAR CHECK (unit_code IS NULL OR regexp_full_match(unit_code, '[0-9]{{6}}')),
        group_city_code VARCHAR
            CHECK (group_city_code IS NULL OR regexp_full_match(group_city_code, '[0-9]{{6}}')),
        display_name VARCHAR NOT NULL DEFAULT '',
        created_at TIMESTAMP NOT NULL,
        last_login_at TIMESTAMP,
        CHECK ((role = 'unit') = (unit_code IS NOT NULL)),
        CHECK ((role = 'group') = (group_city_code IS NOT NULL))
    )"""

DDL = (
    USERS_TABLE.format(name="users"),
    # name/value settings of this file; 'hmac_key' keys every hash of typed names and sources
    "CREATE TABLE IF NOT EXISTS meta (name VARCHAR PRIMARY KEY, value VARCHAR NOT NULL)",
    # failures in a row per (keyed hash of the name, keyed hash of the source); never a name
    """CREATE TABLE IF NOT EXISTS sign_in_counters (
        name_key VARCHAR NOT NULL, source_key VARCHAR NOT NULL,
        failed_count INTEGER NOT NULL, locked_until TIMESTAMP, last_failure_at TIMESTAMP NOT NULL,
        PRIMARY KEY (name_key, source_key)
    )""",
    # one row per checked failure of the last ceiling_minutes (the ceiling's window)
    """CREATE TABLE IF NOT EXISTS sign_in_failures (
        name_key VARCHAR NOT NULL, "at" TIMESTAMP NOT NULL
    )""",
    "CREATE SEQUENCE IF NOT EXISTS sign_in_event_id START 1",
    # actor is the account's name, '' for a name no account has (what was typed is not kept)
    """CREATE TABLE IF NOT EXISTS sign_in_events (
        id BIGINT PRIMARY KEY DEFAULT nextval('sign_in_event_id'),
        "at" TIMESTAMP NOT NULL, actor VARCHAR NOT NULL,
        action VARCHAR NOT NULL
            CHECK (action IN ('sign-in', 'sign-in-failed', 'lockout', 'unlock-account')),
        detail VARCHAR NOT NULL
    )""",
)

# Files made before sign-in events: their log kept what was typed for unknown names (not
# carried over), and the failure counts lived in the users table.
MIGRATE_LOGIN_EVENTS = (
    """INSERT INTO sign_in_events ("at", actor, action, detail)
        SELECT "at", CASE WHEN ok OR reason <> 'unknown_user' THEN username ELSE '' END,
            CASE WHEN ok THEN 'sign-in' ELSE 'sign-in-failed' END,
            CASE WHEN ok THEN '{}' ELSE json_object('reason', reason) END
        FROM login_events ORDER BY "at", rowid""",
    "DROP TABLE login_events",
)
DROP_OLD_COLUMNS = (
    "ALTER TABLE users DROP COLUMN IF EXISTS failed_count",
    "ALTER TABLE users DROP COLUMN IF EXISTS locked_until",
)

class AccountError(ValueError):
    """An account request that breaks a rule (bad role/code, short password, duplicate...)."""


class AccountStoreError(RuntimeError):
    """The users database cannot be opened (missing directory, locked by another process)."""


@dataclass(frozen=True)
class Account:
    username: str
    role: str
    unit_code: str | None = None
    group_city_code: str | None = None
    display_name: str = ""


@dataclass(frozen=True)
class LoginOutcome:
    """`account` is None on any failure; then `message` is FAILURE_MESSAGE."""

    account: Account | None
    message: str
    delay_seconds: float


def users_db_path() -> Path:
    """The accounts database; EVAL_USERS_DB overrides it."""
    return Path(os.environ.get("EVAL_USERS_DB", DATA_DIR / "users.duckdb"))


def default_hasher() -> PasswordHasher:
    """argon2id with argon2-cffi's defaults (RFC 9106 low-memory profile)."""
    return PasswordHasher()


def utc_now() -> datetime:
    return datetime.now(UTC)


def _utc(now: datetime) -> datetime:
    """Naive UTC, as stored in TIMESTAMP columns."""
    return now.astimezone(UTC).replace(tzinfo=None) if now.tzinfo else now


# -- rules ------------------------------------------------------------------------------


def normalise_username(text: str) -> str:
    """Full-width letters (IME) fold to ASCII, surrounding blanks go; case is kept."""
    return unicodedata.normalize("NFKC", text).strip()


def check_username(username: str) -> str:
    name = normalise_username(username)
    if not name or len(name) > MAX_USERNAME_LENGTH or not name.isprintable():
        raise AccountError(
            f"用户名须为 1–{MAX_USERNAME_LENGTH} 个可打印字符 / username must be 1 to "
            f"{MAX_USERNAME_LENGTH} printable characters"
        )
    return name


def check_new_password(password: str, username: str) -> str:
    pw = unicodedata.normalize("NFC", password)
    if len(pw) < MIN_PASSWORD_LENGTH:
        raise AccountError(
            f"密码至少 {MIN_PASSWORD_LENGTH} 个字符 / password needs at least "
            f"{MIN_PASSWORD_LENGTH} characters"
        )
    if len(pw) > MAX_PASSWORD_LENGTH:
        raise AccountError(f"password longer than {MAX_PASSWORD_LENGTH} characters")
    if pw.casefold() == normalise_username(username).casefold():
        raise AccountError("密码不能与用户名相同 / password must differ from the username")
    return pw


def check_display_name(text: str) -> str:
    name = text.strip()
    if len(name) > MAX_USERNAME_LENGTH or not name.isprintable():
        raise AccountError(f"display name must be at most {MAX_USERNAME_LENGTH} printable characters")
    return name


def _is_code(code: str | None) -> bool:
    return code is not None and len(code) == 6 and code.isascii() and code.isdigit()


def check_role(role: str, unit_code: str | None, group_city_code: str | None) -> None:
    """unit needs a 6-digit unit code, group a city code; no other role takes either."""
    if role not in ROLES:
        raise AccountError(f"role must be one of {', '.join(ROLES)}")
    if (role == "unit") != (unit_code is not None):
        raise AccountError("单位账号须且仅须提供 --unit / --unit is for (and required by) role unit")
    if (role == "group") != (group_city_code is not None):
        raise AccountError("--group-city is for (and required by) role group")
    if unit_code is not None and not _is_code(unit_code):
        raise AccountError(f"unit code must be 6 digits, got {unit_code!r}")
    if group_city_code is not None and not (
        _is_code(group_city_code) and group_city_code[4:] == "00" and group_city_code[2:4] != "00"
    ):
        raise AccountError(f"group city must be a city code like 330100, got {group_city_code!r}")


def delay_seconds(failed_count: int, policy: LockoutPolicy = POLICY) -> float:
    """How long to make the caller wait after this many failures in a row."""
    if failed_count <= 0:
        return 0.0
    doubling = policy.first_delay_seconds * 2 ** min(failed_count - 1, 32)
    return min(doubling, policy.max_delay_seconds)


def _detail(**items: Any) -> str:
    return json.dumps(items, ensure_ascii=False, sort_keys=True, default=str)


# -- storage ----------------------------------------------------------------------------

_GUARD = threading.Lock()
_DUMMY_HASHES: dict[tuple, str] = {}  # per hasher parameters, made once per process
_READY: set[str] = set()  # users files whose tables this process has created or checked
_SHARED: dict[str, AccountStore] = {}


def _dummy_hash(hasher: PasswordHasher) -> str:
    """A hash of a random secret with this hasher's cost, to verify unknown users against.
    Cached, so an unknown user never costs an extra hash (that would show in the timing)."""
    key = (hasher.type, hasher.time_cost, hasher.memory_cost, hasher.parallelism,
           hasher.hash_len, hasher.salt_len)
    with _GUARD:
        if key not in _DUMMY_HASHES:
            _DUMMY_HASHES[key] = hasher.hash(secrets.token_urlsafe(24))
        return _DUMMY_HASHES[key]


def _create_tables(con: duckdb.DuckDBPyConnection) -> None:
    """The tables, the migrations of an older file and the HMAC key, in one transaction."""
    con.execute("BEGIN TRANSACTION")
    try:
        for statement in DDL:
            con.execute(statement)
        old = con.execute("SELECT 1 FROM duckdb_tables() WHERE database_name = current_database() "
                          "AND table_name = 'login_events'").fetchall()
        for statement in (MIGRATE_LOGIN_EVENTS if old else ()) + DROP_OLD_COLUMNS:
            con.execute(statement)
        _admit_third_party(con)
        con.execute("INSERT INTO meta VALUES ('hmac_key', ?) ON CONFLICT DO NOTHING",
                    [secrets.token_hex(32)])
    except BaseException:
        con.execute("ROLLBACK")
        raise
    con.execute("COMMIT")


def _admit_third_party(con: duckdb.DuckDBPyConnection) -> None:
    """Files made before the third_party role: their users table's role CHECK does not admit
    it, and DuckDB cannot alter a CHECK, so the table is rebuilt with every row as it was."""
    sql = con.execute("SELECT sql FROM duckdb_tables() WHERE database_name = current_database() "
                      "AND table_name = 'users'").fetchall()[0][0]
    if "third_party" in sql:
        return
    listed = ", ".join(USERS_COLUMNS)
    con.execute(USERS_TABLE.format(name="users_v2"))
    con.execute(f"INSERT INTO users_v2 ({listed}) SELECT {listed} FROM users")  # noqa: S608
    con.execute("DROP TABLE users")
    con.execute("ALTER TABLE users_v2 RENAME TO users")


def _prepare(con: duckdb.DuckDBPyConnection, path: Path, created: bool) -> None:
    """Run the DDL once per process and file (again if the file was made anew)."""
    key = str(path.resolve())
    with write_lock_for(path):
        if created or key not in _READY:
            _create_tables(con)
            _READY.add(key)


@dataclass(frozen=True)
class LockState:
    """One name's failures in a row from one source, that source's lock and the lock of the
    ceiling (every source); the locks as stored, possibly past."""

    failed_count: int = 0
    locked_until: datetime | None = None
    every_source_locked_until: datetime | None = None

    def locked(self, at: datetime) -> bool:
        return any(t is not None and t > at
                   for t in (self.locked_until, self.every_source_locked_until))


class AccountStore(DuckDBFile):
    """One accounts database: one connection, a cursor per query, writes under a lock.

    The dashboard keeps one per process (`shared_accounts()`); while any process holds the
    file open, DuckDB keeps every other process out (the CLI then reports the lock)."""

    def __init__(self, path: Path | str | None = None, hasher: PasswordHasher | None = None):
        super().__init__(path if path is not None else users_db_path())
        self.hasher = hasher or default_hasher()
        self._hmac_key = b""

    def _open(self) -> duckdb.DuckDBPyConnection:
        """Connect, create the tables once per process and read the HMAC key; a new file is
        made readable by its owner only."""
        created = not self.path.exists()
        con = None
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            con = duckdb.connect(str(self.path))
            _prepare(con, self.path, created)
            # fetchall: a result left open on the connection would hold its transaction
            # open, and with it every checkpoint of the file
            rows = con.execute("SELECT value FROM meta WHERE name = 'hmac_key'").fetchall()
            self._hmac_key = bytes.fromhex(rows[0][0])
            if created:
                self.path.chmod(0o600)
        except (OSError, duckdb.Error) as exc:
            if con is not None:
                con.close()
            hint = " (in use by another process, e.g. the dashboard?)" if "lock" in str(exc) else ""
            raise AccountStoreError(f"cannot open users database {self.path}{hint}: {exc}") from exc
        self.dummy_hash()  # ready before the first login, whoever it is for
        return con

    def dummy_hash(self) -> str:
        return _dummy_hash(self.hasher)

    def _keyed(self, kind: str, text: str) -> str:
        self._connection()  # the key is read when the file is opened
        data = f"{kind}\0{text}".encode("utf-8", "surrogatepass")
        return hmac.new(self._hmac_key, data, hashlib.sha256).hexdigest()

    def name_key(self, username: str) -> str:
        """HMAC-SHA256 of the normalised name with this file's key: what counts failures."""
        return self._keyed("name", normalise_username(username))

    def source_key(self, source: str) -> str:
        return self._keyed("source", source)

    # -- readers

    def current_account(self, username: str) -> Account | None:
        """The account stored under exactly this (normalised) name now, or None: read anew
        each call, so a removal or a changed role shows at once."""
        row = self.fetchone(
            "SELECT username, role, unit_code, group_city_code, display_name FROM users "
            "WHERE username = ?",
            [username],
        )
        return Account(*row) if row else None

    def get(self, username: str) -> Account | None:
        """The account of a name as typed (full-width letters and blanks folded)."""
        return self.current_account(normalise_username(username))

    def credentials(self, username: str) -> tuple[str, Account] | None:
        """password_hash and the account, or None when unknown."""
        row = self.fetchone(
            "SELECT password_hash, username, role, unit_code, group_city_code, display_name "
            "FROM users WHERE username = ?",
            [username],
        )
        return (row[0], Account(*row[1:])) if row else None

    def lock_state(self, username: str, source: str = "") -> LockState:
        cur = self.cursor()
        try:
            return _lock_state(cur, self.name_key(username), self.source_key(source))
        finally:
            cur.close()

    def accounts(self) -> pd.DataFrame:
        """username, role, unit_code, group_city_code, display_name, failed_count (summed
        over sources), locked_until (the latest lock of any source or of the ceiling, possibly
        past), created_at, last_login_at; never the hashes."""
        users = self.query(
            "SELECT username, role, unit_code, group_city_code, display_name, created_at, "
            "last_login_at FROM users ORDER BY username",
            [],
        )
        cur = self.cursor()
        try:
            counters = {key: (count, until) for key, count, until in cur.execute(
                "SELECT name_key, coalesce(sum(failed_count) FILTER (source_key <> ?), 0), "
                "max(locked_until) FROM sign_in_counters GROUP BY name_key",
                [EVERY_SOURCE],
            ).fetchall()}
        finally:
            cur.close()
        state = [counters.get(self.name_key(name), (0, None)) for name in users["username"]]
        users.insert(5, "failed_count", pd.Series([int(c) for c, _ in state], dtype="int64"))
        users.insert(6, "locked_until", pd.Series([u for _, u in state], dtype="datetime64[us]"))
        return users

    def sign_in_events(self, limit: int = 500, action: str | None = None,
                       actor: str | None = None) -> pd.DataFrame:
        """at, actor, action, detail (JSON text), newest first: sign-ins ('sign-in',
        'sign-in-failed'), 'lockout' and 'unlock-account', to show beside the audit log.
        actor is '' for a name no account has; sources appear as short keyed hashes."""
        return self.query(
            'SELECT "at", actor, action, detail FROM sign_in_events '
            "WHERE ($action IS NULL OR action = $action) AND ($actor IS NULL OR actor = $actor) "
            'ORDER BY "at" DESC, id DESC LIMIT $limit',
            {"action": action, "actor": actor, "limit": limit},
        )

    # -- writers

    def add(self, username: str, password: str, role: str, *, unit_code: str | None = None,
            group_city_code: str | None = None, display_name: str = "",
            now: datetime | None = None) -> Account:
        name = check_username(username)
        check_role(role, unit_code, group_city_code)
        display_name = check_display_name(display_name)
        pw_hash = self.hasher.hash(check_new_password(password, name))
        with self.writing() as cur:
            if cur.execute("SELECT 1 FROM users WHERE username = ?", [name]).fetchone():
                raise AccountError(f"账号已存在 / account {name!r} already exists")
            cur.execute(
                "INSERT INTO users (username, password_hash, role, unit_code, group_city_code, "
                "display_name, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                [name, pw_hash, role, unit_code, group_city_code, display_name,
                 _utc(now or utc_now())],
            )
        return Account(name, role, unit_code, group_city_code, display_name)

    def set_password(self, username: str, password: str) -> bool:
        """Replace the password and clear every failure count and lock of the name; False
        when the account is unknown."""
        name = normalise_username(username)
        pw_hash = self.hasher.hash(check_new_password(password, name))
        key = self.name_key(name)
        with self.writing() as cur:
            if cur.execute("UPDATE users SET password_hash = ? WHERE username = ? RETURNING 1",
                           [pw_hash, name]).fetchone() is None:
                return False
            _clear_failures(cur, key)
        return True

    def unlock(self, username: str, actor: str, at: datetime) -> bool:
        """Clear every failure count and lock of an account (all sources and the ceiling),
        logged as 'unlock-account' by `actor`; False when the account is unknown."""
        name = normalise_username(username)
        key = self.name_key(name)
        with self.writing() as cur:
            if cur.execute("SELECT 1 FROM users WHERE username = ?", [name]).fetchone() is None:
                return False
            _clear_failures(cur, key)
            _log(cur, _utc(at), actor, "unlock-account", _detail(account=name))
        return True

    def remove(self, username: str) -> bool:
        with self.writing() as cur:
            return cur.execute("DELETE FROM users WHERE username = ? RETURNING 1",
                               [normalise_username(username)]).fetchone() is not None

    def record_attempt(self, username: str, source: str, at: datetime, *, known: bool,
                       verified: bool, policy: LockoutPolicy = POLICY) -> int:
        """Settle a sign-in whose password was checked, and log it. `username` is
        normalised; `known` says an account has it. A success (known, verified, not locked)
        clears this source's failures and returns 0; anything else counts one more failure
        of this name from this source, the same way whether or not the name is known, and
        returns the count."""
        name_key, source_key = self.name_key(username), self.source_key(source)
        attempt = _Attempt(name_key, source_key, username if known else "", at, policy)
        with self.writing() as cur:
            _forget(cur, at, policy)
            state = _lock_state(cur, name_key, source_key)
            if known and verified and not state.locked(at):
                return attempt.succeed(cur)
            return attempt.fail(cur, state, "bad_password" if known else "unknown_user")

    def rehash(self, username: str, old_hash: str, password: str) -> bool:
        """Store a new hash when the hasher's parameters changed since `old_hash` was made
        (unless the password was changed meanwhile)."""
        if not self.hasher.check_needs_rehash(old_hash):
            return False
        new_hash = self.hasher.hash(unicodedata.normalize("NFC", password))
        with self.writing() as cur:
            return cur.execute(
                "UPDATE users SET password_hash = ? WHERE username = ? AND password_hash = ? "
                "RETURNING 1",
                [new_hash, username, old_hash],
            ).fetchone() is not None


class _SharedAccountStore(AccountStore):
    """The process's store of one file: leaving a `with` block does not close it."""

    def __exit__(self, *exc: object) -> None:
        pass


def shared_accounts(path: Path | str | None = None) -> AccountStore:
    """The process-wide store of `path` (default `users_db_path()`), opened on first use and
    kept open; safe to use from every session thread (each query takes its own cursor)."""
    target = Path(path) if path is not None else users_db_path()
    key = str(target.resolve())
    with _GUARD:
        if key not in _SHARED:
            _SHARED[key] = _SharedAccountStore(target)
        return _SHARED[key]


def close_shared_accounts() -> None:
    """Close and forget every shared store (tests; a process that lets the file go)."""
    with _GUARD:
        stores = list(_SHARED.values())
        _SHARED.clear()
    for store in stores:
        store.close()


# -- failure counting (inside a write transaction) ----------------------------------------


def _lock_state(cur: duckdb.DuckDBPyConnection, name_key: str, source_key: str) -> LockState:
    rows = {source: (count, until) for source, count, until in cur.execute(
        "SELECT source_key, failed_count, locked_until FROM sign_in_counters "
        "WHERE name_key = ? AND source_key IN (?, ?)",
        [name_key, source_key, EVERY_SOURCE],
    ).fetchall()}
    count, until = rows.get(source_key, (0, None))
    return LockState(int(count), until, rows.get(EVERY_SOURCE, (0, None))[1])


def _forget(cur: duckdb.DuckDBPyConnection, at: datetime, policy: LockoutPolicy) -> None:
    """Drop the counts of sources quiet for forget_after_hours (and their keyed hashes)."""
    cur.execute("DELETE FROM sign_in_counters WHERE last_failure_at < ?",
                [at - timedelta(hours=policy.forget_after_hours)])


def _clear_failures(cur: duckdb.DuckDBPyConnection, name_key: str) -> None:
    cur.execute("DELETE FROM sign_in_counters WHERE name_key = ?", [name_key])
    cur.execute("DELETE FROM sign_in_failures WHERE name_key = ?", [name_key])


def _log(cur: duckdb.DuckDBPyConnection, at: datetime, actor: str, action: str,
         detail: str) -> None:
    cur.execute('INSERT INTO sign_in_events ("at", actor, action, detail) VALUES (?, ?, ?, ?)',
                [at, actor, action, detail])


def _set_counter(cur: duckdb.DuckDBPyConnection, name_key: str, source_key: str, count: int,
                 until: datetime | None, at: datetime) -> None:
    cur.execute(
        "INSERT INTO sign_in_counters VALUES (?, ?, ?, ?, ?) ON CONFLICT DO UPDATE SET "
        "failed_count = excluded.failed_count, locked_until = excluded.locked_until, "
        "last_failure_at = excluded.last_failure_at",
        [name_key, source_key, count, until, at],
    )


@dataclass(frozen=True)
class _Attempt:
    """One sign-in being settled: every statement is the same for known and unknown names."""

    name_key: str
    source_key: str
    actor: str  # the account's name, '' when no account has it
    at: datetime
    policy: LockoutPolicy

    @property
    def source(self) -> str:
        return self.source_key[:12]

    def succeed(self, cur: duckdb.DuckDBPyConnection) -> int:
        cur.execute("DELETE FROM sign_in_counters WHERE name_key = ? AND source_key = ?",
                    [self.name_key, self.source_key])
        cur.execute("UPDATE users SET last_login_at = ? WHERE username = ?", [self.at, self.actor])
        _log(cur, self.at, self.actor, "sign-in", _detail(source=self.source))
        return 0

    def fail(self, cur: duckdb.DuckDBPyConnection, state: LockState, reason: str) -> int:
        at, policy = self.at, self.policy
        count, until, locked = state.failed_count + 1, state.locked_until, state.locked(at)
        reason = "locked" if locked and reason == "bad_password" else reason
        _log(cur, at, self.actor, "sign-in-failed",
             _detail(reason=reason, source=self.source, failures=count))
        if not (until is not None and until > at) and count >= policy.failures_before_lock:
            until = at + timedelta(minutes=policy.lock_minutes)
            _log(cur, at, self.actor, "lockout",
                 _detail(scope="source", source=self.source, until=until, failures=count))
        _set_counter(cur, self.name_key, self.source_key, count, until, at)
        if not locked:  # a guess that was checked counts towards the ceiling
            self._count_towards_ceiling(cur)
        return count

    def _count_towards_ceiling(self, cur: duckdb.DuckDBPyConnection) -> None:
        at, policy = self.at, self.policy
        since = at - timedelta(minutes=policy.ceiling_minutes)
        cur.execute('DELETE FROM sign_in_failures WHERE "at" <= ?', [since])
        cur.execute('INSERT INTO sign_in_failures VALUES (?, ?)', [self.name_key, at])
        row = cur.execute('SELECT count(*) FROM sign_in_failures WHERE name_key = ? AND "at" > ?',
                          [self.name_key, since]).fetchone()
        if int(row[0]) < policy.account_ceiling:
            return
        until = at + timedelta(minutes=policy.lock_minutes)
        cur.execute("DELETE FROM sign_in_failures WHERE name_key = ?", [self.name_key])
        _set_counter(cur, self.name_key, EVERY_SOURCE, int(row[0]), until, at)
        _log(cur, at, self.actor, "lockout",
             _detail(scope="every source", until=until, failures=int(row[0])))


# -- login ------------------------------------------------------------------------------


def _verify(store: AccountStore, stored_hash: str | None, password: str) -> bool:
    """One argon2 verification whatever happens (against the dummy hash for an unknown
    name), so every path costs the same."""
    pw = unicodedata.normalize("NFC", password)
    if len(pw) > MAX_PASSWORD_LENGTH:
        pw = ""
    try:
        ok = store.hasher.verify(stored_hash or store.dummy_hash(), pw)
    except (VerificationError, InvalidHashError):
        return False
    return ok and stored_hash is not None


def login(store: AccountStore, username: str, password: str, now: datetime,
          policy: LockoutPolicy = POLICY, *, source: str = "") -> LoginOutcome:
    """Check a login from `source` (the client's address, else its session id) and log it;
    the caller waits `delay_seconds` before answering. A locked name refuses even the right
    password. An unknown name does the same work as a known one: the same lookups, one
    argon2 verification, the same counting and so the same delay."""
    at = _utc(now)
    name = normalise_username(username)
    creds = store.credentials(name) if 0 < len(name) <= MAX_USERNAME_LENGTH else None
    verified = _verify(store, creds[0] if creds else None, password)
    failures = store.record_attempt(name, source, at, known=creds is not None,
                                    verified=verified, policy=policy)
    if failures or creds is None:
        return LoginOutcome(None, FAILURE_MESSAGE, delay_seconds(failures, policy))
    store.rehash(name, creds[0], password)
    return LoginOutcome(creds[1], "", 0.0)


def authenticate(store: AccountStore, username: str, password: str, now: datetime, *,
                 source: str = "", sleep: Callable[[float], None] = time.sleep,
                 policy: LockoutPolicy = POLICY) -> Account | None:
    """The account, or None (show FAILURE_MESSAGE) after sleeping the failure delay."""
    outcome = login(store, username, password, now, policy, source=source)
    if outcome.delay_seconds:
        sleep(outcome.delay_seconds)
    return outcome.account


# -- sessions ---------------------------------------------------------------------------

SESSION_KEYS = ("username", "role", "unit_code", "group_city_code", "display_name",
                "issued_at", "last_seen_at")


def _epoch(now: datetime) -> float:
    return (now if now.tzinfo else now.replace(tzinfo=UTC)).timestamp()


def new_session(account: Account, now: datetime) -> dict[str, str | float | None]:
    """Scalars for st.session_state; issued_at and last_seen_at are POSIX seconds."""
    t = _epoch(now)
    return {"username": account.username, "role": account.role,
            "unit_code": account.unit_code, "group_city_code": account.group_city_code,
            "display_name": account.display_name, "issued_at": t, "last_seen_at": t}


def touch_session(session: Mapping[str, Any], now: datetime) -> dict[str, Any]:
    """A copy seen `now` (call on each rerun while the session is valid)."""
    return {**{k: session.get(k) for k in SESSION_KEYS}, "last_seen_at": _epoch(now)}


def session_valid(session: Mapping[str, Any], now: datetime, idle_minutes: float = 30,
                  absolute_hours: float = 8) -> bool:
    """False when malformed, idle too long, older than the absolute limit, or from the future."""
    try:
        issued, seen = float(session["issued_at"]), float(session["last_seen_at"])
    except (KeyError, TypeError, ValueError):
        return False
    t = _epoch(now)
    return (bool(session.get("username")) and session.get("role") in ROLES
            and issued <= seen <= t and t - seen < idle_minutes * 60
            and t - issued < absolute_hours * 3600)


def session_account(store: AccountStore, session: Mapping[str, Any], now: datetime,
                    idle_minutes: float = 30, absolute_hours: float = 8) -> Account | None:
    """The session's account if the session is valid and the account still exists unchanged
    (removing a user or changing their role ends their sessions)."""
    if not session_valid(session, now, idle_minutes, absolute_hours):
        return None
    account = store.current_account(str(session["username"]))
    if account is None:
        return None
    scope = (account.role, account.unit_code, account.group_city_code)
    same = scope == tuple(session.get(k) for k in ("role", "unit_code", "group_city_code"))
    return account if same else None
