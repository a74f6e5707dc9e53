"""Issue #16: a role-by-role sweep of the app finds nothing a viewer may not see.

On a private copy of the demo database, unique markers are planted in what the access policy
(evalcore/access.py) guards, for a handful of units:

- in the draft round 2023: evaluators' notes (`LEAK-NOTE-<unit>`), reviewers' notes on bonus
  cases (`LEAK-REVIEW-`), deduction reasons (`LEAK-REASON-`), bonus case titles
  (`LEAK-CASE-`) and descriptions (`LEAK-CASEDESC-`);
- in the published round 2022, notes, which are never public: `LEAK-PUBNOTE-`,
  `LEAK-PUBREVIEW-`, `LEAK-PUBREASON-`.

The units: 330106 西湖区 (the unit user's own), 330602 越城区 (a county of 绍兴, which the
group led by 宁波 330200 inspects in 2023), 330502 吴兴区 (of 湖州, which that group inspected
in 2022: its notes of 2022 are the group's) and 330381 瑞安市, 331002 椒江区 (nobody's but
the leader's). Then each viewer (public, unit user 330106, group user 330200, leader) opens
every page of evalcore.navigation.PAGES (and the data page where it is offered) under many
URL parameter combinations, and everything rendered is collected: every element's
serialised proto (texts, metrics, captions, widget labels and options, st.table, maps),
every data frame's full value, every plotly spec, and the bytes of every download (CSV,
XLSX, the HTML report; see tests/sweep_helper.py, also for the PDF). Asserted:

- a viewer sees no marker of a unit or round the policy does not grant it (the expected set
  is computed from the policy table and the inspection groups, not from the store's rule);
- in the draft round, unit and group users see board rows of their own units only (unit
  names and codes in every table and chart trace, against the region table);
- each viewer does see the markers it is granted on the pages that show them (profile: case
  titles, descriptions, deduction reasons; bonus: cases and reviewers' notes), so the sweep
  cannot pass by seeing nothing; the leader, granted everything, is the positive control.
  Evaluators' notes (scores.note) are shown by no page: that they are withheld is checked
  in every page view; that they are there to withhold, at the data layer;
- the public cannot compute an internal indicator's stage points (D3 in zj-2020) by
  subtraction: wherever D1 and D2 stage points are shown, dimension D's subtotal at that
  stage, and every aggregate it could be recovered from, are blank (reader.mask_stage_board).

Size. CI runs a reduced set (`combinations`): per viewer, page and round, each value of each
URL parameter at least once, values cycled against each other, in Chinese, hostile values
included (the draft round for the public, stages not offered, another unit's profile or
benchmark, another city's counties); only one view per round where more could show nothing
new (the public's draft round, which is ignored; the leader's pages without planted texts).
That is 207 page views: 65 s on 2 cores shared with other work (load average ~3.5), the
demo database's build included. Every combination (all values crossed, both languages:
3,048 page views, about 7 minutes) runs with

    EVAL_SWEEP=full .venv/bin/python -m pytest tests/test_security_sweep.py

Found by the sweep and not leaks: some draft-round views of unit and group users raised
instead of showing an empty board; fixed, and kept as regression cases (FORMER_CRASHES).
"""

from __future__ import annotations

import itertools
import os
import re
import shutil
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from evalcore import auth
from evalcore.access import PUBLIC, Viewer, allows, scope
from evalcore.db import Store
from evalcore.labels import t
from evalcore.navigation import DATA_PAGE, PAGES
from evalcore.reader import Reader
from tests.map_checks import values
from tests.pages_helper import private_copy
from tests.sweep_helper import Rendered, Session, framed_runs

FULL = os.environ.get("EVAL_SWEEP", "") == "full"
DRAFT, PUBLISHED = 2023, 2022
OWN_UNIT, GROUP_CITY, GROUP_COUNTY, GROUP_2022_COUNTY = "330106", "330200", "330602", "330502"
PLANTED = (OWN_UNIT, GROUP_COUNTY, GROUP_2022_COUNTY, "330381", "331002")

