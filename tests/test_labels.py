"""Every label key and message code the source uses exists in Chinese and English, with the
same placeholders; keys built at run time are enumerated from where their values are declared.

The source is read, not run: each `t(...)` / `ctx.t(...)`, `Message(...)` and `Label(...)` call
in app.py, pages/ and evalcore/. A literal key is checked as it is. Any other key expression
(an f-string, a concatenation, a variable) must be listed in RUNTIME_KEYS below with the keys
it can take, so a new pattern fails here until someone says where its values come from.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterable
from functools import cache
from pathlib import Path
from string import Formatter

import pytest

from evalcore import auth, rectification, rounds_setup, vocab
from evalcore.figures.criterion import STAGE_SYMBOLS
from evalcore.figures.map import POINT_MODES
from evalcore.figures.profile import STATUS_COLOURS as PROFILE_STATUS_COLOURS
from evalcore.figures.progress import ACTUAL as PROGRESS_COLOURS
from evalcore.importer.bonus import KINDS as BONUS_KINDS
from evalcore.importer.rows import ERROR_CODES
from evalcore.importer.setup import KINDS as SETUP_KINDS
from evalcore.labels import LABELS, fmt_households, fmt_money_wan, fmt_number, fmt_pct
from evalcore.messages import MESSAGES
from evalcore.metrics import METRIC_NAMES
from evalcore.navigation import MANAGE_PAGES, PAGES
from evalcore.rubric import list_rubrics, load_rubric
from evalcore.schema import PROPERTY_MANAGEMENT
from evalcore.ui import actions as ui_actions
from evalcore.views import bonus as bonus_view
from evalcore.views import data as data_view
from evalcore.views import map as map_view
from evalcore.views import profile as profile_view
from evalcore.views import progress as progress_view
from evalcore.views import screen as screen_view

ROOT = Path(__file__).resolve().parent.parent
SOURCES = sorted([ROOT / "app.py", *(ROOT / "pages").glob("*.py"),
                  *(ROOT / "evalcore").rglob("*.py")])
CATALOGUES = {"t": LABELS, "Label": LABELS, "Message": MESSAGES, "Refused": MESSAGES,
              "_evidence_refusal": MESSAGES}


# -- reading the source -----------------------------------------------------------------

def _has_labels_t(tree: ast.Module) -> bool:
    """The module uses evalcore.labels.t under the name t (elsewhere t may be a variable)."""
    return any(isinstance(n, ast.ImportFrom) and n.module == "evalcore.labels"
               and any(a.name == "t" and a.asname is None for a in n.names)
               or isinstance(n, ast.FunctionDef) and n.name == "t" for n in tree.body)


def _callee(call: ast.Call, labels_t: bool) -> str | None:
    if isinstance(call.func, ast.Name):
        name = call.func.id
        return name if name in CATALOGUES and (name != "t" or labels_t) else None
    name = getattr(call.func, "attr", None)
    return name if name in CATALOGUES else None


def _literals(node: ast.expr) -> list[str] | None:
    """The keys a literal or a choice between literals gives; None for anything else."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.IfExp):
        body, orelse = _literals(node.body), _literals(node.orelse)
        return body + orelse if body is not None and orelse is not None else None
    return None


@cache
def uses() -> tuple[tuple[str, str, str, tuple[str, ...] | None], ...]:
    """(file, kind, expression, literal keys or None) for every key the source passes, and
    ("file", "t", "ref:<expr>", None) where t is passed as a function (format_func=ctx.t)."""
    out = []
    for path in SOURCES:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        file = path.relative_to(ROOT).as_posix()
        called, labels_t = set(), _has_labels_t(tree)
        for node in ast.walk(tree):
            kind = _callee(node, labels_t) if isinstance(node, ast.Call) else None
            if kind and node.args:
                called.add(id(node.func))
                keys = _literals(node.args[0])
                out.append((file, kind, ast.unparse(node.args[0]),
                            None if keys is None else tuple(keys)))
        for node in ast.walk(tree):
            named_t = (isinstance(node, ast.Attribute) and node.attr == "t"
                       or labels_t and isinstance(node, ast.Name) and node.id == "t")
            if named_t and id(node) not in called and isinstance(node.ctx, ast.Load):
                out.append((file, "t", "ref:" + ast.unparse(node), None))
    return tuple(out)


# -- where run-time keys come from ------------------------------------------------------

def _all_rubrics():
    return [load_rubric(v) for v in list_rubrics()]


