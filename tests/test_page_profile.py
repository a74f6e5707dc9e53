"""Unit profile page: the unit from the URL, its engine numbers, communities, report buttons."""

from __future__ import annotations

import pytest

from evalcore import report, scoring
from evalcore.access import PUBLIC, Viewer
from evalcore.db import Store
from evalcore.labels import t
from evalcore.rounds import load_round_inputs
from tests.map_checks import assert_svg_map, split_map, values
from tests.pages_helper import (
    open_page,
    open_restricted,
    own_units,
    plotly_spec,
    plotly_specs,
    restricted_views,
)


def engine_row(db, year: int, level: str, code: str):
    with Store(db) as store:
        board = scoring.leaderboard(load_round_inputs(store, year), level)
    return board.set_index("unit_code").loc[code], len(board)


def unit_communities(db, code: str, viewer: Viewer):
    """The unit's communities (a city's: its counties') as the viewer may see them."""
    with Store(db, read_only=True) as store:
        c = store.communities(viewer)
        regions = store.regions()
    counties = set(regions.loc[regions["parent_code"] == code, "code"]) | {code}
    return c[c["county_code"].isin(counties)]


def metrics(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def table_with(at, column: str):
    return next(d.value for d in at.dataframe if column in d.value.columns)


def test_county_profile_shows_engine_total_and_rank(demo_db_path, monkeypatch) -> None:
    at = open_page(demo_db_path, monkeypatch, "profile", unit="330106", round="2022")
    own, peers = engine_row(demo_db_path, 2022, "county", "330106")
    assert "西湖区" in at.header[0].value
    shown = metrics(at)
    assert shown["总分"] == f"{own['total']:.2f}"
    assert shown["排名"] == f"{int(own['rank'])} / {peers}"
    assert "市内排名" in shown
    stages = table_with(at, "最终得分")
    assert stages["最终得分"].iloc[-1] == round(float(own["total"]), 2)
    assert at.query_params["unit"] == "330106"
    assert "示例数据" in at.info[0].value


def test_city_profile_infers_the_level_from_the_unit(demo_db_path, monkeypatch) -> None:
    # level=county in the URL, but 330100 is a city: it is ranked among the 11 cities.
    at = open_page(demo_db_path, monkeypatch, "profile", unit="330100", round="2022",
                   level="county")
    own, peers = engine_row(demo_db_path, 2022, "city", "330100")
    assert peers == 11
    assert at.header[0].value.startswith("杭州市")
    assert metrics(at)["排名"] == f"{int(own['rank'])} / 11"
    assert "市内排名" not in metrics(at)


STATUS_NAMES = {"已验收": "accepted", "已完工": "completed", "已开工": "started", "计划": "planned"}


@pytest.mark.parametrize(("code", "role"), [("330106", "leader"), ("330100", "leader"),
                                            ("330100", None)])
def test_community_table_and_map_hold_the_units_communities(demo_db_path, monkeypatch, code,
                                                            role):
    # The public sees batches of published rounds only; a leader sees the draft's too.
    at = open_page(demo_db_path, monkeypatch, "profile", unit=code, round="2022", role=role)
    expected = unit_communities(demo_db_path, code, Viewer(role) if role else PUBLIC)
    assert len(table_with(at, "批次")) == len(expected)
    spec = plotly_spec(at, "profile.map")
    assert_svg_map(spec)
    regions, points = split_map(spec)
    assert len(regions) == 1
    counts = {STATUS_NAMES[n]: len(values(t["x"])) for n, t in points.items()}
    assert counts == expected["status"].value_counts().to_dict()
    row = expected.iloc[0]
    texts = [text for t in points.values() for text in t["text"]]
    assert f"{row['name']}<br>" in "|".join(texts) and f"{int(row['households'])} 户" in "|".join(texts)
    assert not at.get("deck_gl_json_chart")
    assert "http" not in str(spec)
    assert any("示意" in c.value for c in at.caption)


def test_charts_have_titles_naming_the_unit(demo_db_path, monkeypatch) -> None:
    at = open_page(demo_db_path, monkeypatch, "profile", unit="330106", round="2022")
    specs = plotly_specs(at)
    # stages, history, dimensions over the rounds, the communities map (untitled: a heading
    # above)
    assert len(specs) == 4
    specs = [plotly_spec(at, "profile.stages"), plotly_spec(at, "profile.history_chart"),
             plotly_spec(at, "profile.dimension_chart")]
    assert all("西湖区" in s["layout"]["title"]["text"] for s in specs)
    stage_traces = [t for t in specs[0]["data"] if t["type"] == "bar"]
    assert len(stage_traces) == 4 and all(len(t["x"]) == 5 for t in stage_traces)


def test_language_switch_changes_labels(demo_db_path, monkeypatch) -> None:
    at = open_page(demo_db_path, monkeypatch, "profile", unit="330106", round="2022", lang="en")
    assert at.title[0].value.endswith("Unit profile")
    assert {"Item", "Max", "Self-evaluation", "Final (verified)"} <= set(
        table_with(at, "Item").columns)
    assert "Total" in metrics(at) and "330106" in at.header[0].value


def test_veto_is_shown(demo_db_path, monkeypatch) -> None:
    at = open_page(demo_db_path, monkeypatch, "profile", unit="331181", round="2021")
    assert any("一票否决" in e.value for e in at.error)
    assert "⛔" in metrics(at)["等次"]


@pytest.mark.parametrize("bad", ["999999", "330000", "<script>"])
def test_invalid_unit_falls_back_to_the_first_of_the_level(demo_db_path, monkeypatch, bad):
    at = open_page(demo_db_path, monkeypatch, "profile", unit=bad, round="2022", level="county")
    assert at.query_params["unit"] == "330102"


def test_report_buttons(demo_db_path, monkeypatch) -> None:
    at = open_page(demo_db_path, monkeypatch, "profile", unit="330106", round="2022")
    labels = {b.proto.label for b in at.get("download_button")}
    assert "下载报告（HTML）" in labels
    assert ("下载报告（PDF）" in labels) == (report.pdf_unavailable_reason() is None)


def test_pdf_button_degrades_without_fonts(demo_db_path, monkeypatch) -> None:
    monkeypatch.setattr(report, "font_candidates", lambda: [])
    at = open_page(demo_db_path, monkeypatch, "profile", unit="330106", round="2022")
    labels = {b.proto.label for b in at.get("download_button")}
    assert "下载报告（HTML）" in labels and "下载报告（PDF）" not in labels
    assert any("PDF 暂不可用" in w.value for w in at.warning)


@pytest.mark.parametrize(("role", "codes", "level"), restricted_views())
def test_unit_and_group_users_open_only_their_own_draft_profiles(demo_db_path, monkeypatch,
                                                                 role, codes, level) -> None:
    other = "330100" if level == "city" else "330102"  # neither user's unit in 2023
    at = open_restricted(demo_db_path, monkeypatch, "profile", role, codes, level, unit=other)
    refused = t("pf_not_visible", "en").split("{unit}")[1].format(year=2023)
    assert [i.value for i in at.info if i.value.endswith(refused)]
    assert not at.dataframe and not at.get("plotly_chart")
    for code in sorted(own_units(demo_db_path, role, codes, level))[:2]:
        at = open_restricted(demo_db_path, monkeypatch, "profile", role, codes, level, unit=code)
        assert not [i.value for i in at.info if i.value.endswith(refused)]
        assert at.header[0].value.endswith(f"2023 · {t('draft', 'en')}")
        assert code in at.header[0].value
        assert at.dataframe and at.get("plotly_chart")


def dimension_table(at, lang: str = "zh"):
    """The dimensions-over-rounds table: a rubric version column, but no grade (the rank
    history table has both)."""
    return next(d.value for d in at.dataframe if t("rubric_version", lang) in d.value.columns
                and t("grade", lang) not in d.value.columns)


def dimension_cells(db, level: str, code: str, years) -> dict[int, list[str]]:
    """Per round: the unit's dimension subtotals as the table writes them, from the engine."""
    out = {}
    with Store(db) as store:
        for year in years:
            inputs = load_round_inputs(store, year)
            row = scoring.leaderboard(inputs, level).set_index("unit_code").loc[code]
            out[year] = [f"{row[d.code]:.2f}/{d.max:g}" for d in inputs.rubric.dimensions]
    return out


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_dimension_subtotals_over_the_rounds(demo_db_path, monkeypatch, lang) -> None:
    at = open_page(demo_db_path, monkeypatch, "profile", unit="330106", round="2022", lang=lang)
    table = dimension_table(at, lang)
    assert table[t("pf_year", lang)].tolist() == ["2020", "2021", "2022"]  # public: published
    expected = dimension_cells(demo_db_path, "county", "330106", (2020, 2021, 2022))
    dims = [c for c in table.columns if c[:2] in {"A ", "B ", "C ", "D ", "E "}]
    assert len(dims) == 5
    assert [table.loc[i, dims].tolist() for i in range(3)] == list(expected.values())
    assert table[t("rank", lang)].tolist() == [
        int(engine_row(demo_db_path, y, "county", "330106")[0]["rank"]) for y in (2020, 2021, 2022)]
    chart = plotly_spec(at, "profile.dimension_chart")
    assert len(chart["data"]) == 5 and t("dh_chart", lang) in chart["layout"]["title"]["text"]
    assert not any(t("dh_rubric_note", lang)[:8] in i.value for i in at.info)


def test_dimension_history_notes_different_rubrics(two_rubric_db_path, monkeypatch) -> None:
    """2023 scored on jx-2022 (other dimensions): the union of dimensions, – where a round has
    none, and the note naming both rubrics."""
    at = open_page(two_rubric_db_path, monkeypatch, "profile", role="leader", unit="330106",
                   round="2023")
    table = dimension_table(at)
    assert table["评分标准版本"].tolist() == ["zj-2020"] * 3 + ["jx-2022"]
    assert (table.iloc[-1] == "–").any() and (table.iloc[0] == "–").any()
    [note] = [i.value for i in at.info if "评分标准或维度设置不同" in i.value]
    assert "zj-2020" in note and "jx-2022" in note
