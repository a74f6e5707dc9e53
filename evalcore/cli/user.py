"""`user`: manage the dashboard's login accounts (add, list, unlock, remove, passwd).

Accounts live in the users database (`--users-db`, else EVAL_USERS_DB, else
data/users.duckdb), outside git. Passwords are prompted for twice, or read as one line from
stdin with `--password-stdin` (for scripts); they never go on the command line.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Callable

from evalcore.auth import (
    ROLES,
    AccountError,
    AccountStore,
    AccountStoreError,
    check_display_name,
    check_role,
    check_username,
    utc_now,
)

DB_HELP = "users database (default: $EVAL_USERS_DB or data/users.duckdb)"


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("user", help="manage login accounts", description=__doc__)
    p.add_argument("--users-db", default=None, help=DB_HELP)
    p.set_defaults(handler=run)
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--users-db", default=argparse.SUPPRESS, help=DB_HELP)
    actions = p.add_subparsers(dest="action", required=True)
    add = actions.add_parser("add", parents=[common], help="create an account")
    add.add_argument("username")
    add.add_argument("--role", choices=ROLES, required=True)
    add.add_argument("--unit", dest="unit_code", help="6-digit region code (role unit)")
    add.add_argument("--group-city", dest="group_city_code",
                     help="code of the city leading the inspection group (role group)")
    add.add_argument("--name", dest="display_name", default="", help="display name")
    add.add_argument("--password-stdin", action="store_true", help="read the password from stdin")
    actions.add_parser("list", parents=[common], help="list accounts (never the hashes)")
    for action, text in (("unlock", "clear failed logins and locks (every source), logged"),
                         ("remove", "delete an account"), ("passwd", "set a new password")):
        a = actions.add_parser(action, parents=[common], help=text)
        a.add_argument("username")
    actions.choices["passwd"].add_argument("--password-stdin", action="store_true",
                                           help="read the password from stdin")


def read_password(from_stdin: bool) -> str:
    """One line of stdin, or two matching prompts."""
    if from_stdin:
        return sys.stdin.readline().removesuffix("\n").removesuffix("\r")
    first = getpass.getpass("密码 / password: ")
    if getpass.getpass("再次输入 / repeat: ") != first:
        raise AccountError("两次输入不一致 / the passwords differ")
    return first


def _add(store: AccountStore, args: argparse.Namespace) -> str:
    check_username(args.username)
    check_role(args.role, args.unit_code, args.group_city_code)
    check_display_name(args.display_name)
    if store.get(args.username) is not None:
        raise AccountError(f"账号已存在 / account {args.username!r} already exists")
    account = store.add(args.username, read_password(args.password_stdin), args.role,
                        unit_code=args.unit_code, group_city_code=args.group_city_code,
                        display_name=args.display_name)
    return f"account {account.username!r} ({account.role}) added to {store.path}"


def _list(store: AccountStore, args: argparse.Namespace) -> str:
    frame = store.accounts()
    return "no accounts" if frame.empty else frame.to_string(index=False)


def _known(store: AccountStore, username: str) -> None:
    if store.get(username) is None:
        raise AccountError(f"no account {username!r}")


def _unlock(store: AccountStore, args: argparse.Namespace) -> str:
    _known(store, args.username)
    store.unlock(args.username, actor=f"cli:{getpass.getuser()}", at=utc_now())
    return f"account {args.username!r} unlocked (failed logins from every source cleared)"


def _remove(store: AccountStore, args: argparse.Namespace) -> str:
    _known(store, args.username)
    store.remove(args.username)
    return f"account {args.username!r} removed"


def _passwd(store: AccountStore, args: argparse.Namespace) -> str:
    _known(store, args.username)
    store.set_password(args.username, read_password(args.password_stdin))
    return f"password of {args.username!r} changed (failed logins cleared)"


ACTIONS: dict[str, Callable[[AccountStore, argparse.Namespace], str]] = {
    "add": _add, "list": _list, "unlock": _unlock, "remove": _remove, "passwd": _passwd,
}


def run(args: argparse.Namespace) -> int:
    try:
        with AccountStore(args.users_db) as store:
            print(ACTIONS[args.action](store, args))
    except (AccountError, AccountStoreError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0
