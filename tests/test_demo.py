"""The demo database: consistent with the published figures, deterministic, honest."""

from __future__ import annotations

import hashlib

import pytest
import shapely

from evalcore import geography
from evalcore.db import Store
from evalcore.demo import build_demo
from evalcore.schema import TABLES


@pytest.fixture(scope="module")
def demo_db_path(workflow_demo_db_path):
    """This module tests the demo's round workflow in progress (the shipped demo)."""
    return workflow_demo_db_path


@pytest.fixture(scope="module")
def demo_store(workflow_demo_db_path):
    """The shipped demo, read-only (the session's demo_store is the workflow-free one)."""
    from evalcore.db import Store

    store = Store(workflow_demo_db_path, read_only=True)
    yield store
    store.close()


def within(value: float, expected: float, rel: float = 0.01) -> bool:
    return abs(value - expected) <= rel * expected


def test_2019_2020_matches_published_pilot_figures(demo_store: Store) -> None:
    row = demo_store.query(
        "SELECT count(*) n, sum(households) hh, sum(planned_investment_wan) inv "
        "FROM communities WHERE batch_year IN (2019, 2020)"
    ).iloc[0]
    assert within(row["n"], 987)
    assert within(row["hh"], 460_000)
    assert within(row["inv"], 1_450_000)


@pytest.mark.parametrize(("year", "communities"), [(2021, 800), (2022, 607), (2023, 377)])
def test_provincial_targets(demo_store: Store, year: int, communities: int) -> None:
    value = demo_store.scalar(
        "SELECT communities FROM targets WHERE year = ? AND unit_code = '330000'", [year]
    )
    assert value == communities


def test_county_targets_add_up_to_the_province(demo_store: Store) -> None:
    frame = demo_store.query(
        "SELECT t.year, sum(t.communities) s FROM targets t JOIN regions r ON r.code = t.unit_code "
        "WHERE r.level = 'county' GROUP BY t.year ORDER BY t.year"
    )
    province = demo_store.query(
        "SELECT year, communities FROM targets WHERE unit_code = '330000' ORDER BY year"
    )
    assert frame["s"].tolist() == province["communities"].tolist()


@pytest.mark.parametrize(("year", "started"), [(2022, 616), (2023, 393)])
def test_later_batches_follow_published_starts(demo_store: Store, year: int, started: int) -> None:
    n = demo_store.scalar(
        "SELECT count(*) FROM communities WHERE batch_year = ? AND start_date <= make_date(?, 12, 31)",
        [year, year],
    )
    assert within(n, started)  # started by year end, as MOHURD counts them


def test_2023_batch_is_partly_in_progress(demo_store: Store) -> None:
    frame = demo_store.query(
        "SELECT status, count(*) n FROM communities WHERE batch_year = 2023 GROUP BY status"
    ).set_index("status")["n"]
    assert frame.get("started", 0) > 0 and frame.get("completed", 0) + frame.get("accepted", 0) > 0


def test_hangzhou_is_the_largest_city(demo_store: Store) -> None:
    frame = demo_store.query(
        "SELECT r.parent_code city, count(*) n FROM communities c "
        "JOIN regions r ON r.code = c.county_code GROUP BY 1 ORDER BY n DESC"
    )
    assert frame["city"].iloc[0] == "330100"
    assert len(frame) == 11


def test_every_community_lies_inside_its_county(demo_store: Store) -> None:
    frame = demo_store.query("SELECT county_code, lon, lat FROM communities")
    shapes = geography.load_boundaries()
    for code, group in frame.groupby("county_code"):
        inside = shapely.contains_xy(shapes[code], group["lon"], group["lat"])
        assert inside.all(), f"{(~inside).sum()} communities of {code} lie outside it"


def test_rounds_published_and_draft(demo_store: Store) -> None:
    rounds = demo_store.rounds().set_index("year")["published"].to_dict()
    assert rounds == {2023: False, 2022: True, 2021: True, 2020: True}


def test_all_three_stages_scored_with_the_expected_pattern(demo_store: Store) -> None:
    mean = demo_store.query(
        "SELECT stage, avg(points) p FROM scores GROUP BY stage"
    ).set_index("stage")["p"]
    assert mean["self"] > mean["cross"] > mean["third_party"]
    levels = demo_store.query(
        "SELECT r.level, count(DISTINCT s.unit_code) n FROM scores s "
        "JOIN regions r ON r.code = s.unit_code WHERE s.round_year = 2022 GROUP BY 1"
    ).set_index("level")["n"]
    assert levels.to_dict() == {"city": 11, "county": 90}