# marker kind → (round, policy resource guarding it)
KINDS = {
    "NOTE": (DRAFT, "notes"), "REVIEW": (DRAFT, "notes"), "REASON": (DRAFT, "notes"),
    "CASE": (DRAFT, "results"), "CASEDESC": (DRAFT, "results"),
    "PUBNOTE": (PUBLISHED, "notes"), "PUBREVIEW": (PUBLISHED, "notes"),
    "PUBREASON": (PUBLISHED, "notes"),
}
MARKER = re.compile(r"LEAK-([A-Z]+)-(\d{6})")
# What each page shows of the planted texts (no page shows evaluators' notes).
SHOWN_ON = {"profile": {"CASE", "CASEDESC", "REASON", "PUBREASON"},
            "bonus": {"CASE", "CASEDESC", "REVIEW", "PUBREVIEW"}}

VIEWERS = {
    "public": PUBLIC,
    "unit": Viewer("unit", unit_code=OWN_UNIT),
    "group": Viewer("group", group_city_code=GROUP_CITY),
    "leader": Viewer("leader"),
}


def marker(kind: str, unit: str) -> str:
    return f"LEAK-{kind}-{unit}"


# -- the planted database -------------------------------------------------------------------

def plant(path: Path) -> None:
    with duckdb.connect(str(path)) as con:
        for unit in PLANTED:
            for year, prefix in ((DRAFT, ""), (PUBLISHED, "PUB")):
                # A reviewed case to carry the markers, where the demo's unit has none (its
                # cases follow its communities' funding; a draft round's may await review).
                con.execute("INSERT INTO bonus_claims (round_year, unit_code, stage, "
                            "category_code, case_no, case_title, points_claimed, "
                            "points_awarded) SELECT ?, ?, s, 'F1', 9, '示例案例', 1, 1 "
                            "FROM unnest(['self', 'cross']) t(s) WHERE NOT EXISTS (SELECT 1 "
                            "FROM bonus_claims WHERE round_year = ? AND unit_code = ? "
                            "AND stage <> 'self')", [year, unit, year, unit])
                con.execute("UPDATE scores SET note = ? WHERE round_year = ? AND unit_code = ?",
                            [marker(prefix + "NOTE", unit), year, unit])
                con.execute("UPDATE bonus_claims SET review_note = ? "
                            "WHERE round_year = ? AND unit_code = ?",
                            [marker(prefix + "REVIEW", unit), year, unit])
                con.execute("INSERT INTO deductions (round_year, unit_code, seq, code, points, "
                            "reason) SELECT ?, ?, coalesce(max(seq), 0) + 1, "
                            "'P1', 1.0, ? FROM deductions WHERE round_year = ? "
                            "AND unit_code = ?",
                            [year, unit, marker(prefix + "REASON", unit), year, unit])
            con.execute("UPDATE bonus_claims SET case_title = ? || ' ' || case_title, "
                        "case_description = ? WHERE round_year = ? AND unit_code = ?",
                        [marker("CASE", unit), marker("CASEDESC", unit), DRAFT, unit])
        planted = con.execute(
            "SELECT count(DISTINCT note) FROM scores WHERE note LIKE 'LEAK-%' UNION ALL "
            "SELECT count(DISTINCT review_note) FROM bonus_claims WHERE review_note LIKE 'LEAK-%' "
            "UNION ALL SELECT count(DISTINCT case_description) FROM bonus_claims "
            "WHERE case_description LIKE 'LEAK-%' UNION ALL "
            "SELECT count(DISTINCT reason) FROM deductions WHERE reason LIKE 'LEAK-%'").fetchall()
    assert [n for (n,) in planted] == [2 * len(PLANTED), 2 * len(PLANTED), len(PLANTED),
                                       2 * len(PLANTED)], "every marker planted"


