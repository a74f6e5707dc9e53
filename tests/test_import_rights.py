"""Import rights by role: a unit its own self-evaluation, a group the city it inspects."""

from __future__ import annotations

import pytest

from evalcore.access import FULL, Viewer
from evalcore.db import Store
from evalcore.importer import ImportRejected, apply, prepare_scores
from tests.test_import_reliability import score_file

UNIT = Viewer("unit", unit_code="330106")


def group_viewer(db, year: int = 2023) -> tuple[Viewer, str]:
    with Store(db) as store:
        row = store.inspection_groups(year).iloc[0]
    return Viewer("group", group_city_code=row["leader_city_code"]), row["inspected_city_code"]


def prepare(db, path, year, stage, viewer):
    with Store(db, read_only=False) as store:
        prepared = prepare_scores(store, path, year, stage, viewer)
        apply(store, prepared, viewer.key)
        return prepared


def test_unit_imports_its_own_self_evaluation(writable_db, tmp_path) -> None:
    prepared = prepare(writable_db, score_file(tmp_path, "s.csv", ["西湖区"], 1.0), 2023, "self",
                       UNIT)
    assert prepared.result.rows > 0 and set(prepared.rows["unit_code"]) == {"330106"}


@pytest.mark.parametrize(
    ("units", "year", "stage", "message"),
    [
        (["330106", "330108"], 2023, "self", r"row 3, column unit_code: unit 330108 is outside your rights"),
        (["330106"], 2023, "cross", r"the unit user role imports only the 'Self-evaluation' stage"),
        (["330106"], 2022, "self", r"round 2022 is published; only an administrator"),
    ],
    ids=["other-unit", "wrong-stage", "published"],
)
def test_unit_rights_are_enforced(writable_db, tmp_path, units, year, stage, message) -> None:
    with pytest.raises(ImportRejected, match=message):
        prepare(writable_db, score_file(tmp_path, "s.csv", units, 1.0), year, stage, UNIT)


def test_group_imports_cross_scores_of_the_city_it_inspects_only(writable_db, tmp_path) -> None:
    viewer, city = group_viewer(writable_db)
    ok = prepare(writable_db, score_file(tmp_path, "g.csv", [city], 1.0), 2023, "cross", viewer)
    assert set(ok.rows["unit_code"]) == {city}
    other = "330100" if city != "330100" else "330200"
    with pytest.raises(ImportRejected, match=f"unit {other} is outside your rights"):
        prepare(writable_db, score_file(tmp_path, "h.csv", [other], 1.0), 2023, "cross", viewer)


@pytest.mark.parametrize("role", ["public", "leader"])
def test_viewing_roles_cannot_import(writable_db, tmp_path, role) -> None:
    with pytest.raises(ImportRejected, match=f"the {role} role cannot import"):
        prepare(writable_db, score_file(tmp_path, "s.csv", ["330106"], 1.0), 2023, "cross",
                Viewer(role))


def test_admin_may_correct_a_published_round(writable_db, tmp_path) -> None:
    prepared = prepare(writable_db, score_file(tmp_path, "a.csv", ["330106"], 1.0), 2022, "cross",
                       FULL)
    assert prepared.result.changed > 0
    assert set(prepared.preview["change"]) <= {"new", "changed", "unchanged"}
    assert "points_old" in prepared.preview.columns
