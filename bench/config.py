"""What a run measures and how often: the full benchmark and the CI-sized smoke run."""

from __future__ import annotations

from dataclasses import dataclass

# Query string each page is opened with (AppTest, browser and websocket sessions alike);
# a page not listed here (a new one) opens with DEFAULT_QUERY.
PAGE_QUERIES: dict[str, str] = {
    "progress": "round=2022",
    "map": "round=2022&level=county",
    "leaderboard": "round=2022&level=city",
    "criteria": "round=2022&level=county&dim=C&indicator=C4",
    "bonus": "round=2022",
    "benchmark": "round=2022&unit=330400",
    "profile": "round=2022&unit=330106",
    "methodology": "round=2022",
}
DEFAULT_QUERY = "round=2022"


def page_query(url_path: str) -> str:
    return PAGE_QUERIES.get(url_path, DEFAULT_QUERY)


@dataclass(frozen=True)
class Profile:
    name: str
    scales: tuple[str, ...]  # "province", "national" (national at `national_fraction`)
    national_fraction: float
    build_repeats: int
    engine_repeats: int
    sensitivity_repeats: int
    page_reruns: int
    browser_pages: int | None  # None: every page
    browser_samples: int
    session_counts: tuple[int, ...]
    session_reruns: int
    session_timeout_s: float
    national_server: bool  # AppTest pages, browser and sessions at national scale too
    warmup: int = 1
    # The public tier (bench.tier, province only): replicas on the published snapshot,
    # directly and behind nginx; "direct" is one replica, "nginx1"/"nginx2" one or two
    # replicas behind nginx.
    tier_configs: tuple[str, ...] = ("direct", "nginx1", "nginx2")
    tier_session_counts: tuple[int, ...] = (10, 50)
    tier_reruns: int = 3
    tier_paint_pages: int | None = None  # None: every page that draws a chart; 0: none
    tier_warm: bool = True  # every replica visits every page before the sessions
    tier_paint_samples: int = 2
    tier_emulate: bool = True  # first paint on an emulated 10 Mbit/s, 40 ms link too
    switch_sessions: int = 10  # sessions rerunning while a snapshot is published
    switch_seconds: float = 20.0


FULL = Profile(
    name="full", scales=("province", "national"), national_fraction=1.0, build_repeats=3,
    engine_repeats=7, sensitivity_repeats=5, page_reruns=10, browser_pages=None,
    browser_samples=3, session_counts=(10, 50), session_reruns=3, session_timeout_s=300,
    national_server=True, warmup=2,
)
SMOKE = Profile(
    name="smoke", scales=("province", "national"), national_fraction=0.05, build_repeats=1,
    engine_repeats=3, sensitivity_repeats=3, page_reruns=3, browser_pages=2, browser_samples=1,
    session_counts=(5,), session_reruns=2, session_timeout_s=60, national_server=False,
    tier_configs=("nginx2",), tier_session_counts=(5,), tier_reruns=2, tier_paint_pages=0,
    tier_paint_samples=1, tier_emulate=False, tier_warm=False, switch_sessions=3,
    switch_seconds=6.0,
)
PROFILES = {p.name: p for p in (FULL, SMOKE)}


def scale_label(scale: str, fraction: float) -> str:
    """'national' at full size; 'national×0.05' for a sample (no targets apply to it)."""
    return scale if scale == "province" or fraction == 1 else f"{scale}×{fraction:g}"
