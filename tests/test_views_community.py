"""Community search: partial Chinese names, pinyin initials (every reading), a county, the
ranking of matches, validated ids; the card shows what the viewer's Reader returns."""

from __future__ import annotations

import pandas as pd
import pytest

from evalcore.access import PUBLIC
from evalcore.reader import Reader
from evalcore.views import community as C

REGIONS = pd.DataFrame({
    "code": ["330000", "330100", "330106", "330382"],
    "name": ["浙江省", "杭州市", "西湖区", "乐清市"],
    "parent_code": [None, "330000", "330100", "330300"],
})
INDEX = pd.DataFrame({
    "id": ["a", "b", "c", "d", "e"],
    "name": ["西湖新村", "新村", "湖滨新村一区", "乐清银行宿舍", "重庆路小区"],
    "county_code": ["330106", "330106", "330106", "330382", "330106"],
    "county": ["西湖区", "西湖区", "西湖区", "乐清市", "西湖区"],
    "city": ["杭州市"] * 3 + ["温州市", "杭州市"],
    "batch_year": [2019, 2020, 2021, 2019, 2022],
})


@pytest.mark.parametrize(("query", "expected"), [
    ("新村", ["b", "a", "c"]),  # the whole name, then anywhere, shorter first
    ("西湖", ["a"]),
    ("xhxc", ["a"]),  # 西湖新村
    ("XC", ["b", "a", "c"]),  # initials at the start (新村) before anywhere; case-insensitive
    ("ｘｈｘｃ", ["a"]),  # full-width letters typed on a Chinese keyboard
    ("yq", ["d", "c"]),  # 乐清 (乐 read yue) at the start, then 湖滨新村一区 (yi qu)
    ("lq", ["d"]),  # … or le
    ("cq", ["e"]),  # 重庆: 重 read chong (or zhong)
    ("zq", ["e"]),
    ("  ", []),
    ("不存在", []),
])
def test_search(query, expected) -> None:
    hits, found = C.search(INDEX, query)
    assert hits["id"].tolist() == expected and found == len(expected)


def test_a_county_lists_its_communities_and_narrows_a_search() -> None:
    hits, found = C.search(INDEX, "", "330382")
    assert hits["id"].tolist() == ["d"] and found == 1
    assert C.search(INDEX, "新村", "330382")[1] == 0
    assert C.search(INDEX, "", None)[1] == 0  # nothing typed, no county: no list


def test_the_limit_keeps_the_best_and_counts_all() -> None:
    hits, found = C.search(INDEX, "村", limit=2)
    assert hits["id"].tolist() == ["b", "a"] and found == 3


def test_queries_are_cut_and_normalised() -> None:
    assert C.normalise(" 西 湖\t") == "西湖"
    assert len(C.normalise("x" * 500)) == C.MAX_QUERY


@pytest.mark.parametrize(("value", "expected"), [
    ("a", "a"), ("330102-2019-001", None), ("<script>", None), ("", None), (None, None),
    ("a" * 65, None), ("../a", None),
])
def test_valid_id(value, expected) -> None:
    assert C.valid_id(value, ["a", "b"]) == expected


def test_char_initials_cover_every_reading() -> None:
    assert C.char_initials("乐") == "ly"
    assert C.char_initials("A") == "a" and C.char_initials("·") == ""


def test_index_and_card_of_the_demo_as_the_public_sees_it(demo_store) -> None:
    reader = Reader(demo_store, PUBLIC)
    communities, regions = reader.communities(), reader.regions()
    index = C.search_index(communities, regions)
    assert len(index) == len(communities)
    assert index["batch_year"].max() <= demo_store.last_public_year()  # published plans only
    row = communities.iloc[0]
    card = C.community_card(row, regions, "zh")
    assert card.name == row["name"]
    assert card.place.startswith(regions.set_index("code").loc[row["county_code"], "name"])
    assert dict(card.facts)["户数"].endswith("户")
    assert f"基础类 {row['items_basic']} 项" in card.items
    funding = C.funding_table(row, "zh")
    assert funding["金额（万元）"].sum() == pytest.approx(
        sum(row[f"fund_{s}_wan"] for s in C.FUNDING_SOURCES), abs=0.6)
    assert funding["金额（万元）"].is_monotonic_decreasing


def test_satisfaction_shows_only_where_the_reader_gives_it(demo_store) -> None:
    communities = Reader(demo_store, PUBLIC).communities()
    regions = demo_store.regions()
    unsurveyed = communities[communities["satisfaction"].isna()]
    surveyed = communities[communities["satisfaction"].notna()]
    assert len(surveyed)
    assert C.community_card(surveyed.iloc[0], regions, "en").satisfaction.endswith("%")
    if len(unsurveyed):
        assert C.community_card(unsurveyed.iloc[0], regions, "en").satisfaction is None


def test_imported_names_cannot_become_markdown() -> None:
    name = "西湖[新村](javascript:alert(1)) **x** #1 <b>y</b>"
    escaped = C.plain(name)
    assert escaped == ("西湖\\[新村\\]\\(javascript:alert\\(1\\)\\) \\*\\*x\\*\\* \\#1 "
                       "\\<b\\>y\\</b\\>")
    row = next(INDEX.assign(name=name).itertuples(index=False))  # as the page passes it
    assert C.result_label(row, "zh").startswith(escaped)
