"""The product's vocabulary, declared once: levels, stages, statuses, roles, audit actions.

Every module that names one of these imports it from here, in this order, so selectors, SQL
checks, labels and tests agree. Display labels live in evalcore.labels under the key given by
each `*_label_key` helper (a test checks every value has a label in both languages).
"""

from __future__ import annotations

# Levels of the units that are scored and ranked (the province is only a parent).
LEVELS: tuple[str, ...] = ("city", "county")
REGION_LEVELS: tuple[str, ...] = ("province", *LEVELS)

# The three evaluation stages, in the order they happen; "final" is the reconciled view.
STAGES: tuple[str, ...] = ("self", "cross", "third_party")
VIEWS: tuple[str, ...] = ("final", *STAGES)

# A community's renovation status, in the order it moves through them.
COMMUNITY_STATUSES: tuple[str, ...] = ("planned", "started", "completed", "accepted")

# Who uses the product. "public" is everyone not signed in; the others are accounts.
# third_party: the professional institution that runs the third-party stage (all units).
ROLES: tuple[str, ...] = ("public", "unit", "group", "third_party", "leader", "admin")
ACCOUNT_ROLES: tuple[str, ...] = ("admin", "leader", "unit", "group", "third_party")

# The round workflow (issue 11). A unit's stage is a draft until submitted (then locked);
# an administrator may reopen it with a reason (no row: a draft).
SUBMISSION_STATUSES: tuple[str, ...] = ("submitted", "reopened")
# What an evidence file (佐证材料) is attached to.
EVIDENCE_SUBJECTS: tuple[str, ...] = ("score", "bonus_case", "deduction", "problem",
                                      "rectification")
# Problems found (整改): who found it, how serious, and where its rectification stands:
# open → answered (the unit says what was done) → closed (the finder signs it off, 销号) or
# returned (sent back; the unit answers again).
PROBLEM_FINDERS: tuple[str, ...] = ("cross", "third_party", "admin")
PROBLEM_SEVERITIES: tuple[str, ...] = ("minor", "major", "serious")
PROBLEM_STATUSES: tuple[str, ...] = ("open", "answered", "returned", "closed")

# What the audit log records (the `action` column).
AUDIT_ACTIONS: tuple[str, ...] = (
    "import", "revert", "publish", "unpublish", "create-round", "build-demo",
    "build-national", "unlock-account", "set-deadlines", "assign-groups", "set-targets",
    "enter-scores", "submit-stage", "reopen-stage", "claim-bonus", "review-bonus",
    "enter-deduction", "record-problem", "answer-problem", "close-problem", "return-problem",
    "add-evidence", "withdraw-bonus",
)


def audit_label_key(action: str) -> str:
    return "audit_" + action.replace("-", "_")


def role_label_key(role: str) -> str:
    return "role_" + role
