"""Layers: only the bridge (evalcore/ui/) imports Streamlit, and the bridge stays small.

Everything else in evalcore is importable and testable without Streamlit: checked in the
source, and by importing the main modules in a fresh interpreter.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

from evalcore.paths import ROOT

EVALCORE = ROOT / "evalcore"
BRIDGE = EVALCORE / "ui"
MAX_BRIDGE_LINES = 250


def imported_modules(path: Path) -> set[str]:
    """Every module a file imports, at any depth (inside functions too)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
    return found


def outside_bridge() -> list[Path]:
    return sorted(p for p in EVALCORE.rglob("*.py") if BRIDGE not in p.parents)


@pytest.mark.parametrize("path", outside_bridge(), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_module_outside_the_bridge_imports_streamlit(path: Path) -> None:
    streamlit = {m for m in imported_modules(path) if m.split(".")[0] == "streamlit"}
    assert not streamlit, f"{path.relative_to(ROOT)} imports {sorted(streamlit)}"


def test_the_main_modules_load_without_streamlit() -> None:
    modules = ["evalcore.views", "evalcore.figures", "evalcore.db", "evalcore.importer",
               "evalcore.reader", "evalcore.actions", "evalcore.manage", "evalcore.access",
               "evalcore.auth", "evalcore.report", "evalcore.scoring", "evalcore.rounds_setup",
               "evalcore.importer.setup", "evalcore.importer.setup_template"]
    # Every submodule of the view and figure packages too (a package's __init__ alone loads
    # none of them).
    for package in ("views", "figures"):
        modules += [f"evalcore.{package}.{p.stem}" for p in (EVALCORE / package).glob("*.py")
                    if p.stem != "__init__"]
    code = ("import importlib, sys\n"
            f"for name in {modules!r}:\n"
            "    importlib.import_module(name)\n"
            "print(sorted(m for m in sys.modules if m.split('.')[0] == 'streamlit'))\n")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                            text=True, timeout=120, check=True)
    assert result.stdout.strip() == "[]", result.stdout


@pytest.mark.parametrize("path", sorted(BRIDGE.glob("*.py")), ids=lambda p: p.name)
def test_every_bridge_module_is_small_and_says_what_belongs_there(path: Path) -> None:
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_BRIDGE_LINES, f"{path.name}: {lines} lines"
    assert ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))), path.name


def test_the_bridge_is_a_package_with_no_leftover_module() -> None:
    assert not (EVALCORE / "ui.py").exists()
    assert (BRIDGE / "__init__.py").exists()
