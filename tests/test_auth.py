"""evalcore.auth: argon2id hashes, one answer for every failure, lockout, sessions.

Stores use a cheap PasswordHasher so the suite stays fast; one test checks the real default.
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from argon2 import PasswordHasher, Type

from evalcore import auth
from evalcore.auth import Account, AccountError, AccountStore

T0 = datetime(2024, 3, 1, 9, 0, 0)
GOOD = "correct horse battery"
FAST = {"time_cost": 1, "memory_cost": 64, "parallelism": 1}


class CountingHasher(PasswordHasher):
    """A cheap argon2id hasher that counts verifications (the work every login must do)."""

    def __init__(self, **params: int) -> None:
        super().__init__(**{**FAST, **params})
        self.verifications = 0
        self.hashes = 0

    def hash(self, password: str | bytes, *, salt: bytes | None = None) -> str:
        self.hashes += 1
        return super().hash(password, salt=salt)

    def verify(self, hash: str | bytes, password: str | bytes) -> bool:
        self.verifications += 1
        return super().verify(hash, password)


@pytest.fixture
def store(tmp_path: Path) -> AccountStore:
    s = AccountStore(tmp_path / "users.duckdb", hasher=CountingHasher())
    s.add("alice", GOOD, "leader", display_name="Alice", now=T0)
    s.add("hz", GOOD, "unit", unit_code="330100", now=T0)
    yield s
    s.close()


def outcome(store: AccountStore, user: str, pw: str, at: datetime = T0) -> auth.LoginOutcome:
    return auth.login(store, user, pw, at)


def reasons(events) -> list[str | None]:
    return [json.loads(detail).get("reason") for detail in events["detail"]]


def failed_count(store: AccountStore, user: str) -> int:
    frame = store.accounts()
    return int(frame.loc[frame["username"] == user, "failed_count"].iloc[0])


# -- paths and hashing ------------------------------------------------------------------


def test_users_db_path_default_and_env(monkeypatch, tmp_path: Path) -> None:
    monkeypatch.delenv("EVAL_USERS_DB", raising=False)
    assert auth.users_db_path() == auth.DATA_DIR / "users.duckdb"
    monkeypatch.setenv("EVAL_USERS_DB", str(tmp_path / "u.duckdb"))
    assert auth.users_db_path() == tmp_path / "u.duckdb"


def test_default_hasher_is_argon2id_and_hash_is_stored(tmp_path: Path) -> None:
    with AccountStore(tmp_path / "u.duckdb") as s:
        assert s.hasher.type is Type.ID
        s.add("root", GOOD, "admin", now=T0)
        stored = s.credentials("root")[0]
    assert stored.startswith("$argon2id$") and GOOD not in stored


def test_new_users_file_is_private(store: AccountStore) -> None:
    if sys.platform != "win32":
        assert store.path.stat().st_mode & 0o077 == 0


def test_successful_login_returns_the_account(store: AccountStore) -> None:
    result = outcome(store, "alice", GOOD)
    assert result == auth.LoginOutcome(Account("alice", "leader", None, None, "Alice"), "", 0.0)
    assert store.accounts().set_index("username").loc["alice", "last_login_at"] == T0


def test_fullwidth_username_and_blanks_are_folded(store: AccountStore) -> None:
    assert outcome(store, " ａｌｉｃｅ ", GOOD).account.username == "alice"


# -- one answer for every failure -------------------------------------------------------


def test_wrong_password_and_unknown_user_look_the_same(store: AccountStore) -> None:
    before = store.hasher.verifications
    wrong = outcome(store, "alice", "not the password")
    after_wrong = store.hasher.verifications
    unknown = outcome(store, "mallory", "not the password")
    assert wrong == unknown
    assert wrong.account is None and wrong.message == auth.FAILURE_MESSAGE
    assert after_wrong - before == 1 and store.hasher.verifications - after_wrong == 1


def test_repeated_failures_keep_looking_the_same(store: AccountStore) -> None:
    for n in range(1, 9):
        wrong = outcome(store, "alice", "bad password", T0 + timedelta(seconds=n))
        unknown = outcome(store, "mallory", "bad password", T0 + timedelta(seconds=n))
        assert wrong == unknown, n


@pytest.mark.parametrize("user, password", [
    ("", GOOD), ("   ", GOOD), ("x" * 500, GOOD), ("alice", ""), ("alice", "p" * 5000),
])
def test_odd_input_fails_with_the_generic_message(store, user: str, password: str) -> None:
    result = outcome(store, user, password)
    assert result.account is None and result.message == auth.FAILURE_MESSAGE


def test_every_attempt_is_logged_without_the_password(store: AccountStore) -> None:
    outcome(store, "alice", "secret-guess-1")
    outcome(store, "nobody\x1b[31m" + "y" * 100, "secret-guess-2")
    outcome(store, "alice", GOOD)
    events = store.sign_in_events()
    assert events["action"].tolist() == ["sign-in", "sign-in-failed", "sign-in-failed"]
    assert reasons(events) == [None, "unknown_user", "bad_password"]
    assert events["actor"].tolist() == ["alice", "", "alice"]  # nothing typed as an unknown name
    assert events["actor"].str.len().max() <= auth.MAX_USERNAME_LENGTH
    text = events.to_csv()
    assert "secret-guess" not in text and GOOD not in text and "nobody" not in text


# -- lockout ----------------------------------------------------------------------------


def fail(store: AccountStore, times: int, at: datetime = T0) -> None:
    for _ in range(times):
        outcome(store, "alice", "wrong password", at)


def test_lock_engages_and_refuses_the_right_password(store: AccountStore) -> None:
    fail(store, auth.POLICY.failures_before_lock - 1)
    assert store.lock_state("alice").locked_until is None
    fail(store, 1)
    assert store.lock_state("alice").locked_until == T0 + timedelta(minutes=auth.POLICY.lock_minutes)
    refused = outcome(store, "alice", GOOD, T0 + timedelta(minutes=14, seconds=59))
    assert refused.account is None and refused.message == auth.FAILURE_MESSAGE
    assert reasons(store.sign_in_events())[0] == "locked"


def test_lock_expires_and_success_resets_the_counter(store: AccountStore) -> None:
    fail(store, auth.POLICY.failures_before_lock)
    later = T0 + timedelta(minutes=auth.POLICY.lock_minutes)
    assert outcome(store, "alice", GOOD, later).account is not None
    assert failed_count(store, "alice") == 0 and store.lock_state("alice").locked_until is None


def test_a_failure_after_the_lock_expires_locks_again(store: AccountStore) -> None:
    fail(store, auth.POLICY.failures_before_lock)
    later = T0 + timedelta(minutes=auth.POLICY.lock_minutes, seconds=1)
    fail(store, 1, later)
    assert store.lock_state("alice").locked_until == later + timedelta(minutes=auth.POLICY.lock_minutes)


def test_failures_while_locked_do_not_extend_the_lock(store: AccountStore) -> None:
    fail(store, auth.POLICY.failures_before_lock)
    fail(store, 3, T0 + timedelta(minutes=10))
    assert store.lock_state("alice").locked_until == T0 + timedelta(minutes=auth.POLICY.lock_minutes)


def test_lock_is_per_account(store: AccountStore) -> None:
    fail(store, auth.POLICY.failures_before_lock)
    assert outcome(store, "hz", GOOD).account.unit_code == "330100"


def test_admin_unlock(store: AccountStore) -> None:
    fail(store, auth.POLICY.failures_before_lock)
    assert store.unlock("alice", "root", T0) and not store.unlock("nobody", "root", T0)
    assert outcome(store, "alice", GOOD).account is not None


@pytest.mark.parametrize("failures, seconds", [
    (0, 0.0), (1, 0.5), (2, 1.0), (3, 2.0), (4, 4.0), (5, 8.0), (6, 8.0), (10_000, 8.0),
])
def test_delay_table(failures: int, seconds: float) -> None:
    assert auth.delay_seconds(failures) == seconds


def test_authenticate_sleeps_longer_after_each_failure(store: AccountStore) -> None:
    slept: list[float] = []
    for n in range(4):
        assert auth.authenticate(store, "alice", "nope nope nope", T0 + timedelta(seconds=n),
                                 sleep=slept.append) is None
    assert slept == [0.5, 1.0, 2.0, 4.0]
    assert auth.authenticate(store, "alice", GOOD, T0, sleep=slept.append).username == "alice"
    assert len(slept) == 4


def test_custom_policy() -> None:
    policy = auth.LockoutPolicy(failures_before_lock=2, first_delay_seconds=1, max_delay_seconds=3)
    assert [auth.delay_seconds(n, policy) for n in range(4)] == [0, 1, 2, 3]


def test_concurrent_failures_are_all_counted(store: AccountStore) -> None:
    threads = [threading.Thread(target=fail, args=(store, 3)) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert failed_count(store, "alice") == 18
    assert len(store.sign_in_events(limit=100, action="sign-in-failed")) == 18


def test_stores_on_one_file_share_the_write_lock(store: AccountStore) -> None:
    def fail_in_own_store() -> None:
        with AccountStore(store.path, hasher=store.hasher) as own:
            fail(own, 3)

    threads = [threading.Thread(target=fail_in_own_store) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert failed_count(store, "alice") == 12


def test_unknown_users_never_pay_for_a_fresh_dummy_hash(tmp_path: Path) -> None:
    hasher = CountingHasher(time_cost=3)
    with AccountStore(tmp_path / "a.duckdb", hasher=hasher) as a:
        a.add("alice", GOOD, "leader")
        made = hasher.hashes
        with AccountStore(tmp_path / "a.duckdb", hasher=hasher) as b:
            assert outcome(b, "mallory", GOOD).account is None
            assert outcome(a, "mallory", GOOD).account is None
    assert hasher.hashes == made and hasher.verifications == 2


# -- rehash -----------------------------------------------------------------------------


def test_stronger_parameters_rehash_on_login(store: AccountStore) -> None:
    old = store.credentials("alice")[0]
    stronger = AccountStore(store.path, hasher=CountingHasher(time_cost=2))
    store.close()
    with stronger:
        assert outcome(stronger, "alice", GOOD).account is not None
        new = stronger.credentials("alice")[0]
        assert new != old and ",t=2," in new and not stronger.hasher.check_needs_rehash(new)
        assert outcome(stronger, "alice", GOOD).account is not None


# -- account rules ----------------------------------------------------------------------


@pytest.mark.parametrize("role, unit, city, ok", [
    ("admin", None, None, True),
    ("leader", None, None, True),
    ("unit", "330106", None, True),
    ("unit", "330100", None, True),
    ("group", None, "330200", True),
    ("unit", None, None, False),
    ("unit", "3301", None, False),
    ("unit", "33010a", None, False),
    ("unit", "３３０１００", None, False),
    ("group", None, None, False),
    ("group", None, "330000", False),
    ("group", None, "330106", False),
    ("admin", "330100", None, False),
    ("leader", None, "330100", False),
    ("unit", "330100", "330100", False),
    ("root", None, None, False),
])
def test_role_and_codes(role: str, unit: str | None, city: str | None, ok: bool) -> None:
    if ok:
        auth.check_role(role, unit, city)
    else:
        with pytest.raises(AccountError):
            auth.check_role(role, unit, city)


@pytest.mark.parametrize("username, password", [
    ("bob", ""), ("bob", "short"), ("bob", "123456789"), ("bob", "p" * 1025),
    ("alicealice", "alicealice"), ("alicealice", "AliceAlice"),
])
def test_weak_passwords_are_refused(store: AccountStore, username: str, password: str) -> None:
    with pytest.raises(AccountError):
        store.add(username, password, "leader")
    assert store.get(username) is None


def test_ten_characters_is_enough(store: AccountStore) -> None:
    store.add("bob", "0123456789", "leader")
    assert outcome(store, "bob", "0123456789").account is not None


@pytest.mark.parametrize("username", ["", "  ", "a\nb", "tab\there", "x" * 65])
def test_bad_usernames_are_refused(store: AccountStore, username: str) -> None:
    with pytest.raises(AccountError):
        store.add(username, GOOD, "leader")


def test_duplicate_account_is_refused(store: AccountStore) -> None:
    with pytest.raises(AccountError, match="exists"):
        store.add("alice", GOOD, "admin")
    with pytest.raises(AccountError, match="exists"):
        store.add("ａｌｉｃｅ", GOOD, "admin")


def test_set_password_and_remove(store: AccountStore) -> None:
    fail(store, auth.POLICY.failures_before_lock)
    assert store.set_password("alice", "a brand new secret")
    assert outcome(store, "alice", "a brand new secret").account is not None
    assert outcome(store, "alice", GOOD).account is None
    assert store.remove("alice") and store.get("alice") is None and not store.remove("alice")
    assert not store.set_password("alice", "another secret!")


def test_accounts_listing_has_no_hashes(store: AccountStore) -> None:
    frame = store.accounts()
    assert frame["username"].tolist() == ["alice", "hz"]
    assert "password_hash" not in frame.columns
    assert "$argon2" not in frame.to_csv()


# -- SQL-looking input is plain text ----------------------------------------------------

INJECTIONS = ["admin' OR '1'='1", "x'; DROP TABLE users; --", 'bob" OR ""="', "' OR 1=1 --"]


@pytest.mark.parametrize("name", INJECTIONS)
def test_sql_looking_usernames_are_plain_text(store: AccountStore, name: str) -> None:
    store.add(name, GOOD, "leader", now=T0)
    assert store.get(name) == Account(name, "leader")
    assert outcome(store, name, GOOD).account.username == name
    assert sorted(store.accounts()["username"]) == sorted(["alice", "hz", name])
    assert store.remove(name) and store.get("alice") is not None


@pytest.mark.parametrize("name", INJECTIONS)
def test_sql_looking_logins_fail_normally(store: AccountStore, name: str) -> None:
    assert outcome(store, name, GOOD) == outcome(store, "nobody", GOOD)
    assert outcome(store, "alice", name).account is None
    assert len(store.accounts()) == 2


# -- sessions ---------------------------------------------------------------------------

ALICE = Account("alice", "leader", None, None, "Alice")


def test_new_session_is_scalars() -> None:
    session = auth.new_session(ALICE, T0)
    assert set(session) == set(auth.SESSION_KEYS)
    assert all(v is None or isinstance(v, str | float) for v in session.values())
    assert session["issued_at"] == session["last_seen_at"] == T0.replace(tzinfo=UTC).timestamp()


@pytest.mark.parametrize("idle, valid", [
    (timedelta(0), True),
    (timedelta(minutes=29, seconds=59), True),
    (timedelta(minutes=30), False),
    (timedelta(hours=2), False),
    (timedelta(seconds=-1), False),
])
def test_idle_expiry(idle: timedelta, valid: bool) -> None:
    assert auth.session_valid(auth.new_session(ALICE, T0), T0 + idle) is valid


def test_absolute_expiry_despite_activity() -> None:
    session = auth.new_session(ALICE, T0)
    for step in range(1, 24):
        now = T0 + step * timedelta(minutes=20)
        assert auth.session_valid(session, now), now
        session = auth.touch_session(session, now)
    assert auth.session_valid(session, T0 + timedelta(hours=7, minutes=59))
    assert not auth.session_valid(session, T0 + timedelta(hours=8))
    assert auth.session_valid(session, T0 + timedelta(hours=8), absolute_hours=9)


def test_aware_and_naive_times_agree() -> None:
    beijing = timezone(timedelta(hours=8))
    session = auth.new_session(ALICE, T0.replace(tzinfo=UTC).astimezone(beijing))
    assert session == auth.new_session(ALICE, T0)
    assert auth.session_valid(session, T0 + timedelta(minutes=5))


@pytest.mark.parametrize("broken", [
    {}, {"username": "alice"},
    {"username": "", "role": "leader", "issued_at": 0.0, "last_seen_at": 0.0},
    {"username": "alice", "role": "root", "issued_at": 0.0, "last_seen_at": 0.0},
    {"username": "alice", "role": "leader", "issued_at": "soon", "last_seen_at": 0.0},
    {"username": "alice", "role": "leader", "issued_at": None, "last_seen_at": 0.0},
])
def test_malformed_sessions_are_invalid(broken: dict) -> None:
    assert not auth.session_valid(broken, T0)


def test_session_account_follows_the_store(store: AccountStore) -> None:
    session = auth.new_session(outcome(store, "hz", GOOD).account, T0)
    later = T0 + timedelta(minutes=5)
    assert auth.session_account(store, session, later).unit_code == "330100"
    assert auth.session_account(store, {**session, "unit_code": "330200"}, later) is None
    assert auth.session_account(store, session, T0 + timedelta(hours=1)) is None
    store.remove("hz")
    store.add("hz", GOOD, "leader")
    assert auth.session_account(store, session, later) is None
    store.remove("hz")
    assert auth.session_account(store, session, later) is None


def test_auth_does_not_import_streamlit() -> None:
    code = "import sys, evalcore.auth; sys.exit('streamlit' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0


def test_a_users_file_from_before_the_third_party_role_admits_it(tmp_path: Path) -> None:
    """The role CHECK of an older file is widened by rebuilding the table: every account,
    its hash and times kept; a third_party account can then be added and sign in."""
    import duckdb

    path = tmp_path / "users.duckdb"
    old = auth.USERS_TABLE.format(name="users").replace(", 'third_party'", "")
    con = duckdb.connect(str(path))
    con.execute(old)
    hasher = CountingHasher()
    con.execute("INSERT INTO users (username, password_hash, role, unit_code, created_at) "
                "VALUES ('hz', ?, 'unit', '330100', ?)", [hasher.hash(GOOD), T0])
    con.close()
    s = AccountStore(path, hasher=hasher)
    try:
        assert s.current_account("hz") == Account("hz", "unit", "330100", None, "")
        s.add("inst", GOOD, "third_party", display_name="第三方", now=T0)
        assert outcome(s, "inst", GOOD).account.role == "third_party"
        assert outcome(s, "hz", GOOD).account.unit_code == "330100"
    finally:
        s.close()
    with pytest.raises(AccountError):
        auth.check_role("third_party", "330100", None)