class Planted:
    """The app's database (markers planted) and what the policy lets each viewer see."""

    def __init__(self, app_db: Path, oracle_db: Path) -> None:
        self.app_db = app_db
        self.oracle_db = oracle_db  # a second copy: the app holds its own connection
        with duckdb.connect(str(oracle_db), read_only=True) as con:
            self.regions = con.sql("SELECT code, name, level, parent_code FROM regions "
                                   "WHERE level <> 'province'").df()
            self.groups = con.sql("SELECT * FROM inspection_groups").df()
        self.names = dict(zip(self.regions["name"], self.regions["code"], strict=True))
        self.codes = set(self.regions["code"])

    def own(self, year: int, viewer: Viewer) -> set[str]:
        """The policy's "own" units, from the tables (as tests/test_access_matrix.py)."""
        if viewer.role == "unit":
            return {viewer.unit_code}
        if viewer.role == "group":
            rows = self.groups.loc[(self.groups["round_year"] == year)
                                   & (self.groups["leader_city_code"] == viewer.group_city_code)]
            cities = set(rows["inspected_city_code"])
            return cities | set(self.regions.loc[self.regions["parent_code"].isin(cities),
                                                 "code"])
        return set()

    def allowed(self, viewer: Viewer) -> set[str]:
        """Every planted marker the policy grants `viewer` (its row must be visible too)."""
        out = set()
        for kind, (year, resource) in KINDS.items():
            published = year == PUBLISHED
            for unit in PLANTED:
                own = unit in self.own(year, viewer)
                if allows(viewer, "read", "results", published, own) \
                        and allows(viewer, "read", resource, published, own):
                    out.add(marker(kind, unit))
        return out


@pytest.fixture(scope="module")
def planted(demo_db_path) -> Planted:
    app_db = private_copy(demo_db_path)
    plant(app_db)
    oracle_db = app_db.with_name("oracle.duckdb")
    shutil.copyfile(app_db, oracle_db)
    return Planted(app_db, oracle_db)


@pytest.fixture(scope="module")
def accounts(tmp_path_factory) -> tuple[Path, dict[str, auth.Account]]:
    """One users database with an account per signed-in viewer."""
    users = tmp_path_factory.mktemp("sweep-users") / "users.duckdb"
    made = {}
    with auth.AccountStore(users) as store:
        for name, viewer in VIEWERS.items():
            if viewer.role != "public":
                made[name] = store.add(f"sweep-{name}", "correct horse battery", viewer.role,
                                       unit_code=viewer.unit_code,
                                       group_city_code=viewer.group_city_code)
    return users, made


@pytest.fixture
def session_of(planted, accounts, monkeypatch):
    """A new browser session of a viewer, signed in as the login form would sign it in."""
    users, made = accounts
    monkeypatch.setenv("EVAL_DB", str(planted.app_db))
    monkeypatch.setenv("EVAL_USERS_DB", str(users))
    framed_runs(monkeypatch)
    return lambda name: Session(auth.new_session(made[name], auth.utc_now())
                                if name in made else None)


def test_the_oracle_says_what_the_issue_says(planted) -> None:
    """The expected sets, spelled out: a mistake in the oracle would weaken every check."""
    def units(name):
        return {m.rsplit("-", 1)[1] + ":" + m.split("-")[1]
                for m in planted.allowed(VIEWERS[name])}

    assert planted.allowed(PUBLIC) == set()
    assert units("unit") == {f"{OWN_UNIT}:{k}" for k in KINDS}
    assert planted.own(DRAFT, VIEWERS["group"]) >= {"330600", GROUP_COUNTY}
    assert units("group") == ({f"{GROUP_COUNTY}:{k}" for k in KINDS if KINDS[k][0] == DRAFT}
                              | {f"{GROUP_2022_COUNTY}:{k}" for k in KINDS
                                 if KINDS[k][0] == PUBLISHED})
    assert len(planted.allowed(VIEWERS["leader"])) == len(KINDS) * len(PLANTED)


