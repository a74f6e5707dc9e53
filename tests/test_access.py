"""The access policy, enforced where data is loaded: what each role can obtain from the store."""

from __future__ import annotations

import pandas as pd
import pytest

from evalcore.access import FULL, PUBLIC, Viewer
from evalcore.db import Store
from evalcore.rounds import RoundNotFound, load_round_inputs

DRAFT, PUBLISHED = 2023, 2022
UNIT = Viewer("unit", unit_code="330106")


def test_viewer_keys_round_trip() -> None:
    for viewer in (PUBLIC, FULL, UNIT, Viewer("group", group_city_code="330200"),
                   Viewer("leader")):
        assert Viewer.from_key(viewer.key) == viewer
    with pytest.raises(ValueError):
        Viewer("root")


def test_public_sees_published_rounds_only(demo_store: Store) -> None:
    assert DRAFT not in set(demo_store.rounds(PUBLIC)["year"])
    assert DRAFT in set(demo_store.rounds(Viewer("leader"))["year"])
    assert demo_store.scores(DRAFT, PUBLIC).empty
    assert demo_store.bonus_claims(DRAFT, PUBLIC).empty
    assert demo_store.deductions(DRAFT, PUBLIC).empty
    assert demo_store.inspection_groups(DRAFT, PUBLIC).empty
    with pytest.raises(RoundNotFound):
        load_round_inputs(demo_store, DRAFT, PUBLIC)


def test_public_sees_no_notes_or_reasons(demo_store: Store) -> None:
    assert demo_store.scores(PUBLISHED, FULL)["note"].notna().any()
    assert demo_store.scores(PUBLISHED, PUBLIC)["note"].isna().all()
    assert demo_store.bonus_claims(PUBLISHED, PUBLIC)["review_note"].isna().all()
    assert demo_store.deductions(PUBLISHED, PUBLIC)["reason"].isna().all()


def test_public_progress_stops_at_the_last_published_year(demo_store: Store) -> None:
    assert demo_store.communities(PUBLIC)["batch_year"].max() == PUBLISHED
    assert demo_store.communities(FULL)["batch_year"].max() == DRAFT
    assert demo_store.targets(PUBLIC)["year"].max() == PUBLISHED


def test_unit_user_sees_its_own_draft_and_others_published(demo_store: Store) -> None:
    draft = demo_store.scores(DRAFT, UNIT)
    assert set(draft["unit_code"]) == {"330106"}
    assert draft["note"].notna().any() or draft["note"].isna().all()  # own notes allowed
    assert demo_store.scores(PUBLISHED, UNIT)["unit_code"].nunique() == 101
    others = demo_store.scores(PUBLISHED, UNIT).query("unit_code != '330106'")
    assert others["note"].isna().all()


def test_group_sees_the_city_it_inspects_in_the_draft(demo_store: Store) -> None:
    groups = demo_store.inspection_groups(DRAFT)
    row = groups.iloc[0]
    viewer = Viewer("group", group_city_code=row["leader_city_code"])
    units = set(demo_store.scores(DRAFT, viewer)["unit_code"])
    inspected = row["inspected_city_code"]
    assert inspected in units and all(u[:4] == inspected[:4] for u in units)


def test_internal_indicator_stage_detail_is_masked_but_final_is_kept(demo_store) -> None:
    from evalcore import scoring
    from evalcore.access import mask_internal

    table = scoring.indicator_table(load_round_inputs(demo_store, PUBLISHED, PUBLIC), "city")
    masked = mask_internal(table, {"D3"}, own=["330100"], full=False)
    d3 = masked[masked["indicator_code"] == "D3"].set_index("unit_code")
    assert d3.drop(index="330100")[["self", "cross", "third_party"]].isna().all().all()
    assert d3.loc["330100", ["self", "cross"]].notna().all()  # its own unit sees the detail
    assert d3["points"].equals(table[table["indicator_code"] == "D3"].set_index("unit_code")["points"])
    other = masked[masked["indicator_code"] == "A1"]
    assert other["self"].notna().all()
    assert mask_internal(table, {"D3"}, [], full=True) is table


def test_public_final_scores_equal_the_full_view(demo_store: Store) -> None:
    from evalcore import scoring

    public = scoring.leaderboard(load_round_inputs(demo_store, PUBLISHED, PUBLIC), "county")
    full = scoring.leaderboard(load_round_inputs(demo_store, PUBLISHED, FULL), "county")
    assert public["total"].round(9).tolist() == full["total"].round(9).tolist()


VIEWERS = [PUBLIC, FULL, UNIT, Viewer("group", group_city_code="330200"), Viewer("leader")]


@pytest.mark.parametrize("viewer", VIEWERS, ids=lambda v: v.role)
@pytest.mark.parametrize("year", [DRAFT, PUBLISHED])
def test_lean_scoring_readers_follow_the_same_rule(demo_store: Store, viewer, year) -> None:
    """What scoring reads (fewer columns) is exactly those columns of the full readers."""
    columns = ["unit_code", "stage", "indicator_code", "points"]
    pd.testing.assert_frame_equal(demo_store.score_points(year, viewer),
                                  demo_store.scores(year, viewer)[columns])
    full = demo_store.communities(viewer)
    lean = demo_store.community_metrics_rows(viewer)
    pd.testing.assert_frame_equal(lean, full[list(lean.columns)])
    assert "name" not in lean and len(lean) == len(full)
