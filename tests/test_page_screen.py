"""Big screen page: the public's latest published round whoever is signed in, its numbers from
the Reader, panels in turn, URL settings validated, no frame (selectors, sidebar), and a round
published on the data page shown at the next refresh."""

from __future__ import annotations

import pytest
import streamlit as st

from evalcore.access import PUBLIC
from evalcore.db import Store
from evalcore.reader import Reader
from evalcore.views import screen as S
from tests.pages_helper import open_page, private_copy


def metrics(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def test_headline_and_counter_equal_the_public_reader(demo_db_path, monkeypatch) -> None:
    at = open_page(demo_db_path, monkeypatch, "screen")
    with Store(demo_db_path) as store:
        progress = Reader(store, PUBLIC).progress(2022)
        cumulative = Reader(store, PUBLIC).progress(2022, cumulative=True)
    head = S.headline(progress, 2022, "zh")
    shown = metrics(at)
    assert shown["2022年开工目标完成率"] == head.rate_text
    assert shown["2022年已开工小区"] == S.counter(progress, cumulative, "zh")[0] == head.started
    assert "2022年度" in at.title[0].value
    assert at.get("progress")[0].value == min(round(head.rate * 100), 100)
    assert any("示例数据" in m.value for m in at.markdown)  # demo data is labelled


def test_no_frame_no_selectors_no_sidebar(demo_db_path, monkeypatch) -> None:
    at = open_page(demo_db_path, monkeypatch, "screen")
    assert not at.selectbox and not at.sidebar.expander and not at.sidebar.selectbox
    css = [h.proto.body for h in at.get("html")]
    assert any('[data-testid="stSidebar"]' in c for c in css)
    assert all(c.startswith("<style>") and c.endswith("</style>") for c in css)


@pytest.mark.parametrize("role", ["leader", "admin"])
def test_signed_in_users_see_what_the_public_sees(demo_db_path, monkeypatch, role) -> None:
    at = open_page(demo_db_path, monkeypatch, "screen", role=role, round="2023")
    assert "2022年度" in at.title[0].value  # not the draft 2023
    assert "2023" not in " ".join(m.label for m in at.metric)


def test_panels_take_turns_at_each_refresh(demo_db_path, monkeypatch) -> None:
    at = open_page(demo_db_path, monkeypatch, "screen", lang="en")
    seen = [at.subheader[0].value]
    for _ in range(len(S.PANELS)):
        at.run()
        seen.append(at.subheader[0].value)
    assert seen[0] == "Renovated communities, 2022 (schematic)"
    assert seen[1] == "2022 evaluation · top five cities" and seen[4] == seen[0]
    assert len(set(seen[:4])) == 4


def test_the_ranking_panel_is_the_public_board(demo_db_path, monkeypatch) -> None:
    at = open_page(demo_db_path, monkeypatch, "screen", panel="ranking")
    with Store(demo_db_path) as store:
        board = Reader(store, PUBLIC).board(2022, "city", "final", None)
    table = at.table[0].value
    assert table["单位"].tolist() == board["unit_name"].head(S.TOP).tolist()


def test_the_cities_panel_draws_every_city_best_first(demo_db_path, monkeypatch) -> None:
    import json

    at = open_page(demo_db_path, monkeypatch, "screen", panel="cities", theme="dark")
    [chart] = at.get("plotly_chart")
    spec = json.loads(chart.proto.spec)
    with Store(demo_db_path) as store:
        rates = S.city_rates(Reader(store, PUBLIC).progress(2022))
    assert list(spec["data"][0]["y"]) == rates["name"].tolist()
    assert spec["layout"]["paper_bgcolor"] == "#0e1a2b"  # the dark variant


@pytest.mark.parametrize("params", [
    {"rotate": "0"}, {"rotate": "abc"}, {"rotate": "99999999"}, {"theme": "<b>"},
    {"panel": "../../x"}, {"lang": "fr"},
])
def test_hostile_settings_are_ignored(demo_db_path, monkeypatch, params) -> None:
    at = open_page(demo_db_path, monkeypatch, "screen", **params)
    assert "2022" in at.title[0].value
    css = " ".join(h.proto.body for h in at.get("html"))
    assert "<b>" not in css and "../../x" not in css


def test_a_round_published_on_the_data_page_shows_at_the_next_refresh(demo_db_path,
                                                                      monkeypatch) -> None:
    """Publishing writes through the app's store and clears every cache (ui.actions._changed);
    the screen's fragment re-reads the loaders at each refresh, so the next one shows it."""
    from evalcore import actions, ui

    at = open_page(demo_db_path, monkeypatch, "screen", private=private_copy(demo_db_path),
                   panel="map")
    assert "2022年度" in at.title[0].value
    actions.set_published(ui.store(), actions.Actor(None), 2023, True)
    at.run()
    assert "2022年度" in at.title[0].value  # cached until the caches are cleared …
    st.cache_data.clear()  # … which the data page's every write does
    at.run()
    assert "2023年度" in at.title[0].value
    assert "2023年已开工小区" in metrics(at)