@pytest.mark.parametrize("name", list(VIEWERS))
def test_evaluators_notes_reach_exactly_who_may_read_them(planted, name) -> None:
    """No page shows scores.note; the data layer hands the planted notes to whom the policy
    grants them, so the sweep's finding none on any page is a real absence."""
    viewer = VIEWERS[name]
    with Store(planted.oracle_db, read_only=True) as store:
        reader = Reader(store, viewer)
        seen = set()
        for year in (PUBLISHED, DRAFT):
            if year in set(reader.rounds()["year"]):
                seen |= set(store.scores(year, viewer)["note"].dropna())
    notes = {m for m in planted.allowed(viewer) if m.split("-")[1] in ("NOTE", "PUBNOTE")}
    assert {m for m in seen if m.startswith("LEAK-")} == notes
    assert notes or name == "public"


# -- the sweep ------------------------------------------------------------------------------

PAGE_NAMES = [p.script.removeprefix("pages/").removesuffix(".py") for p in PAGES]
ICONS = {p.script.removeprefix("pages/").removesuffix(".py"): p.icon for p in (*PAGES, DATA_PAGE)}
DATA = DATA_PAGE.script.removeprefix("pages/").removesuffix(".py")
# Views that list units of a board: in a draft round, only the viewer's own units.
BOARD_PAGES = {"map", "leaderboard", "criterion", "bonus", "benchmark", "profile", "methodology"}

ROUNDS = (str(PUBLISHED), str(DRAFT))  # the draft is hostile for the public
SCOPES = ({"level": "county", "within": "all"}, {"level": "city"},
          {"level": "county", "within": "330600"},  # the group's city in 2023
          {"level": "county", "within": "330100"})  # the unit user's city, not the group's
STAGES = ({"stage": "final"}, {"stage": "self"}, {"stage": "cross"}, {"stage": "third_party"})
UNITS = tuple({"unit": u} for u in (*PLANTED, "330600"))
# The benchmark's units: in CI one of each kind (own, the group's, nobody's, a city).
BENCH_UNITS = UNITS if FULL else tuple({"unit": u} for u in (OWN_UNIT, GROUP_COUNTY, "330381",
                                                              "330600"))
AXES: dict[str, tuple[tuple[dict, ...], ...]] = {
    "home": (),
    "progress": (),
    "map": (SCOPES, STAGES, tuple({"measure": m, "points": p} for m, p in
                                  (("total", "none"), ("D", "points"), ("grade", "hexagon")))),
    "leaderboard": (SCOPES, STAGES),
    "criterion": (SCOPES, STAGES, tuple({"dim": i[0], "indicator": i} for i in ("A1", "D1",
                                                                                  "D3"))),
    "bonus": (SCOPES, STAGES, tuple({"bonus_view": v, "bonus_value": w} for v, w in
                                    (("table", "awarded"), ("heatmap", "claimed"),
                                     ("table", "rejected")))),
    "benchmark": (SCOPES[:3], BENCH_UNITS),
    "profile": (UNITS,),
    "methodology": (SCOPES,),
    # A published plan's community, the unit's own draft-plan one, a county list, a hostile id.
    "community": (({"community": f"{OWN_UNIT}-2019-001"}, {"community": f"{OWN_UNIT}-2023-001"},
                   {"county": OWN_UNIT}, {"community": "<script>x</script>"}),),
    DATA: (),
}
LANGS = ("zh", "en") if FULL else ("zh",)


def combinations(name: str, page: str) -> list[dict[str, str]]:
    """The URL parameters of every view of `page` that viewer `name` opens in this run.

    Full: every combination of the page's axes, in both rounds and languages. Reduced (CI):
    per round, each value of each axis once (axis 0 in order, the others shifted by the
    round, so the pairs differ between rounds), the first view of a round being the county
    board of the whole province; where a round can show the viewer nothing new, only that
    first view: the draft round for the public (the parameter is ignored, so it shows
    the published round again), and the leader's pages other than those showing planted
    texts (the leader may see everything: its sweep is the positive control)."""
    axes = AXES[page]
    out = []
    for r, year in enumerate(ROUNDS):
        if FULL:
            picks = itertools.product(*axes)
        else:
            n = max((len(a) for a in axes), default=1)
            if (name == "public" and year == str(DRAFT)) \
                    or (name == "leader" and page not in SHOWN_ON):
                n = 1
            picks = (tuple(a[(i + r * j) % len(a)] for j, a in enumerate(axes))
                     for i in range(n))
        for pick, lang in itertools.product(picks, LANGS):
            params = {"round": year, "lang": lang}
            for part in pick:
                params |= part
            out.append(params)
    return out


