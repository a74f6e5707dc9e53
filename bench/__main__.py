"""`python -m bench [--smoke] [--scale province|national] [--out PATH]`."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

os.environ.setdefault("STREAMLIT_LOGGER_LEVEL", "error")  # AppTest's bare-mode warnings

from bench.config import PROFILES  # noqa: E402
from bench.run import OUT, run  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--smoke", action="store_true",
                        help="CI-sized run: checks the benchmark runs, not the targets")
    parser.add_argument("--scale", action="append", choices=("province", "national"),
                        help="only this scale (repeatable); default: both")
    parser.add_argument("--out", type=Path, default=OUT / "latest.json", help="JSON output")
    parser.add_argument("--server-option", action="append", default=[], metavar="NAME=VALUE",
                        help="extra Streamlit option for the benchmark's server, e.g. "
                             "runner.postScriptGC=false (to try a setting; repeatable)")
    args = parser.parse_args(argv)
    profile = PROFILES["smoke" if args.smoke else "full"]
    options = tuple(f"--{o}" for o in args.server_option)
    return run(profile, args.out, tuple(args.scale) if args.scale else None, options)


if __name__ == "__main__":
    sys.exit(main())
