"""The access policy walked as a matrix: every role × resource × round state × own/other unit,
against the declared table (evalcore/access.py) and against what the loaders (Reader) and the
write actions actually return or do on the demo database.

The expected units are computed here from the tables, not from Store.own_units, so a mistake
in the store's rule shows up as a difference.
"""

from __future__ import annotations

import shutil

import pandas as pd
import pytest

from evalcore import access, actions
from evalcore.access import FULL, POLICY, PUBLIC, Viewer, allows, scope
from evalcore.db import Store
from evalcore.reader import Reader
from evalcore.rounds import RoundNotFound

PUBLISHED, DRAFT = 2022, 2023
VIEWERS = {
    "public": PUBLIC,
    "county user": Viewer("unit", unit_code="330106"),  # 西湖区, Hangzhou
    "city user": Viewer("unit", unit_code="330200"),  # 宁波市
    "group": Viewer("group", group_city_code="330200"),  # Ningbo leads; inspects 绍兴 in 2023
    "third party": Viewer("third_party"),  # the institution: every unit, its own stage
    "leader": Viewer("leader"),
    "admin": FULL,
}


def expected_own(store: Store, year: int, viewer: Viewer) -> set[str]:
    if viewer.role == "unit":
        return {viewer.unit_code}
    if viewer.role == "group":
        groups = store.query("SELECT * FROM inspection_groups WHERE round_year = ?", [year])
        city = groups.set_index("leader_city_code").loc[viewer.group_city_code,
                                                        "inspected_city_code"]
        regions = store.regions()
        return {city, *regions.loc[regions["parent_code"] == city, "code"]}
    return set()


def expected_units(store: Store, year: int, viewer: Viewer, resource: str,
                   every: set[str]) -> set[str]:
    granted = scope(viewer, "read", resource, year == PUBLISHED)
    if granted == "all":
        return every
    if granted == "own":
        return every & expected_own(store, year, viewer)
    return set()


# -- the table itself -------------------------------------------------------------------

def test_policy_rows_use_declared_words() -> None:
    for role, action, resource, rounds, units in POLICY:
        assert role in access.ROLES and action in access.ACTIONS
        assert rounds in ("published", "draft", "any") and units in ("all", "own")
        assert resource in access.RESOURCES


def test_public_is_granted_published_reads_only() -> None:
    for resource in access.RESOURCES:
        assert scope(PUBLIC, "read", resource, published=False) is None
        assert scope(PUBLIC, "write", resource, published=True) is None
    for resource in ("notes", "stage_detail_internal", "audit"):
        assert scope(PUBLIC, "read", resource, published=True) is None


@pytest.mark.parametrize("name", list(VIEWERS))
def test_shorthands_follow_the_table(name) -> None:
    viewer = VIEWERS[name]
    assert viewer.may_manage == allows(viewer, "write", "round", False)
    assert access.importable_stages(viewer) == {
        "public": (), "county user": ("self",), "city user": ("self",), "group": ("cross",),
        "third party": ("third_party",), "leader": (),
        "admin": ("self", "cross", "third_party")}[name]
    assert access.setup_parts(viewer) == (
        ("deadlines", "groups", "targets") if name == "admin" else ())
    assert viewer.may_set_up == (name == "admin")


# -- reads: what the loaders return ----------------------------------------------------------

@pytest.fixture(scope="module")
def every_unit(demo_store) -> set[str]:
    return set(demo_store.regions().query("level != 'province'")["code"])


