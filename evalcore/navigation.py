"""The page registry: one table that app.py, the end-to-end tests and the benchmark share."""

from __future__ import annotations

from typing import NamedTuple


class PageSpec(NamedTuple):
    script: str  # path relative to the project root
    title_key: str  # label key in evalcore.labels
    icon: str  # emoji: a material icon would make the browser fetch a font online
    url_path: str
    group: str  # label key of the navigation section


PAGES: tuple[PageSpec, ...] = (
    PageSpec("pages/home.py", "page_home", "🏘️", "home", "group_public"),
    PageSpec("pages/progress.py", "page_progress", "📈", "progress", "group_public"),
    PageSpec("pages/map.py", "page_map", "🗺️", "map", "group_public"),
    PageSpec("pages/community.py", "page_community", "🏠", "community", "group_public"),
    PageSpec("pages/leaderboard.py", "page_leaderboard", "🏆", "leaderboard", "group_evaluation"),
    PageSpec("pages/criterion.py", "page_criterion", "🔍", "criteria", "group_evaluation"),
    PageSpec("pages/bonus.py", "page_bonus", "➕", "bonus", "group_evaluation"),
    PageSpec("pages/benchmark.py", "page_benchmark", "🎯", "benchmark", "group_evaluation"),
    PageSpec("pages/profile.py", "page_profile", "📋", "profile", "group_evaluation"),
    PageSpec("pages/methodology.py", "page_methodology", "📐", "methodology", "group_method"),
)
# The default page is served at "/" (Streamlit ignores its url_path), so it is a landing page:
# every other page keeps a working deep link of its own.
DEFAULT_PAGE = "home"

# Listed only for signed-in users who may import; the page itself refuses anyone else too.
DATA_PAGE = PageSpec("pages/data.py", "page_data", "🗂️", "data", "group_manage")
# Listed only for signed-in users who may set rounds up (access policy: round_setup:*).
SETUP_PAGE = PageSpec("pages/round_setup.py", "page_round_setup", "🗓️", "round-setup",
                      "group_manage")
# Listed only for signed-in users who may write some stage's scores (online entry).
ENTRY_PAGE = PageSpec("pages/entry.py", "page_entry", "✍️", "entry", "group_manage")
# Listed only for leaders and administrators (access policy: notice, incentives).
LEAD_PAGE = PageSpec("pages/leadership.py", "page_leadership", "🏛️", "leadership",
                     "group_manage")
# The management pages, in menu order; app.py decides per viewer which are routed and listed.
# Listed only for signed-in users who may read problems (access policy: problems); the page
# itself refuses anyone else too.
PROBLEMS_PAGE = PageSpec("pages/problems.py", "page_problems", "🛠️", "problems",
                         "group_manage")
# Listed only for signed-in users who may read submissions (access policy): where the round
# stands (issue 11).
STATUS_PAGE = PageSpec("pages/round_status.py", "page_round_status", "🚦", "round-status",
                       "group_manage")
# Listed only for signed-in users who may claim or review bonus cases or enter deductions.
BONUS_CASES_PAGE = PageSpec("pages/bonus_cases.py", "page_bonus_cases", "🧾", "bonus-cases",
                            "group_manage")
MANAGE_PAGES: tuple[PageSpec, ...] = (STATUS_PAGE, ENTRY_PAGE, BONUS_CASES_PAGE, PROBLEMS_PAGE,
                                      DATA_PAGE, SETUP_PAGE, LEAD_PAGE)

# The big screen (大屏): a kiosk page for an unattended display. It is routed like any page
# (`/screen`) but not listed in the menu (the home page links to it), and it draws no menu,
# sidebar or selectors of its own: app.py hides them (evalcore.ui.kiosk).
SCREEN_PAGE = PageSpec("pages/screen.py", "page_screen", "📺", "screen", "group_public")

# What the public is offered, on phones too: every page here works at 360 px wide without the
# sidebar (tests/e2e/test_public_e2e.py opens each at phone sizes and runs axe on it).
PUBLIC_PAGES = ("home", "progress", "map", "community", "leaderboard", "profile",
                "methodology")


def sections(routed: tuple[PageSpec, ...] | list[PageSpec] = ()
             ) -> dict[str, list[PageSpec]]:
    """Pages grouped by navigation section, in order: the public and evaluation pages, the
    big screen last in its section (routed, not listed), then the management pages in
    `routed` (in MANAGE_PAGES order)."""
    out: dict[str, list[PageSpec]] = {}
    extra = [p for p in MANAGE_PAGES if p in routed]
    for page in (*PAGES, SCREEN_PAGE, *extra):
        out.setdefault(page.group, []).append(page)
    return out