def test_some_units_clearly_inflate_self_evaluation(demo_store: Store) -> None:
    frame = demo_store.query(
        "SELECT unit_code, avg(s.points - c.points) gap FROM scores s "
        "JOIN scores c USING (round_year, unit_code, indicator_code) "
        "WHERE s.stage = 'self' AND c.stage = 'cross' GROUP BY unit_code"
    )
    assert (frame["gap"] > 0.5).sum() >= 3
    assert (frame["gap"] < 0.4).sum() >= 50


def test_eleven_groups_per_round_none_inspects_its_own_city(demo_store: Store) -> None:
    frame = demo_store.query("SELECT * FROM inspection_groups")
    assert frame.groupby("round_year").size().tolist() == [11, 11, 11, 11]
    assert (frame["leader_city_code"] != frame["inspected_city_code"]).all()
    assert frame.groupby("round_year")["inspected_city_code"].nunique().tolist() == [11] * 4
    assert frame.groupby("round_year")["leader_city_code"].nunique().tolist() == [11] * 4


def test_bonus_claims_have_case_titles_and_rejections(demo_store: Store) -> None:
    frame = demo_store.query("SELECT * FROM bonus_claims")
    assert frame["case_title"].str.len().min() > 4
    verified = frame[frame["stage"] != "self"]
    assert (verified["points_awarded"] == 0).any() and (verified["points_awarded"] > 0).any()


def test_a_few_deductions_and_one_veto(demo_store: Store) -> None:
    frame = demo_store.query("SELECT * FROM deductions")
    assert 5 <= len(frame) <= 60
    assert (frame["code"] == "V1").sum() == 1


def test_demo_is_labelled(demo_store: Store) -> None:
    meta = demo_store.meta()
    assert demo_store.is_demo()
    assert "示例数据" in meta["note_zh"] and "synthetic" in meta["note_en"]


def _content_digest(path) -> str:
    digest = hashlib.sha256()
    with Store(path) as store:
        for table in TABLES:
            frame = store.query(f"SELECT * FROM {table} ORDER BY ALL")  # noqa: S608
            digest.update(frame.to_csv(index=False).encode())
    return digest.hexdigest()


def test_same_seed_same_content_other_seed_differs(tmp_path, demo_db_path) -> None:
    again = tmp_path / "again.duckdb"
    other = tmp_path / "other.duckdb"
    build_demo(again)
    build_demo(other, seed=7)
    assert _content_digest(again) == _content_digest(demo_db_path)
    assert _content_digest(other) != _content_digest(demo_db_path)


# -- agreement with the source and the round workflow (issue 11) ------------------------------

def test_the_cumulative_card_for_2019_2020_shows_the_published_figures(demo_store) -> None:
    # 987 projects started by the end of 2020 with 46万户 [S]: what the public card shows.
    from evalcore.access import PUBLIC
    from evalcore.labels import fmt_households, fmt_number
    from evalcore.reader import Reader
    from evalcore.views.progress import province_row

    row = province_row(Reader(demo_store, PUBLIC).progress(2020, cumulative=True))
    assert row["started"] == 987
    assert fmt_number(row["started"], "zh") == "987"
    assert fmt_households(row["households"], "zh") == "46万户"


CHANNEL_OF = {"F1": "social_capital", "F2": "residents", "F3": "pooled_fiscal",
              "F4": "utilities", "F5": "special_bonds", "F6": "bank_credit"}


def _unit_money(demo_store: Store) -> dict[tuple, float]:
    """(round year, unit, channel) → money of the unit's communities of that batch, 万元."""
    frame = demo_store.query(
        "SELECT c.batch_year, unnest([c.county_code, r.parent_code]) AS unit_code, "  # noqa: S608
        + ", ".join(f"fund_{c}_wan" for c in CHANNEL_OF.values())
        + " FROM communities c JOIN regions r ON r.code = c.county_code")
    sums = frame.groupby(["batch_year", "unit_code"]).sum()
    return {(y, u, ch): float(sums.loc[(y, u), f"fund_{ch}_wan"])
            for (y, u) in sums.index for ch in CHANNEL_OF.values()}


