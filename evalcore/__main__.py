"""Command line: `python -m evalcore COMMAND ...` (see README and `--help`)."""

from __future__ import annotations

import argparse
import sys

from evalcore import cli
from evalcore.messages import MessageError
from evalcore.rubric import RubricError


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m evalcore", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    for command in cli.COMMANDS:
        command.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.handler(args)
    except RubricError as error:  # a broken rubric file: its message names file, entry, rule
        print(error, file=sys.stderr)
        return 2
    except MessageError as error:  # a store refusal (in use, newer or older schema, ...)
        print(error.render(getattr(args, "lang", "en")), file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
