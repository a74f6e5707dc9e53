"""Issue #16, accounts and sessions: findings 7 to 10 of the security probe, on real DuckDB
files in temp dirs.

7. an unknown name does the same work as a known one (lookups, argon2, counting, delay);
8. nothing typed as an unknown username is stored, in any table or anywhere in the file;
9. failures lock a name per source, under a ceiling across sources; admins unlock; lockouts
   and unlocks are logged as sign-in events;
10. the users file is opened and its DDL run once per process; reads see changes at once.
"""

from __future__ import annotations

import json
import threading
from datetime import datetime, timedelta
from pathlib import Path

import duckdb
import pytest
from argon2 import PasswordHasher

from evalcore import auth
from evalcore.__main__ import main
from evalcore.auth import Account, AccountStore

T0 = datetime(2024, 3, 1, 9, 0, 0)
GOOD = "correct horse battery"
FAST = {"time_cost": 1, "memory_cost": 64, "parallelism": 1}
LOCK = auth.POLICY.failures_before_lock
FULL_WIDTH = {"alice": "ａｌｉｃｅ", "mallory": "ｍａｌｌｏｒｙ"}


class CountingHasher(PasswordHasher):
    """A cheap argon2id hasher that counts verifications."""

    def __init__(self) -> None:
        super().__init__(**FAST)
        self.verifications = 0

    def verify(self, hash: str | bytes, password: str | bytes) -> bool:
        self.verifications += 1
        return super().verify(hash, password)


class TracedCursor:
    """A real DuckDB cursor that notes each statement it runs (parameters left out)."""

    def __init__(self, cur: duckdb.DuckDBPyConnection, log: list[str]) -> None:
        self._cur, self._log = cur, log

    def execute(self, sql: str, params=None) -> TracedCursor:
        self._log.append(" ".join(sql.split()))
        self._cur.execute(sql) if params is None else self._cur.execute(sql, params)
        return self

    def __getattr__(self, name: str):
        return getattr(self._cur, name)


class TracedStore(AccountStore):
    def __init__(self, path: Path) -> None:
        super().__init__(path, hasher=CountingHasher())
        self.statements: list[str] = []

    def cursor(self):
        return TracedCursor(super().cursor(), self.statements)


@pytest.fixture
def store(tmp_path: Path) -> TracedStore:
    s = TracedStore(tmp_path / "users.duckdb")
    s.add("alice", GOOD, "leader", display_name="Alice", now=T0)
    yield s
    s.close()


@pytest.fixture(autouse=True)
def no_shared_stores_left():
    yield
    auth.close_shared_accounts()


def attempt(store: TracedStore, name: str, password: str, at: datetime = T0, source: str = "",
            policy: auth.LockoutPolicy = auth.POLICY) -> tuple[Account | None, list[float], int,
                                                               list[str]]:
    """The account, the delays slept, the argon2 verifications and the statements run."""
    slept: list[float] = []
    store.statements.clear()
    before = store.hasher.verifications
    account = auth.authenticate(store, name, password, at, source=source, sleep=slept.append,
                                policy=policy)
    return account, slept, store.hasher.verifications - before, list(store.statements)


def details(store: AccountStore, **filters) -> list[dict]:
    return [json.loads(d) for d in store.sign_in_events(**filters)["detail"]]


# -- 7. the same work for known and unknown names -----------------------------------------


def spellings(name: str) -> list[str]:
    """The ways a probe might type one name: the NFKC spellings of the same account."""
    return [name, FULL_WIDTH[name], f" {name} ", f"{FULL_WIDTH[name]}\u3000", name, name, name]


def test_full_width_spellings_cost_the_same_for_known_and_unknown_names(store) -> None:
    known = [attempt(store, n, "wrong password", T0 + timedelta(seconds=i))
             for i, n in enumerate(spellings("alice"))]
    unknown = [attempt(store, n, "wrong password", T0 + timedelta(seconds=i))
               for i, n in enumerate(spellings("mallory"))]
    assert [a for a, *_ in known] == [a for a, *_ in unknown] == [None] * 7
    delays = [d for _, d, _, _ in known]
    assert delays == [d for _, d, _, _ in unknown]
    assert delays == [[0.5], [1.0], [2.0], [4.0], [8.0], [8.0], [8.0]]  # one count per name
    assert [v for _, _, v, _ in known] == [v for _, _, v, _ in unknown] == [1] * 7
    for i, ((*_, sql_known), (*_, sql_unknown)) in enumerate(zip(known, unknown, strict=True)):
        assert sql_known == sql_unknown, i


