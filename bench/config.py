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
)
PROFILES = {p.name: p for p in (FULL, SMOKE)}


def scale_label(scale: str, fraction: float) -> str:
    """'national' at full size; 'national×0.05' for a sample (no targets apply to it)."""
    return scale if scale == "province" or fraction == 1 else f"{scale}×{fraction:g}"