def markers_in(views: list[Rendered]) -> dict[str, set[str]]:
    """marker → where it was found ("page ?params · element")."""
    found: dict[str, set[str]] = {}
    for view in views:
        for where, text in view.everything():
            for match in MARKER.finditer(text):
                query = "&".join(f"{k}={v}" for k, v in view.params.items())
                found.setdefault(match.group(0), set()).add(f"{view.page}?{query} · {where}")
    return found


def _strings(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list | tuple):
        return [s for v in value for s in _strings(v)]
    return []


def named_units(view: Rendered, planted: Planted) -> dict[str, str]:
    """unit code → where a table cell or header, or a chart trace, names that unit (by its
    full name or code, as a word: '西湖区', 'Xihu (330106)', '■ 西湖区')."""
    out: dict[str, str] = {}

    def scan(where: str, texts) -> None:
        for text in texts:
            for token in re.split(r"[\s（）()·■:：,，、|]+", str(text)):
                code = planted.names.get(token) or (token if token in planted.codes else None)
                if code:
                    out.setdefault(code, f"{where}: {text!r}")

    for where, frame in view.frames:
        scan(where, frame.columns)
        for column in frame.columns:
            if frame[column].dtype == object:
                scan(where, frame[column].dropna())
    for where, spec in view.charts:
        for trace in spec.get("data", []):
            for key in ("x", "y", "text", "customdata", "labels", "ids", "name", "hovertext",
                        "theta"):
                scan(f"{where}:{key}", _strings(trace.get(key)))
    return out


_SWEPT: dict[tuple[str, str], list[Rendered]] = {}  # (viewer, page) → its views, this run


def sweep(session_of, name: str, page: str) -> list[Rendered]:
    if (name, page) not in _SWEPT:
        session = session_of(name)
        views, rounds = [], set()
        for params in combinations(name, page):
            # XLSX files (each made from the same frame as the CSV beside it, which is always
            # read): in CI those of a round's first view only, as they cost most to make.
            xlsx = FULL or params["round"] not in rounds
            rounds.add(params["round"])
            views.append(session.open(f"pages/{page}.py", params, xlsx=xlsx))
        for view in views:
            assert view.title.startswith(ICONS[page]), (page, view.params, view.title)
        _SWEPT[(name, page)] = views
    return _SWEPT[(name, page)]


def check(planted: Planted, name: str, page: str, views: list[Rendered]) -> None:
    viewer = VIEWERS[name]
    # The draft round is shown exactly to whom it may be (so the sign-in took, too).
    sees_draft = scope(viewer, "read", "results", published=False) is not None
    assert ({v.params["round"] for v in views} == set(ROUNDS)) == sees_draft
    allowed = planted.allowed(viewer)
    found = markers_in(views)
    leaks = {m: sorted(w)[:3] for m, w in found.items() if m not in allowed}
    assert not leaks, f"{name} sees markers it may not see on {page}: {leaks}"

    if viewer.role in ("unit", "group"):
        own = planted.own(DRAFT, viewer)
        foreign = {}
        for view in views:
            if view.params["round"] == str(DRAFT) and page in BOARD_PAGES:
                foreign |= {c: w for c, w in named_units(view, planted).items() if c not in own}
        assert not foreign, f"{name} sees draft rows of other units on {page}: {foreign}"

    # Not vacuous: what the viewer may see of the planted texts, these pages show.
    want = {m for m in allowed if m.split("-")[1] in SHOWN_ON.get(page, ())}
    assert want <= set(found), f"{name} misses on {page}: {sorted(want - set(found))}"


# Leaks the sweep found, one (viewer, page) each: (reason, pytest.mark.xfail strict). None yet.
KNOWN_LEAKS: dict[tuple[str, str], str] = {}

