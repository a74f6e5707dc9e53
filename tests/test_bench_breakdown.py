"""bench.breakdown: websocket messages read as timeline events, and what a page must show
learnt from them (no fixed table of pages to drift when a page changes)."""

from __future__ import annotations

import pytest
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from bench.breakdown import _forward_kind, kinds_drawn
from bench.browser import SELECTORS


def _element(kind: str) -> bytes:
    msg = ForwardMsg()
    getattr(msg.delta.new_element, kind).SetInParent()
    return msg.SerializeToString()


@pytest.mark.parametrize(("element", "event"), [
    ("plotly_chart", "delta:plotly"),
    ("deck_gl_json_chart", "delta:deck"),
    ("dataframe", "delta:table"),
    ("table", "delta:static_table"),  # st.table is not a data frame
    ("markdown", "delta:markdown"),
])
def test_elements_are_named_by_the_kinds_the_browser_waits_for(element, event) -> None:
    assert _forward_kind(_element(element)) == event


def test_other_messages_and_garbage() -> None:
    msg = ForwardMsg()
    msg.script_finished = ForwardMsg.FINISHED_SUCCESSFULLY
    assert _forward_kind(msg.SerializeToString()) == "script_finished"
    msg.script_finished = ForwardMsg.FINISHED_EARLY_FOR_RERUN  # not the run that draws
    assert _forward_kind(msg.SerializeToString()) == "script_finished_early"
    assert _forward_kind(b"\xff\x00not a message") == "unparsed"


def test_kinds_drawn_are_those_that_arrived() -> None:
    events = {"delta:markdown": 1.0, "delta:plotly": 1.2, "delta:static_table": 1.3,
              "script_finished": 1.4}
    assert kinds_drawn(events) == ["plotly"]
    assert kinds_drawn({**events, "delta:table": 1.3, "delta:deck": 1.35}) == [
        k for k in SELECTORS if k in ("plotly", "deck", "table")]
