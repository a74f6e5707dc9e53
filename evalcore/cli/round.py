"""`round`: set a round up: create it, assign its inspection groups, set its deadlines, show it.

    python -m evalcore round create 2024 --rubric zj-2020
    python -m evalcore round groups 2024 --suggest          # the rotation, written and printed
    python -m evalcore round groups 2024 --file groups.xlsx # or a file (as `import --kind groups`)
    python -m evalcore round deadlines 2024 --self-due 2024-03-31 \\
        --cross 2024-04-01:2024-04-30 --third-party 2024-05-01:2024-05-31
    python -m evalcore round show 2024

Writes go through evalcore.actions as the command line's actor (audited, versioned,
revertible). A broken input (a date, a group inspecting its own city, an existing year, an
unknown rubric) prints what is wrong, in English or with `--lang zh` in Chinese, writes
nothing and exits 2.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from datetime import date

import pandas as pd

from evalcore import actions, rounds_setup
from evalcore.db import Store
from evalcore.importer import ImportRejected
from evalcore.importer.setup import import_setup
from evalcore.labels import LANGS, t
from evalcore.messages import Message, render
from evalcore.paths import default_db_path


class BadInput(Exception):
    """An argument that is not what it should be: a Message to print."""

    def __init__(self, message: Message) -> None:
        super().__init__(str(message))
        self.message = message


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("round", help="create and set up a round (groups, deadlines)",
                       description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    verbs = p.add_subparsers(dest="verb", required=True)
    create = verbs.add_parser("create", help="create a draft round scored with a rubric")
    create.add_argument("--rubric", required=True, help="rubric version, e.g. zj-2020")
    groups = verbs.add_parser("groups", help="assign the round's inspection groups")
    source = groups.add_mutually_exclusive_group(required=True)
    source.add_argument("--suggest", action="store_true", help="the suggested rotation")
    source.add_argument("--file", help="a groups file (CSV or XLSX; see `template --kind groups`)")
    deadlines = verbs.add_parser("deadlines", help="set the round's stage deadlines")
    deadlines.add_argument("--self-due", help="YYYY-MM-DD: the self-evaluation's due date")
    deadlines.add_argument("--cross", help="YYYY-MM-DD:YYYY-MM-DD: the cross inspection window")
    deadlines.add_argument("--third-party", help="YYYY-MM-DD:YYYY-MM-DD: the third-party window")
    verbs.add_parser("show", help="print the round's deadlines, groups and what it lacks")
    for verb in (create, groups, deadlines, verbs.choices["show"]):
        verb.add_argument("year", type=int)
        verb.add_argument("--db", default=str(default_db_path()))
        verb.add_argument("--lang", choices=LANGS, default="en", help="language of messages")
    p.set_defaults(handler=run)


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise BadInput(Message("not_a_date", {"value": text})) from None


def _window(text: str) -> tuple[date, date]:
    opens, sep, closes = text.partition(":")
    if not sep:
        raise BadInput(Message("setup_deadline_bad_window", {"value": text}))
    return _day(opens), _day(closes)


def windows(args: argparse.Namespace) -> dict[str, tuple[date | None, date]]:
    """{stage: (opens, closes)} from the arguments given (at least one)."""
    out: dict[str, tuple[date | None, date]] = {}
    if args.self_due:
        out["self"] = (None, _day(args.self_due))
    if args.cross:
        out["cross"] = _window(args.cross)
    if args.third_party:
        out["third_party"] = _window(args.third_party)
    if not out:
        raise BadInput(Message("setup_deadline_none_given"))
    return out


def _say(message: Message, lang: str) -> None:
    print(render(message, lang))


def _lacks(store: Store, year: int, lang: str) -> None:
    """What the round still lacks, and what that does to it."""
    if store.group_assignments(year).empty:
        _say(Message("setup_round_no_groups", {"year": year}), lang)
    for message in rounds_setup.missing_targets(store.targets(), year):
        _say(message, lang)


def _print_groups(store: Store, year: int, lang: str) -> None:
    names = store.regions().set_index("code")["name"]
    groups = store.group_assignments(year)
    head = [t("setup_group_no", lang), t("setup_leader_city", lang),
            t("setup_inspected_city", lang), t("setup_leader_name", lang),
            t("setup_leader_title", lang)]
    print("\t".join(head))
    for g in groups.itertuples():
        print("\t".join([str(g.group_no), f"{g.leader_city_code} {names[g.leader_city_code]}",
                         f"{g.inspected_city_code} {names[g.inspected_city_code]}",
                         g.leader_name or "", g.leader_title or ""]))


def _print_deadlines(store: Store, year: int, lang: str) -> None:
    for row in store.round_stages(year).itertuples():
        opens = "" if pd.isna(row.opens) else f"{pd.Timestamp(row.opens).date()} – "
        print(f"{t(row.stage, lang)}: {opens}{pd.Timestamp(row.closes).date()}")


def _create(store: Store, args: argparse.Namespace) -> None:
    entry = actions.create_round(store, actions.CLI, args.year, args.rubric)
    _say(Message("setup_round_created", {"year": args.year, "rubric": args.rubric,
                                           "id": entry}), args.lang)
    _lacks(store, args.year, args.lang)


def _groups(store: Store, args: argparse.Namespace) -> None:
    cities = store.regions().query("level == 'city'")["code"]
    suggestion = rounds_setup.suggest_groups(cities, args.year)
    entry = actions.assign_groups(store, actions.CLI, args.year, suggestion, source="suggestion")
    _print_groups(store, args.year, args.lang)
    _say(Message("setup_groups_saved", {"year": args.year, "n": len(suggestion), "id": entry}),
         args.lang)


def _deadlines(store: Store, args: argparse.Namespace) -> None:
    entry = actions.set_deadlines(store, actions.CLI, args.year, windows(args))
    _print_deadlines(store, args.year, args.lang)
    _say(Message("setup_deadlines_saved", {"year": args.year, "id": entry}), args.lang)


def _show(store: Store, args: argparse.Namespace) -> None:
    if args.year not in set(store.rounds()["year"]):
        raise BadInput(Message("round_missing", {"year": args.year}))
    _print_deadlines(store, args.year, args.lang)
    _print_groups(store, args.year, args.lang)
    _lacks(store, args.year, args.lang)


VERBS = {"create": _create, "groups": _groups, "deadlines": _deadlines, "show": _show}


def _groups_file(args: argparse.Namespace) -> int:
    result = import_setup(args.db, args.file, "groups", args.year,
                          actor=f"cli:{getpass.getuser()}")
    with Store(args.db) as store:
        _print_groups(store, args.year, args.lang)
    _say(Message("import_summary", {
        "rows": result.rows, "file": result.file, "new": result.new, "changed": result.changed,
        "unchanged": result.unchanged, "sha": result.sha256[:12]}), args.lang)
    return 0


def run(args: argparse.Namespace) -> int:
    store = Store(args.db, read_only=args.verb == "show")
    if not store.exists():
        print(render(Message("store_missing", {"path": args.db}), args.lang), file=sys.stderr)
        return 1
    try:
        if args.verb == "groups" and args.file:
            return _groups_file(args)
        with store:
            VERBS[args.verb](store, args)
    except BadInput as bad:
        print(render(bad.message, args.lang), file=sys.stderr)
        return 2
    except (actions.Refused, ImportRejected) as refused:
        print(refused.render(args.lang), file=sys.stderr)
        return 2
    return 0
