"""Rounds on different rubrics (issue #11): one database whose 2020–2022 rounds use zj-2020
and whose draft 2023 uses jx-2022 (tests/two_rubrics.py). The profile and the report read each
past round's grade and rubric from that round; the change against a round of another rubric is
marked; captions come from the round's rubric; vetoes, refused deductions and ties at two
decimals follow each round's own rubric."""

from __future__ import annotations

import shutil

import pandas as pd
import pytest
from markupsafe import escape

from evalcore import report
from evalcore.access import FULL
from evalcore.db import Store
from evalcore.labels import t
from evalcore.reader import Reader
from evalcore.rubric import load_rubric
from evalcore.scoring import ScoringError
from evalcore.scoring.penalties import check_deductions
from evalcore.views import leaderboard as lv
from evalcore.views import profile as pv
from evalcore.views.common import dimension_summary, points_scale
from tests.pages_helper import open_page
from tests.two_rubrics import JX, JX_YEAR

ZJ = "zj-2020"
UNIT = "330106"  # 西湖区
MARK = {"zh": "（评分标准不同）", "en": " (different rubric)"}


@pytest.fixture(scope="module")
def reader(two_rubric_db_path):
    store = Store(two_rubric_db_path, read_only=True)
    yield Reader(store, FULL)
    store.close()


@pytest.fixture(scope="module")
def profile(reader) -> pv.ProfileData:
    return reader.profile_data(JX_YEAR, UNIT)


def expected_history(reader: Reader, code: str, lang: str) -> list[tuple]:
    """(year, rank, grade name, rubric) of each round, from that round's own board."""
    rows = []
    for year, version in reader.rounds()[["year", "rubric_version"]].itertuples(index=False):
        row = reader.board(int(year), "county", "final", None).set_index("unit_code").loc[code]
        rows.append((int(year), int(row["rank"]), row[f"grade_name_{lang}"], version))
    return sorted(rows)


def test_the_database_has_two_rubrics(reader) -> None:
    versions = reader.rounds().set_index("year")["rubric_version"].to_dict()
    assert versions == {2020: ZJ, 2021: ZJ, 2022: ZJ, 2023: JX}
    grades = set(reader.board(JX_YEAR, "county", "final", None)["grade"])
    assert "poor" in grades  # a jx-2022 grade code zj-2020 does not have (it has "fail")
    assert "poor" not in {g.code for g in load_rubric(ZJ).grades}


# -- 1. the history carries each round's grade and rubric -------------------------------------

def test_history_rows_carry_their_own_rounds_grade_names_and_rubric(reader) -> None:
    history = reader.rank_history("county", "final", None)
    mine = history.loc[history["unit_code"] == UNIT].sort_values("year")
    assert mine["rubric_version"].tolist() == [ZJ, ZJ, ZJ, JX]
    for lang in ("zh", "en"):
        expected = [name for _, _, name, _ in expected_history(reader, UNIT, lang)]
        assert mine[f"grade_name_{lang}"].tolist() == expected
    for version, rows in history.groupby("rubric_version"):
        codes = {g.code for g in load_rubric(version).grades}
        assert set(rows["grade"]) <= codes, version


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_profile_history_shows_each_round_on_its_own_rubric(profile, reader, lang) -> None:
    table = pv.history_table(profile, lang, drafts={JX_YEAR}, badge=False)
    expected = expected_history(reader, UNIT, lang)
    assert table[t("rank", lang)].tolist() == [rank for _, rank, _, _ in expected]
    assert table[t("grade", lang)].tolist() == [name for _, _, name, _ in expected]
    assert table[t("rubric_version", lang)].tolist() == [v for *_, v in expected]
    badges = pv.history_table(profile, lang, drafts=set())[t("grade", lang)].tolist()
    assert [b.split(" ", 1)[1] for b in badges] == [name for _, _, name, _ in expected]
    assert pv.history_points(profile, lang)["grade_label"].tolist() == [
        name for _, _, name, _ in expected]
    note = pv.history_note(profile, lang)
    assert "2020–2022 zj-2020" in note and "2023 jx-2022" in note
    assert note in pv.history_caption(profile, lang)


def test_a_history_on_one_rubric_has_no_note(reader) -> None:
    data = reader.profile_data(2022, UNIT)
    assert pv.history_note(data, "zh") is None
    assert pv.history_caption(data, "zh") == t("pf_history_caption", "zh")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_printed_report_shows_each_rounds_grade_and_rubric(profile, reader, lang) -> None:
    html = report.render_html(report.build_profile_report(
        profile, reader.regions(), lang, is_demo=True, drafts=frozenset({JX_YEAR})))
    history = html[html.index(t("pf_history", lang)):html.index(t("pf_communities", lang))]
    for year, rank, name, version in expected_history(reader, UNIT, lang):
        row = history[history.index(f"<td>{year}"):]
        row = row[:row.index("</tr>")]
        assert f">{rank}<" in row and f"<td>{name}</td>" in row and f"<td>{version}</td>" in row
    assert str(escape(pv.history_note(profile, lang))) in history
    assert MARK[lang] in html  # the change against 2022 (zj-2020), in the headline


