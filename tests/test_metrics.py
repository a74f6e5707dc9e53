"""Metrics computed from data: the rectification rate over a round's problems, and a rubric
that derives B3 from it (a test rubric: zj-2020 with B3 = 4 × the rate)."""

from __future__ import annotations

import math
import shutil
from datetime import date, datetime
from pathlib import Path

import pandas as pd
import pytest

from evalcore import actions, metrics, scoring
from evalcore import actions_problems as ap
from evalcore.access import PUBLIC, Viewer
from evalcore.db import Store
from evalcore.paths import RUBRIC_DIR
from evalcore.rounds import load_round_inputs
from evalcore.rubric import RubricError, load_rubric

REGIONS = pd.DataFrame({"code": ["330000", "330100", "330106", "330108", "330200"],
                        "parent_code": [None, "330000", "330100", "330100", "330000"]})


def _problems(*rows: tuple[str, str]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=metrics.PROBLEM_COLUMNS)


@pytest.mark.parametrize(("rows", "expected"), [
    ([("330106", "closed"), ("330106", "open")], {"330106": 0.5}),
    ([("330106", "answered"), ("330106", "returned")], {"330106": 0.0}),
    ([("330106", "closed")], {"330106": 1.0}),
])
def test_rectification_rate_is_closed_over_recorded(rows, expected) -> None:
    assert metrics.rectification_rate(_problems(*rows)).to_dict() == expected


def test_rates_roll_up_to_city_and_province_and_none_recorded_is_nan() -> None:
    found = _problems(("330106", "closed"), ("330108", "open"), ("330100", "closed"),
                      ("330108", "closed"))
    frame = metrics.compute_metrics(pd.DataFrame(columns=["county_code", *metrics.USED_COLUMNS]),
                                    pd.DataFrame(columns=["year", "unit_code", "communities"]),
                                    REGIONS, 2023, found)
    rate = frame[frame["metric"] == "rectification_rate"].set_index("unit_code")["value"]
    assert rate["330106"] == 1.0 and rate["330108"] == 0.5
    assert rate["330100"] == 0.75  # the city's own problem and its counties'
    assert rate["330000"] == 0.75
    assert math.isnan(rate["330200"])  # none recorded: no data, not a perfect rate
    without = metrics.compute_metrics(pd.DataFrame(columns=["county_code",
                                                            *metrics.USED_COLUMNS]),
                                      pd.DataFrame(columns=["year", "unit_code", "communities"]),
                                      REGIONS, 2023)
    assert without.query("metric == 'rectification_rate'")["value"].isna().all()


def test_a_rubric_may_name_the_metric_and_not_an_unknown_one(tmp_path, monkeypatch) -> None:
    write_rubric(tmp_path, "zj-2020-rect", "rectification_rate")
    write_rubric(tmp_path, "zj-2020-bad", "closure_rate")
    monkeypatch.setenv("EVAL_RUBRIC_DIR", str(tmp_path))
    assert load_rubric("zj-2020-rect").indicator("B3").derive.metric == "rectification_rate"
    with pytest.raises(RubricError, match="unknown metric 'closure_rate'.*rectification_rate"):
        load_rubric("zj-2020-bad")


# -- the test rubric: B3 derived from the rectification rate --------------------------------

def write_rubric(folder: Path, version: str, metric: str) -> Path:
    """zj-2020 with B3 (质量安全, 4 points: "4 × closure rate") derived from `metric`."""
    text = (RUBRIC_DIR / "zj-2020.toml").read_text(encoding="utf-8")
    b3 = 'rule_en = "4 × closure rate."\n'
    assert text.count(b3) == 1
    derived = text.replace(b3, b3 + f'\n[indicators.derive]\nmetric = "{metric}"\n'
                                    'method = "linear"\n').replace('id = "zj-2020"',
                                                                   f'id = "{version}"', 1)
    (folder / f"{version}.toml").write_text(derived, encoding="utf-8")
    shutil.copy(RUBRIC_DIR / "jx-2022.toml", folder / "jx-2022.toml")
    shutil.copy(RUBRIC_DIR / "zj-2020.toml", folder / "zj-2020.toml")
    return folder / f"{version}.toml"


@pytest.fixture
def derived_db(demo_db_path: Path, tmp_path: Path, monkeypatch) -> Path:
    """The demo, its draft 2023 scored on the test rubric, with problems: 越城区 (330602) two
    recorded, one closed; 上虞区 (330604) one, open; 柯桥区 (330603) none."""
    folder = tmp_path / "rubrics"
    folder.mkdir()
    write_rubric(folder, "zj-2020-rect", "rectification_rate")
    monkeypatch.setenv("EVAL_RUBRIC_DIR", str(folder))
    path = tmp_path / "d.duckdb"
    shutil.copyfile(demo_db_path, path)
    with Store(path, read_only=False) as store:
        with store.writing() as cur:
            cur.execute("UPDATE rounds SET rubric_version = 'zj-2020-rect' WHERE year = 2023")
        now = datetime(2024, 1, 10)
        for unit, n in (("330602", 2), ("330604", 1)):
            for _ in range(n):
                ap.record_problem(store, actions.CLI, 2023, unit, "问题", "minor",
                                  date(2024, 3, 1), now=now)
        ap.answer_problem(store, actions.CLI, 1, "已整改", now=now)
        ap.close_problem(store, actions.CLI, 1, now=now)
    return path


def test_b3_is_computed_from_the_rate(derived_db: Path) -> None:
    with Store(derived_db) as store:
        inputs = load_round_inputs(store, 2023)
        table = scoring.indicator_table(inputs, "county", None)
    b3 = table[table["indicator_code"] == "B3"].set_index("unit_code")
    assert bool(b3.loc["330602", "derived"])
    assert b3.loc["330602", "points"] == pytest.approx(2.0)  # 4 × 1/2
    assert b3.loc["330604", "points"] == pytest.approx(0.0)  # 4 × 0/1
    assert not b3.loc["330604", "no_data"]
    assert b3.loc["330603", "points"] == 0.0  # none recorded: no data, 0 points
    assert b3.loc["330603", "no_data"]
    for stage in ("self", "cross", "third_party"):  # data does not depend on who looks
        assert b3.loc["330602", stage] == pytest.approx(2.0)


def test_every_viewer_who_sees_the_result_gets_the_same_points(derived_db: Path) -> None:
    with Store(derived_db, read_only=False) as store:
        full = scoring.leaderboard(load_round_inputs(store, 2023), "county", "final", None)
        unit = scoring.leaderboard(load_round_inputs(store, 2023, Viewer("unit",
                                                                         unit_code="330602")),
                                   "county", "final", None)
        mine = full.set_index("unit_code").loc["330602", "total"]
        assert unit.set_index("unit_code").loc["330602", "total"] == pytest.approx(mine)
        actions.set_published(store, actions.CLI, 2023, True)
        public = scoring.leaderboard(load_round_inputs(store, 2023, PUBLIC), "county", "final",
                                     None)
    assert public.set_index("unit_code").loc["330602", "total"] == pytest.approx(mine)