def _options_in(file: str, name: str) -> tuple[str, ...]:
    """The literal options of `ui.param_select(name, (...), ...)` in a page script."""
    tree = ast.parse((ROOT / file).read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if (isinstance(node, ast.Call) and getattr(node.func, "attr", None) == "param_select"
                and ast.literal_eval(node.args[0]) == name):
            return tuple(ast.literal_eval(node.args[1]))
    raise AssertionError(f"no param_select({name!r}, ...) in {file}")


def _map_measure_keys() -> set[str]:
    keys = set()
    for rubric in _all_rubrics():
        dims = {d.code for d in rubric.dimensions}
        keys |= {f"map_{m}" if m in map_view.PROGRESS_MEASURES else m
                 for m in map_view.measure_options(rubric) if m not in dims}
    return keys


def _progress_card_keys(column: int) -> set[str]:
    return {spec[column] for spec in progress_view.CARD_SPECS if spec[column]}


def _progress_city_columns() -> set[str]:
    """The keys of the `columns` dict literal in views.progress.city_table."""
    tree = ast.parse(Path(progress_view.__file__).read_text(encoding="utf-8"))
    func = next(n for n in ast.walk(tree)
                if isinstance(n, ast.FunctionDef) and n.name == "city_table")
    table = next(n.value for n in ast.walk(func) if isinstance(n, ast.Assign)
                 and getattr(n.targets[0], "id", None) == "columns")
    return {k.value for k in table.keys}


def _home_audiences() -> set[str]:
    tree = ast.parse((ROOT / "pages/home.py").read_text(encoding="utf-8"))
    table = next(n.value for n in ast.walk(tree) if isinstance(n, ast.Assign)
                 and getattr(n.targets[0], "id", None) == "AUDIENCES")
    return {audience for audience, _ in ast.literal_eval(table)}


STATUSES = set(vocab.COMMUNITY_STATUSES)
LEVELS, STAGES, VIEWS = set(vocab.LEVELS), set(vocab.STAGES), set(vocab.VIEWS)
PASSTHROUGH = None  # the expression is any text: a missing label shows the text itself

# (file, expression) → the keys it can take, or PASSTHROUGH with the reason beside it.
def _problem_subjects() -> set[str]:
    return {"pr_subject_problem", "pr_subject_rectification"}


def _problem_columns() -> set[str]:
    """Every column the problems page's tables show (views/problems.py)."""
    from evalcore.views import problems as problems_view

    columns = {*problems_view.LIST_COLUMNS, *problems_view.COUNT_COLUMNS,
               *problems_view.EVIDENCE_COLUMNS}
    return {f"pr_col_{c}" for c in columns}


RUNTIME_KEYS: dict[tuple[str, str], Callable[[], Iterable[str]] | None] = {
    ("app.py", "group"): lambda: {p.group for p in (*PAGES, *MANAGE_PAGES)},
    ("app.py", "p.title_key"): lambda: {p.title_key for p in (*PAGES, *MANAGE_PAGES)},
    ("pages/home.py", "audience"): _home_audiences,
    ("pages/home.py", "audience + '_question'"):
        lambda: {a + "_question" for a in _home_audiences()},
    ("pages/home.py", "page.title_key"): lambda: {p.title_key for p in PAGES},
    ("pages/benchmark.py", "ctx.level"): lambda: LEVELS,
    ("pages/bonus.py", "ctx.level"): lambda: LEVELS,
    ("pages/bonus.py", "f'bonus_v_{v}'"): lambda: {f"bonus_v_{v}" for v in bonus_view.VALUES},
    ("pages/bonus.py", "f'bonus_v_{value}'"): lambda: {f"bonus_v_{v}" for v in bonus_view.VALUES},
    ("pages/bonus.py", "f'bonus_mode_{v}'"):
        lambda: {f"bonus_mode_{v}" for v in _options_in("pages/bonus.py", "bonus_view")},
    ("pages/criterion.py", "ctx.stage"): lambda: VIEWS,
    ("pages/criterion.py", "indicator.stage"): lambda: STAGES,
    ("pages/criterion.py", "f'crit_metric_{metric}'"):
        lambda: {f"crit_metric_{m}" for m in METRIC_NAMES},  # rubrics may name only these
    ("pages/data.py", "ref:ctx.t"): lambda: STAGES,  # format_func of the stage selector
    ("pages/map.py", "f'map_points_{m}'"): lambda: {f"map_points_{m}" for m in POINT_MODES},
    ("pages/map.py", "f'map_points_{mode}'"): lambda: {f"map_points_{m}" for m in POINT_MODES},
    ("pages/data.py", "audit_label_key(a)"):  # the audit filter: "all", then every action
        lambda: {vocab.audit_label_key(a) for a in ui_actions.audit_actions()},
    ("evalcore/ui/state.py", "key"): PASSTHROUGH,  # Context.t itself: its callers are checked
    ("evalcore/ui/state.py", "v"): lambda: LEVELS | VIEWS,  # the level and stage selectors
    ("evalcore/ui/state.py", "ctx.level"): lambda: LEVELS,
    ("evalcore/ui/state.py", "ctx.stage"): lambda: VIEWS,
    ("evalcore/ui/session.py", "'role_' + viewer.role"):
        lambda: {vocab.role_label_key(r) for r in vocab.ROLES},
    # Refused(code, ...) builds its Message: the Refused(...) calls themselves are checked.
    ("evalcore/actions.py", "code"): PASSTHROUGH,
    ("evalcore/evidence.py", "code"): PASSTHROUGH,  # _evidence_refusal(code, ...): calls checked
    # Online entry: a found problem or an evidence refusal passed on (their calls are checked).
    ("evalcore/actions_entry.py", "problems[0].code"): PASSTHROUGH,
    ("evalcore/actions_entry.py", "refused.message.code"): PASSTHROUGH,
    ("evalcore/actions_entry.py", "f'entry_window_{state}'"):
        lambda: {"entry_window_before", "entry_window_after"},
    ("evalcore/actions_entry.py", "stage"): lambda: STAGES,  # Label(stage) of a score stage
    ("pages/entry.py", "ref:ctx.t"): lambda: STAGES,  # format_func of the stage selector
    ("evalcore/ui/entry.py", "row.counts"):
        lambda: {"entry_counts_verifying", "entry_counts_until", "entry_counts_not",
                 "entry_counts_blend"},  # views.entry.counts_key
    ("evalcore/ui/entry.py", "row.verifying_stage"): lambda: STAGES,
    ("evalcore/ui/entry.py", "f'entry_window_is_{s.window}'"):
        lambda: {"entry_window_is_before", "entry_window_is_after"},
    ("evalcore/importer/rights.py", "role_label_key(viewer.role)"):
        lambda: {vocab.role_label_key(r) for r in vocab.ROLES},
    ("evalcore/importer/rights.py", "s"): lambda: STAGES,  # importable stages as labels
    ("evalcore/ui/actions.py", "success_key"):
        lambda: {"import_done", "reverted", "published_done", "unpublished_done",
                 "round_created", "deadlines_saved_page", "groups_saved_page",
                 "targets_saved_page", "account_unlocked",  # with ui/setup.py's _act calls
                 "entry_saved", "entry_submitted", "entry_reopened", "evidence_added",
                 "pr_recorded_done", "pr_answered_done", "pr_closed_done",
                 "pr_returned_done", "bc_claimed", "bc_withdrawn", "bc_reviewed",
                 "bc_deducted"},  # and ui/problems.py's, ui/bonus_cases.py's
    # Round setup: the kinds of setup (targets, groups, deadlines) and the groups' columns.
    ("evalcore/cli/import_file.py", "f'setup_{args.kind}'"):
        lambda: {f"setup_{k}" for k in SETUP_KINDS},
    ("evalcore/importer/setup.py", "f'setup_{kind}'"): lambda: {f"setup_{k}" for k in SETUP_KINDS},
    ("evalcore/importer/setup.py", "m.stage"): lambda: STAGES,  # a DeadlineRow's Literal stage
    ("evalcore/importer/setup.py", "s"): lambda: STAGES,  # stages by their labels
    ("evalcore/cli/round.py", "row.stage"): lambda: STAGES,  # round_stages' stage (CHECK)
    ("evalcore/rounds_setup.py", "row.stage"): lambda: STAGES,
    ("evalcore/rounds_setup.py", "f'setup_{column}'"):
        lambda: {f"setup_{c}" for c in rounds_setup.TEXT_LIMITS},
    ("evalcore/ui/setup.py", "f'setup_{c}'"):
        lambda: {f"setup_{c}" for c in ("leader_city", "inspected_city",
                                        *rounds_setup.TEXT_LIMITS)},
    # Problems and rectification (issue 11): statuses, severities, finders, columns, tabs.
    ("evalcore/actions_problems.py", "code"): PASSTHROUGH,  # Refused(code, ...): calls checked
    ("evalcore/actions_problems.py", "messages[0].code"): PASSTHROUGH,  # a checked Message's
    ("evalcore/actions_problems.py", "f\"problem_status_{row['status']}\""):
        lambda: {f"problem_status_{s}" for s in vocab.PROBLEM_STATUSES},
    ("evalcore/rectification.py", "FIELD_LABELS[field]"):
        lambda: set(rectification.FIELD_LABELS.values()),
    ("evalcore/views/problems.py", "f'problem_status_{status}'"):
        lambda: {f"problem_status_{s}" for s in vocab.PROBLEM_STATUSES},
    ("evalcore/importer/problem_rows.py", "f'problem_severity_{s}'"):
        lambda: {f"problem_severity_{s}" for s in vocab.PROBLEM_SEVERITIES},
    ("evalcore/views/problems.py", "f'problem_severity_{severity}'"):
        lambda: {f"problem_severity_{s}" for s in vocab.PROBLEM_SEVERITIES},
    ("evalcore/views/problems.py", "f'problem_found_{stage}'"):
        lambda: {f"problem_found_{s}" for s in vocab.PROBLEM_FINDERS},
    ("evalcore/views/problems.py", "f'pr_subject_{s}'"): lambda: _problem_subjects(),
    ("pages/problems.py", "f'pr_subject_{row.subject}'"): lambda: _problem_subjects(),
    ("evalcore/views/problems.py", "f'pr_col_{c}'"): lambda: _problem_columns(),
    ("pages/problems.py", "f'pr_col_{key}'"):
        lambda: {f"pr_col_{c}" for c in rectification.COUNT_COLUMNS},
    ("pages/profile.py", "f'pr_col_{key}'"):
        lambda: {f"pr_col_{c}" for c in rectification.COUNT_COLUMNS},
    ("pages/problems.py", "f'pr_tab_{w}'"):
        lambda: {f"pr_tab_{w}" for w in ("record", "answer", "review")},
    # A Label parameter rendered: the Label(...) calls themselves are checked.
    ("evalcore/messages.py", "value.key"): PASSTHROUGH,
    # column_labels: any column of any frame; an unlabelled column keeps its name.
    ("evalcore/labels.py", "c"): PASSTHROUGH,
    ("evalcore/report.py", "f\"pf_level_{data.unit['level']}\""):
        lambda: {f"pf_level_{v}" for v in LEVELS},
    ("evalcore/figures/bonus.py", "f'bonus_fund_{source}'"):
        lambda: {f"bonus_fund_{s}" for s in bonus_view.FUND_SOURCES},
    ("evalcore/figures/criterion.py", "stage"): lambda: set(STAGE_SYMBOLS),
    ("evalcore/figures/profile.py", "stage"): lambda: VIEWS,
    ("evalcore/figures/profile.py", "s"): lambda: STATUSES | set(PROFILE_STATUS_COLOURS),
    ("evalcore/figures/progress.py", "s"): lambda: set(progress_view.STATUS_COLOURS),
    ("evalcore/figures/progress.py", "f'progress_{actual}'"):
        lambda: {f"progress_{m}" for m in PROGRESS_COLOURS},  # the bars' colours by measure
    ("evalcore/figures/progress.py", "f'progress_{measure}'"):
        lambda: {f"progress_{m}" for m in PROGRESS_COLOURS},
    ("evalcore/views/bonus.py", "'bonus_status_' + s"):
        lambda: {f"bonus_status_{s}" for s in bonus_view.STATUS_MARKS},
    ("evalcore/views/bonus.py", "s"): lambda: STAGES,  # review stage of a case
    ("evalcore/views/criterion.py", "stage"): lambda: STAGES,
    ("evalcore/views/data.py", "f'change_{c}'"): lambda: {f"change_{c}" for c in data_view.CHANGES},
    ("evalcore/views/data.py", "SIGN_IN_ACTIONS[a]"):  # every action the users DB logs
        lambda: {data_view.SIGN_IN_ACTIONS[a] for a in auth.ACTIONS},
    ("evalcore/views/data.py", "audit_label_key(a)"):
        lambda: {vocab.audit_label_key(a) for a in vocab.AUDIT_ACTIONS},
    ("evalcore/views/map.py", "f'map_{measure}' if measure in PROGRESS_MEASURES else measure"):
        _map_measure_keys,
    ("evalcore/views/methodology.py", "i.stage"): lambda: STAGES,
    ("evalcore/views/methodology.py", "c.stage"): lambda: STAGES,
    ("evalcore/views/methodology.py", "s"): lambda: STAGES,  # blend weights by stage
    ("evalcore/views/profile.py", "stage"): lambda: set(profile_view.STAGE_VIEWS),
    ("evalcore/views/profile.py", "key"): lambda: {"pf_above", "pf_below"},  # _sentence's callers
    ("evalcore/views/profile.py", "s"): lambda: STATUSES,  # vocab.COMMUNITY_STATUSES
    ("evalcore/views/progress.py", "label"): lambda: _progress_card_keys(3),
    ("evalcore/views/progress.py", "vs"): lambda: _progress_card_keys(4),
    ("evalcore/views/progress.py", "k"): _progress_city_columns,
    ("evalcore/views/progress.py", "f'progress_help_{spec[0]}{suffix}'"):
        lambda: {f"progress_help_{spec[0]}{s}" for spec in progress_view.CARD_SPECS
                 for s in ("", "_cum")},
    ("evalcore/views/progress.py", "s"): lambda: STATUSES,
    ("evalcore/importer/rows.py", "code"): lambda: {*ERROR_CODES.values(), "invalid_value"},
    # -- bonus cases and deductions (issue 11)
    ("evalcore/actions.py", "refused.message.code"): PASSTHROUGH,  # an evidence refusal's own
    ("evalcore/actions_bonus.py", "required"): lambda: {"bonus_title_missing",
                                                        "bonus_review_note_missing",
                                                        "deduction_reason_missing"},
    ("evalcore/actions_bonus.py", "cat.stage"): lambda: STAGES,
    ("evalcore/actions_bonus.py", "stage"): lambda: STAGES,
    ("evalcore/actions_bonus.py", "mine[0]"): lambda: STAGES,  # the account's review stage
    ("evalcore/importer/bonus.py", "cat.stage"): lambda: STAGES,
    ("evalcore/importer/bonus.py", "m.stage"): lambda: STAGES,
    ("evalcore/importer/bonus.py", "f'bc_kind_{kind}'"): lambda: {f"bc_kind_{k}" for k in
                                                                  BONUS_KINDS},
    ("pages/data.py", "f'bc_kind_{kind}'"): lambda: {f"bc_kind_{k}" for k in BONUS_KINDS},
    ("pages/bonus_cases.py", "f'bc_kind_{kind}'"): lambda: {f"bc_kind_{k}" for k in
                                                            BONUS_KINDS},
    ("evalcore/ui/bonus_forms.py", "'bonus_fund_' + source"):
        lambda: {f"bonus_fund_{s}" for s in bonus_view.FUND_SOURCES},
    ("evalcore/ui/bonus_forms.py", "'bonus_status_' + row['status']"):
        lambda: {f"bonus_status_{s}" for s in bonus_view.STATUS_MARKS},
    ("evalcore/ui/bonus_forms.py", "f'bc_verdict_{v}'"): lambda: {"bc_verdict_accepted",
                                                                  "bc_verdict_rejected"},
    ("evalcore/views/bonus_cases.py", "'bonus_status_' + s"):
        lambda: {f"bonus_status_{s}" for s in bonus_view.STATUS_MARKS},
    ("evalcore/views/bonus_cases.py", "cats[c].stage"): lambda: STAGES,
    ("evalcore/views/bonus_cases.py", "s"): lambda: STAGES,  # review stage of a case
    # -- the public display (issue #13)
    ("evalcore/figures/map.py", "status"): lambda: set(progress_view.STATUS_COLOURS),
    ("evalcore/views/progress.py", "status"): lambda: set(progress_view.STATUS_COLOURS),
    ("evalcore/views/community.py", "status"): lambda: STATUSES,
    ("evalcore/views/community.py", "'cm_pm_' + str(row['property_management'])"):
        lambda: {f"cm_pm_{p}" for p in PROPERTY_MANAGEMENT},
    ("evalcore/views/community.py", "f'bonus_fund_{s}'"):
        lambda: {f"bonus_fund_{s}" for s in bonus_view.FUND_SOURCES},
    ("evalcore/views/screen.py", "key"): lambda: {"progress_vs_target", "progress_vs_plan"},
    ("pages/screen.py", "f'screen_dot_{p}'"): lambda: {f"screen_dot_{p}" for p in screen_view.PANELS},
    ("pages/screen.py", "f'screen_panel_{panel}'"):
        lambda: {f"screen_panel_{p}" for p in screen_view.PANELS},
    ("pages/screen.py", "f'screen_panel_{panel}_caption'"):
        lambda: {f"screen_panel_{p}_caption" for p in screen_view.PANELS},
}


def _runtime_uses() -> set[tuple[str, str]]:
    return {(file, expr) for file, _, expr, keys in uses() if keys is None}


# -- the tests --------------------------------------------------------------------------

def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in Formatter().parse(text) if name is not None}