def test_a_locked_name_looks_the_same_known_or_not(store) -> None:
    """Past the lock, even alice's right password fails exactly as any try at mallory."""
    runs = {name: [attempt(store, name, "guess", T0) for _ in range(LOCK)]
            + [attempt(store, name, GOOD, T0) for _ in range(2)] for name in ("alice", "mallory")}
    assert [r[1:] for r in runs["alice"]] == [r[1:] for r in runs["mallory"]]
    assert [r[1] for r in runs["alice"]] == [[0.5], [1.0], [2.0], [4.0], [8.0], [8.0], [8.0]]
    per_actor = store.sign_in_events(limit=100).groupby("actor")["action"].apply(list)
    assert per_actor["alice"] == per_actor[""]  # the same log, under no name for mallory
    assert per_actor[""].count("lockout") == 1


def test_an_unknown_name_is_counted_under_every_spelling(store) -> None:
    for i, name in enumerate(["mallory", "ｍａｌｌｏｒｙ", " mallory"]):
        assert attempt(store, name, "x", T0 + timedelta(seconds=i))[1] == [0.5 * 2 ** i]
    assert store.lock_state("ｍａｌｌｏｒｙ").failed_count == 3


# -- 8. nothing typed as an unknown username is stored -------------------------------------

TYPED_PASSWORD = "Tr0ub4dor&3 staple"


