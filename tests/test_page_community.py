"""Community search page: matches, the county list and the card agree with the public's
Reader (published plans only, statuses as at the end of the last published year); the
permalink and its QR code; hostile or unpublished ids are refused."""

from __future__ import annotations

import re

import pytest

from evalcore.access import PUBLIC
from evalcore.db import Store
from evalcore.reader import Reader
from evalcore.views import community as C
from tests.pages_helper import open_page


def public(db):
    store = Store(db)
    return store, Reader(store, PUBLIC)


def result_links(at) -> list[str]:
    return [link.proto.query_string for link in at.get("page_link")
            if "community=" in link.proto.query_string]


def test_a_partial_chinese_name_lists_the_readers_matches(demo_db_path, monkeypatch) -> None:
    at = open_page(demo_db_path, monkeypatch, "community", round="2022")
    assert "开始查询" in at.info[-1].value  # nothing listed before a search
    at.text_input(key="community.q").input("化工").run()
    store, reader = public(demo_db_path)
    with store:
        index = C.search_index(reader.communities(), reader.regions())
    hits, found = C.search(index, "化工")
    assert found > 0 and at.subheader[0].value == f"找到 {found} 个小区"
    ids = [re.search(r"community=([^&]+)", q).group(1) for q in result_links(at)]
    assert ids == hits["id"].tolist()
    labels = [link.proto.label for link in at.get("page_link") if "community=" in
              link.proto.query_string]
    assert all("化工" in label for label in labels)


def test_pinyin_initials_find_the_same_community(demo_db_path, monkeypatch) -> None:
    at = open_page(demo_db_path, monkeypatch, "community", round="2022")
    store, reader = public(demo_db_path)
    with store:
        name = reader.communities()["name"].iloc[0]  # 上城化工新村
    initials = "".join(C.char_initials(c)[0] for c in name)
    at.text_input(key="community.q").input(initials).run()
    assert any(name in link.proto.label for link in at.get("page_link"))


def test_a_county_lists_its_published_communities(demo_db_path, monkeypatch) -> None:
    at = open_page(demo_db_path, monkeypatch, "community", round="2022", county="330106")
    store, reader = public(demo_db_path)
    with store:
        communities = reader.communities()
        last = store.last_public_year()
    shown = communities[communities["county_code"] == "330106"]
    assert at.subheader[0].value == f"找到 {len(shown)} 个小区"
    assert len(result_links(at)) == min(len(shown), C.RESULT_LIMIT)
    assert shown["batch_year"].max() <= last  # the draft year's plan is not listed


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_card_shows_the_community_as_published(demo_db_path, monkeypatch, lang) -> None:
    store, reader = public(demo_db_path)
    with store:
        communities = reader.communities()
        last = store.last_public_year()
    # A community of the last published plan: still under way at that year's end.
    row = communities[(communities["batch_year"] == last)
                      & (communities["status"] == "started")].iloc[0]
    at = open_page(demo_db_path, monkeypatch, "community", community=row["id"], lang=lang)
    assert at.header[0].value == row["name"]
    status = "▲ 已开工" if lang == "zh" else "▲ Started"
    assert at.markdown[0].value.startswith(f"**{status}**")
    assert f"{last}-12-31" in at.caption[0].value  # status as at the last published year's end
    facts = at.markdown[1].value
    households = f"{row['households']}户" if lang == "zh" else f"{row['households']:,} households"
    assert households in facts
    assert str(row["start_date"].date()) in facts
    not_yet = "尚未公布" if lang == "zh" else "Not published yet"
    assert not_yet in facts  # satisfaction is surveyed after completion
    funding = at.dataframe[0].value
    assert funding.iloc[:, 1].sum() == pytest.approx(
        sum(row[f"fund_{s}_wan"] for s in C.FUNDING_SOURCES), abs=1)
    [link] = [c.value for c in at.code]
    assert link == f"/community?community={row['id']}&lang={lang}"  # relative without a browser
    [qr] = at.get("image")  # the QR code, with its caption as text
    assert qr.captions == ["二维码：扫码打开本小区页面" if lang == "zh" else
                           "QR code: scan to open this community's page"]
    assert any("示例数据" in i.value or "Demo data" in i.value for i in at.info)


def test_a_completed_communitys_card_shows_its_satisfaction(demo_db_path, monkeypatch) -> None:
    store, reader = public(demo_db_path)
    with store:
        communities = reader.communities()
    row = communities[communities["satisfaction"].notna()].iloc[0]
    at = open_page(demo_db_path, monkeypatch, "community", community=row["id"], lang="en")
    assert f"{row['satisfaction']:.1%}" in at.markdown[1].value


@pytest.mark.parametrize("value", ["<script>alert(1)</script>", "330102-2019-999",
                                   "../../etc/passwd", "x" * 200])
def test_a_bad_id_is_refused_and_the_search_shown(demo_db_path, monkeypatch, value) -> None:
    at = open_page(demo_db_path, monkeypatch, "community", community=value)
    assert at.warning and "不存在或尚未公布" in at.warning[0].value
    assert "community" not in at.query_params
    assert at.text_input(key="community.q")


def test_a_community_of_an_unpublished_plan_is_not_shown(demo_db_path, monkeypatch) -> None:
    with Store(demo_db_path) as store:
        draft = store.communities().query("batch_year > @store.last_public_year()")
    assert len(draft)
    at = open_page(demo_db_path, monkeypatch, "community", community=draft["id"].iloc[0])
    assert at.warning and not at.header