# Views that raised when the sweep was first run (not leaks): a unit or group user's draft
# board scoped to a city without any of their units, and a unit user's empty city-level draft
# board. Each now shows the empty-view message; kept here as regression cases.
FORMER_CRASHES = (
    ("unit", "leaderboard", {"round": "2023", "level": "county", "within": "330600"}),
    ("unit", "benchmark", {"round": "2022", "level": "county", "within": "330600"}),
    ("unit", "benchmark", {"round": "2023", "level": "city"}),
    ("unit", "bonus", {"round": "2023", "level": "city", "bonus_view": "heatmap"}),
    ("unit", "bonus", {"round": "2023", "level": "city", "bonus_view": "table"}),
)


def _cases():
    for name, viewer in VIEWERS.items():
        pages = [*PAGE_NAMES, *([DATA] if viewer.may_import else [])]
        for page in pages:
            marks = ()
            if (name, page) in KNOWN_LEAKS:
                marks = pytest.mark.xfail(strict=True, reason=KNOWN_LEAKS[(name, page)])
            yield pytest.param(name, page, id=f"{name}-{page}", marks=marks)


@pytest.mark.parametrize(("name", "page"), list(_cases()))
def test_sweep(planted, session_of, name, page) -> None:
    views = sweep(session_of, name, page)
    check(planted, name, page, views)
    raised = [(v.params, e) for v in views for e in v.errors]
    assert not raised, f"{name} on {page}: pages raise {raised[:3]}"


@pytest.mark.parametrize(("name", "page", "params"), [
    pytest.param(name, page, params, id=f"{name}-{page}-" + "-".join(params.values()))
    for name, page, params in FORMER_CRASHES])
def test_former_crashes_show_an_empty_view(planted, session_of, name, page, params) -> None:
    view = session_of(name).open(f"pages/{page}.py", params, downloads=False)
    assert not view.errors


def test_the_leader_reaches_every_kind_a_page_shows(planted, session_of) -> None:
    """Positive control in one place: the leader finds every planted marker that any page
    shows (all but evaluators' notes, which no page shows)."""
    views = [*sweep(session_of, "leader", "profile"), *sweep(session_of, "leader", "bonus")]
    found = {m.split("-")[1] for m in markers_in(views)}
    assert found == set(KINDS) - {"NOTE", "PUBNOTE"}


def test_a_reused_session_shows_what_a_fresh_link_shows(planted, session_of) -> None:
    """The sweep reuses one AppTest per viewer (tests/sweep_helper.py): a view opened after
    others renders the same as the same link opened in a new session."""
    params = {"round": str(DRAFT), "lang": "zh", "unit": GROUP_COUNTY}
    reused = session_of("group")
    reused.open("pages/leaderboard.py", {"round": str(PUBLISHED), "level": "city"})
    reused.open("pages/bonus.py", {"round": str(DRAFT), "level": "county", "within": "all"})
    again = reused.open("pages/profile.py", params)
    fresh = session_of("group").open("pages/profile.py", params)
    assert [again.params[k] for k in params] == [fresh.params[k] for k in params]
    assert [f.to_csv() for _, f in again.frames] == [f.to_csv() for _, f in fresh.frames]
    def files(view):  # an XLSX records when it was made
        return [d for d in view.downloads if ".xlsx." not in d[0]]

    assert files(again) == files(fresh)
    assert set(markers_in([again])) == {marker(k, GROUP_COUNTY) for k in ("CASE", "CASEDESC",
                                                                         "REASON")}


# -- internal stage detail: no subtraction ---------------------------------------------------

STAGE_COLUMNS = ("self", "cross", "third_party")
COUNTIES = (OWN_UNIT, GROUP_COUNTY, "330381", "331002")


