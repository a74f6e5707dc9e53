"""The public tier's benchmark parts that need no server: targets, queries, what counts as a
page's content when reruns are compared, process trees."""

from __future__ import annotations

import os

import pytest
from streamlit.proto.Delta_pb2 import Delta

from bench.report import target_for
from bench.sessions import _content, session_cookie
from bench.tier import descendants, explicit_query


@pytest.mark.parametrize(("metric", "target"), [
    ("tier_sessions_p95_s:nginx2:50", 2),
    ("tier_sessions_p95_s:direct:50", 2),
    ("tier_sessions_p95_s:nginx2:10", None),
    ("tier_first_paint_s:leaderboard:proxied", 2),
    ("tier_first_paint_10mbit_s:map:direct", 3),
    ("tier_first_paint_warm_s:criteria", 1),
    ("snapshot_switch_mixed_reruns", 0),
    ("snapshot_switch_failed_reruns", 0),
])
def test_tier_targets(metric, target):
    assert target_for(metric, "province") == target


def test_explicit_query_spells_out_every_sidebar_choice():
    assert explicit_query("round=2021&level=county&unit=330106") == \
        "round=2021&level=county&unit=330106&lang=zh&stage=final"
    assert explicit_query("") == "lang=zh&round=2022&level=city&stage=final"


def test_a_cold_cache_spinner_is_not_content_and_downloads_compare_without_their_ids():
    spinner = Delta()
    spinner.new_element.spinner.text = "Running…"
    assert _content(spinner) is None
    transient = Delta()
    transient.new_transient.SetInParent()
    assert _content(transient) is None
    one, two = Delta(), Delta()
    for delta, session in ((one, "a1"), (two, "b2")):
        delta.new_element.download_button.label = "CSV"
        delta.new_element.download_button.url = f"/media/{session}.csv"
        delta.new_element.download_button.deferred_file_id = session
    assert _content(one) == _content(two)
    one.new_element.download_button.label = "XLSX"
    assert _content(one) != _content(two)


def test_session_cookies_are_distinct_and_optional():
    assert session_cookie(None, 0) is None
    assert session_cookie("evroute", 1) != session_cookie("evroute", 1)
    assert session_cookie("evroute", 1).startswith("evroute=bench-1-")


def test_descendants_include_the_process_itself():
    assert descendants(os.getpid())[0] == os.getpid()
