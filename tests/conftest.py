"""Shared fixtures: a demo database built once per test session in a temp dir.

Tests never touch data/evaluation.duckdb; anything that writes copies the session database.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from evalcore.db import Store
from evalcore.demo import DEFAULT_SEED, build_demo


@pytest.fixture(scope="session")
def demo_db_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "demo.duckdb"
    build_demo(path, seed=DEFAULT_SEED)
    return path


@pytest.fixture(scope="session")
def demo_store(demo_db_path: Path) -> Store:
    store = Store(demo_db_path, read_only=True)
    yield store
    store.close()


@pytest.fixture
def writable_db(demo_db_path: Path, tmp_path: Path) -> Path:
    """A private copy of the demo database that a test may change."""
    path = tmp_path / "copy.duckdb"
    shutil.copyfile(demo_db_path, path)
    return path


@pytest.fixture(scope="session")
def two_rubric_db_path(demo_db_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo with its draft round 2023 scored on jx-2022 (tests/two_rubrics.py)."""
    from tests.two_rubrics import build_two_rubric_db

    return build_two_rubric_db(demo_db_path, tmp_path_factory.mktemp("two") / "two.duckdb")


@pytest.fixture(autouse=True)
def _close_shared_accounts():
    """The app keeps one users store open per file (auth.shared_accounts); each test signs in
    with a users database of its own, so close them after it instead of holding them all."""
    yield
    from evalcore import auth

    auth.close_shared_accounts()


@pytest.fixture(scope="session")
def workflow_free_db_path(demo_db_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo without its round workflow in progress: no stage submitted, no deadline, no
    problem or evidence recorded. For tests of the workflow's own rules, which start from a
    round where nothing has happened yet (the demo's 2023 has submitted, locked stages and
    windows closed long before today)."""
    path = tmp_path_factory.mktemp("workflow-free") / "demo.duckdb"
    shutil.copyfile(demo_db_path, path)
    with Store(path, read_only=False) as store, store.transaction() as cur:
        for table in ("stage_submissions", "evidence", "problems", "round_stages"):
            cur.execute(f"DELETE FROM {table}")  # noqa: S608 (constants)
    with Store(path, read_only=False) as store:
        store.checkpoint()
    return path
