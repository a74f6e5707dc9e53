"""The bonus cases workspace: offered to accounts that may claim, review or enter deductions;
each role sees its units and forms (zh, en); a verdict and a deduction saved through the write
actions; a bad entry refused with its message in the user's language and nothing written."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from evalcore import actions
from evalcore import actions_bonus as ab
from evalcore.db import Store
from evalcore.paths import evidence_dir
from tests.pages_helper import open_page, private_copy


@pytest.fixture(scope="session")
def demo_db_path(workflow_free_db_path):
    """These tests start from a round where nothing of the workflow has happened yet."""
    return workflow_free_db_path

DRAFT = 2023
UNIT = "330602"  # 越城区, inspected in 2023 by the group Ningbo (330200) leads
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
GROUP = {"group_city_code": "330200"}


@pytest.fixture
def case_db(demo_db_path: Path) -> Path:
    """A copy with one new F1 case of 越城区, with its evidence file."""
    db = private_copy(demo_db_path)
    with Store(db, read_only=False) as store:
        ab.claim_case(store, actions.CLI, evidence_dir(db), DRAFT, UNIT, "F1", "停车设施引入社会资本",
                      "以停车收费回收投资", 320.0, files=[("合同.pdf", PDF)],
                      now=datetime(2024, 3, 1))
    return db


def _store(db: Path) -> Store:
    from evalcore.ui.loaders import _store as cached

    return cached(str(db))


@pytest.mark.parametrize(("role", "codes"), [(None, None), ("leader", None)])
def test_not_offered_to_the_public_or_the_leader(demo_db_path, monkeypatch, role, codes) -> None:
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        open_page(demo_db_path, monkeypatch, "bonus_cases", role=role, codes=codes)


@pytest.mark.parametrize(("role", "codes", "units", "forms"), [
    ("unit", {"unit_code": UNIT}, 1, {"claim"}),
    ("group", GROUP, 7, {"review"}),  # 绍兴市 and its 6 counties
    ("third_party", None, 101, {"review", "deduction"}),
    ("admin", None, 101, {"claim", "review", "deduction"}),
])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_each_role_sees_its_units_and_forms(demo_db_path, monkeypatch, role, codes, units,
                                            forms, lang) -> None:
    at = open_page(demo_db_path, monkeypatch, "bonus_cases", role=role, codes=codes, lang=lang)
    title = {"zh": "🧾 加分案例与扣分", "en": "🧾 Bonus cases and deductions"}[lang]
    assert at.title[0].value == title
    assert at.selectbox(key="bc.round").value == DRAFT
    assert len(at.selectbox(key="bc.unit").options) == units
    keys = {w.key for w in at.selectbox}
    not_reviewer = {"zh": "您的账号不核验加分案例。",
                    "en": "Your account does not review bonus cases."}[lang]
    present = {name for name, shown in (("claim", "bc.claim_which" in keys),
                                        ("deduction", "bc.item" in keys),
                                        ("review", not_reviewer not in [i.value for i in at.info]))
               if shown}
    assert present == forms
    assert len(at.metric) >= 3


def test_the_inspecting_group_accepts_a_case_beside_the_unit_funding(demo_db_path, case_db,
                                                                     monkeypatch) -> None:
    at = open_page(demo_db_path, monkeypatch, "bonus_cases", role="group", codes=GROUP,
                   private=case_db, lang="en")
    at.selectbox(key="bc.unit").set_value(UNIT).run()
    number = int(_store(case_db).bonus_case_rows(DRAFT).query(
        "unit_code == @UNIT and category_code == 'F1'")["case_no"].max())
    at.selectbox(key="bc.review_which").set_value(f"F1-{number}").run()
    labels = [m.label for m in at.metric]
    assert "2023 batch" in labels and "Communities with money in it" in labels
    before = at.metric[0].value
    at.radio(key="bc.verdict").set_value("accepted")
    at.text_area(key="bc.note").input("现场核实：停车场已运营")
    at.get("form")[0]  # the review form
    at.button[[b.label for b in at.button].index("Save the verdict")].click().run()
    assert not at.exception
    assert at.success and "Verdict saved" in at.success[0].value
    rows = _store(case_db).bonus_case_rows(DRAFT).query(
        "unit_code == @UNIT and stage == 'cross' and case_no == @number "
        "and category_code == 'F1'")
    assert rows.iloc[0]["points_awarded"] == 1.0
    assert rows.iloc[0]["recorded_by"] == "group:test-group"
    assert at.metric[0].value >= before


def test_a_verdict_without_reason_is_refused_in_the_users_language(demo_db_path, case_db,
                                                                 monkeypatch) -> None:
    at = open_page(demo_db_path, monkeypatch, "bonus_cases", role="group", codes=GROUP,
                   private=case_db)
    at.selectbox(key="bc.unit").set_value(UNIT).run()
    before = _store(case_db).table_counts()
    at.button[[b.label for b in at.button].index("保存核验结论")].click().run()
    assert at.error[0].value == "请填写核验意见（认定或不予认定的理由）"
    assert _store(case_db).table_counts() == before


def test_an_out_of_range_deduction_is_refused_then_a_good_one_saved(demo_db_path, monkeypatch,
                                                                   ) -> None:
    db = private_copy(demo_db_path)
    at = open_page(demo_db_path, monkeypatch, "bonus_cases", role="third_party", private=db,
                   lang="en")
    at.selectbox(key="bc.unit").set_value(UNIT).run()
    before = _store(db).table_counts()
    at.selectbox(key="bc.item").set_value("P1")
    at.number_input(key="bc.points").set_value(4.0)
    at.text_area(key="bc.reason").input("集中信访")
    at.button[[b.label for b in at.button].index("Save the deduction")].click().run()
    assert "outside its range 1–3: refused (never clipped)" in at.error[0].value
    assert _store(db).table_counts() == before
    at.selectbox(key="bc.item").set_value("P1")
    at.number_input(key="bc.points").set_value(2.0)
    at.text_area(key="bc.reason").input("集中信访")
    at.button[[b.label for b in at.button].index("Save the deduction")].click().run()
    assert "Deduction saved" in at.success[0].value
    entry = _store(db).deduction_entries(DRAFT).query("unit_code == @UNIT").iloc[-1]
    assert (entry["code"], entry["points"], entry["stage"]) == ("P1", 2.0, "third_party")


def test_a_unit_user_sees_its_case_and_can_withdraw_it(demo_db_path, case_db,
                                                       monkeypatch) -> None:
    at = open_page(demo_db_path, monkeypatch, "bonus_cases", role="unit",
                   codes={"unit_code": UNIT}, private=case_db)
    cases = at.dataframe[1].value  # after the caps table
    assert "停车设施引入社会资本" in set(cases["案例"])
    number = int(_store(case_db).bonus_case_rows(DRAFT).query(
        "unit_code == @UNIT and category_code == 'F1'")["case_no"].max())
    at.selectbox(key="bc.claim_which").set_value(f"F1-{number}").run()
    assert at.text_input(key=f"bc.title.F1-{number}").value == "停车设施引入社会资本"
    at.button(key=f"bc.withdraw.F1-{number}").click().run()
    assert at.success and "已撤回" in at.success[0].value
    assert "停车设施引入社会资本" not in set(_store(case_db).bonus_case_rows(DRAFT)["case_title"])
