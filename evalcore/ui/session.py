"""Who is signed in: the session's viewer, signing in and out, the sidebar's login box.

What belongs here: the bridge between Streamlit's session state (`auth.*` keys) and the local
accounts of evalcore.auth, which holds every rule (hashing, lockout, expiry). A read-only
deployment offers no sign-in: everyone is the public there.
"""

from __future__ import annotations

import streamlit as st

from evalcore import auth
from evalcore.access import PUBLIC, Viewer
from evalcore.labels import t
from evalcore.manage import read_only_deployment
from evalcore.ui import compat

AUTH_PREFIX = "auth."


def accounts() -> auth.AccountStore:
    """The process's one store of the users database (opened once, a cursor per query)."""
    return auth.shared_accounts()


def sign_in_source() -> str:
    """Where a sign-in comes from, for the lockout: the client's address; for a client on
    loopback (st.context gives none: a proxy on the same machine, a local browser, a test)
    its session, so one session's guesses lock only that session and the ceiling across
    sources protects the account."""
    address = st.context.ip_address  # a mock, not text, under AppTest
    return address if isinstance(address, str) and address else f"session:{compat.session_id()}"


def username() -> str | None:
    """The signed-in account's name (None for the public)."""
    return st.session_state.get(AUTH_PREFIX + "username")


def current_viewer() -> Viewer:
    """The signed-in user's viewer, or the public one; expired sessions are signed out."""
    session = {k[len(AUTH_PREFIX):]: v for k, v in st.session_state.items()
               if isinstance(k, str) and k.startswith(AUTH_PREFIX)}
    if not session or read_only_deployment():
        return PUBLIC
    now = auth.utc_now()
    with accounts() as store:
        account = auth.session_account(store, session, now)
    if account is None:
        sign_out()
        st.session_state["login.expired"] = True
        return PUBLIC
    for key, value in auth.touch_session(session, now).items():
        st.session_state[AUTH_PREFIX + key] = value
    return Viewer(account.role, unit_code=account.unit_code,
                  group_city_code=account.group_city_code)


def sign_out() -> None:
    for key in [k for k in st.session_state if isinstance(k, str) and k.startswith(AUTH_PREFIX)]:
        del st.session_state[key]


def _sign_in(name: str, password: str) -> bool:
    with accounts() as store:
        account = auth.authenticate(store, name, password, auth.utc_now(),
                                    source=sign_in_source())
    if account is None:
        return False
    sign_out()
    for key, value in auth.new_session(account, auth.utc_now()).items():
        st.session_state[AUTH_PREFIX + key] = value
    return True


def login_box(lang: str, viewer: Viewer) -> None:
    """Sign in / out in the sidebar (none on a read-only deployment). One message for every
    failure: no hint of which usernames exist; failed attempts are slowed and then locked."""
    if read_only_deployment():
        return
    box = st.sidebar.expander(t("login", lang), expanded=False)
    if viewer != PUBLIC:
        name = st.session_state.get(AUTH_PREFIX + "display_name") or username()
        box.text(f"{t('signed_in_as', lang)} {name} · {t('role_' + viewer.role, lang)}")
        if box.button(t("sign_out", lang), key="login.out"):
            sign_out()
            st.rerun()
        return
    if st.session_state.pop("login.expired", False):
        box.info(t("session_expired", lang))
    with box.form("login.form", clear_on_submit=True):
        name = st.text_input(t("username", lang), max_chars=auth.MAX_USERNAME_LENGTH)
        password = st.text_input(t("password", lang), type="password",
                                 max_chars=auth.MAX_PASSWORD_LENGTH)
        if st.form_submit_button(t("sign_in", lang)):
            if _sign_in(name, password):
                st.rerun()
            box.error(auth.FAILURE_MESSAGE)
