"""Sub-commands of `python -m evalcore`, one module each."""

from evalcore.cli import (
    backup,
    build_demo,
    import_file,
    migrate,
    notice,
    pack,
    restore,
    round,
    score,
    snapshot,
    template,
    user,
)

COMMANDS = [build_demo, score, template, import_file, round, user, migrate, backup, restore,
            snapshot, notice, pack]
