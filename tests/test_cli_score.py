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


def _county_board(capsys, db: Path, year: int) -> pd.DataFrame:
    out = run_cli(capsys, "--db", str(db), "--round", str(year), "--level", "county",
                  "--format", "csv")
    return pd.read_csv(io.StringIO(out), dtype={"unit_code": str})


def test_the_vetoed_unit_ranks_last_in_the_published_2021_board(demo_db_path, capsys) -> None:
    # 龙泉 (331181) has the demo's one veto: 67.16 points, which would rank 87th of 90; it ranks
    # after every unit without a veto, and the three units it outscored move up one place.
    board = _county_board(capsys, demo_db_path, 2021).set_index("unit_code")
    assert len(board) == 90
    assert board.loc["331181", ["rank", "grade"]].tolist() == [90, "fail"]
    assert board.index[-1] == "331181"
    outscored = board.loc[board["total"] < board.loc["331181", "total"]]
    assert sorted(outscored.index) == ["330303", "331024", "331083"]
    assert sorted(outscored["rank"]) == [87, 88, 89]


def test_totals_shown_equal_share_a_rank_in_the_published_2020_board(demo_db_path,
                                                                     capsys) -> None:
    # 永嘉 93.1404 and 南湖 93.1415 both show 93.14: one rank (12), the next is 14; in display
    # order the higher base comes first (永嘉's base 90.14 before 南湖's 89.14).
    board = _county_board(capsys, demo_db_path, 2020)
    tied = board.loc[board["rank"] == 12]
    assert list(tied["unit_code"]) == ["330324", "330402"]
    assert tied["total"].tolist() == [93.14, 93.14]
    assert 13 not in set(board["rank"]) and 14 in set(board["rank"])
