"""The meeting pack (issue #12 §2): its PDF says what the engine says for every published
demo round; charts are the pages' own figures, rendered once (kaleido, one session); drafts
and empty rounds are refused with a clear message.

Rendering the ~16 chart images takes 10–20 s on 2 shared cores, so the full PDF is made once
(module fixture, 2022); the other checks lay out the text without images (`images={}`)."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from evalcore import scoring
from evalcore.__main__ import main
from evalcore.access import FULL, Viewer
from evalcore.db import Store
from evalcore.pack import PackRefused, build_pack, change_text
from evalcore.pack_render import images_unavailable_reason, pack_pdf
from evalcore.reader import Reader
from evalcore.rounds import load_round_inputs

PUBLISHED = (2020, 2021, 2022)
needs_images = pytest.mark.skipif(images_unavailable_reason() is not None,
                                  reason=str(images_unavailable_reason()))


def pdf_pages(data: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]


def engine(store: Store, year: int):
    inputs = load_round_inputs(store, year)
    return (inputs, scoring.leaderboard(inputs, "city", "final"),
            scoring.leaderboard(inputs, "county", "final"))


@pytest.fixture(scope="module")
def packs(demo_store):
    reader = Reader(demo_store, FULL)
    return {year: build_pack(reader, year, "zh") for year in PUBLISHED}


@pytest.fixture(scope="module")
def rendered(packs) -> bytes:
    """The 2022 pack with its chart images: made once for the module."""
    return pack_pdf(packs[2022])


@pytest.mark.parametrize("year", PUBLISHED)
def test_text_holds_the_engines_ranks_totals_and_marks(demo_store, packs, year) -> None:
    _, cities, counties = engine(demo_store, year)
    pages = pdf_pages(pack_pdf(packs[year], images={}))
    assert all("示例数据" in p for p in pages), "the demo mark on every page"
    assert len(pages) == 6 + len(cities), "six province pages, then one per city"
    city_pages = pages[6:]
    for page, (_, row) in zip(city_pages, cities.iterrows(), strict=True):
        lines = page.split("\n")
        assert "示例数据" in lines[0] and lines[1] == f"{int(row['rank'])}. {row['unit_name']}"
        assert f"总分{row['total']:.2f}分，排名第{int(row['rank'])}" in page.replace("\n", "")
        mine = counties.loc[counties["parent_code"] == row["unit_code"]]
        assert all(name in page for name in mine["unit_name"]), "its counties listed"
    ranking = pages[1].replace("\n", "")
    positions = [ranking.index(name) for name in cities["unit_name"]]
    assert positions == sorted(positions), "cities in rank order"


@pytest.mark.parametrize("year", PUBLISHED)
def test_sections_equal_the_engine(demo_store, packs, year) -> None:
    _, cities, _ = engine(demo_store, year)
    pack = packs[year]
    [table] = pack.section("leaderboard").tables
    assert table["排名"].tolist() == cities["rank"].astype(int).tolist()
    assert table["总分"].tolist() == cities["total"].round(2).tolist()
    [changes] = pack.section("changes").tables
    if year == 2020:  # the first round has nothing to compare with
        expected = ["–"] * len(cities)
    else:  # previous rank − rank, from the engine's board of the round before
        before = engine(demo_store, year - 1)[1].set_index("unit_code")["rank"]
        expected = [change_text(before[u] - r, True, "zh")
                    for u, r in zip(cities["unit_code"], cities["rank"], strict=True)]
        assert changes["上年排名"].tolist() == [before[u] for u in cities["unit_code"]]
    assert changes["名次变化"].tolist() == expected
    uncertain = pack.section("uncertainty").paragraphs[1:]
    assert [line.split("：")[0] for line in uncertain] == cities["unit_name"].tolist()
    assert set(pack.figures) == {"progress", "leaderboard", "map", "dimensions",
                                 "uncertainty"} | {f"city-{c}" for c in cities["unit_code"]}


def test_figures_are_the_pages_builders(packs) -> None:
    """The leaderboard chart is the leaderboard page's: one bar trace per dimension plus
    bonus and deductions, the cities in rank order."""
    pack = packs[2022]
    figure = pack.figures["leaderboard"]
    [table] = pack.section("leaderboard").tables
    assert list(figure.data[0].y) == table["设区市"].tolist()
    assert len(figure.data) == 5 + 2
    assert figure.data[0].x[0] == pytest.approx(table.iloc[0, 4])


@needs_images
def test_rendered_pdf_has_a_chart_on_every_section_but_changes(packs, rendered) -> None:
    reader = PdfReader(io.BytesIO(rendered))
    with_images = [i for i, page in enumerate(reader.pages) if page.images]
    assert with_images == [0, 1, 2, 3, 5, *range(6, len(reader.pages))]
    text = "".join(p.extract_text() for p in reader.pages)
    assert "示例数据" in text and "http" not in text


def test_english_pack(demo_store) -> None:
    pack = build_pack(Reader(demo_store, FULL), 2022, "en")
    pages = pdf_pages(pack_pdf(pack, images={}))
    assert all("Demo data" in p for p in pages)
    assert "City ranking" in pages[1] and "Rank changes" in pages[4]


def test_a_draft_round_is_refused_or_marked(demo_store) -> None:
    with pytest.raises(PackRefused) as refused:
        build_pack(Reader(demo_store, FULL), 2023)
    assert "尚未发布" in refused.value.render("zh") and "会议材料" in refused.value.render("zh")
    pack = build_pack(Reader(demo_store, FULL), 2023, draft=True)
    assert all("草稿" in p for p in pdf_pages(pack_pdf(pack, images={})))
    unit = Reader(demo_store, Viewer("unit", unit_code="330106"))
    with pytest.raises(PackRefused):  # a unit user may not make even the draft one
        build_pack(unit, 2023, draft=True)


def test_a_round_without_scores_or_unknown_is_refused(writable_db) -> None:
    with Store(writable_db, read_only=False) as store:
        store.create_round(2024, "zj-2020", actor="test")
        with pytest.raises(PackRefused) as refused:
            build_pack(Reader(store, FULL), 2024, draft=True)
        assert "尚无评分数据" in refused.value.render("zh")
        assert "no scores" in refused.value.render("en")
        with pytest.raises(PackRefused) as unknown:
            build_pack(Reader(store, FULL), 2019)
        assert "没有 2019 年度" in unknown.value.render("zh")


def test_cli_refuses_a_draft(demo_db_path, tmp_path, capsys) -> None:
    out = tmp_path / "p.pdf"
    assert main(["pack", "--db", str(demo_db_path), "--round", "2023", "--out", str(out)]) == 2
    assert "尚未发布" in capsys.readouterr().err and not out.exists()


@needs_images
def test_cli_writes_a_pdf(demo_db_path, tmp_path, capsys, monkeypatch) -> None:
    """The command end to end, with the images of the module's render (not made twice)."""
    from evalcore import pack_render

    monkeypatch.setattr(pack_render, "figure_images", lambda figures: {})
    out = tmp_path / "p.pdf"
    assert main(["pack", "--db", str(demo_db_path), "--round", "2022", "--out", str(out),
                 "--lang", "en"]) == 0
    assert out.read_bytes().startswith(b"%PDF") and "Demo data" in capsys.readouterr().out
