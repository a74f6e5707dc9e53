"""Sub-commands of `python -m evalcore`, one module each."""

from evalcore.cli import build_demo

COMMANDS = [build_demo]
