"""Criterion drill-down figures: distribution, stages side by side, points-lost heatmap."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import plotly.graph_objects as go

from evalcore.labels import t

STAGE_COLOURS = {"self": "#9cc3e6", "cross": "#4f8fd0", "third_party": "#1f5fa8"}
INFLATED = "#c94f4f"
MARGIN = {"l": 10, "r": 10, "t": 60, "b": 10}


def _height(n_rows: int, per_row: int = 24, minimum: int = 320) -> int:
    return max(minimum, per_row * n_rows + 140)


def build_distribution_figure(dist: pd.DataFrame, max_points: float, title: str,
                              lang: str) -> go.Figure:
    """Box with every unit as a point (hover names it); a dashed line marks max points."""
    fig = go.Figure(go.Box(
        x=dist["value"], text=dist["label"], name="", boxpoints="all", jitter=0.4,
        pointpos=0, marker={"color": "#1f5fa8", "size": 9}, line={"color": "#8aa9cc"},
        fillcolor="rgba(79,143,208,0.15)", hovertemplate="%{text}: %{x:.2f}<extra></extra>",
    ))
    fig.add_vline(x=max_points, line_dash="dash", line_color=INFLATED,
                  annotation_text=f"{t('crit_max_points', lang)} {max_points:g}",
                  annotation_position="top left")
    fig.update_layout(title=title, height=300, showlegend=False, margin=MARGIN,
                      xaxis={"title": t("crit_points", lang), "range": [0, max_points * 1.05]})
    return fig


STAGE_SYMBOLS = {"self": "circle", "cross": "square", "third_party": "triangle-up"}


def _spans(comp: pd.DataFrame, labels: list[str]) -> tuple[list, list]:
    """One grey segment per unit from its lowest to its highest stage score (None breaks)."""
    stages = comp[list(STAGE_SYMBOLS) + ["points"]]
    xs, ys = [], []
    for label, low, high in zip(labels, stages.min(axis=1), stages.max(axis=1), strict=True):
        xs += [low, high, None]
        ys += [label, label, None]
    return xs, ys


def _add_points(fig: go.Figure, x: pd.Series, labels: list[str], name: str, symbol: str,
                colour: str) -> None:
    fig.add_scatter(x=x, y=labels, mode="markers", name=name,
                    marker={"symbol": symbol, "size": 10, "color": colour},
                    hovertemplate="%{y}: %{x:.2f}<extra>" + name + "</extra>")


def build_stage_figure(comp: pd.DataFrame, title: str, lang: str) -> go.Figure:
    """Dot plot, one row per unit: self, cross and third-party points and a ◇ for the final
    (verified) points; units whose self-score is inflated beyond the threshold are red ⚠."""
    labels = [("⚠ " if f else "") + n for n, f in zip(comp["label"], comp["inflated"],
                                                      strict=True)]
    xs, ys = _spans(comp, labels)
    fig = go.Figure(go.Scatter(x=xs, y=ys, mode="lines", line={"color": "#cccccc", "width": 3},
                               showlegend=False, hoverinfo="skip"))
    inflated = comp["inflated"].to_numpy(dtype=bool)
    for stage, symbol in STAGE_SYMBOLS.items():
        _add_points(fig, comp[stage].where(~inflated) if stage == "self" else comp[stage],
                    labels, t(stage, lang), symbol, STAGE_COLOURS[stage])
    if inflated.any():  # own trace, so the legend explains the red dots
        _add_points(fig, comp["self"].where(inflated), labels, t("crit_inflated", lang),
                    "circle", INFLATED)
    fig.add_scatter(x=comp["points"], y=labels, mode="markers",
                    name=t("crit_verified_points", lang),
                    marker={"symbol": "diamond-open", "size": 14, "color": "#222222",
                            "line": {"width": 2}})
    fig.update_layout(
        title=title, height=_height(len(comp), 22 if len(comp) > 30 else 28),
        margin={**MARGIN, "t": 90},
        yaxis={"autorange": "reversed", "type": "category"},
        xaxis={"title": t("crit_points", lang),
               "range": [-0.1, float(comp["max_points"].max()) * 1.03]},
        legend={"orientation": "h", "x": 0, "y": 1.0, "yanchor": "bottom"},
    )
    return fig


def build_metric_figure(rows: pd.DataFrame, title: str, lang: str,
                        thresholds: Sequence[tuple[float, str]] = ()) -> go.Figure:
    """Derived indicator: the metric per unit (%), bars labelled with the points it earned;
    dotted lines mark the scoring thresholds (value in %, label)."""
    fig = go.Figure(go.Bar(
        y=rows["label"], x=rows["metric_value"] * 100, orientation="h",
        marker_color="#4f8fd0", text=[f"{p:.2f} {t('crit_points_short', lang)}"
                                      for p in rows["points"]],
        textposition="auto", hovertemplate="%{y}: %{x:.1f}%<extra></extra>",
    ))
    lines = [{"type": "line", "x0": x, "x1": x, "y0": 0, "y1": 1, "yref": "paper",
              "line": {"color": INFLATED, "dash": "dot"}} for x, _ in thresholds]
    notes = [{"x": x, "y": 1.0, "yref": "paper", "yanchor": "bottom", "text": text,
              "showarrow": False, "font": {"size": 11, "color": INFLATED}}
             for x, text in thresholds]
    fig.update_layout(title=title, height=_height(len(rows), 26), margin={**MARGIN, "t": 80},
                      shapes=lines, annotations=notes,
                      yaxis={"autorange": "reversed", "type": "category"},
                      xaxis_title=t("crit_metric_value", lang))
    return fig


def build_lost_heatmap(matrix: pd.DataFrame, unit_labels: list[str], names: dict[str, str],
                       spans: list[tuple[str, int, int]], title: str, lang: str) -> go.Figure:
    """Units × indicators, colour = points lost; dark lines separate the dimensions."""
    codes = list(matrix.columns)
    hover = [[names[c] for c in codes] for _ in unit_labels]
    fig = go.Figure(go.Heatmap(
        z=matrix.to_numpy(), x=codes, y=unit_labels, customdata=hover, colorscale="Reds",
        zmin=0, colorbar={"title": t("crit_points_lost", lang)}, xgap=1, ygap=1,
        hovertemplate="%{y} · %{x} %{customdata}: −%{z:.2f}<extra></extra>",
    ))
    # Shapes and annotations go in as one list each: add_vline per line is slow in plotly.
    marks = [{"x": (first + last) / 2, "y": 1.0, "yref": "paper", "yanchor": "bottom",
              "text": f"<b>{dim}</b>", "showarrow": False} for dim, first, last in spans]
    lines = [{"type": "line", "x0": first - 0.5, "x1": first - 0.5, "y0": 0, "y1": 1,
              "yref": "paper", "line": {"color": "#333333", "width": 2}}
             for _, first, _ in spans if first]
    fig.update_layout(title={"text": title, "y": 0.99, "yanchor": "top"},
                      annotations=marks, shapes=lines,
                      height=_height(len(unit_labels), 18 if len(unit_labels) > 30 else 28),
                      margin={"l": 10, "r": 10, "t": 80, "b": 10},
                      yaxis={"autorange": "reversed", "type": "category"},
                      xaxis={"type": "category", "side": "bottom"})
    return fig