@pytest.mark.parametrize("year", [PUBLISHED, DRAFT])
@pytest.mark.parametrize("name", list(VIEWERS))
def test_results_rows_match_the_policy(demo_store, every_unit, name, year) -> None:
    viewer = VIEWERS[name]
    reader = Reader(demo_store, viewer)
    want = expected_units(demo_store, year, viewer, "results", every_unit)
    if scope(viewer, "read", "results", year == PUBLISHED) is None:
        with pytest.raises(RoundNotFound):
            reader.round_inputs(year)
        return
    boards = pd.concat([reader.board(year, level, "final", None) for level in ("city", "county")])
    assert set(boards["unit_code"]) == want
    for frame in (demo_store.scores(year, viewer), demo_store.bonus_claims(year, viewer),
                  demo_store.deductions(year, viewer),
                  reader.indicator_table(year, "county", None),
                  reader.bonus_report(year, "county", None, "final")):
        assert set(frame["unit_code"]) <= want


@pytest.mark.parametrize("year", [PUBLISHED, DRAFT])
@pytest.mark.parametrize("name", list(VIEWERS))
def test_notes_only_where_granted(demo_store, every_unit, name, year) -> None:
    viewer = VIEWERS[name]
    want = expected_units(demo_store, year, viewer, "notes", every_unit)
    for frame, column in ((demo_store.scores(year, viewer), "note"),
                          (demo_store.bonus_claims(year, viewer), "review_note"),
                          (demo_store.deductions(year, viewer), "reason")):
        with_text = set(frame.loc[frame[column].notna(), "unit_code"])
        assert with_text <= want, (column, sorted(with_text - want)[:3])


@pytest.mark.parametrize("year", [PUBLISHED, DRAFT])
@pytest.mark.parametrize("name", list(VIEWERS))
def test_internal_stage_detail_only_where_granted(demo_store, every_unit, name, year) -> None:
    viewer = VIEWERS[name]
    if scope(viewer, "read", "results", year == PUBLISHED) is None:
        return
    reader = Reader(demo_store, viewer)
    rubric = reader.round_inputs(year).rubric
    internal = {i.code for i in rubric.indicators if i.internal}
    want = expected_units(demo_store, year, viewer, "stage_detail_internal", every_unit)
    table = reader.indicator_table(year, "county", None)
    rows = table[table["indicator_code"].isin(internal)]
    shown = set(rows.loc[rows[["self", "cross", "third_party"]].notna().any(axis=1),
                         "unit_code"])
    assert shown <= want
    inflation, _ = reader.credibility(year, "county", None)
    assert set(inflation.loc[inflation["indicator_code"].isin(internal), "unit_code"]) <= want


@pytest.mark.parametrize("name", list(VIEWERS))
def test_progress_rows_and_statuses_match_the_policy(demo_store, name) -> None:
    viewer = VIEWERS[name]
    full = demo_store.communities(FULL).set_index("id")
    seen = Reader(demo_store, viewer).communities().set_index("id")
    last_public = int(demo_store.rounds().query("published")["year"].max())
    regions = demo_store.regions().set_index("code")
    own = expected_own(demo_store, DRAFT, viewer)
    mine = full["county_code"].isin(own) | full["county_code"].map(regions["parent_code"]).isin(
        own)
    granted_draft = scope(viewer, "read", "progress", published=False)
    visible = full["batch_year"] <= last_public
    if granted_draft == "all":
        visible |= True
    elif granted_draft == "own":
        visible |= mine  # a city's own communities are its counties'

    assert set(seen.index) == set(full.index[visible])
    # Statuses: current for what the viewer sees of the newest round, else as at the end of
    # the last published year: nothing started or completed after it shows.
    cutoff = pd.Timestamp(last_public, 12, 31)
    current = mine if granted_draft == "own" else pd.Series(granted_draft == "all",
                                                            index=full.index)
    others = seen.loc[~current.reindex(seen.index).fillna(False).astype(bool)]
    assert (pd.to_datetime(others["start_date"]).dropna() <= cutoff).all()
    assert (pd.to_datetime(others["completion_date"]).dropna() <= cutoff).all()
    later = full.loc[others.index]
    started_late = pd.to_datetime(later["start_date"]) > cutoff
    assert (others.loc[started_late, "status"] == "planned").all()
    done_late = (pd.to_datetime(later["completion_date"]) > cutoff) & ~started_late
    assert (others.loc[done_late, "status"] == "started").all()
    assert others.loc[done_late, "satisfaction"].isna().all()
    if granted_draft != "all":
        assert done_late.any()  # the demo has such communities: the rule was exercised