@pytest.mark.parametrize("catalogue", ["LABELS", "MESSAGES"])
def test_every_entry_has_both_languages_with_the_same_placeholders(catalogue) -> None:
    table = LABELS if catalogue == "LABELS" else MESSAGES
    for key, texts in table.items():
        assert isinstance(texts, tuple) and len(texts) == 2, key
        zh, en = texts
        assert zh.strip() and en.strip(), f"{key}: a language is empty"
        assert _fields(zh) == _fields(en), f"{key}: placeholders differ"


def test_no_key_is_both_a_label_and_a_message_code() -> None:
    assert not set(LABELS) & set(MESSAGES)


def test_every_literal_key_in_the_source_exists() -> None:
    missing = [(file, kind, key) for file, kind, _, keys in uses() for key in keys or ()
               if key not in CATALOGUES[kind]]
    assert not missing
    assert sum(len(keys or ()) for *_, keys in uses()) > 300  # the scan does find the calls


def test_every_runtime_key_pattern_is_registered() -> None:
    """A new f-string, concatenation or variable key must say where its values come from."""
    unknown = sorted(_runtime_uses() - set(RUNTIME_KEYS))
    assert not unknown, f"register these in RUNTIME_KEYS: {unknown}"
    stale = sorted(set(RUNTIME_KEYS) - _runtime_uses())
    assert not stale, f"no longer in the source, remove from RUNTIME_KEYS: {stale}"


