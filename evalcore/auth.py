"""Local accounts: argon2id password hashes, lockout, a login audit and session expiry.

No Streamlit here. The login form calls `authenticate` (or `login`, which returns how long to
wait instead of sleeping) and keeps `new_session(...)` in session state; every rerun asks
`session_account(...)`. Accounts live in their own DuckDB file, `users_db_path()`, outside git
and apart from the evaluation data. Times are UTC: naive datetimes are taken as UTC, aware ones
are converted.

Every failure, whether the username is unknown, the password wrong or the account locked, gives
the same answer (`None`, `FAILURE_MESSAGE`, the same delay) after the same work (one argon2
verification), so neither the message nor the timing tells which usernames exist.
"""

from __future__ import annotations

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

from evalcore.duckfile import DuckDBFile
from evalcore.paths import DATA_DIR

ROLES = ("admin", "leader", "unit", "group")
FAILURE_MESSAGE = "用户名或密码错误 / wrong username or password"
MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 1024
MAX_USERNAME_LENGTH = 64


@dataclass(frozen=True)
class LockoutPolicy:
    """How repeated failed logins are slowed, then locked (the defaults are the policy)."""

    failures_before_lock: int = 5  # this many failures in a row lock the account ...
    lock_minutes: int = 15  # ... for this long; each later failure locks it again
    first_delay_seconds: float = 0.5  # the caller waits this long after the 1st failure,
    max_delay_seconds: float = 8.0  # doubling with each further one, up to this


POLICY = LockoutPolicy()