def test_profile_page_across_rubrics(two_rubric_db_path, monkeypatch) -> None:
    at = open_page(two_rubric_db_path, monkeypatch, "profile", role="leader",
                   round=str(JX_YEAR), unit=UNIT)
    history = next(d.value for d in at.dataframe if "评分标准版本" in d.value.columns)
    assert history["评分标准版本"].tolist() == [ZJ, ZJ, ZJ, JX]
    grades = history["等次"].tolist()
    assert grades[:3] == ["🟢 优秀"] * 3 and grades[3].endswith(" 差")
    deltas = {m.label: m.proto.delta for m in at.metric}
    assert deltas["总分"].endswith(MARK["zh"]) and deltas["排名"].endswith(MARK["zh"])
    assert any("2023 jx-2022" in c.value for c in at.caption)
    assert any(MARK["zh"] in c.value for c in at.caption)  # the change under the metrics


# -- 3. the change against a round of another rubric is marked ---------------------------------

@pytest.mark.parametrize(
    ("year", "previous", "comparable"),
    [(2023, ZJ, False), (2022, ZJ, True), (2021, ZJ, True), (2020, None, False)],
)
def test_boards_say_which_rubric_their_change_is_against(reader, year, previous,
                                                         comparable) -> None:
    for level, within in (("city", None), ("county", None), ("county", "330100")):
        board = reader.board(year, level, "final", within)
        assert board["previous_rubric"].tolist() == [previous] * len(board)
        assert board["change_comparable"].tolist() == [comparable] * len(board)
        assert board["rank_change"].notna().all() == (previous is not None)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_leaderboard_marks_changes_against_another_rubric(reader, lang) -> None:
    for year, marked in ((2023, True), (2022, False)):
        board = reader.board(year, "county", "final", None)
        rubric = reader.round_inputs(year).rubric
        changes = lv.display_frame(board, rubric, lang)[t("rank_change", lang)]
        if marked:
            assert changes.str.endswith(MARK[lang]).all()
        else:
            assert not changes.str.contains(MARK[lang].strip(), regex=False).any()


def test_profile_headline_marks_a_change_against_another_rubric(profile, reader) -> None:
    head = pv.headline(profile)
    assert not head.change_comparable and head.rank_change is not None
    assert pv.change_text(head, "zh").endswith("（评分标准不同）")
    assert pv.delta_text(head.total_change, False, "en", 2) == (
        f"{head.total_change:+.2f} (different rubric)")
    same = pv.headline(reader.profile_data(2022, UNIT))
    assert same.change_comparable and "评分标准不同" not in pv.change_text(same, "zh")
    assert pv.delta_text(same.rank_change, True, "zh") == same.rank_change


def test_leaderboard_page_marks_the_change_and_gives_the_rounds_scale(two_rubric_db_path,
                                                                      monkeypatch) -> None:
    for year, mark, scale in ((2023, True, "基础分100，无加分"), (2022, False, "基础分100，加分上限10")):
        at = open_page(two_rubric_db_path, monkeypatch, "leaderboard", role="leader",
                       round=str(year), level="county")
        table = next(d.value for d in at.dataframe if "名次变化" in d.value.columns)
        assert table["名次变化"].str.endswith(MARK["zh"]).all() == mark
        assert any(f"得分单位：分（{scale}）" in c.value for c in at.caption)


# -- 2. captions from the round's rubric ------------------------------------------------------

@pytest.mark.parametrize(
    ("version", "lang", "scale"),
    [(ZJ, "zh", "基础分100，加分上限10"), (ZJ, "en", "base 100, bonus up to 10"),
     (JX, "zh", "基础分100，无加分"), (JX, "en", "base 100, no bonus")],
)
def test_point_scale_comes_from_the_rubric(version, lang, scale) -> None:
    rubric = load_rubric(version)
    assert points_scale(rubric, lang) == scale
    assert scale in lv.caption(rubric, lang)


