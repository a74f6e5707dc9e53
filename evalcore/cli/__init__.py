"""Sub-commands of `python -m evalcore`, one module each."""

from evalcore.cli import build_demo, import_file, score, snapshot, template, user

COMMANDS = [build_demo, score, template, import_file, user, snapshot]