@pytest.mark.parametrize(("file", "expr"), sorted(k for k, v in RUNTIME_KEYS.items() if v))
def test_every_runtime_key_exists(file, expr) -> None:
    kinds = {kind for f, kind, e, keys in uses() if (f, e) == (file, expr) and keys is None}
    keys = set(RUNTIME_KEYS[(file, expr)]())
    assert keys, "an enumeration that yields nothing checks nothing"
    for kind in kinds:
        missing = sorted(keys - set(CATALOGUES[kind]))
        assert not missing, f"{file}: {expr} can be {missing}, which has no text"


def test_vocabulary_has_labels_in_both_languages() -> None:
    """Roles and audit actions as the data page shows them (evalcore/vocab.py)."""
    keys = [*map(vocab.role_label_key, vocab.ROLES),
            *map(vocab.audit_label_key, vocab.AUDIT_ACTIONS),
            *vocab.LEVELS, *vocab.VIEWS, *vocab.COMMUNITY_STATUSES]
    assert [k for k in keys if k not in LABELS] == []
    zh = [LABELS[vocab.audit_label_key(a)][0] for a in vocab.AUDIT_ACTIONS]
    assert len(set(zh)) == len(zh)  # no two actions read the same


@pytest.mark.parametrize(("fmt", "value", "lang", "expected"), [
    (fmt_households, 460_000, "zh", "46万户"),
    (fmt_households, 186_950, "zh", "18.7万户"),
    (fmt_households, 260, "zh", "260户"),
    (fmt_households, 120_000_000, "zh", "1.2亿户"),
    (fmt_households, 460_000, "en", "460,000 households"),
    (fmt_money_wan, 1_450_000, "zh", "145亿元"),
    (fmt_money_wan, 12_000, "zh", "1.2亿元"),
    (fmt_money_wan, 40, "zh", "40万元"),
    (fmt_money_wan, -10, "zh", "-10万元"),
    (fmt_money_wan, 1_450_000, "en", "¥14.5B"),
    (fmt_money_wan, 34, "en", "¥340K"),
    (fmt_money_wan, -12_000, "en", "-¥120M"),
    (fmt_pct, 1.02, "zh", "102.0%"),
    (fmt_pct, 0.5, "en", "50.0%"),
    (fmt_number, 1768, "zh", "1,768"),
    (fmt_number, 1_234_567, "en", "1,234,567"),
    (fmt_households, float("nan"), "zh", "–"),
    (fmt_money_wan, None, "en", "–"),
    (fmt_pct, float("nan"), "zh", "–"),
])
def test_number_formats(fmt, value, lang, expected) -> None:
    assert fmt(value, lang) == expected