def test_stage_caption_says_how_the_rounds_rubric_makes_the_final_score(profile,
                                                                          reader) -> None:
    assert profile.rubric.id == JX
    assert pv.stage_caption(profile, "zh").endswith("最终得分为各阶段加权（市县自评 30%、第三方评价 70%）")
    assert pv.stage_caption(profile, "en").endswith(
        "final is a weighted mean of the stages (Self-evaluation 30%, Third-party evaluation 70%)")
    assert pv.stage_caption(reader.profile_data(2022, UNIT), "zh").endswith("最终得分按核验阶段核定")


def test_home_names_the_rounds_dimensions(two_rubric_db_path, monkeypatch) -> None:
    for year, version in ((2023, JX), (2022, ZJ)):
        at = open_page(two_rubric_db_path, monkeypatch, "home", role="leader", round=str(year))
        summary = dimension_summary(load_rubric(version), "zh")
        intro = next(m.value for m in at.markdown if "考评" in m.value and "方面" in m.value)
        assert f"{summary['dimensions']}{summary['n']}个方面" in intro
        other = load_rubric(ZJ if version == JX else JX).dimensions[0].name_zh
        assert other not in intro


def test_dimension_count_follows_the_rubric() -> None:
    from scoring_fixtures import tiny_rubric

    assert dimension_summary(tiny_rubric(), "en") == {"n": "2", "dimensions": "X, Y"}
    assert dimension_summary(load_rubric(JX), "zh") == {
        "n": "5", "dimensions": "年度目标任务、改造内容适宜、机制建设、多渠道筹资、综合评价"}


# -- 5. and 6. deductions and vetoes by each round's rubric -----------------------------------

def _with_deductions(source, tmp_path, rows: list[tuple], name: str = "changed"):
    path = tmp_path / f"{name}.duckdb"
    shutil.copyfile(source, path)
    with Store(path, read_only=False) as store, store.writing() as cur:
        for row in rows:
            cur.execute("INSERT INTO deductions (round_year, unit_code, seq, code, points, "
                        "reason) VALUES (?, ?, ?, ?, ?, ?)", list(row))
    return path


def test_a_deduction_is_checked_against_its_rounds_rubric(two_rubric_db_path, tmp_path) -> None:
    # P1 4 points: beyond zj-2020's range (1–3), within jx-2022's (1–5).
    rows = pd.DataFrame({"unit_code": [UNIT], "code": ["P1"], "points": [4.0]})
    assert [p.rule for p in check_deductions(load_rubric(ZJ), rows)] == ["out_of_range"]
    assert check_deductions(load_rubric(JX), rows) == []
    in_jx = _with_deductions(two_rubric_db_path, tmp_path, [(JX_YEAR, UNIT, 5, "P1", 4.0, "t")],
                             "jx")
    with Store(in_jx) as store:  # the item's cap (5) counts the demo's own P1 of this unit
        own = store.scalar("SELECT coalesce(sum(points), 0) FROM deductions WHERE round_year = "
                           "? AND unit_code = ? AND code = 'P1' AND seq <> 5", [JX_YEAR, UNIT])
        board = Reader(store, FULL).board(JX_YEAR, "county", "final", None)
        assert board.set_index("unit_code").loc[UNIT, "deductions"] == min(5.0, own + 4.0)
    in_zj = _with_deductions(two_rubric_db_path, tmp_path, [(2022, UNIT, 5, "P1", 4.0, "t")],
                             "zj")
    with Store(in_zj) as store:
        with pytest.raises(ScoringError, match=f"unit {UNIT}, item P1, 4 points: outside the "
                                               "item's range 1–3"):
            Reader(store, FULL).board(2022, "county", "final", None)


def test_vetoed_units_rank_last_under_either_rubric(two_rubric_db_path, tmp_path) -> None:
    path = _with_deductions(two_rubric_db_path, tmp_path, [(JX_YEAR, UNIT, 9, "V1", 0.0, "test")])
    with Store(path) as store:
        reader = Reader(store, FULL)
        for year, vetoed, lowest in ((2021, "331181", "fail"), (JX_YEAR, UNIT, "poor")):
            board = reader.board(year, "county", "final", None)
            assert board["unit_code"].iloc[-1] == vetoed and len(board) == 90
            row = board.set_index("unit_code").loc[vetoed]
            assert (int(row["rank"]), row["grade"]) == (90, lowest)
            assert (board.loc[~board["vetoed"], "total"] < row["total"]).any()


def test_ranks_compare_totals_as_shown_under_either_rubric(reader) -> None:
    for year in (2020, 2021, 2022, JX_YEAR):
        for level in ("city", "county"):
            board = reader.board(year, level, "final", None)
            keys = [(v, -round(round(x, 6), 2)) for v, x in zip(board["vetoed"], board["total"],
                                                               strict=True)]
            expected = [1 + sum(other < key for other in keys) for key in keys]
            assert board["rank"].tolist() == expected, (year, level)
