"""Published Zhejiang figures the demo must agree with (sources: ../shared/domain.md A1, B1, B2).

Batch totals are what the generator hits exactly; targets are the provincial plan per year.
Where a figure was not published, the value is derived or constructed and says so.
"""

from datetime import date

# Snapshot date of the demo: data as the 2023 round's draft would see them.
AS_OF = date(2023, 12, 31)
# The day the demo's draft round stands at (meta `status_as_of`): self-evaluation and cross
# inspection have closed, the third party's window is still open. Overdue items are measured
# at this date (evalcore/round_status.py), so they do not grow with the calendar.
STATUS_AS_OF = date(2024, 3, 25)

# Communities, households and planned investment (万元) per batch year.
# 2019+2020: 987 projects, ¥14.5 bn, 460,000 households [S]; 2020 alone: ≥500 communities,
# >¥7.58 bn, 285,000 households [S]; 2019 is the remainder [D].
# 2021: target 800 [S], result not published: 812 [C]. 2022: 616 started, 200,300 households [S].
# 2023: 393 started, "全部开工" [S]; households and investment [C] at the 2022 averages.
BATCHES: dict[int, dict[str, float]] = {
    2019: {"communities": 487, "households": 175_000, "investment_wan": 692_000},
    2020: {"communities": 500, "households": 285_000, "investment_wan": 758_000},
    2021: {"communities": 812, "households": 301_000, "investment_wan": 1_190_000},
    2022: {"communities": 616, "households": 200_300, "investment_wan": 905_000},
    2023: {"communities": 393, "households": 128_000, "investment_wan": 583_000},
}

# Provincial annual targets (communities, households, investment 万元); None = not published.
TARGETS: dict[int, tuple[int, int | None, int | None]] = {
    2019: (480, 170_000, 680_000),  # [D] pilot year, no published target
    2020: (500, 285_000, 758_000),  # [S]
    2021: (800, None, None),  # [S] communities only
    2022: (607, 189_500, None),  # [S] MOHURD plan
    2023: (377, None, None),  # [D] 358 started = 95% in June
}

# The demo's one veto [C], fixed so the example stays the same when other draws change:
# 龙泉 (a weak county) in 2021, a simulated serious safety accident.
VETO: tuple[str, int] = ("331181", 2021)

# Rounds evaluated (one per work year) and which are published.
ROUNDS: dict[int, bool] = {2020: True, 2021: True, 2022: True, 2023: False}
RUBRIC_VERSION = "zj-2020"

# Weight of each city in the renovation programme: resident population (10k, end-2021 [S];
# 绍兴, 丽水, 衢州 and 舟山 from the 2020 census [S/D]) with Hangzhou boosted, since it alone
# reported 302 of 2020's ~500 communities and 1,057 cumulative starts by 2022 [S].
CITY_WEIGHTS: dict[str, float] = {
    "330100": 1220.4 * 2.2,
    "330200": 954.4,
    "330300": 964.5,
    "330400": 551.6,
    "330500": 340.7,
    "330600": 533.7,
    "330700": 712.0,
    "330800": 227.6,
    "330900": 115.8,
    "331000": 666.1,
    "331100": 250.7,
}

# Evaluation outcomes that were published, so the demo does not contradict them:
# Hangzhou first among cities in the 2020-2022 cycles; 西湖, 滨江, 淳安 优秀 in 2022 and 西湖
# first in the province; 上城, 拱墅, 滨江, 淳安, 乐清 listed for 2021 [S].
STRONG_UNITS: dict[str, float] = {
    "330100": 0.97,
    "330106": 0.97,
    "330108": 0.96,
    "330127": 0.95,
    "330102": 0.93,
    "330105": 0.93,
    "330382": 0.92,
}

DEMO_NOTE_ZH = "示例数据：小区与评分均为按公开总量确定性生成的模拟数据，行政区划与边界为真实数据。"
DEMO_NOTE_EN = (
    "Demo data: communities and scores are synthetic, generated deterministically to match "
    "published totals; region codes, names and boundaries are real."
)
