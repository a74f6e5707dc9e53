"""Display labels (Chinese and English) and number formats, applied at render time.

Columns stay snake_case from SQL to DataFrame; pages turn them into labels here, in one table.
Chinese readers see 万户 and 亿元; English readers see plain thousands and yuan.
"""

from __future__ import annotations

import math

import pandas as pd

LANGS = ("zh", "en")

LABELS: dict[str, tuple[str, str]] = {
    # frame and navigation
    "app_title": ("浙江省城镇老旧小区改造综合考评", "Zhejiang old-community renovation evaluation"),
    "group_public": ("公众", "Public"),
    "group_evaluation": ("考评", "Evaluation"),
    "group_method": ("方法", "Method"),
    "page_progress": ("改造进度", "Progress"),
    "page_map": ("地图", "Map"),
    "page_leaderboard": ("排行榜", "Leaderboard"),
    "page_criterion": ("指标分析", "Criteria"),
    "page_bonus": ("加分项", "Bonus points"),
    "page_benchmark": ("比学赶超", "Benchmark"),
    "page_profile": ("单位档案", "Unit profile"),
    "page_methodology": ("评分方法", "Methodology"),
    "round": ("考评年度", "Round"),
    "level": ("层级", "Level"),
    "stage": ("阶段", "Stage"),
    "language": ("语言 / Language", "语言 / Language"),
    "within": ("所属设区市", "Within city"),
    "all_cities": ("全省", "Whole province"),
    "unit": ("单位", "Unit"),
    "draft": ("草稿（未发布）", "draft (unpublished)"),
    "demo_badge": ("示例数据", "Demo data"),
    "download_csv": ("下载 CSV", "Download CSV"),
    "download_xlsx": ("下载 Excel", "Download Excel"),
    "source_demo": ("数据来源：示例数据（模拟）", "Source: demo data (synthetic)"),
    "source_real": ("数据来源：考评数据库", "Source: evaluation database"),
    # levels and stages
    "city": ("设区市", "Cities"),
    "county": ("县（市、区）", "Counties"),
    "final": ("最终得分", "Final (verified)"),
    "self": ("市县自评", "Self-evaluation"),
    "cross": ("交叉互查", "Cross inspection"),
    "third_party": ("第三方评价", "Third-party evaluation"),
    # statuses
    "planned": ("计划", "Planned"),
    "started": ("已开工", "Started"),
    "completed": ("已完工", "Completed"),
    "accepted": ("已验收", "Accepted"),
    # leaderboard columns
    "rank": ("排名", "Rank"),
    "unit_name": ("单位", "Unit"),
    "unit_code": ("代码", "Code"),
    "total": ("总分", "Total"),
    "base": ("基础分", "Base"),
    "bonus": ("加分", "Bonus"),
    "bonus_claimed": ("申报加分", "Bonus claimed"),
    "deductions": ("扣分", "Deductions"),
    "grade": ("等次", "Grade"),
    "grade_name": ("等次", "Grade"),
    "rank_change": ("名次变化", "Rank change"),
    "total_change": ("总分变化", "Total change"),
    "rank_interval": ("名次区间(90%)", "Rank interval (90%)"),
    "tied": ("统计上并列", "Statistically tied"),
    "vetoed": ("一票否决", "Veto"),
    "unverified_count": ("未核验指标数", "Unverified indicators"),
    "p_top3": ("前三概率", "P(top 3)"),
    "leaderboard_caption": (
        "得分单位：分（基础分100，加分上限10）；名次区间为权重扰动下的5%–95%分位，≈表示统计上并列",
        "Points (base 100, bonus up to 10); rank interval = 5th–95th percentile under weight "
        "noise; ≈ marks statistically tied units"),
    "leaderboard_chart": ("各维度得分构成", "Score by dimension"),
    "points_caption": ("单位：分", "Unit: points"),
    # progress
    "communities": ("小区", "Communities"),
    "households": ("户数", "Households"),
    "investment": ("投资", "Investment"),
    "target": ("目标", "Target"),
    "planned_investment": ("计划投资", "Planned investment"),
    "completed_investment": ("完成投资", "Completed investment"),
}


def t(key: str, lang: str = "zh") -> str:
    """The label for `key` in `lang`; the key itself if it has no label (visible, not silent)."""
    zh, en = LABELS.get(key, (key, key))
    return en if lang == "en" else zh


def column_labels(columns: list[str], lang: str) -> dict[str, str]:
    return {c: t(c, lang) for c in columns}


def fmt_households(n: float, lang: str = "zh") -> str:
    """46.0万户 / 460,000 households."""
    if n is None or (isinstance(n, float) and math.isnan(n)):
        return "–"
    if lang == "en":
        return f"{n:,.0f} households"
    return f"{n / 10_000:.1f}万户" if n >= 10_000 else f"{n:,.0f}户"


def fmt_money_wan(wan: float, lang: str = "zh") -> str:
    """Money given in 万元: 145.0亿元 / ¥14.50 bn."""
    if wan is None or (isinstance(wan, float) and math.isnan(wan)):
        return "–"
    if lang == "en":
        yuan = wan * 10_000
        return f"¥{yuan / 1e9:,.2f} bn" if yuan >= 1e9 else f"¥{yuan / 1e6:,.1f} m"
    return f"{wan / 10_000:,.1f}亿元" if wan >= 10_000 else f"{wan:,.0f}万元"


def fmt_count(n: float, unit_zh: str, unit_en: str, lang: str = "zh") -> str:
    if n is None or (isinstance(n, float) and math.isnan(n)):
        return "–"
    return f"{n:,.0f} {unit_en}" if lang == "en" else f"{n:,.0f}{unit_zh}"


def fmt_pct(x: float) -> str:
    return "–" if x is None or (isinstance(x, float) and math.isnan(x)) else f"{x:.1%}"


def label_frame(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """A copy with display labels as column names (for on-screen tables and downloads)."""
    return frame.rename(columns=column_labels(list(frame.columns), lang))