def test_a_password_typed_as_the_username_is_stored_nowhere(store, tmp_path: Path) -> None:
    control = "Control-Display-Name-7f3a"
    store.add("bob", GOOD, "leader", display_name=control)
    typed = [TYPED_PASSWORD, f"  {TYPED_PASSWORD} ",
             "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in TYPED_PASSWORD)]
    for i in range(LOCK + 1):
        for text in typed:
            assert auth.login(store, text, "anything", T0 + timedelta(seconds=i),
                              source="10.0.0.7").account is None
    assert "lockout" in set(store.sign_in_events()["action"])
    cur = store.cursor()
    tables = [r[0] for r in cur.execute("SELECT table_name FROM duckdb_tables()").fetchall()]
    assert {"users", "meta", "sign_in_counters", "sign_in_failures", "sign_in_events"} <= set(tables)
    dump = "\n".join(cur.execute(f'SELECT * FROM "{t}"').df().to_csv() for t in tables)  # noqa: S608
    cur.execute("CHECKPOINT")
    cur.close()
    assert control in dump and "Tr0ub4dor" not in dump and "staple" not in dump
    assert "10.0.0.7" not in dump  # sources are keyed hashes too
    files = b"".join(p.read_bytes() for p in tmp_path.iterdir() if p.is_file())
    assert control.encode() in files  # the search would find stored text
    for needle in ("Tr0ub4dor", "staple", "10.0.0.7"):
        assert needle.encode() not in files and needle.encode("utf-16-le") not in files


def test_names_and_sources_are_kept_as_keyed_hashes(store, tmp_path: Path) -> None:
    auth.login(store, "mallory", "x", T0, source="10.0.0.7")
    row = store.fetchone("SELECT name_key, source_key FROM sign_in_counters")
    assert row == (store.name_key("mallory"), store.source_key("10.0.0.7"))
    assert len(row[0]) == 64 and row[0] != store.source_key("mallory")
    with AccountStore(tmp_path / "other.duckdb", hasher=store.hasher) as other:
        assert other.name_key("mallory") != store.name_key("mallory")  # a key per file
    with AccountStore(store.path, hasher=store.hasher) as again:
        assert again.name_key("ｍａｌｌｏｒｙ") == store.name_key("mallory")  # the key is kept


OLD_DDL = (
    """CREATE TABLE users (
        username VARCHAR PRIMARY KEY, password_hash VARCHAR NOT NULL,
        role VARCHAR NOT NULL CHECK (role IN ('admin', 'leader', 'unit', 'group')),
        unit_code VARCHAR, group_city_code VARCHAR, display_name VARCHAR NOT NULL DEFAULT '',
        failed_count INTEGER NOT NULL DEFAULT 0, locked_until TIMESTAMP,
        created_at TIMESTAMP NOT NULL, last_login_at TIMESTAMP,
        CHECK ((role = 'unit') = (unit_code IS NOT NULL)),
        CHECK ((role = 'group') = (group_city_code IS NOT NULL)))""",
    """CREATE TABLE login_events ("at" TIMESTAMP NOT NULL, username VARCHAR NOT NULL,
        ok BOOLEAN NOT NULL, reason VARCHAR NOT NULL)""",
)


def test_an_older_file_loses_the_typed_unknown_names(tmp_path: Path) -> None:
    path = tmp_path / "old.duckdb"
    with duckdb.connect(str(path)) as con:
        for statement in OLD_DDL:
            con.execute(statement)
        con.execute("INSERT INTO users (username, password_hash, role, failed_count, "
                    "created_at) VALUES ('alice', ?, 'leader', 3, ?)",
                    [PasswordHasher(**FAST).hash(GOOD), T0])
        con.executemany("INSERT INTO login_events VALUES (?, ?, ?, ?)", [
            [T0, "alice", False, "bad_password"], [T0, TYPED_PASSWORD, False, "unknown_user"],
            [T0 + timedelta(seconds=1), "alice", True, "ok"]])
    with AccountStore(path, hasher=PasswordHasher(**FAST)) as store:
        events = store.sign_in_events()
        assert events["actor"].tolist() == ["alice", "", "alice"]
        assert events["action"].tolist() == ["sign-in", "sign-in-failed", "sign-in-failed"]
        assert TYPED_PASSWORD not in events.to_csv()
        tables = set(store.query("SELECT table_name FROM duckdb_tables()")["table_name"])
        assert "login_events" not in tables
        assert auth.login(store, "alice", GOOD, T0).account.username == "alice"
        assert list(store.accounts()["failed_count"]) == [0]


# -- 9. per-source lockout, a ceiling, unlock, and the events -------------------------------


def test_a_source_that_fails_on_purpose_locks_the_name_for_itself_only(store) -> None:
    for i in range(LOCK):
        assert attempt(store, "alice", "guess", T0 + timedelta(seconds=i), "10.0.0.66")[0] is None
    at = T0 + timedelta(minutes=1)
    assert attempt(store, "alice", GOOD, at, "10.0.0.66")[0] is None
    assert attempt(store, "alice", GOOD, at, "10.0.0.5")[0].username == "alice"
    assert attempt(store, "alice", GOOD, at, "10.0.0.66")[0] is None  # B's success frees not A
    lockouts = store.sign_in_events(action="lockout")
    assert lockouts["actor"].tolist() == ["alice"]
    lock = json.loads(lockouts["detail"].iloc[0])
    until = T0 + timedelta(seconds=LOCK - 1, minutes=auth.POLICY.lock_minutes)
    assert lock == {"scope": "source", "source": store.source_key("10.0.0.66")[:12],
                    "until": str(until), "failures": LOCK}
    assert store.sign_in_events(action="lockout")["at"].tolist() == [T0 + timedelta(seconds=4)]
    assert details(store, action="sign-in-failed")[0]["reason"] == "locked"


def test_one_source_cannot_reach_the_ceiling(store) -> None:
    policy = auth.LockoutPolicy(account_ceiling=10)
    for i in range(60):
        attempt(store, "alice", "guess", T0 + timedelta(seconds=i), "10.0.0.66", policy)
    assert store.lock_state("alice", "10.0.0.66").failed_count == 60
    assert store.lock_state("alice").every_source_locked_until is None
    assert attempt(store, "alice", GOOD, T0 + timedelta(minutes=4), "10.0.0.5", policy)[0]


def test_the_ceiling_locks_every_source(store) -> None:
    policy = auth.LockoutPolicy(account_ceiling=10, ceiling_minutes=15, lock_minutes=15)
    sources = [f"10.0.1.{n}" for n in range(5)]
    guesses = [(s, T0 + timedelta(seconds=10 * i + j)) for i, s in enumerate(sources)
               for j in range(2)]
    for source, at in guesses[:-1]:
        assert attempt(store, "alice", "guess", at, source, policy)[0] is None
    minute = T0 + timedelta(minutes=1)
    assert attempt(store, "alice", GOOD, minute, "10.0.2.1", policy)[0] is not None  # 9 of 10
    assert attempt(store, "alice", "guess", minute, guesses[-1][0], policy)[0] is None
    for source in ("10.0.2.1", "10.0.2.2"):  # the rightful user and a new source alike
        assert attempt(store, "alice", GOOD, minute, source, policy)[0] is None
    assert details(store, action="lockout")[0] == {
        "scope": "every source", "until": str(minute + timedelta(minutes=15)), "failures": 10}
    later = minute + timedelta(minutes=15)
    assert attempt(store, "alice", GOOD, later, "10.0.2.2", policy)[0] is not None


def test_the_ceiling_counts_within_its_window(store) -> None:
    policy = auth.LockoutPolicy(account_ceiling=10, ceiling_minutes=15)
    for i in range(9):
        attempt(store, "alice", "guess", T0, f"10.0.1.{i}", policy)
    for i in range(9):
        attempt(store, "alice", "guess", T0 + timedelta(minutes=16), f"10.0.3.{i}", policy)
    assert store.lock_state("alice").every_source_locked_until is None
    assert attempt(store, "alice", GOOD, T0 + timedelta(minutes=17), "10.0.4.1", policy)[0]


def test_the_default_ceiling_is_fifty_in_fifteen_minutes() -> None:
    assert (auth.POLICY.account_ceiling, auth.POLICY.ceiling_minutes) == (50, 15)
    assert auth.POLICY.account_ceiling >= 10 * auth.POLICY.failures_before_lock


def test_a_quiet_source_is_forgotten(store) -> None:
    for _ in range(LOCK - 1):
        attempt(store, "alice", "guess", T0, "10.0.0.66")
    next_day = T0 + timedelta(hours=auth.POLICY.forget_after_hours, seconds=1)
    assert attempt(store, "alice", "guess", next_day, "10.0.0.67")[1] == [0.5]
    assert store.lock_state("alice", "10.0.0.66").failed_count == 0
    assert attempt(store, "alice", "guess", next_day, "10.0.0.66")[1] == [0.5]


def test_unlock_from_the_command_line_clears_every_lock_and_is_logged(store, monkeypatch) -> None:
    policy = auth.LockoutPolicy(account_ceiling=10)
    for i in range(10):
        attempt(store, "alice", "guess", T0, f"10.0.1.{i // LOCK}", policy)
    assert store.lock_state("alice", "10.0.1.0").locked(T0)
    assert store.lock_state("alice", "10.0.9.9").locked(T0)  # the ceiling
    monkeypatch.setattr(auth, "utc_now", lambda: T0 + timedelta(minutes=1))
    monkeypatch.setattr("evalcore.cli.user.utc_now", auth.utc_now)
    monkeypatch.setattr("getpass.getuser", lambda: "ops")
    assert main(["user", "unlock", "ａｌｉｃｅ", "--users-db", str(store.path)]) == 0
    for source in ("10.0.1.0", "10.0.9.9"):
        assert store.lock_state("alice", source) == auth.LockState()
    at = T0 + timedelta(minutes=2)
    assert attempt(store, "alice", GOOD, at, "10.0.1.0", policy)[0] is not None
    unlock = store.sign_in_events(action="unlock-account")
    assert unlock.to_dict("records") == [{
        "at": T0 + timedelta(minutes=1), "actor": "cli:ops", "action": "unlock-account",
        "detail": json.dumps({"account": "alice"})}]
    frame = store.accounts()
    assert frame["failed_count"].tolist() == [0] and frame["locked_until"].isna().all()


def test_unlock_restarts_the_ceiling(store) -> None:
    policy = auth.LockoutPolicy(account_ceiling=10)
    for i in range(9):
        attempt(store, "alice", "guess", T0, f"10.0.1.{i}", policy)
    assert store.unlock("alice", "root", T0)
    attempt(store, "alice", "guess", T0, "10.0.1.9", policy)
    assert attempt(store, "alice", GOOD, T0, "10.0.2.1", policy)[0] is not None


def test_unlock_of_an_unknown_name_does_nothing(store) -> None:
    attempt(store, "mallory", "x", T0)
    assert not store.unlock("mallory", "root", T0)
    assert store.lock_state("mallory").failed_count == 1
    assert store.sign_in_events(action="unlock-account").empty


def test_sign_in_events_for_the_audit_view(store) -> None:
    attempt(store, "alice", GOOD, T0, "10.0.0.5")
    for i in range(LOCK):
        attempt(store, "alice", "guess", T0 + timedelta(seconds=i + 1), "10.0.0.66")
    store.unlock("alice", "root", T0 + timedelta(minutes=1))
    events = store.sign_in_events()
    assert list(events.columns) == ["at", "actor", "action", "detail"]
    assert events["action"].tolist() == (
        ["unlock-account", "lockout"] + ["sign-in-failed"] * LOCK + ["sign-in"])
    assert events["at"].is_monotonic_decreasing
    assert set(events["action"]) == set(auth.ACTIONS)
    assert len(store.sign_in_events(limit=2)) == 2
    assert store.sign_in_events(actor="root")["action"].tolist() == ["unlock-account"]
    assert all(isinstance(json.loads(d), dict) for d in events["detail"])


def test_set_password_clears_every_lock(store) -> None:
    for i in range(LOCK):
        attempt(store, "alice", "guess", T0, f"10.0.0.{i}")
        attempt(store, "alice", "guess", T0, "10.0.0.66")
    assert store.set_password("alice", "a brand new secret")
    assert store.accounts()["failed_count"].tolist() == [0]
    assert attempt(store, "alice", "a brand new secret", T0, "10.0.0.66")[0] is not None


# -- 10. opened once, read anew ----------------------------------------------------------


@pytest.fixture
def ddl_runs(monkeypatch) -> list[str]:
    runs: list[str] = []
    create = auth._create_tables

    def counting(con: duckdb.DuckDBPyConnection) -> None:
        runs.append("ddl")
        create(con)

    monkeypatch.setattr(auth, "_create_tables", counting)
    return runs


def test_the_ddl_runs_once_per_process_and_file(tmp_path: Path, ddl_runs) -> None:
    path = tmp_path / "users.duckdb"
    with AccountStore(path, hasher=PasswordHasher(**FAST)) as first:
        first.add("alice", GOOD, "leader")
    for _ in range(3):
        with AccountStore(path, hasher=PasswordHasher(**FAST)) as again:
            assert again.get("alice") is not None
    shared = auth.shared_accounts(tmp_path / "." / "users.duckdb")
    session = auth.new_session(Account("alice", "leader"), T0)
    for minute in range(20):  # reruns of a signed-in page
        assert auth.session_account(shared, session, T0 + timedelta(minutes=minute)) is not None
    assert ddl_runs == ["ddl"]
    with AccountStore(tmp_path / "other.duckdb") as other:
        other.accounts()
    assert ddl_runs == ["ddl"] * 2


def test_a_file_made_anew_gets_its_tables_again(tmp_path: Path, ddl_runs) -> None:
    path = tmp_path / "users.duckdb"
    with AccountStore(path, hasher=PasswordHasher(**FAST)) as first:
        first.add("alice", GOOD, "leader")
    path.unlink()
    with AccountStore(path, hasher=PasswordHasher(**FAST)) as second:
        assert second.accounts().empty
    assert ddl_runs == ["ddl"] * 2


def test_shared_accounts_is_one_open_store_per_file(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("EVAL_USERS_DB", str(tmp_path / "env.duckdb"))
    found: list[AccountStore] = []
    threads = [threading.Thread(target=lambda: found.append(auth.shared_accounts()))
               for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len({id(s) for s in found}) == 1 and found[0].path == tmp_path / "env.duckdb"
    assert auth.shared_accounts(tmp_path / "env.duckdb") is found[0]
    assert auth.shared_accounts(tmp_path / "other.duckdb") is not found[0]
    with auth.shared_accounts() as store:
        store.accounts()
    connection = store._con
    assert connection is not None  # leaving `with` does not close the shared store
    store.accounts()
    assert store._con is connection


def test_the_shared_store_serves_concurrent_sign_ins(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(auth, "default_hasher", lambda: PasswordHasher(**FAST))
    store = auth.shared_accounts(tmp_path / "users.duckdb")
    for n in range(6):
        store.add(f"user{n}", GOOD, "leader")
    signed_in: list[str] = []

    def sign_in(n: int) -> None:
        for _ in range(5):
            assert auth.login(store, f"user{n}", "guess", T0, source=f"s{n}").account is None
            signed_in.append(auth.login(store, f"user{n}", GOOD, T0, source=f"s{n}")
                             .account.username)

    threads = [threading.Thread(target=sign_in, args=(n,)) for n in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(signed_in) == sorted(f"user{n}" for n in range(6) for _ in range(5))
    assert len(store.sign_in_events(limit=1000)) == 6 * 10


def test_current_account_sees_removal_and_a_new_role_at_once(tmp_path: Path) -> None:
    path = tmp_path / "users.duckdb"
    shared = auth.shared_accounts(path)
    shared.add("hz", GOOD, "unit", unit_code="330100")
    assert shared.current_account("hz") == Account("hz", "unit", "330100")
    session = auth.new_session(shared.current_account("hz"), T0)
    with AccountStore(path) as admin:  # another store of the same file, as the CLI would be
        admin.remove("hz")
        assert shared.current_account("hz") is None
        assert auth.session_account(shared, session, T0) is None
        admin.add("hz", GOOD, "leader")
    assert shared.current_account("hz") == Account("hz", "leader")
    assert auth.session_account(shared, session, T0) is None
    assert shared.current_account("ｈｚ") is None  # exact: the stored (normalised) name
