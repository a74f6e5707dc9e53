"""The one bridge between evalcore and Streamlit: pages write `from evalcore import ui` and call
`ui.board(...)`, `ui.context()` and so on; this module re-exports those names.

- loaders: the cached store and the cached, viewer-keyed loaders (a Reader underneath)
- specs: figures and maps cached as specs
- state: the Context, the shared selector row and URL-backed selectors
- search: the community search's cached index
- share: permanent links of a page, for links and QR codes
- styles: constant style sheets (phones, the big screen)
- charts: a chart with its table behind it (text alternative)
- widgets: notices, captions, downloads, links, failure and empty-view messages
- session: who is signed in; the login box
- actions: the data page (templates, uploads, audit log, write actions)
- setup: the round setup page (its editors' tables, checks, files, write actions); pages
  import it as `from evalcore.ui import setup`
- entry: the online entry page (choices, the form's rows, evidence, write actions); pages
  import it as `from evalcore.ui import entry`
- problems: the problems and rectification page (its loaders, choices, write actions) and
  the profile's problem counts; pages import it as `from evalcore.ui import problems`
- bonus_workspace, bonus_forms: the bonus cases and deductions workspace (its data, forms,
  files and write actions); pages import them as `from evalcore.ui import bonus_workspace`
- compat: the library internals that remain, pinned by a test

No other evalcore module imports Streamlit (tests/test_layers.py checks): rules live in
modules without it (evalcore.reader, evalcore.access, evalcore.manage, evalcore.actions).
"""

from evalcore.manage import (
    data_page_visibility,
    entry_page_visibility,
    lead_page_visibility,
    manage_page_visibility,
    problems_page_visibility,
    read_only_deployment,
    setup_page_visibility,
)
from evalcore.ui.actions import (
    apply_upload,
    audit_actions,
    audit_log,
    create_round,
    importable_stages,
    locked_accounts,
    may_import,
    prepare_upload,
    revert,
    round_years,
    rounds_for_admin,
    rubric_versions,
    set_published,
    sign_in_events,
    template_bytes,
    unlock_account,
)
from evalcore.ui.bonus_workspace import visibility as bonus_cases_visibility
from evalcore.ui.charts import chart, chart_data
from evalcore.ui.loaders import (
    TTL,
    Source,
    benchmark,
    board,
    bonus_cases,
    bonus_report,
    communities,
    community_points,
    credibility,
    database_problem,
    db_path,
    deduction_reasons,
    deduction_report,
    indicator_table,
    inspection_groups,
    meta,
    pin_db_path,
    profile_data,
    progress,
    progress_trend,
    rank_history,
    regions,
    round_inputs,
    rounds,
    status_as_of,
    store,
    targets,
    uncertainty,
    what_if,
)
from evalcore.ui.search import community_index
from evalcore.ui.session import current_viewer, login_box, sign_out
from evalcore.ui.share import permalink
from evalcore.ui.specs import deck, figure, map_outlines, region_view
from evalcore.ui.state import (
    Context,
    context,
    frame_context,
    language,
    param_select,
    screen_context,
    view_title,
    within_select,
)
from evalcore.ui.styles import frame_style, kiosk_style
from evalcore.ui.widgets import (
    demo_notice,
    download_buttons,
    open_profile,
    run_page,
    show_outcome,
    source_caption,
    stop_if_empty,
    table_height,
)

__all__ = [
    "apply_upload", "audit_actions", "audit_log", "benchmark", "board", "bonus_cases",
    "bonus_cases_visibility",
    "bonus_report", "chart", "chart_data", "communities", "community_index",
    "community_points", "Context", "context", "create_round", "credibility", "current_viewer",
    "data_page_visibility", "database_problem", "db_path", "deck", "deduction_reasons",
    "entry_page_visibility", "lead_page_visibility", "manage_page_visibility",
    "deduction_report", "demo_notice", "download_buttons", "figure", "frame_context",
    "frame_style", "importable_stages", "indicator_table", "inspection_groups", "kiosk_style",
    "language", "locked_accounts", "login_box", "map_outlines", "may_import", "meta",
    "open_profile", "param_select", "permalink", "pin_db_path", "prepare_upload",
    "problems_page_visibility",
    "profile_data", "progress", "progress_trend", "rank_history", "read_only_deployment",
    "region_view", "regions", "revert", "round_inputs", "round_years", "rounds",
    "rounds_for_admin", "rubric_versions", "run_page", "screen_context", "set_published",
    "setup_page_visibility", "show_outcome", "sign_in_events", "sign_out",
    "Source", "source_caption", "status_as_of", "stop_if_empty", "store", "table_height",
    "targets", "template_bytes", "TTL", "uncertainty", "unlock_account", "view_title",
    "what_if", "within_select",
]