def test_funding_cases_agree_with_the_units_own_communities(demo_store) -> None:
    money = _unit_money(demo_store)
    reviews = demo_store.query("SELECT * FROM bonus_claims WHERE stage <> 'self' "
                               "AND category_code LIKE 'F%'")
    assert len(reviews) > 500
    for r in reviews.itertuples():
        has = money.get((r.round_year, r.unit_code, CHANNEL_OF[r.category_code]), 0.0)
        if r.points_awarded > 0:  # accepted: money in that channel, the case's within it
            assert has > 0 and 0 < r.amount_wan <= has + 1e-6, r
        else:  # rejected: none, and the reason says so
            assert has == 0 and "无资金到位" in r.review_note, r
    rejected = reviews.loc[reviews["points_awarded"] == 0]
    assert 0 < len(rejected) < 0.1 * len(reviews)  # no longer hundreds rejected


def test_accepted_case_amounts_are_community_amounts(demo_store) -> None:
    case = demo_store.query(
        "SELECT round_year, unit_code, category_code, amount_wan, review_note FROM bonus_claims "
        "WHERE stage = 'cross' AND points_awarded > 0 ORDER BY ALL LIMIT 1").iloc[0]
    assert f"{case['amount_wan']:.1f}万元" in case["review_note"]
    column = f"fund_{CHANNEL_OF[case['category_code']]}_wan"
    amounts = demo_store.query(
        f"SELECT c.{column} AS a FROM communities c JOIN regions r ON r.code = c.county_code "  # noqa: S608
        "WHERE c.batch_year = ? AND ? IN (c.county_code, r.parent_code)",
        [int(case["round_year"]), case["unit_code"]])["a"]
    assert case["amount_wan"] in set(amounts.round(1))


def test_recognition_only_where_the_source_has_it(demo_store) -> None:
    frame = demo_store.query("SELECT round_year, unit_code, stage, category_code, points_awarded "
                             "FROM bonus_claims WHERE category_code LIKE 'R%' ORDER BY ALL")
    assert frame.values.tolist() == [[2022, "330100", "self", "R2", 2.0],
                                     [2022, "330100", "third_party", "R2", 2.0]]


def test_hangzhou_leads_the_cities_and_xihu_the_province(demo_store) -> None:
    from evalcore.access import FULL
    from evalcore.reader import Reader

    reader = Reader(demo_store, FULL)
    for year in (2020, 2021, 2022):  # Hangzhou first among cities three years running [S]
        assert reader.board(year, "city", "final", None)["unit_code"].iloc[0] == "330100"
    county = reader.board(2022, "county", "final", None).set_index("unit_code")
    assert county.index[0] == "330106"  # 西湖 first in the province in 2022 [S]
    assert set(county.loc[["330106", "330108", "330127"], "grade"]) == {"excellent"}


def test_every_round_has_deadlines_and_the_workflow_records_who(demo_store) -> None:
    stages = demo_store.query("SELECT round_year, count(*) n FROM round_stages GROUP BY 1 "
                              "ORDER BY 1")
    assert stages.values.tolist() == [[2020, 3], [2021, 3], [2022, 3], [2023, 3]]
    for table in ("bonus_claims", "deductions", "stage_submissions"):
        who = "submitted_by" if table == "stage_submissions" else "recorded_by"
        assert demo_store.scalar(f"SELECT count(*) FROM {table} WHERE {who} IS NULL") == 0  # noqa: S608
    deductions = demo_store.query("SELECT stage, recorded_by FROM deductions WHERE code = 'P1'")
    assert set(deductions["stage"]) == {"third_party"}


def test_the_draft_round_is_in_progress(demo_store) -> None:
    submitted = demo_store.query(
        "SELECT stage, status, count(*) n FROM stage_submissions WHERE round_year = 2023 "
        "GROUP BY ALL").set_index(["stage", "status"])["n"]
    assert 0 < submitted[("self", "submitted")] < 101 and submitted[("self", "reopened")] == 3
    assert 0 < submitted[("cross", "submitted")] < 101
    published = demo_store.query("SELECT count(*) n FROM stage_submissions WHERE round_year < "
                                 "2023 AND status = 'submitted'")["n"].iloc[0]
    assert published == 3 * 3 * 101  # published rounds: every stage of every unit submitted
    problems = demo_store.query("SELECT status, found_stage, deadline FROM problems")
    assert set(problems["status"]) == {"open", "answered", "returned", "closed"}
    assert set(problems["found_stage"]) == {"cross", "third_party"}
    status_day = demo_store.meta()["status_as_of"]
    overdue = problems[(problems["status"] != "closed")
                       & (problems["deadline"].astype(str) < status_day)]
    assert len(overdue) > 0