@pytest.mark.parametrize("name", list(VIEWERS))
def test_inspection_groups_match_the_policy(demo_store, name) -> None:
    viewer = VIEWERS[name]
    draft = demo_store.inspection_groups(DRAFT, viewer)
    assert len(demo_store.inspection_groups(PUBLISHED, viewer)) == 11
    granted = scope(viewer, "read", "groups", published=False)
    if granted == "all":
        assert len(draft) == 11
    elif granted is None:
        assert draft.empty
    else:
        assert 1 <= len(draft) <= 2  # the group(s) concerning its own city only


# -- writes: what the actions do -------------------------------------------------------------

class Accounts:
    """The accounts an action re-reads (the real AccountStore is tested in test_auth)."""

    def __init__(self, viewer: Viewer) -> None:
        self.viewer = viewer

    def current_account(self, username: str):
        from types import SimpleNamespace

        return SimpleNamespace(role=self.viewer.role, unit_code=self.viewer.unit_code,
                               group_city_code=self.viewer.group_city_code)


@pytest.fixture
def write_store(workflow_free_db_path, tmp_path):
    """The demo before anything of the round workflow happened (its 2023 stages are not
    submitted, no window is set): what each role may write is the policy alone."""
    path = tmp_path / "w.duckdb"
    shutil.copyfile(workflow_free_db_path, path)
    with Store(path, read_only=False) as store:
        yield store


def _prepared(store: Store, year: int, stage: str, unit: str):
    from evalcore.importer import ImportResult, Prepared

    rows = store.query("SELECT * FROM scores WHERE round_year = ? AND stage = ? "
                       "AND unit_code = ? LIMIT 2", [year, stage, unit])
    rows["points"] = 0.0
    result = ImportResult("x.csv", "0" * 64, len(rows), 0, len(rows), 0)
    return Prepared("scores", rows, rows, result, {"kind": "scores", "round": year,
                                                   "stage": stage})


@pytest.mark.parametrize("stage", ["self", "cross", "third_party"])
@pytest.mark.parametrize("year", [PUBLISHED, DRAFT])
@pytest.mark.parametrize("name", [n for n in VIEWERS if n != "public"])
def test_score_writes_match_the_policy(write_store, name, year, stage) -> None:
    viewer = VIEWERS[name]
    own = sorted(expected_own(write_store, year, viewer))
    other = "330381" if "330381" not in own else "330727"
    for unit, is_own in ([(own[0], True)] if own else []) + [(other, False)]:
        prepared = _prepared(write_store, year, stage, unit)
        before = write_store.table_counts()
        actor = actions.Actor("someone", Accounts(viewer))
        if allows(viewer, "write", f"scores:{stage}", year == PUBLISHED, is_own):
            actions.import_prepared(write_store, actor, prepared)
            assert write_store.table_counts()["audit_log"] == before["audit_log"] + 1
        else:
            with pytest.raises(actions.Refused):
                actions.import_prepared(write_store, actor, prepared)
            assert write_store.table_counts() == before


@pytest.mark.parametrize("name", [n for n in VIEWERS if n != "public"])
def test_round_writes_match_the_policy(write_store, name) -> None:
    viewer = VIEWERS[name]
    actor = actions.Actor("someone", Accounts(viewer))
    before = write_store.table_counts()
    allowed = allows(viewer, "write", "round", published=False)
    for act in (lambda: actions.set_published(write_store, actor, DRAFT, True),
                lambda: actions.create_round(write_store, actor, 2030, "zj-2020"),
                lambda: actions.revert(write_store, actor, 1)):
        if not allowed:
            with pytest.raises(actions.Refused):
                act()
            assert write_store.table_counts() == before
    if allowed:
        actions.set_published(write_store, actor, DRAFT, True)
        actions.create_round(write_store, actor, 2030, "zj-2020")
        assert write_store.table_counts()["rounds"] == before["rounds"] + 1


