"""Data management views: validation reports, import previews and the audit log as tables."""

from __future__ import annotations

import json

import pandas as pd

from evalcore.importer import Problem
from evalcore.labels import t
from evalcore.vocab import audit_label_key

# What an import does to a row (importer.diff_rows), in the order the preview lists them.
CHANGES = ("changed", "new", "unchanged")


def problems_frame(problems: list[Problem], lang: str) -> pd.DataFrame:
    """One row per problem: file, row, column, reason (what to fix, where), in `lang`."""
    return pd.DataFrame(
        [{t("file", lang): p.file, t("row", lang): p.row, t("column", lang): p.column,
          t("reason", lang): p.reason(lang)} for p in problems]
    )


def preview_frame(preview: pd.DataFrame, key_columns: list[str], lang: str) -> pd.DataFrame:
    """Changed and new rows first, with the stored value beside the new one."""
    value = "points" if "points" in preview.columns else "households"
    order = {c: i for i, c in enumerate(CHANGES)}
    shown = preview.assign(_o=preview["change"].map(order)).sort_values(["_o", *key_columns])
    out = shown[[*key_columns, f"{value}_old", value, "change"]].copy()
    out["change"] = out["change"].map(lambda c: t(f"change_{c}", lang))
    return out.rename(columns={f"{value}_old": t("old_value", lang), value: t("new_value", lang),
                               "change": t("change", lang)}).reset_index(drop=True)


def audit_frame(log: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The audit log with its action labelled and its JSON detail as `key=value` text."""
    return pd.DataFrame({
        "id": log["id"].astype(int),
        t("time", lang): pd.to_datetime(log["at"]).dt.strftime("%Y-%m-%d %H:%M"),
        t("actor", lang): log["actor"],
        t("action", lang): log["action"].map(lambda a: t(audit_label_key(a), lang)),
        t("detail", lang): log["detail"].map(_summary),
    })


# What the users database logs (auth.ACTIONS), as the sign-in table labels it.
SIGN_IN_ACTIONS = {"sign-in": "signin_ok", "sign-in-failed": "signin_failed",
                   "lockout": "signin_lockout", "unlock-account": "audit_unlock_account"}


def _summary(detail: str) -> str:
    data = json.loads(detail)
    return ", ".join(f"{k}={v}" for k, v in data.items() if k != "sha256")


def sign_in_frame(events: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Sign-in events (auth.AccountStore.sign_in_events) beside the audit log: time, account
    ('' for a name no account has), what happened, and its detail as `key=value` text."""
    return pd.DataFrame({
        t("time", lang): pd.to_datetime(events["at"]).dt.strftime("%Y-%m-%d %H:%M:%S"),
        t("actor", lang): events["actor"].astype(str),
        t("action", lang): events["action"].map(lambda a: t(SIGN_IN_ACTIONS[a], lang)),
        t("detail", lang): events["detail"].map(_summary),
    })


def revertible(log: pd.DataFrame) -> list[int]:
    """Import entries not yet reverted (the candidates for the revert button)."""
    reverted = {json.loads(d).get("reverted") for d in log.loc[log["action"] == "revert", "detail"]}
    return [int(i) for i in log.loc[log["action"] == "import", "id"] if int(i) not in reverted]
