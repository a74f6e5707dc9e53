"""Sub-commands of `python -m evalcore`, one module each."""

from evalcore.cli import build_demo, import_file, template

COMMANDS = [build_demo, template, import_file]
