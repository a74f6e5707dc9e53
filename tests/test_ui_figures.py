"""Figures cached as specs (ui.figure, ui.deck): built once per viewer and key, never shared
between viewers, and shown exactly as built."""

from __future__ import annotations

import json

import plotly.graph_objects as go
import pydeck as pdk
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from evalcore import ui
from evalcore.access import PUBLIC, Viewer
from tests.pages_helper import open_page, plotly_specs

LEADER = Viewer("leader")
TIP = {"text": "{who}"}


@pytest.fixture(autouse=True)
def _empty_caches():
    st.cache_data.clear()
    yield
    st.cache_data.clear()


def _bar(values: list[float], calls: list[str], who: str):
    def build() -> go.Figure:
        calls.append(who)
        return go.Figure(go.Bar(x=["a", "b"], y=values), layout={"title": {"text": who}})
    return build


def test_a_figure_is_built_once_per_key_and_shown_as_built() -> None:
    calls: list[str] = []
    source = ui.Source("/x.duckdb", PUBLIC.key)
    built = _bar([1.0, 2.0], [], "p")()
    first = ui.figure(source, "t", (2022, "zh"), _bar([1.0, 2.0], calls, "p"))
    again = ui.figure(source, "t", (2022, "zh"), _bar([9.0, 9.0], calls, "p"))
    other = ui.figure(source, "t", (2023, "zh"), _bar([3.0, 4.0], calls, "p"))
    assert calls == ["p", "p"]  # the second call with the same key was served from the cache
    assert first.to_dict() == again.to_dict() == built.to_dict()
    assert list(other.data[0].y) == [3.0, 4.0]


def test_a_public_viewer_never_gets_a_figure_cached_for_a_leader() -> None:
    calls: list[str] = []
    private = ui.figure(ui.Source("/x.duckdb", LEADER.key), "t", (2022,),
                        _bar([5.0, 6.0], calls, "leader"))
    public = ui.figure(ui.Source("/x.duckdb", PUBLIC.key), "t", (2022,),
                       _bar([1.0, 2.0], calls, "public"))
    assert calls == ["leader", "public"]
    assert list(private.data[0].y) == [5.0, 6.0] and list(public.data[0].y) == [1.0, 2.0]


def test_a_deck_is_serialised_once_per_viewer_and_key() -> None:
    calls: list[str] = []

    def build(who: str):
        def make() -> pdk.Deck:
            calls.append(who)
            layer = pdk.Layer("ScatterplotLayer", data=[{"p": [120, 30], "who": who}],
                              get_position="p")
            return pdk.Deck(layers=[layer], map_provider=None, tooltip=TIP)
        return make

    leader = ui.deck(ui.Source("/x.duckdb", LEADER.key), "m", (2022,), build("leader"), TIP)
    public = ui.deck(ui.Source("/x.duckdb", PUBLIC.key), "m", (2022,), build("public"), TIP)
    again = ui.deck(ui.Source("/x.duckdb", PUBLIC.key), "m", (2022,), build("other"), TIP)
    assert calls == ["leader", "public"]
    assert json.loads(public.to_json())["layers"][0]["data"][0]["who"] == "public"
    assert json.loads(leader.to_json())["layers"][0]["data"][0]["who"] == "leader"
    assert again.to_json() == public.to_json()


def _show_cached_deck() -> None:
    # AppTest runs this function's source as a script: it imports what it uses.
    import pydeck as pdk
    import streamlit as st

    from evalcore import ui

    def make() -> pdk.Deck:
        layer = pdk.Layer("ScatterplotLayer", data=[{"p": [120, 30], "tip": "西湖区"}],
                          get_position="p", pickable=True)
        return pdk.Deck(layers=[layer], map_provider=None, tooltip={"text": "{tip}"})

    for _ in range(2):  # built, then served from the cache
        st.pydeck_chart(ui.deck(ui.Source("/x.duckdb", "public"), "shown", (1,), make,
                                {"text": "{tip}"}))


def test_a_cached_deck_is_shown_with_its_layers_and_tooltip() -> None:
    at = AppTest.from_function(_show_cached_deck).run()
    built, cached = at.get("deck_gl_json_chart")
    for chart in (built, cached):
        assert json.loads(chart.proto.json)["layers"][0]["data"] == [
            {"p": [120, 30], "tip": "西湖区"}]
        assert json.loads(chart.proto.tooltip) == {"text": "{tip}"}


def test_the_public_after_a_leader_sees_the_public_criterion_figures(demo_db_path,
                                                                   monkeypatch) -> None:
    """D3 is internal: its self-assessed points are masked for the public. A leader's visit
    caches figures with them; the public's visit to the same view must not receive those."""
    query = {"round": "2022", "level": "city", "stage": "self", "dim": "D", "indicator": "D3"}
    public_alone = plotly_specs(open_page(demo_db_path, monkeypatch, "criterion", **query))
    st.cache_data.clear()
    leader = plotly_specs(open_page(demo_db_path, monkeypatch, "criterion", role="leader",
                                    **query))
    public = plotly_specs(open_page(demo_db_path, monkeypatch, "criterion", **query))
    assert leader != public_alone  # the leader does see more
    assert public == public_alone
