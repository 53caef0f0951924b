"""Login, idle expiry and logout for the Streamlit app. Passwords are checked in dashboard.users."""

from __future__ import annotations

import time

import streamlit as st

from dashboard.users import User, authenticate
from etl import audit
from etl.settings import cached_settings

SESSION_KEY = "auth_user"


def current_user() -> User | None:
    """The signed-in user, or None when nobody is or the session has been idle too long."""
    entry = st.session_state.get(SESSION_KEY)
    if not entry:
        return None
    idle_limit = cached_settings().session_idle_minutes * 60
    now = time.time()
    if now - entry.get("last_seen", 0) > idle_limit:
        st.session_state.pop(SESSION_KEY, None)
        st.session_state["auth_notice"] = "Your session expired after inactivity. Please log in again."
        return None
    entry["last_seen"] = now
    return User(entry["name"], entry["role"])


def sign_in(user: User) -> None:
    st.session_state[SESSION_KEY] = {"name": user.name, "role": user.role, "last_seen": time.time()}


def sign_out() -> None:
    for key in list(st.session_state.keys()):
        del st.session_state[key]


def login_page() -> None:
    st.title("vcar-insights")
    st.caption("Web analytics, inquiry funnel and data-subject rights for vcar.")
    notice = st.session_state.pop("auth_notice", None)
    if notice:
        st.info(notice)
    with st.form("login"):
        name = st.text_input("User name", autocomplete="username")
        password = st.text_input("Password", type="password", autocomplete="current-password")
        submitted = st.form_submit_button("Log in")
    if submitted:
        cfg = cached_settings()
        result = authenticate(
            cfg.secrets_dir,
            name.strip(),
            password,
            max_failures=cfg.login_max_failures,
            lock_minutes=cfg.login_lock_minutes,
        )
        subject = name.strip() if result.known else "(unknown user)"  # what was typed may be anything, an e-mail
        if result.user is None:
            audit.record(cfg, "dashboard", "login.failure", subject, {"locked": "locked" in result.message})
            st.error(result.message)
        else:
            audit.record(cfg, "dashboard", "login.success", subject)
            sign_in(result.user)
            st.rerun()


def sidebar(user: User) -> None:
    with st.sidebar:
        st.text(f"Signed in as {user.name} ({user.role})")
        if st.button("Log out", key="logout"):
            sign_out()
            st.rerun()


def require_page(file: str) -> User:
    """Stop the script unless the signed-in user's role may open this page (defence in depth)."""
    from dashboard.navigation import may_open

    user = current_user()
    if user is None or not may_open(user.role, file):
        st.error("You do not have access to this page.")
        st.stop()
    return user
