"""`python -m evalcore score`: the leaderboard on the command line, and the golden 2022 board.

The golden file pins the demo round 2022 (cities) exactly. When a deliberate change to the
rubric, the demo generator or the engine moves it, regenerate it with
`UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_cli_score.py` and review the diff.
"""

from __future__ import annotations

import io
import json
import os
from pathlib import Path

import pandas as pd
import pytest

from evalcore.__main__ import main

GOLDEN = Path(__file__).parent / "golden" / "leaderboard_2022_city.csv"


def run_cli(capsys, *args: str) -> str:
    assert main(["score", *args]) == 0
    return capsys.readouterr().out


def test_golden_leaderboard_2022_cities(demo_db_path, capsys) -> None:
    out = run_cli(capsys, "--db", str(demo_db_path), "--round", "2022", "--level", "city",
                  "--format", "csv")
    if os.environ.get("UPDATE_GOLDEN"):
        GOLDEN.write_text(out, encoding="utf-8")
    assert out == GOLDEN.read_text(encoding="utf-8")


def test_golden_agrees_with_published_facts() -> None:
    board = pd.read_csv(GOLDEN, dtype={"unit_code": str})
    assert board.iloc[0]["unit_name"] == "杭州市"  # first among cities in 2022 [S]
    assert board["rank"].tolist() == sorted(board["rank"].tolist())
    assert len(board) == 11


def test_json_with_sensitivity(demo_db_path, capsys) -> None:
    out = run_cli(capsys, "--db", str(demo_db_path), "--round", "2022", "--level", "county",
                  "--format", "json", "--sensitivity", "200")
    rows = json.loads(out)
    assert len(rows) == 90
    first = rows[0]
    assert {"unit_code", "unit_name", "total", "rank", "grade", "A", "E", "bonus",
            "deductions", "rank_p05", "rank_median", "rank_p95"} <= set(first)
    assert all(r["rank_p05"] <= r["rank_median"] <= r["rank_p95"] for r in rows)


def test_within_city_and_stage(demo_db_path, capsys) -> None:
    out = run_cli(capsys, "--db", str(demo_db_path), "--round", "2021", "--level", "county",
                  "--within", "330100", "--stage", "self", "--format", "csv")
    board = pd.read_csv(io.StringIO(out), dtype={"unit_code": str})
    assert len(board) == 13 and board["unit_code"].str.startswith("3301").all()


def test_published_county_facts_hold_in_2022(demo_db_path, capsys) -> None:
    out = run_cli(capsys, "--db", str(demo_db_path), "--round", "2022", "--level", "county",
                  "--format", "csv")
    board = pd.read_csv(io.StringIO(out), dtype={"unit_code": str}).set_index("unit_name")
    assert board.iloc[0].name == "西湖区"  # first in the province [S]
    assert (board.loc[["西湖区", "滨江区", "淳安县"], "grade_name_zh"] == "优秀").all()  # [S]


def test_unknown_round(demo_db_path, capsys) -> None:
    assert main(["score", "--db", str(demo_db_path), "--round", "1990", "--level", "city"]) == 2
    assert "round 1990 does not exist" in capsys.readouterr().err


@pytest.mark.parametrize("fmt", ["table", "csv"])
def test_demo_label_on_stderr(demo_db_path, capsys, fmt) -> None:
    main(["score", "--db", str(demo_db_path), "--round", "2020", "--level", "city", "--format", fmt])
    assert "demo data" in capsys.readouterr().err
