"""Command line: `python -m evalcore COMMAND ...` (see README and `--help`)."""

from __future__ import annotations

import argparse
import sys

from evalcore import cli


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m evalcore", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    for command in cli.COMMANDS:
        command.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.handler(args)


if __name__ == "__main__":
    sys.exit(main())
