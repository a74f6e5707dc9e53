"""The big screen (大屏): what an unattended 1920×1080 display shows, and its URL settings.

It always shows the latest published round as the public sees it: the year's starts against
the target in large type, a counter of communities started that year, and one of a few
panels in turn (the map, the ranking, the cities' progress, the years so far). Its settings
come from the URL and are validated: `rotate` (seconds per panel, 1–3600, default 15),
`theme` (light or dark), `panel` (pin one panel), `lang`.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from evalcore.labels import fmt_households, fmt_money_wan, fmt_number, fmt_pct, t
from evalcore.views.common import grade_badges
from evalcore.views.progress import fmt_households_short, province_row

ROTATE_DEFAULT, ROTATE_MIN, ROTATE_MAX = 15, 1, 3600
THEMES = ("light", "dark")
PANELS = ("map", "ranking", "cities", "trend")
TOP = 5  # cities on the ranking panel


def parse_rotate(value: str | None) -> int:
    """Seconds per panel from `?rotate=N`: a whole number within bounds, else the default."""
    text = (value or "").strip()
    if not (text.isascii() and text.isdigit()) or len(text) > 5:
        return ROTATE_DEFAULT
    return int(text) if ROTATE_MIN <= int(text) <= ROTATE_MAX else ROTATE_DEFAULT


def parse_choice(value: str | None, options: tuple[str, ...], default: str | None) -> str | None:
    return value if value in options else default


def panel_for(tick: int, pinned: str | None) -> str:
    """The panel of the `tick`-th refresh: the pinned one, else each in turn."""
    return pinned or PANELS[tick % len(PANELS)]


def latest_published(rounds: pd.DataFrame) -> int | None:
    published = rounds.loc[rounds["published"].astype(bool), "year"]
    return int(published.max()) if len(published) else None


@dataclass(frozen=True)
class Headline:
    year: int
    started: str  # '616个'
    target: str  # '607个' or '–'
    rate: float | None  # started / target
    rate_text: str  # '101.5%'
    tiles: tuple[tuple[str, str, str], ...]  # (label, value, against what)


def _count(n: float, lang: str) -> str:
    return fmt_number(n, lang) + ("" if lang == "en" else "个")


def _against(value: float, fmt, lang: str, key: str = "progress_vs_target") -> str:
    """'较目标 800个' / 'vs target 800', or '' where there is nothing to compare with."""
    return "" if pd.isna(value) else t(key, lang).format(target=fmt(value, lang))


def headline(progress: pd.DataFrame, year: int, lang: str) -> Headline:
    """The province's year: starts against the target, and three more numbers with theirs."""
    row = province_row(progress)
    target = row["started_target"]
    rate = float(row["started"] / target) if pd.notna(target) and target > 0 else None
    tiles = (
        (t("progress_card_completed", lang), _count(row["completed"], lang),
         _against(row["completed_target"], _count, lang)),
        (t("progress_card_households", lang), fmt_households_short(row["households"], lang),
         _against(row["households_target"], fmt_households, lang)),
        (t("progress_card_completed_investment", lang),
         fmt_money_wan(row["completed_investment_wan"], lang),
         _against(row["planned_investment_wan"], fmt_money_wan, lang, "progress_vs_plan")),
    )
    return Headline(year=year, started=_count(row["started"], lang),
                    target="–" if pd.isna(target) else _count(target, lang),
                    rate=rate, rate_text="–" if rate is None else fmt_pct(rate, lang),
                    tiles=tiles)


def counter(progress: pd.DataFrame, cumulative: pd.DataFrame, lang: str) -> tuple[str, str]:
    """(communities started in the year's plan, started since the first plan)."""
    return (_count(province_row(progress)["started"], lang),
            _count(province_row(cumulative)["started"], lang))


def city_rates(progress: pd.DataFrame) -> pd.DataFrame:
    """name, started, started_target, rate of each city, best start rate first."""
    cities = progress[progress["level"] == "city"]
    out = cities[["name", "started", "started_target"]].copy()
    out["rate"] = out["started"] / out["started_target"].where(out["started_target"] > 0)
    return out.sort_values(["rate", "started"], ascending=False).reset_index(drop=True)


def ranking(board: pd.DataFrame, rubric, lang: str, top: int = TOP) -> pd.DataFrame:
    """The city ranking's first `top` rows as shown: rank, city, total, grade (badge + name)."""
    badges = grade_badges(rubric, lang)
    first = board.head(top)
    return pd.DataFrame({
        t("rank", lang): first["rank"].astype(int).to_numpy(),
        t("unit_name", lang): first["unit_name"].to_numpy(),
        t("total", lang): first["total"].round(2).to_numpy(),
        t("grade", lang): first["grade"].map(badges).to_numpy(),
    })
