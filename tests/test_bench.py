"""The benchmark's pure parts: targets, ratios, percentiles and the Markdown/JSON outputs."""

from __future__ import annotations

import json

import pytest

from bench.browser import SELECTORS, TITLE, selectors_for
from bench.config import scale_label
from bench.report import (
    Row,
    derived_row,
    floor_ratio,
    make_row,
    markdown_table,
    median,
    paired_ratio,
    percentile,
    target_for,
    write_json,
)
from bench.sessions import Session


@pytest.mark.parametrize(("value", "floor", "expected"), [
    (0.30, 0.01, 30.0),
    (0.05, 0.05, 1.0),
    (None, 0.01, None),
    (0.30, None, None),
    (0.30, 0.0, None),  # a ratio to a zero floor means nothing
])
def test_floor_ratio(value, floor, expected) -> None:
    assert floor_ratio(value, floor) == (pytest.approx(expected) if expected else None)


def test_paired_ratio_divides_the_medians() -> None:
    assert paired_ratio([3.0, 1.0, 2.0, 100.0, 2.0], [1.0, 1.0, 0.5, 1.0, 9.0]) == 2.0


@pytest.mark.parametrize(("samples", "q", "expected"), [
    ([float(i) for i in range(1, 11)], 50, 5.5),
    ([float(i) for i in range(1, 11)], 95, 9.55),
    ([4.0], 95, 4.0),
    ([], 50, None),
])
def test_percentile_interpolates_like_numpy(samples, q, expected) -> None:
    got = percentile(samples, q)
    assert got == (pytest.approx(expected) if expected is not None else None)


@pytest.mark.parametrize(("metric", "scale", "target"), [
    ("score_round_s", "province", 0.05),
    ("score_round_s", "national", 1),
    ("page_rerun_ms:leaderboard", "province", 200),  # by the name before ':'
    ("sessions_p95_s:10", "province", 1.5),  # an exact name wins
    ("sessions_p95_s:50", "province", None),
    ("browser_first_paint_s:map", "national", None),
    ("build_db_s", "national×0.05", None),  # a sample is not held to the targets
])
def test_targets(metric, scale, target) -> None:
    assert target_for(metric, scale) == target


@pytest.mark.parametrize(("value", "target", "error", "ok"), [
    (0.04, 0.05, None, True),
    (0.05, 0.05, None, True),
    (0.06, 0.05, None, False),
    (0.06, None, None, None),
    (None, 0.05, "timeout", False),
])
def test_row_ok(value, target, error, ok) -> None:
    assert Row("m", "province", value, "s", target, error=error).ok is ok


def test_make_row_takes_the_median_and_the_target() -> None:
    row = make_row("score_round_s", "province", [0.09, 0.03, 0.04], "s")
    assert (row.value, row.target, row.ok) == (0.04, 0.05, True)
    assert median([]) is None


def test_markdown_table() -> None:
    rows = [
        make_row("score_round_s", "province", [0.0412], "s"),
        derived_row("score_floor_ratio", "national", 31.25, "×"),
        make_row("page_rerun_ms:map", "national", [], "ms", error="KeyError: '610703' | x"),
        Row("empty_rerun_ms", "province", 4.5, "ms"),
    ]
    assert markdown_table(rows).splitlines() == [
        "| metric | scale | value | unit | target | ok |",
        "|---|---|---|---|---|---|",
        "| score_round_s | province | 0.0412 | s | ≤ 0.05 | true |",
        "| score_floor_ratio | national | 31.2 | × | ≤ 5.00 | false |",
        "| page_rerun_ms:map | national | error: KeyError: '610703' / x | ms | ≤ 1000 | false |",
        "| empty_rerun_ms | province | 4.50 | ms |  |  |",
    ]


def test_json_holds_the_same_rows_as_the_table(tmp_path) -> None:
    rows = [make_row("build_db_s", "national", [60.0, 58.0, 61.0], "s"),
            derived_row("sessions_p95_s:10", "province", None, "s", "timeout after 60 s")]
    path = tmp_path / "out" / "latest.json"
    write_json(path, rows, {"mode": "smoke"})
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["meta"] == {"mode": "smoke"}
    first, second = data["rows"]
    assert first | {"samples": None} == {
        "metric": "build_db_s", "scale": "national", "value": 60.0, "unit": "s",
        "target": 120, "ok": True, "error": None, "samples": None}
    assert first["samples"] == [60.0, 58.0, 61.0]
    assert (second["value"], second["ok"], second["error"]) == (None, False, "timeout after 60 s")


@pytest.mark.parametrize(("kinds", "expected"), [
    ({"plotly": 2, "deck": 0, "table": 1}, [SELECTORS["plotly"], SELECTORS["table"]]),
    ({"plotly": 0, "deck": 1, "table": 0}, [SELECTORS["deck"]]),
    ({"plotly": 0, "deck": 0, "table": 0}, [TITLE]),  # nothing drawn: the title counts
])
def test_browser_waits_for_what_the_page_drew(kinds, expected) -> None:
    assert selectors_for(kinds) == expected


@pytest.mark.parametrize(("scale", "fraction", "label"), [
    ("province", 1.0, "province"), ("national", 1.0, "national"),
    ("national", 0.05, "national×0.05"),
])
def test_scale_label(scale, fraction, label) -> None:
    assert scale_label(scale, fraction) == label


@pytest.mark.parametrize("url", ["http://10.0.0.5:8501", "http://example.org"])
def test_sessions_only_target_loopback(url) -> None:
    with pytest.raises(ValueError, match="loopback"):
        Session(url, {})
