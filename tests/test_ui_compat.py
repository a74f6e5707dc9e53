"""The library internals evalcore.ui.compat relies on, pinned to the installed versions.

When an upgrade changes one of them, a test here fails and says which, before a page breaks:
then see whether a public API now serves, and update compat and the pins together.
"""

from __future__ import annotations

import inspect
import json
import re

import plotly
import plotly.graph_objects as go
import pydeck
import pytest
import streamlit
from streamlit.runtime.pages_manager import PagesManager
from streamlit.runtime.scriptrunner import script_runner
from streamlit.testing.v1 import AppTest

from evalcore.figures.map import TOOLTIP, CompactDeck
from evalcore.paths import ROOT
from evalcore.ui import compat


def pinned(package: str) -> str:
    text = (ROOT / "requirements.txt").read_text()
    return re.search(rf"^{package}==(\S+)", text, re.MULTILINE).group(1)


@pytest.mark.parametrize(("module", "package"), [(streamlit, "streamlit"), (plotly, "plotly"),
                                                 (pydeck, "pydeck")])
def test_installed_versions_are_the_pinned_ones(module, package) -> None:
    assert module.__version__ == pinned(package), (
        f"{package} {module.__version__} is installed but {pinned(package)} is pinned: check "
        "every internal in evalcore/ui/compat.py against the new version, then update the pin")


@pytest.fixture
def legacy_flag():
    saved = PagesManager.uses_pages_directory
    yield
    PagesManager.uses_pages_directory = saved


def test_a_pages_folder_still_means_legacy_mode_until_switched_off(legacy_flag) -> None:
    # The flag is a class attribute set by the first PagesManager of the process from the
    # folder beside the main script, and read by the script runner before app.py runs.
    PagesManager.uses_pages_directory = None
    PagesManager(str(ROOT / "app.py"))
    assert PagesManager.uses_pages_directory is True
    assert "PagesManager.uses_pages_directory" in inspect.getsource(script_runner)
    assert "_mpa_v1" in inspect.getsource(script_runner)
    compat.navigation_only()
    assert PagesManager.uses_pages_directory is False
    PagesManager(str(ROOT / "app.py"))  # a later session keeps it off
    assert PagesManager.uses_pages_directory is False


# A spec as ui.specs caches it: a built figure's to_dict() (with plotly's default template).
SPEC = go.Figure(go.Bar(x=["a", "b"], y=[1.0, 2.0]), layout={"title": {"text": "西湖区"}}).to_dict()


def test_a_figure_from_a_spec_is_not_validated_again() -> None:
    figure = compat.figure_from_spec(SPEC)
    assert figure.to_dict() == SPEC
    assert list(figure.data[0].y) == [1.0, 2.0]  # still a real figure for tests to inspect
    invalid = {"data": [{"type": "bar", "y": [1], "marker": {"color": "no-such-colour"}}]}
    with pytest.raises(ValueError, match="no-such-colour"):
        go.Figure(invalid)  # validated
    # Not validated: `_validate=False` still does what it says.
    assert compat.figure_from_spec(invalid).data[0].marker.color == "no-such-colour"


def _show_specs() -> None:
    # AppTest runs this function's source as a script: it imports what it uses.
    import streamlit as st

    from evalcore.ui import compat

    spec = {"data": [{"type": "bar", "x": ["a", "b"], "y": [1.0, 2.0]}],
            "layout": {"title": {"text": "西湖区"}}}
    st.plotly_chart(compat.figure_from_spec(spec))
    deck = '{"layers":[{"@@type":"ScatterplotLayer","data":[{"tip":"x"}],"id":"c"}]}'
    st.pydeck_chart(compat.SpecDeck(deck, {"text": "{tip}"}))


def test_streamlit_shows_a_spec_figure_and_a_spec_deck_as_given() -> None:
    at = AppTest.from_function(_show_specs).run()
    assert not at.exception
    [chart] = at.get("plotly_chart")
    shown = json.loads(chart.proto.spec)
    assert shown["data"][0]["y"] == [1.0, 2.0] and shown["layout"]["title"]["text"] == "西湖区"
    [deck] = at.get("deck_gl_json_chart")
    # st.pydeck_chart takes the deck's `to_json()` (overridden by SpecDeck) and the tooltip
    # pydeck keeps in `Deck._tooltip`.
    assert json.loads(deck.proto.json)["layers"][0]["data"] == [{"tip": "x"}]
    assert json.loads(deck.proto.tooltip) == {"text": "{tip}"}


def test_pydeck_keeps_the_tooltip_where_streamlit_reads_it() -> None:
    deck = compat.SpecDeck("{}", {"text": "{tip}"})
    assert deck._tooltip == {"text": "{tip}"}  # noqa: SLF001 - what this test pins
    assert deck.to_json() == "{}"


def test_a_compact_deck_serialises_as_pydeck_does_without_the_indentation() -> None:
    # figures.map.CompactDeck (no Streamlit, so not in compat) uses pydeck's JSON encoder hook
    # `pydeck.bindings.json_tools.default_serialize`: the same JSON, compact.
    layer = pydeck.Layer("ScatterplotLayer", data=[{"lon": 120.1, "lat": 30.2, "tip": "西湖区"}],
                         id="communities", get_position="[lon, lat]", pickable=True)
    view = pydeck.ViewState(longitude=120, latitude=30, zoom=7)
    compact = CompactDeck(layers=[layer], initial_view_state=view, map_provider=None,
                          tooltip=TOOLTIP).to_json()
    plain = pydeck.Deck(layers=[layer], initial_view_state=view, map_provider=None,
                        tooltip=TOOLTIP).to_json()
    assert json.loads(compact) == json.loads(plain)
    assert "\n" not in compact and len(compact) < len(plain)


def _show_session_id() -> None:
    import streamlit as st

    from evalcore.ui import compat

    st.session_state["id"] = compat.session_id()


def test_the_session_id_comes_from_the_script_run_context() -> None:
    # st.context has no session id in 1.67; the script run context has (sign-in sources).
    at = AppTest.from_function(_show_session_id)
    at.run()
    assert at.session_state["id"] == "test session id"  # AppTest's fixed id
    assert compat.session_id() == ""  # outside a script run
    assert not hasattr(streamlit.context, "session_id")