# -- round setup: deadlines, groups, targets ------------------------------------------------

@pytest.mark.parametrize("year", [PUBLISHED, DRAFT])
@pytest.mark.parametrize("name", list(VIEWERS))
def test_setup_details_only_where_granted(demo_store, name, year) -> None:
    """Leaders' names, titles and members and the deadlines: for those who read round_setup."""
    viewer = VIEWERS[name]
    granted = scope(viewer, "read", "round_setup", year == PUBLISHED) == "all"
    assert granted == (name in ("leader", "admin"))
    assert len(demo_store.group_assignments(year, viewer)) == (11 if granted else 0)
    assert list(demo_store.round_stages(year, viewer).columns) == ["stage", "opens", "closes"]


def _setup_writes(store: Store, actor, year: int) -> dict:
    """Each setup write of a round, by the action and by an import of each kind."""
    from datetime import date

    from evalcore import rounds_setup
    from evalcore.importer import ImportResult, Prepared

    cities = store.regions().query("level == 'city'")["code"]
    groups = rounds_setup.clean_groups(rounds_setup.suggest_groups(cities, year + 1), year)
    targets = pd.DataFrame([(year, "330106", 9, None, None)],
                           columns=list(rounds_setup.TARGET_COLUMNS))
    stages = rounds_setup.deadline_rows(year, {"self": (None, date(year + 1, 1, 31))})

    def imported(table: str, kind: str, rows: pd.DataFrame):
        result = ImportResult("x.csv", "0" * 64, len(rows), 0, len(rows), 0)
        return lambda: actions.import_prepared(store, actor, Prepared(
            table, rows, rows, result, {"kind": kind, "round": year}))

    return {
        "round_setup:deadlines": (
            lambda: actions.set_deadlines(store, actor, year, {"self": (None, date(year + 1,
                                                                                  1, 31))}),
            imported("round_stages", "deadlines", stages)),
        "round_setup:groups": (lambda: actions.assign_groups(store, actor, year, groups),
                               imported("inspection_groups", "groups", groups)),
        "round_setup:targets": (lambda: actions.set_targets(store, actor, year, targets),
                                imported("targets", "targets", targets)),
    }


@pytest.mark.parametrize("year", [PUBLISHED, DRAFT])
@pytest.mark.parametrize("name", [n for n in VIEWERS if n != "public"])
def test_setup_writes_match_the_policy(write_store, name, year) -> None:
    viewer = VIEWERS[name]
    actor = actions.Actor("someone", Accounts(viewer))
    for resource, writes in _setup_writes(write_store, actor, year).items():
        for write in writes:
            before = write_store.table_counts()
            if allows(viewer, "write", resource, year == PUBLISHED):
                write()
                assert write_store.table_counts()["audit_log"] == before["audit_log"] + 1
            else:
                with pytest.raises(actions.Refused):
                    write()
                assert write_store.table_counts() == before  # nothing written


def test_a_new_round_has_no_groups_so_a_group_user_cannot_act_in_it(write_store) -> None:
    viewer = VIEWERS["group"]
    actions.create_round(write_store, actions.CLI, 2024, "zj-2020")
    assert write_store.inspection_groups(2024).empty
    assert write_store.own_units(2024, viewer) == []
    assert write_store.scores(2024, viewer).empty
    rows = write_store.query("SELECT * FROM scores WHERE round_year = 2023 AND stage = 'cross' "
                             "AND unit_code = '330600' LIMIT 1").assign(round_year=2024)
    from evalcore.importer import ImportResult, Prepared

    prepared = Prepared("scores", rows, rows, ImportResult("x.csv", "0" * 64, 1, 1, 0, 0),
                        {"kind": "scores", "round": 2024, "stage": "cross"})
    before = write_store.table_counts()
    with pytest.raises(actions.Refused):
        actions.import_prepared(write_store, actions.Actor("g", Accounts(viewer)), prepared)
    assert write_store.table_counts() == before


