"""Security, end to end through the app: the public never reaches draft data, hostile URL
parameters and imported text stay plain text, and no query is built from them."""

from __future__ import annotations

import json
import re

import pytest

from evalcore.access import PUBLIC
from evalcore.db import Store
from evalcore.importer import import_scores
from evalcore.importer.scores import score_columns
from evalcore.navigation import PAGES
from evalcore.rubric import load_rubric
from tests.pages_helper import open_page
from tests.test_import import write_csv

PAGE_FILES = [p.script.removeprefix("pages/").removesuffix(".py") for p in PAGES]
INJECTIONS = ["2023", "2022 OR 1=1", "'; DROP TABLE scores; --", "<script>alert(1)</script>",
              "../../etc/passwd"]


def everything_shown(at) -> str:
    """All text the page rendered, including tables and charts, as one string."""
    parts = [str(e.value) for kind in ("title", "header", "subheader", "markdown", "caption",
                                       "info", "warning", "success", "error", "metric")
             for e in getattr(at, kind)]
    parts += [df.value.to_csv() for df in at.dataframe]
    parts += [c.proto.spec for c in at.get("plotly_chart")]
    parts += [c.proto.json for c in at.get("deck_gl_json_chart")]
    return "\n".join(parts)


@pytest.mark.parametrize("page", PAGE_FILES)
def test_public_deep_link_to_the_draft_round_sees_no_draft(demo_db_path, monkeypatch, page):
    at = open_page(demo_db_path, monkeypatch, page, round="2023", level="county", unit="330106")
    assert at.query_params["round"] == "2022"
    shown = everything_shown(at)
    assert "草稿" not in shown
    # The year as a value or label (not digits inside a coordinate such as 120.22023).
    assert not re.search(r"(?<![\d.])2023(?!\d)", shown.replace("2023-12-31", ""))


@pytest.mark.parametrize("page", PAGE_FILES)
@pytest.mark.parametrize("value", INJECTIONS[1:])
def test_hostile_url_parameters_are_ignored(demo_db_path, monkeypatch, page, value) -> None:
    params = {k: value for k in ("round", "level", "stage", "lang", "within", "unit", "dim",
                                 "indicator", "measure", "category", "points", "bonus_view")}
    at = open_page(demo_db_path, monkeypatch, page, **params)
    assert at.query_params["round"] == "2022" and at.query_params["level"] == "city"
    assert "<script>" not in everything_shown(at)


def test_hostile_imported_text_is_stored_verbatim_and_shown_as_text(writable_db, tmp_path,
                                                                   monkeypatch) -> None:
    rubric = load_rubric("zj-2020")
    hostile = "'); DROP TABLE scores; -- <img src=x onerror=alert(1)>"
    row = ["330106", "", *[1.0] * len(rubric.manual_indicators()), hostile, hostile]
    path = write_csv(tmp_path / "h.csv", score_columns(rubric), [row])
    import_scores(writable_db, path, 2022, "cross")
    with Store(writable_db) as store:
        assert store.table_counts()["scores"] > 1000
        notes = store.stage_scores(2022, "cross").set_index("unit_code").loc["330106", "note"]
        assert set(notes) == {hostile}
        audit = json.loads(store.audit_log(1).iloc[0]["detail"])
        assert audit["file"] == "h.csv"
    # The public never receives notes at all; a leader gets them as data, never as markup.
    with Store(writable_db) as store:
        assert store.scores(2022, PUBLIC)["note"].isna().all()


def test_unknown_unit_that_looks_like_sql_is_refused_as_text(writable_db, tmp_path) -> None:
    from evalcore.importer import ImportRejected

    rubric = load_rubric("zj-2020")
    row = ["330106' OR '1'='1", "", *[1.0] * len(rubric.manual_indicators()), "", ""]
    path = write_csv(tmp_path / "u.csv", score_columns(rubric), [row])
    with pytest.raises(ImportRejected, match=r"unknown unit '330106' OR '1'='1'"):
        import_scores(writable_db, path, 2022, "cross")
