"""Login, idle expiry and logout for the Streamlit app. Passwords are checked in etl.access.accounts.

A sign-in also issues a session token (etl.access.sessions) kept in a cookie, so a page refresh or a new tab opens
signed in until idle expiry; logging out revokes it server-side and clears the cookie."""

from __future__ import annotations

import time

import streamlit as st
from streamlit.navigation.page import StreamlitPage

from dashboard.session import SESSION_KEY, TOKEN_KEY, remember
from etl.access import sessions
from etl.access.accounts import authenticate
from etl.access.users import User
from etl.compliance import audit
from etl.core.settings import cached_settings


def current_user() -> User | None:
    """The signed-in user, or None when nobody is or the session has been idle too long. A new browser session
    (a refresh, a new tab) is signed in again from its session cookie while that is valid."""
    cfg = cached_settings()
    entry = st.session_state.get(SESSION_KEY)
    if not entry:
        token = st.context.cookies.get(sessions.COOKIE)
        user = sessions.resolve(cfg.secrets_dir, token, cfg.session_idle_minutes)
        if user is None:
            return _from_company_login(cfg)
        remember(user, token)
        return user
    now = time.monotonic()
    if now - entry.get("last_seen", 0) > cfg.session_idle_minutes * 60:
        sessions.revoke(cfg.secrets_dir, st.session_state.get(TOKEN_KEY))
        st.session_state.pop(SESSION_KEY, None)
        st.session_state["auth_notice"] = "Your session expired after inactivity. Please log in again."
        if _company_logged_in(cfg):  # a company login ends too, or the next run would sign straight back in
            st.logout()
        return None
    token = st.session_state.get(TOKEN_KEY)
    if token and sessions.resolve(cfg.secrets_dir, token, cfg.session_idle_minutes) is None:
        # ended elsewhere: an admin disabled, removed, reset or re-roled the account, or ended this session
        st.session_state.pop(SESSION_KEY, None)
        st.session_state["auth_notice"] = "Your session was ended. Please log in again."
        return None
    entry["last_seen"] = now
    return User(entry["name"], entry["role"])


def _from_company_login(cfg) -> User | None:
    """A person signed in through the company's identity provider (st.login), with the role ``oidc_roles`` maps
    them to; None (and a notice) when they have no role here."""
    from etl.access import sso

    if not _company_logged_in(cfg):
        return None
    claims = st.user.to_dict()
    role = sso.role_for(claims, cfg)
    name = sso.account_name(claims, cfg)
    if role is None:
        st.session_state["auth_no_role"] = True
        return None
    user = User(name, role)
    remember(user, None)
    st.session_state["auth_display"] = str(claims.get("name") or claims.get("email") or name)  # shown, not kept
    audit.record(cfg, "dashboard", "login.success", name, {"via": "single sign-on", "role": role})
    return user


def _company_logged_in(cfg) -> bool:
    """Whether Streamlit holds a company login (st.user has no such field when single sign-on is not set up)."""
    from etl.access import sso

    return sso.enabled(cfg) and bool(getattr(st.user, "is_logged_in", False))


def sign_out() -> None:
    """End the session: revoke its token, forget everything; a company login also ends Streamlit's."""
    sessions.revoke(cached_settings().secrets_dir, st.session_state.get(TOKEN_KEY))
    for key in list(st.session_state.keys()):
        del st.session_state[key]
    if _company_logged_in(cached_settings()):
        st.logout()


def apply_cookie() -> None:
    """Keep the browser's session cookie in step with the session: write it while it differs from this session's
    token, clear it once signed out. Streamlit has no API to set a cookie, so a one-line script does it, on every
    run until the browser has it (a run superseded by the next one cannot lose it); the token is ours: letters,
    digits, '-', '_' and one '.'."""
    token = st.session_state.get(TOKEN_KEY)
    present = st.context.cookies.get(sessions.COOKIE)
    if st.session_state.get(SESSION_KEY) and token and present != token:
        value, age = token, cached_settings().session_idle_minutes * 60
    elif not st.session_state.get(SESSION_KEY) and present:
        value, age = "", 0
    else:
        return
    if not all(c.isalnum() or c in "-_." for c in value):
        return
    st.html(
        f"<script>document.cookie = '{sessions.COOKIE}={value}; path=/; max-age={age}; samesite=strict'"
        " + (location.protocol === 'https:' ? '; secure' : '');</script>",
        unsafe_allow_javascript=True,
    )


def login_page() -> None:
    st.title("vcar-insights")
    st.caption("Web analytics, inquiry funnel and data-subject rights for vcar.")
    notice = st.session_state.pop("auth_notice", None)
    if notice:
        st.info(notice)
    cfg = cached_settings()
    from dashboard import signin

    if signin.pending_step(cfg) or signin.reset_step(cfg):  # after a right password: the code or the enrolment
        return
    from etl.access import sso

    if sso.enabled(cfg):
        if st.session_state.get("auth_no_role") and _company_logged_in(cfg):
            st.warning("You are signed in with your company account, but it has no role in this dashboard. Ask an "
                       "administrator to map one of your groups in oidc_roles.")
            if st.button("Sign out of the company account", key="sso-logout"):
                st.logout()
        elif st.button("Sign in with the company account", key="sso-login", type="primary"):
            st.login(sso.PROVIDER)
        st.caption("Or with a local account:")
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
            signin.after_password(cfg, result.user)
    signin.reset_link()


def login_at(url_path: str):
    """The login form at a page's own address (a page's callable must be unique per address)."""

    def page() -> None:
        login_page()

    page.__name__ = f"login_{url_path}"
    return page


def not_found(asked: str, home: StreamlitPage, home_label: str):
    """What anyone sees at an address no page has (a mistyped or old link): that, and a link home; Streamlit's
    own "Page not found" dialog would show over the first page instead."""

    def page() -> None:
        st.title("No such page")
        st.text(f"Nothing is at the address /{asked[:200]}: the link may be mistyped or out of date.")
        st.page_link(home, label=home_label, icon=":material/home:")

    page.__name__ = "not_found"
    return page


def no_access(title: str):
    """What a signed-in user sees at the address of a page their role does not include (no dialog, no data)."""

    def page() -> None:
        st.title(title)
        st.warning("Your role does not include this page. Pick a page on the left.")

    page.__name__ = f"no_access_{title.lower().replace(' ', '_').replace('&', 'and')}"
    return page


def signed_in_already() -> None:
    """The login address once signed in (after a login there, or from a bookmark): the overview."""
    st.switch_page("views/overview.py")


def sidebar(user: User) -> None:
    with st.sidebar:
        st.text(f"Signed in as {st.session_state.get('auth_display', user.name)} ({user.role})")
        if st.session_state.get(TOKEN_KEY):
            from dashboard import signin

            signin.other_sessions(user, st.session_state[TOKEN_KEY])
        if st.button("Log out", key="logout"):
            sign_out()
            st.rerun()


def require_page(file: str) -> User:
    """Stop the script unless the signed-in user's role may open this page (defence in depth)."""
    from dashboard.navigation import may_open

    user = current_user()
    if user is None or not may_open(user.role, file):
        st.error("You do not have access to this page.")
        st.stop()  # not PageEnd: this defence runs where no router catches it (a page script run on its own)
    return user