def _stage_frames(session: Session, lang: str = "zh"):
    """(profile stage tables by county, the profile's stage chart's points of dimension D by
    county and stage, D1 and D2 criterion tables by unit name), published round."""
    profiles, charts = {}, {}
    for code in COUNTIES:
        view = session.open("pages/profile.py", {"round": str(PUBLISHED), "lang": lang,
                                                 "unit": code}, downloads=False)
        [table] = [f for _, f in view.frames if t("pf_max", lang) in f.columns]
        profiles[code] = table.set_index(t("pf_item", lang))
        [chart] = [c for w, c in view.charts if "profile.stages" in w]
        charts[code] = {trace["name"]: y for trace in chart["data"] if trace["type"] == "bar"
                        for x, y in zip(values(trace["x"]), values(trace["y"]), strict=True)
                        if x.startswith("D ")}
    criteria = {}
    for code in ("D1", "D2"):
        view = session.open("pages/criterion.py", {
            "round": str(PUBLISHED), "lang": lang, "level": "county", "within": "all",
            "stage": "final", "dim": "D", "indicator": code}, downloads=False)
        [table] = [f for _, f in view.frames if t("crit_final_points", lang) in f.columns]
        criteria[code] = table.set_index(t("unit_name", lang))
    return profiles, charts, criteria


def _d3_by_subtraction(planted, profiles, criteria, lang: str = "zh") -> dict:
    """(county, stage) → D3's stage points where the shown numbers give them away: dimension
    D's stage subtotal, or the stage total less every other shown part, less D1 and D2."""
    names = {c: n for n, c in planted.names.items()}
    out = {}
    for code, table in profiles.items():
        rows = list(table.index)
        [d_row] = [r for r in rows if str(r).startswith("D ")]
        total_row = t("total", lang)
        others = [r for r in rows if r not in (d_row, total_row)]
        for stage in STAGE_COLUMNS:
            column = t(stage, lang)
            d1 = criteria["D1"].loc[names[code], column]
            d2 = criteria["D2"].loc[names[code], column]
            if pd.isna(d1) or pd.isna(d2):
                continue
            d = table.loc[d_row, column]
            if pd.isna(d) and not pd.isna(table.loc[total_row, column]) \
                    and table.loc[others, column].notna().all():
                d = table.loc[total_row, column] - table.loc[others, column].sum()
            if not pd.isna(d):
                out[(code, stage)] = round(float(d) - float(d1) - float(d2), 2)
    return out


def test_the_public_cannot_subtract_internal_stage_points(planted, session_of) -> None:
    session = session_of("public")
    profiles, charts, criteria = _stage_frames(session)
    # D1 and D2 stage points are public, so the check has something to subtract from ...
    assert all(criteria[c][t(s, "zh")].notna().any() for c in ("D1", "D2") for s in STAGE_COLUMNS)
    # ... and D's stage subtotal, or the stage total with every other part, never is:
    assert _d3_by_subtraction(planted, profiles, criteria) == {}
    # not in the profile's stage chart either (NaN: no bar) ...
    for code, points in charts.items():
        assert all(pd.isna(points[t(s, "zh")]) for s in STAGE_COLUMNS), (code, points)
        assert not pd.isna(points[t("final", "zh")])
    # ... nor on a stage board, which the public is not offered even by URL.
    view = session.open("pages/leaderboard.py", {"round": str(PUBLISHED), "level": "county",
                                                 "stage": "cross"}, downloads=False)
    assert view.params["stage"] == "final"


def test_the_leader_can_and_gets_the_true_internal_points(planted, session_of) -> None:
    """Control: for a viewer who may see internal stage detail, the same subtraction works
    and gives the stored D3 points, so the public check above tests the real attack."""
    profiles, charts, criteria = _stage_frames(session_of("leader"))
    got = _d3_by_subtraction(planted, profiles, criteria)
    assert set(got) == {(c, s) for c in COUNTIES for s in STAGE_COLUMNS}
    with duckdb.connect(str(planted.oracle_db), read_only=True) as con:
        stored = con.execute("SELECT unit_code, stage, points FROM scores WHERE round_year = ? "
                             "AND indicator_code = 'D3'", [PUBLISHED]).fetchall()
    truth = {(u, s): round(p, 2) for u, s, p in stored if u in COUNTIES}
    assert got == truth
    assert not any(pd.isna(v) for points in charts.values() for v in points.values())