DDL = (
    """CREATE TABLE IF NOT EXISTS users (
        username VARCHAR PRIMARY KEY,
        password_hash VARCHAR NOT NULL,
        role VARCHAR NOT NULL CHECK (role IN ('admin', 'leader', 'unit', 'group')),
        unit_code VARCHAR CHECK (unit_code IS NULL OR regexp_full_match(unit_code, '[0-9]{6}')),
        group_city_code VARCHAR
            CHECK (group_city_code IS NULL OR regexp_full_match(group_city_code, '[0-9]{6}')),
        display_name VARCHAR NOT NULL DEFAULT '',
        failed_count INTEGER NOT NULL DEFAULT 0,
        locked_until TIMESTAMP,
        created_at TIMESTAMP NOT NULL,
        last_login_at TIMESTAMP,
        CHECK ((role = 'unit') = (unit_code IS NOT NULL)),
        CHECK ((role = 'group') = (group_city_code IS NOT NULL))
    )""",
    """CREATE TABLE IF NOT EXISTS login_events (
        "at" TIMESTAMP NOT NULL, username VARCHAR NOT NULL, ok BOOLEAN NOT NULL,
        reason VARCHAR NOT NULL
    )""",
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


def _loggable(typed: str) -> str:
    """The username as typed, made safe to show: truncated, control characters replaced."""
    return "".join(c if c.isprintable() else "?" for c in typed[:MAX_USERNAME_LENGTH])


# -- storage ----------------------------------------------------------------------------

_GUARD = threading.Lock()
_DUMMY_HASHES: dict[tuple, str] = {}  # per hasher parameters, made once per process
def _dummy_hash(hasher: PasswordHasher) -> str:
    """A hash of a random secret with this hasher's cost, to verify unknown users against.
    Cached, so an unknown user never costs an extra hash (that would show in the timing)."""
    key = (hasher.type, hasher.time_cost, hasher.memory_cost, hasher.parallelism,
           hasher.hash_len, hasher.salt_len)
    with _GUARD:
        if key not in _DUMMY_HASHES:
            _DUMMY_HASHES[key] = hasher.hash(secrets.token_urlsafe(24))
        return _DUMMY_HASHES[key]


class AccountStore(DuckDBFile):
    """One accounts database: one connection, a cursor per query, writes under a lock.

    Cheap to open (a few ms), so it may be opened per request; while any process holds the
    file open, DuckDB keeps every other process out (the CLI then reports the lock)."""

    def __init__(self, path: Path | str | None = None, hasher: PasswordHasher | None = None):
        super().__init__(path if path is not None else users_db_path())
        self.hasher = hasher or default_hasher()

    def _open(self) -> duckdb.DuckDBPyConnection:
        """Connect and create the tables; a new file is made readable by its owner only."""
        created = not self.path.exists()
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            con = duckdb.connect(str(self.path))
            for statement in DDL:
                con.execute(statement)
            if created:
                self.path.chmod(0o600)
        except (OSError, duckdb.Error) as exc:
            hint = " (in use by another process, e.g. the dashboard?)" if "lock" in str(exc) else ""
            raise AccountStoreError(f"cannot open users database {self.path}{hint}: {exc}") from exc
        self.dummy_hash()  # ready before the first login, whoever it is for
        return con

    def dummy_hash(self) -> str:
        return _dummy_hash(self.hasher)

    # -- readers

    def get(self, username: str) -> Account | None:
        row = self.fetchone(
            "SELECT username, role, unit_code, group_city_code, display_name FROM users "
            "WHERE username = ?",
            [normalise_username(username)],
        )
        return Account(*row) if row else None

    def credentials(self, username: str) -> tuple[str, datetime | None, Account] | None:
        """password_hash, locked_until and the account, or None when unknown."""
        row = self.fetchone(
            "SELECT password_hash, locked_until, username, role, unit_code, group_city_code, "
            "display_name FROM users WHERE username = ?",
            [username],
        )
        return (row[0], row[1], Account(*row[2:])) if row else None

    def accounts(self) -> pd.DataFrame:
        """username, role, unit_code, group_city_code, display_name, failed_count,
        locked_until, created_at, last_login_at; never the hashes."""
        return self.query(
            "SELECT username, role, unit_code, group_city_code, display_name, failed_count, "
            "locked_until, created_at, last_login_at FROM users ORDER BY username",
            [],
        )

    def login_events(self, limit: int = 200) -> pd.DataFrame:
        """at, username, ok, reason; newest first."""
        return self.query(
            'SELECT "at", username, ok, reason FROM login_events '
            'ORDER BY "at" DESC, rowid DESC LIMIT ?',
            [limit],
        )

    def failures_since_success(self, logged_username: str) -> int:
        """Failed attempts logged under this name since its last success."""
        row = self.fetchone(
            'SELECT count(*) FROM login_events WHERE username = $1 AND NOT ok AND "at" > '
            "coalesce((SELECT max(\"at\") FROM login_events WHERE username = $1 AND ok), "
            "TIMESTAMP '-infinity')",
            [logged_username],
        )
        return int(row[0]) if row else 0

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

    def _update(self, sql: str, params: list[Any]) -> bool:
        with self.writing() as cur:
            return cur.execute(sql + " RETURNING 1", params).fetchone() is not None

    def set_password(self, username: str, password: str) -> bool:
        """Replace the password (and clear any lock); False when the account is unknown."""
        name = normalise_username(username)
        pw_hash = self.hasher.hash(check_new_password(password, name))
        return self._update(
            "UPDATE users SET password_hash = ?, failed_count = 0, locked_until = NULL "
            "WHERE username = ?",
            [pw_hash, name],
        )

    def unlock(self, username: str) -> bool:
        return self._update(
            "UPDATE users SET failed_count = 0, locked_until = NULL WHERE username = ?",
            [normalise_username(username)],
        )

    def remove(self, username: str) -> bool:
        return self._update("DELETE FROM users WHERE username = ?", [normalise_username(username)])

    def record_failure(self, username: str, at: datetime, policy: LockoutPolicy = POLICY) -> int:
        """Count one more failure; lock when the count reaches the policy's limit and the
        account is not already locked. Returns the new count."""
        with self.writing() as cur:
            row = cur.execute(
                "UPDATE users SET failed_count = failed_count + 1, locked_until = CASE "
                "WHEN failed_count + 1 >= ? AND (locked_until IS NULL OR locked_until <= ?) "
                "THEN ? ELSE locked_until END WHERE username = ? RETURNING failed_count",
                [policy.failures_before_lock, at, at + timedelta(minutes=policy.lock_minutes),
                 username],
            ).fetchone()
        return int(row[0]) if row else 0

    def record_success(self, username: str, at: datetime, new_hash: str | None) -> None:
        """Reset the failure count; store a rehashed password when the parameters changed."""
        with self.writing() as cur:
            cur.execute(
                "UPDATE users SET failed_count = 0, locked_until = NULL, last_login_at = ?, "
                "password_hash = coalesce(?, password_hash) WHERE username = ?",
                [at, new_hash, username],
            )

    def log_login(self, at: datetime, username: str, ok: bool, reason: str) -> None:
        with self.writing() as cur:
            cur.execute(
                'INSERT INTO login_events ("at", username, ok, reason) VALUES (?, ?, ?, ?)',
                [at, _loggable(username), ok, reason],
            )


# -- login ------------------------------------------------------------------------------


def _verify(store: AccountStore, stored_hash: str | None, password: str) -> bool:
    """One argon2 verification whatever happens, so every path costs the same."""
    pw = unicodedata.normalize("NFC", password)
    if len(pw) > MAX_PASSWORD_LENGTH:
        pw = ""
    try:
        ok = store.hasher.verify(stored_hash or store.dummy_hash(), pw)
    except (VerificationError, InvalidHashError):
        return False
    return ok and stored_hash is not None


def _failure(reason: str, count: int, policy: LockoutPolicy) -> tuple[str, LoginOutcome]:
    return reason, LoginOutcome(None, FAILURE_MESSAGE, delay_seconds(count, policy))


def _attempt(store: AccountStore, typed: str, password: str, at: datetime,
             policy: LockoutPolicy) -> tuple[str, LoginOutcome]:
    """(reason for the log, outcome). A locked account refuses even the right password."""
    name = normalise_username(typed)
    creds = store.credentials(name) if 0 < len(name) <= MAX_USERNAME_LENGTH else None
    ok = _verify(store, creds[0] if creds else None, password)
    if creds is None:
        count = store.failures_since_success(_loggable(typed)) + 1
        return _failure("unknown_user", count, policy)
    pw_hash, locked_until, account = creds
    locked = locked_until is not None and locked_until > at
    if locked or not ok:
        count = store.record_failure(name, at, policy)
        return _failure("locked" if locked else "bad_password", count, policy)
    rehash = store.hasher.check_needs_rehash(pw_hash)
    new_hash = store.hasher.hash(unicodedata.normalize("NFC", password)) if rehash else None
    store.record_success(name, at, new_hash)
    return "ok", LoginOutcome(account, "", 0.0)


def login(store: AccountStore, username: str, password: str, now: datetime,
          policy: LockoutPolicy = POLICY) -> LoginOutcome:
    """Check a login and log it; the caller waits `delay_seconds` before answering."""
    at = _utc(now)
    reason, outcome = _attempt(store, username, password, at, policy)
    store.log_login(at, username, outcome.account is not None, reason)
    return outcome


def authenticate(store: AccountStore, username: str, password: str, now: datetime, *,
                 sleep: Callable[[float], None] = time.sleep,
                 policy: LockoutPolicy = POLICY) -> Account | None:
    """The account, or None (show FAILURE_MESSAGE) after sleeping the failure delay."""
    outcome = login(store, username, password, now, policy)
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
    account = store.get(str(session["username"]))
    if account is None:
        return None
    scope = (account.role, account.unit_code, account.group_city_code)
    same = scope == tuple(session.get(k) for k in ("role", "unit_code", "group_city_code"))
    return account if same else None
