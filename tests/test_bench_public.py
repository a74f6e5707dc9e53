"""The public display's benchmark rows: the memory slope, the soak's rows and their targets,
and that a stalled screen (no refreshes) is an error, not a flat line."""

from __future__ import annotations

import pytest

from bench.public import TARGETS, slope_per_hour, soak_rows


def test_slope_per_hour() -> None:
    assert slope_per_hour([0, 60, 120], [100.0, 101.0, 102.0]) == pytest.approx(60.0)
    assert slope_per_hour([0, 60], [100.0, 100.0]) == 0
    assert slope_per_hour([0], [100.0]) is None
    # One spike does not tilt a flat series.
    assert slope_per_hour([0, 5, 10, 15, 20], [350.0, 350.0, 360.0, 350.0, 350.0]) == 0


def test_the_growth_is_measured_once_memory_has_settled() -> None:
    warming = [340.0, 344.0, 348.0, 350.0, 350.0, 350.0, 350.0, 350.0]
    rows = {r.metric: r for r in soak_rows(soak_result(60, warming), "province", 1)}
    assert rows["screen_soak_rss_growth_mb_per_h"].value == 0
    assert rows["screen_soak_rss_mb:start"].value == 344.0


def soak_result(refreshes: int, rss: list[float]) -> dict:
    return {"times_s": [i * 5.0 for i in range(len(rss))], "rss_mb": rss,
            "heap_mb": [20.0] * len(rss), "refreshes": refreshes, "seconds": 5.0 * len(rss)}


def test_a_flat_soak_meets_its_target() -> None:
    rows = {r.metric: r for r in soak_rows(soak_result(60, [300.0, 301.0, 300.0, 300.5]),
                                           "province", 1)}
    growth = rows["screen_soak_rss_growth_mb_per_h"]
    assert growth.target == TARGETS["screen_soak_rss_growth_mb_per_h"]
    assert rows["screen_soak_rss_mb:peak"].value == 301.0
    assert rows["screen_soak_refreshes"].value == 60 and not growth.error


def test_a_growing_soak_misses_and_a_stalled_one_is_an_error() -> None:
    growing = soak_rows(soak_result(60, [300.0, 310.0, 320.0, 330.0]), "province", 1)
    assert next(r for r in growing if r.metric.endswith("growth_mb_per_h")).ok is False
    stalled = soak_rows(soak_result(2, [300.0] * 4), "province", 1)
    assert all(r.error for r in stalled if "growth" in r.metric or "refreshes" in r.metric)