# -- online entry, submissions, evidence (issue 11) ------------------------------------------

def _entry_writes(store: Store, actor, year: int, unit: str) -> dict:
    """Each write of online entry for one unit: (resource asked, stage or None, the write)."""
    from datetime import datetime

    from evalcore import actions_entry
    from evalcore.paths import evidence_dir
    from tests.test_evidence import PDF

    now = datetime(2024, 1, 15)

    def entered(stage: str):
        prepared = actions_entry.prepare_form(store, FULL, year, stage, unit, {"A1": 1.0}, {},
                                              "x", now)
        return lambda: actions.enter_scores(store, actor, prepared, now)

    def evidence(stage: str):
        return lambda: actions.add_evidence(store, actor, evidence_dir(store.path), year, unit,
                                            "score", f"{stage}/A1", PDF, "a.pdf", now)

    writes = {}
    for stage in ("self", "cross", "third_party"):
        writes[f"enter:{stage}"] = (f"scores:{stage}", entered(stage))
        writes[f"evidence:{stage}"] = ("evidence+" + f"scores:{stage}", evidence(stage))
        writes[f"submit:{stage}"] = (f"scores:{stage}", lambda s=stage: actions.submit_stage(
            store, actor, year, unit, s, now))  # last: it locks the stage
    return writes


@pytest.mark.parametrize("year", [PUBLISHED, DRAFT])
@pytest.mark.parametrize("name", [n for n in VIEWERS if n != "public"])
def test_entry_writes_match_the_policy(write_store, name, year) -> None:
    viewer = VIEWERS[name]
    own = sorted(expected_own(write_store, year, viewer))
    other = "330381" if "330381" not in own else "330727"
    actor = actions.Actor("someone", Accounts(viewer))
    for unit, is_own in ([(own[0], True)] if own else []) + [(other, False)]:
        for what, (resource, write) in _entry_writes(write_store, actor, year, unit).items():
            needed = resource.split("+")
            before = write_store.table_counts()
            if all(allows(viewer, "write", r, year == PUBLISHED, is_own) for r in needed):
                write()
                assert write_store.table_counts()["audit_log"] == before["audit_log"] + 1, what
            else:
                with pytest.raises(actions.Refused):
                    write()
                assert write_store.table_counts() == before, what


@pytest.mark.parametrize("name", [n for n in VIEWERS if n != "public"])
def test_reopening_matches_the_policy(write_store, name) -> None:
    from datetime import datetime

    viewer = VIEWERS[name]
    now = datetime(2024, 1, 15)
    actions.submit_stage(write_store, actions.CLI, DRAFT, "330106", "self", now)
    actor = actions.Actor("someone", Accounts(viewer))
    before = write_store.table_counts()
    own = "330106" in expected_own(write_store, DRAFT, viewer)
    if allows(viewer, "write", "submission:reopen", published=False, own=own):
        actions.reopen_stage(write_store, actor, DRAFT, "330106", "self", "reason", now)
        assert write_store.table_counts()["audit_log"] == before["audit_log"] + 1
    else:
        with pytest.raises(actions.Refused):
            actions.reopen_stage(write_store, actor, DRAFT, "330106", "self", "reason", now)
        assert write_store.table_counts() == before


