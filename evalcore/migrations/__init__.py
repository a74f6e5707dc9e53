"""Schema migrations: the reviewed steps that bring an older database file to today's schema.

One module per version, `vNNNN_what_it_does.py`, holding `VERSION = N` and
`def upgrade(cur)`, which changes a file of version N - 1 into version N (SQL through `cur`,
inside the transaction the runner opened; it must not commit). Its docstring's first line is
the description recorded in `schema_migrations`. Steps are never edited once released: a later
change is a new step. `tests/test_migrations.py` checks that the versions run 2, 3, … without a
gap and end at `schema.SCHEMA_VERSION`, and opens a kept file of every released version.

How a file is opened (evalcore/migrations/runner.py, called by `Store` when it connects):

- its version is read first through a read-only connection; a file newer than this code is
  refused, never opened for writing;
- opened read-only, an older file is refused with the command that migrates it
  (`python -m evalcore migrate --db FILE`);
- opened read-write (the dashboard, imports, `migrate`), an older file is checkpointed, copied
  beside itself as `<file>.v<N>.bak` (never over an existing one), and migrated in one
  transaction: every step, a `schema_migrations` row per step and the new version, or nothing.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from collections.abc import Callable
from dataclasses import dataclass

import duckdb

_MODULE = re.compile(r"v(\d{4})_[a-z0-9_]+")


@dataclass(frozen=True)
class Migration:
    """One step: `upgrade` turns a file of `version - 1` into `version`."""

    version: int
    description: str
    upgrade: Callable[[duckdb.DuckDBPyConnection], None]
    module: str


def _load(name: str) -> Migration:
    module = importlib.import_module(f"{__name__}.{name}")
    doc = (module.__doc__ or "").strip().splitlines()
    if not doc:
        raise ValueError(f"migration {name} has no docstring to describe it")
    return Migration(module.VERSION, doc[0].strip(), module.upgrade, name)


def discover() -> tuple[Migration, ...]:
    """Every step of this package, by version (the registry; not checked here, see the test)."""
    names = [m.name for m in pkgutil.iter_modules(__path__) if _MODULE.fullmatch(m.name)]
    return tuple(sorted((_load(n) for n in names), key=lambda m: m.version))


MIGRATIONS: tuple[Migration, ...] = discover()
