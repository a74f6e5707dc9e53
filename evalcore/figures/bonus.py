"""Bonus drill-down figures: the units × categories heatmap and the funding mix."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from evalcore.figures import BELOW
from evalcore.labels import t

COLOURSCALES = {"claimed": "Blues", "awarded": "Greens", "rejected": "Reds"}
# Public money in blues, the six seed channels (social forces, bonds, credit) in warm colours.
FUND_COLOURS = {
    "central": "#1f5fa8", "provincial": "#4f8fd0", "local_fiscal": "#9cc3e6",
    "social_capital": "#e0a526", "residents": "#c94f4f", "pooled_fiscal": "#8a63b8",
    "utilities": "#2e9e6b", "special_bonds": "#d9772b", "bank_credit": "#7a5230",
}


def _height(rows: int, minimum: int) -> int:
    """Enough height for one readable row per unit (denser for 90 counties)."""
    return max(minimum, (18 if rows > 30 else 30) * rows + 180)


def build_bonus_heatmap(wide: pd.DataFrame, text: pd.DataFrame, rows: list[str],
                        columns: list[str], value: str, title: str, lang: str) -> go.Figure:
    """Units × categories coloured by points; ▲ group cap reached, ■ total cap reached."""
    fig = go.Figure(go.Heatmap(
        z=wide.to_numpy(), x=columns, y=rows, text=text.to_numpy(), texttemplate="%{text}",
        colorscale=COLOURSCALES[value], zmin=0, xgap=1, ygap=1,
        colorbar={"title": t("bonus_points_unit", lang)},
        hovertemplate="%{y} · %{x}: %{z:g}<extra></extra>",
    ))
    # Category names sit above the columns (wrapped over up to 4 lines): room for them.
    fig.update_layout(title={"text": title, "y": 0.995, "yanchor": "top"},
                      height=_height(len(rows), 340) + 90,
                      margin={"l": 10, "r": 10, "t": 150, "b": 10},
                      yaxis={"autorange": "reversed", "type": "category"},
                      xaxis={"type": "category", "tickangle": 0, "side": "top"})
    return fig


def money_scale(lang: str) -> tuple[float, str]:
    """Divisor from 万元 and the axis unit: 亿元 for Chinese readers, ¥ bn for English."""
    return (1e4, "亿元") if lang == "zh" else (1e5, "¥ bn")


def build_funding_figure(mix: pd.DataFrame, unit_labels: list[str], title: str,
                         lang: str) -> go.Figure:
    """Horizontal bars per unit stacked by funding source (亿元 / ¥ bn)."""
    divisor, unit = money_scale(lang)
    fig = go.Figure()
    for source in mix.columns:
        fig.add_bar(y=unit_labels, x=mix[source] / divisor, orientation="h",
                    name=t(f"bonus_fund_{source}", lang), marker_color=FUND_COLOURS[source],
                    hovertemplate=f"%{{y}} · %{{fullData.name}}: %{{x:.2f}} {unit}<extra></extra>")
    fig.update_layout(
        barmode="stack", title=title, height=_height(len(mix), 360),
        margin={"l": 10, "r": 10, "t": 60, "b": 10},
        yaxis={"autorange": "reversed", "type": "category"},
        xaxis_title=f"{t('bonus_funding', lang)}（{unit}）" if lang == "zh"
        else f"{t('bonus_funding', lang)} ({unit})",
        legend={**BELOW, "traceorder": "normal"},
    )
    return fig