@pytest.mark.parametrize("name", list(VIEWERS))
def test_submissions_and_evidence_are_read_where_granted(write_store, every_unit,
                                                         name) -> None:
    from datetime import datetime

    from evalcore.paths import evidence_dir
    from tests.test_evidence import PDF

    now = datetime(2024, 1, 15)
    for unit in ("330106", "330602", "330381"):
        actions.submit_stage(write_store, actions.CLI, DRAFT, unit, "self", now)
        actions.add_evidence(write_store, actions.CLI, evidence_dir(write_store.path), DRAFT,
                             unit, "score", "cross/A1", PDF, "a.pdf", now)
    viewer = VIEWERS[name]
    for resource, frame in (("submissions", write_store.stage_submissions(DRAFT, viewer)),
                            ("evidence", write_store.evidence_rows(DRAFT, viewer))):
        want = expected_units(write_store, DRAFT, viewer, resource, every_unit)
        assert set(frame["unit_code"]) == want & {"330106", "330602", "330381"}, resource
    assert write_store.evidence_rows(DRAFT, PUBLIC).empty  # the public never


def test_only_administrators_write_outside_a_stage_window() -> None:
    assert [n for n, v in VIEWERS.items()
            if allows(v, "write", "stage_window:override", published=False)] == ["admin"]
# -- problems and rectification (整改) -------------------------------------------------------

PROBLEM_VIEWERS = {**VIEWERS, "third party": Viewer("third_party")}


@pytest.mark.parametrize("year", [PUBLISHED, DRAFT])
@pytest.mark.parametrize("name", list(PROBLEM_VIEWERS))
def test_problems_read_match_the_policy(write_store, every_unit, name, year) -> None:
    from datetime import date

    from evalcore import actions_problems as ap

    for unit in ("330106", "330602", "330200", "330727"):
        ap.record_problem(write_store, actions.CLI, year, unit, "x", "minor", date(year, 12, 1))
    viewer = PROBLEM_VIEWERS[name]
    want = expected_units(write_store, year, viewer, "problems", every_unit)
    seen = set(write_store.problems(year, viewer)["unit_code"])
    assert seen == want & {"330106", "330602", "330200", "330727"}
    if name == "public":
        assert not seen


def _problem_in(store: Store, year: int, unit: str, by: actions.Actor = actions.CLI,
                answered: bool = True) -> int:
    """A problem of `unit` recorded by `by` (the command line), answered unless told."""
    from datetime import date

    from evalcore import actions_problems as ap

    found = ap.record_problem(store, by, year, unit, "x", "minor", date(year, 12, 1))
    if answered:
        ap.answer_problem(store, actions.CLI, found.problem_ids[0], "done")
    return found.problem_ids[0]


@pytest.mark.parametrize("year", [PUBLISHED, DRAFT])
@pytest.mark.parametrize("name", [n for n in PROBLEM_VIEWERS if n != "public"])
def test_problem_writes_match_the_policy(write_store, name, year) -> None:
    """record and answer follow problems:record|answer per unit; signing off follows
    problems:review for the finder itself and problems:review_any for anyone's problem."""
    from datetime import date

    from evalcore import actions_problems as ap

    viewer = PROBLEM_VIEWERS[name]
    published = year == PUBLISHED
    own = sorted(expected_own(write_store, year, viewer))
    other = "330381" if "330381" not in own else "330727"
    me = actions.Actor("me", Accounts(viewer))
    for unit, is_own in ([(own[-1], True)] if own else []) + [(other, False)]:
        def granted(resource: str, mine: bool = is_own) -> bool:
            return allows(viewer, "write", resource, published, mine)

        _expect(write_store, lambda u=unit: ap.record_problem(
            write_store, me, year, u, "x", "minor", date(year, 12, 1)),
            granted("problems:record"))
        found = _problem_in(write_store, year, unit, answered=False)
        _expect(write_store, lambda f=found: ap.answer_problem(write_store, me, f, "done"),
                granted("problems:answer"))
        found = _problem_in(write_store, year, unit)  # someone else's: review_any only
        _expect(write_store, lambda f=found: ap.close_problem(write_store, me, f),
                granted("problems:review_any", True))
        if granted("problems:record"):  # its own finding: problems:review for the unit
            found = _problem_in(write_store, year, unit, by=me)
            _expect(write_store, lambda f=found: ap.close_problem(write_store, me, f),
                    granted("problems:review"))


