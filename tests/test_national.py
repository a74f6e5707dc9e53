"""The national-scale generator: the issue's size by default, a valid database that scores."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from evalcore import scoring
from evalcore.db import Store
from evalcore.demo.national import (
    DATASET,
    ZHEJIANG_BOX,
    NationalSpec,
    boundaries_path,
    build_national,
    province_cells,
    split_boxes,
)
from evalcore.rounds import load_round_inputs
from evalcore.rubric import load_rubric

TINY = NationalSpec().scaled(0.001)  # Zhejiang, one synthetic province, two synthetic cities


@pytest.fixture(scope="module")
def tiny_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("national") / "national.duckdb"
    build_national(path, TINY, seed=7)
    return path


@pytest.fixture(scope="module")
def tiny(tiny_db: Path) -> Store:
    store = Store(tiny_db)
    yield store
    store.close()


def test_default_size_is_the_issues_nation() -> None:
    spec = NationalSpec()
    manual = len(load_rubric("zj-2020").manual_indicators())
    score_rows = (spec.cities + spec.counties) * manual * 3 * len(spec.years)
    assert (spec.cities, spec.counties, spec.communities, len(spec.years)) == (
        300, 2850, 220_000, 5)
    assert 800_000 < score_rows < 1_100_000  # "about a million score rows"


def test_scaled_keeps_zhejiang_whole() -> None:
    assert (TINY.cities, TINY.counties, TINY.communities) == (13, 94, 2000)
    assert NationalSpec().scaled(0.05).cities == 15


def test_split_boxes_tiles_each_parent() -> None:
    parents = np.array([[0.0, 0.0, 4.0, 2.0], [10.0, 10.0, 11.0, 11.0]])
    boxes = split_boxes(parents, np.array([5, 1]))
    assert len(boxes) == 6
    assert np.allclose(boxes[5], parents[1])
    area = ((boxes[:5, 2] - boxes[:5, 0]) * (boxes[:5, 3] - boxes[:5, 1])).sum()
    assert area <= 8.0 and (boxes[:5, :2] >= 0).all() and (boxes[:5, 2] <= 4).all()


def test_province_cells_keep_clear_of_zhejiang() -> None:
    cells = province_cells(30)
    x0, y0, x1, y1 = ZHEJIANG_BOX
    overlap = (cells[:, 0] < x1) & (cells[:, 2] > x0) & (cells[:, 1] < y1) & (cells[:, 3] > y0)
    assert len(cells) == 30 and not overlap.any()


def test_labelled_synthetic(tiny: Store) -> None:
    meta = tiny.meta()
    assert meta["dataset"] == DATASET
    assert "synthetic" in meta["note_en"] and json.loads(meta["spec"])["cities"] == 13


def test_regions_have_the_spec_size(tiny: Store) -> None:
    levels = tiny.regions()["level"].value_counts().to_dict()
    assert levels == {"province": 2, "city": 13, "county": 94}


def test_every_county_renovates_every_batch(tiny: Store) -> None:
    per = tiny.query("SELECT county_code, count(DISTINCT batch_year) AS n FROM communities "
                     "GROUP BY county_code")
    assert len(per) == 94 and (per["n"] == len(TINY.batch_years)).all()
    assert tiny.scalar("SELECT count(*) FROM communities") == TINY.communities


def test_scores_cover_every_unit_and_stage(tiny: Store) -> None:
    per = tiny.query("SELECT round_year, stage, count(*) AS n FROM scores "
                     "GROUP BY ALL ORDER BY ALL")
    full = 107 * 18
    published = per[per["round_year"] < TINY.years[-1]]
    assert (published["n"] == full).all() and len(published) == 3 * (len(TINY.years) - 1)
    draft = per[per["round_year"] == TINY.years[-1]].set_index("stage")["n"]
    assert draft["self"] == full and 0 < draft["third_party"] < full  # third party still visiting


def test_a_round_scores(tiny: Store) -> None:
    inputs = load_round_inputs(tiny, TINY.years[-2])
    for level, n in (("city", 13), ("county", 94)):
        board = scoring.leaderboard(inputs, level)
        assert len(board) == n and board["total"].notna().all()
        assert board["rank"].min() == 1
        assert board["no_data_count"].mean() < 0.1  # the metrics find data almost everywhere
    ranks = scoring.rank_uncertainty(inputs, "county", draws=50, seed=1)
    assert len(ranks) == 94


def test_boundaries_beside_the_database(tiny_db: Path, tiny: Store) -> None:
    features = json.loads(boundaries_path(tiny_db).read_text(encoding="utf-8"))["features"]
    assert len(features) == len(tiny.regions())
    synthetic = [f for f in features if not f["properties"]["code"].startswith("33")]
    assert {f["geometry"]["type"] for f in synthetic} == {"Polygon"}
    points = tiny.query("SELECT c.lon, c.lat, c.county_code FROM communities c "
                        "WHERE c.county_code NOT LIKE '33%'")
    box = {f["properties"]["code"]: np.array(f["geometry"]["coordinates"][0]) for f in synthetic}
    for row in points.itertuples():
        ring = box[row.county_code]
        assert ring[:, 0].min() <= row.lon <= ring[:, 0].max()
        assert ring[:, 1].min() <= row.lat <= ring[:, 1].max()


def test_deterministic(tmp_path: Path, tiny: Store) -> None:
    again = tmp_path / "again.duckdb"
    build_national(again, TINY, seed=7)
    with Store(again) as store:
        assert store.scores(TINY.years[0]).equals(tiny.scores(TINY.years[0]))
        assert store.communities().equals(tiny.communities())
