"""`python -m evalcore user ...`: accounts managed from the command line, in a temp users DB."""

from __future__ import annotations

import argparse
import io
from datetime import datetime
from pathlib import Path

import pytest

from evalcore import auth, cli
from evalcore.auth import AccountStore
from evalcore.cli import user

NOW = datetime(2024, 3, 1, 9, 0, 0)
PW = "a long enough secret"


@pytest.fixture(autouse=True)
def fast_hashes(monkeypatch) -> None:
    fast = auth.PasswordHasher(time_cost=1, memory_cost=64, parallelism=1)
    monkeypatch.setattr(auth, "default_hasher", lambda: fast)


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "users.duckdb"


def run(db: Path | None, *argv: str, stdin: str = "", monkeypatch=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m evalcore")
    user.register(parser.add_subparsers(dest="command", required=True))
    extra = ["--users-db", str(db)] if db else []
    args = parser.parse_args(["user", *argv, *extra])
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    return args.handler(args)


@pytest.fixture
def cli_run(db: Path, monkeypatch):
    return lambda *argv, stdin="": run(db, *argv, stdin=stdin, monkeypatch=monkeypatch)


def accounts(db: Path) -> dict[str, dict]:
    with AccountStore(db) as store:
        return store.accounts().set_index("username").to_dict("index")


def can_login(db: Path, name: str, password: str) -> bool:
    with AccountStore(db) as store:
        return auth.login(store, name, password, NOW).account is not None


def test_round_trip(cli_run, db: Path, capsys) -> None:
    assert cli_run("add", "root", "--role", "admin", "--password-stdin", stdin=PW + "\n") == 0
    assert cli_run("add", "hz", "--role", "unit", "--unit", "330100", "--name", "杭州市",
                   "--password-stdin", stdin=PW + "\r\n") == 0
    assert cli_run("add", "g1", "--role", "group", "--group-city", "330200",
                   "--password-stdin", stdin=PW) == 0
    assert set(accounts(db)) == {"root", "hz", "g1"}
    assert accounts(db)["hz"]["unit_code"] == "330100"
    assert accounts(db)["g1"]["group_city_code"] == "330200"
    assert can_login(db, "hz", PW)

    capsys.readouterr()
    assert cli_run("list") == 0
    listing = capsys.readouterr().out
    assert "杭州市" in listing and "330200" in listing and "$argon2" not in listing

    for _ in range(auth.POLICY.failures_before_lock):
        assert not can_login(db, "hz", "wrong password")
    assert not can_login(db, "hz", PW)
    assert cli_run("unlock", "hz") == 0
    assert accounts(db)["hz"]["failed_count"] == 0 and can_login(db, "hz", PW)

    assert cli_run("passwd", "hz", "--password-stdin", stdin="the new one, longer\n") == 0
    assert can_login(db, "hz", "the new one, longer") and not can_login(db, "hz", PW)

    assert cli_run("remove", "hz") == 0
    assert set(accounts(db)) == {"root", "g1"}


def test_password_is_hashed_with_argon2id(cli_run, db: Path) -> None:
    assert cli_run("add", "root", "--role", "admin", "--password-stdin", stdin=PW) == 0
    with AccountStore(db) as store:
        assert store.credentials("root")[0].startswith("$argon2id$")


@pytest.mark.parametrize("argv", [
    ["add", "u", "--role", "unit"],
    ["add", "u", "--role", "unit", "--unit", "3301"],
    ["add", "u", "--role", "unit", "--unit", ""],
    ["add", "u", "--role", "group"],
    ["add", "u", "--role", "group", "--group-city", "330106"],
    ["add", "u", "--role", "admin", "--unit", "330100"],
    ["add", "u", "--role", "leader", "--group-city", "330100"],
    ["add", "bad\tname", "--role", "leader"],
])
def test_invalid_combinations_are_refused(cli_run, db: Path, argv, capsys) -> None:
    assert cli_run(*argv, "--password-stdin", stdin=PW) == 1
    assert "error:" in capsys.readouterr().err
    assert accounts(db) == {}


def test_unknown_role_is_a_usage_error(cli_run) -> None:
    with pytest.raises(SystemExit):
        cli_run("add", "u", "--role", "root", "--password-stdin", stdin=PW)


@pytest.mark.parametrize("password", ["", "\n", "short\n", "123456789\n", "longername\n"])
def test_weak_passwords_are_refused(cli_run, db: Path, password: str) -> None:
    assert cli_run("add", "longername", "--role", "leader", "--password-stdin",
                   stdin=password) == 1
    assert accounts(db) == {}


def test_passwd_refuses_short_password_and_keeps_the_old(cli_run, db: Path) -> None:
    cli_run("add", "root", "--role", "admin", "--password-stdin", stdin=PW)
    assert cli_run("passwd", "root", "--password-stdin", stdin="tiny\n") == 1
    assert can_login(db, "root", PW)


def test_duplicate_and_unknown_accounts(cli_run, db: Path, capsys) -> None:
    cli_run("add", "root", "--role", "admin", "--password-stdin", stdin=PW)
    assert cli_run("add", "root", "--role", "leader", "--password-stdin", stdin=PW) == 1
    assert accounts(db)["root"]["role"] == "admin"
    assert cli_run("unlock", "ghost") == 1
    assert cli_run("remove", "ghost") == 1
    assert cli_run("passwd", "ghost", "--password-stdin", stdin=PW) == 1
    assert "no account 'ghost'" in capsys.readouterr().err


def test_sql_looking_username_is_plain_text(cli_run, db: Path) -> None:
    name = "admin' OR '1'='1"
    cli_run("add", "admin", "--role", "admin", "--password-stdin", stdin=PW)
    assert cli_run("add", name, "--role", "leader", "--password-stdin", stdin=PW) == 0
    assert set(accounts(db)) == {"admin", name}
    assert can_login(db, name, PW)
    assert cli_run("remove", name) == 0
    assert set(accounts(db)) == {"admin"}


def test_prompts_twice_without_password_stdin(cli_run, db: Path, monkeypatch) -> None:
    answers = iter([PW, PW, PW, "something else"])
    monkeypatch.setattr(user.getpass, "getpass", lambda prompt="": next(answers))
    assert cli_run("add", "root", "--role", "admin") == 0
    assert cli_run("add", "other", "--role", "admin") == 1
    assert set(accounts(db)) == {"root"} and can_login(db, "root", PW)


def test_users_db_from_environment_and_before_the_action(tmp_path, monkeypatch) -> None:
    env_db = tmp_path / "env.duckdb"
    monkeypatch.setenv("EVAL_USERS_DB", str(env_db))
    assert run(None, "add", "root", "--role", "admin", "--password-stdin", stdin=PW,
               monkeypatch=monkeypatch) == 0
    assert set(accounts(env_db)) == {"root"}
    other = tmp_path / "other.duckdb"
    parser = argparse.ArgumentParser()
    user.register(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["user", "--users-db", str(other), "list"])
    assert args.handler(args) == 0 and other.exists()


def test_list_when_empty(cli_run, capsys) -> None:
    assert cli_run("list") == 0
    assert "no accounts" in capsys.readouterr().out


@pytest.mark.skipif(user not in cli.COMMANDS, reason="evalcore.cli.user not yet in COMMANDS")
def test_registered_with_main(db: Path, monkeypatch) -> None:
    from evalcore.__main__ import main

    monkeypatch.setattr("sys.stdin", io.StringIO(PW))
    assert main(["user", "add", "root", "--role", "admin", "--password-stdin",
                 "--users-db", str(db)]) == 0
    assert main(["user", "list", "--users-db", str(db)]) == 0


def test_a_third_party_account_is_added_and_signs_in(cli_run, db: Path, capsys) -> None:
    """The professional institution (issue 11): no unit, no group city; it evaluates all."""
    assert cli_run("add", "inst", "--role", "third_party", "--name", "某评估机构",
                   "--password-stdin", stdin=PW + "\n") == 0
    assert "(third_party) added" in capsys.readouterr().out
    row = accounts(db)["inst"]
    assert row["role"] == "third_party" and row["unit_code"] is None
    assert can_login(db, "inst", PW)
    assert cli_run("add", "bad", "--role", "third_party", "--unit", "330100",
                   "--password-stdin", stdin=PW + "\n") != 0  # takes no unit