def _expect(store: Store, write, allowed: bool) -> None:
    before = store.table_counts()
    if allowed:
        write()
        assert store.table_counts()["audit_log"] == before["audit_log"] + 1
        return
    with pytest.raises(actions.Refused):
        write()
    assert store.table_counts() == before  # nothing written
# -- bonus cases, deductions, evidence (issue 11) --------------------------------------------

BONUS_VIEWERS = {**{n: v for n, v in VIEWERS.items() if n != "public"},
                 "third party": Viewer("third_party")}
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _bonus_writes(store: Store, actor, root, year: int, unit: str) -> dict:
    """Each write of the workspace for one unit, with the policy rows it needs. The cases it
    reviews are claimed first from the command line (F1 verified at cross, R1 at third_party)."""
    from evalcore import actions_bonus as ab

    numbers = {}
    for category in ("F1", "R1"):
        ab.claim_case(store, actions.CLI, root, year, unit, category, "案例",
                      files=[("a.pdf", PDF)])
        numbers[category] = ab.next_case_no(store, year, unit, category) - 1
    return {
        ("bonus:claim", "evidence"): lambda: ab.claim_case(
            store, actor, root, year, unit, "F2", "居民出资", files=[("b.pdf", PDF)]),
        ("bonus:review:cross",): lambda: ab.review_case(
            store, actor, year, unit, "F1", numbers["F1"], True, "核实"),
        ("bonus:review:third_party",): lambda: ab.review_case(
            store, actor, year, unit, "R1", numbers["R1"], False, "无"),
        ("deductions",): lambda: ab.enter_deduction(store, actor, root, year, unit, "P1", 1,
                                                    "信访"),
        ("evidence", "bonus:claim"): lambda: actions.add_evidence(
            store, actor, root, year, unit, "bonus_case", f"self/F1/{numbers['F1']}",
            PDF + b" ", "c.pdf"),
    }


@pytest.mark.parametrize("year", [PUBLISHED, DRAFT])
@pytest.mark.parametrize("name", list(BONUS_VIEWERS))
def test_bonus_and_deduction_writes_match_the_policy(write_store, tmp_path, name,
                                                     year) -> None:
    viewer = BONUS_VIEWERS[name]
    actor = actions.Actor("someone", Accounts(viewer))
    own = sorted(expected_own(write_store, year, viewer))
    other = "330381" if "330381" not in own else "330727"
    for unit, is_own in ([(own[0], True)] if own else []) + [(other, False)]:
        for resources, write in _bonus_writes(write_store, actor, tmp_path, year,
                                              unit).items():
            before = write_store.table_counts()
            if all(allows(viewer, "write", r, year == PUBLISHED, is_own) for r in resources):
                write()
                assert write_store.table_counts()["audit_log"] == before["audit_log"] + 1
            else:
                with pytest.raises(actions.Refused):
                    write()
                assert write_store.table_counts() == before  # nothing written


@pytest.mark.parametrize("name", list(BONUS_VIEWERS))
def test_bonus_rows_readers_match_the_policy(demo_store, every_unit, name) -> None:
    viewer = BONUS_VIEWERS[name]
    for year in (PUBLISHED, DRAFT):
        expected = expected_units(demo_store, year, viewer, "results", every_unit)
        for frame in (demo_store.bonus_case_rows(year, viewer),
                      demo_store.deduction_entries(year, viewer)):
            assert set(frame["unit_code"]) <= expected
        granted = scope(viewer, "read", "evidence", year == PUBLISHED)
        files = demo_store.evidence_rows(year, viewer)
        assert granted is not None or files.empty
