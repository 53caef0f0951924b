"""What follows a right password on the login page: the two-factor code, or the enrolment that
``totp_required_roles`` asks for; a password set with an administrator's reset code; and a person's own other
sessions in the sidebar. The checks themselves are etl.access.totp's and etl.admin.lifecycle's."""

from __future__ import annotations

import time

import streamlit as st

from dashboard.session import sign_in
from etl.access import sessions, totp
from etl.access.users import User
from etl.admin import lifecycle
from etl.compliance import audit
from etl.core.errors import VcarError
from etl.core.words import local_time

PENDING = "auth_pending"  # {"name", "role", "step": "code" | "enrol" | "recovery", "since"}
ENROLMENT = "auth_enrolment"
RESETTING = "auth_resetting"
PENDING_SECONDS = 300  # a half-finished sign-in is forgotten after five minutes


def after_password(cfg, user: User) -> None:
    """A right password: ask for the code, or for an enrolment, or sign in."""
    if totp.enrolled(cfg.secrets_dir, user.name):
        step = "code"
    elif lifecycle.needs_two_factor(cfg, user):
        step = "enrol"
    else:
        finish(cfg, user, {})
        return
    st.session_state[PENDING] = {"name": user.name, "role": user.role, "step": step, "since": time.monotonic()}
    st.rerun()


def finish(cfg, user: User, detail: dict) -> None:
    for key in (PENDING, ENROLMENT):
        st.session_state.pop(key, None)
    audit.record(cfg, "dashboard", "login.success", user.name, detail or None)
    lifecycle.signed_in(cfg, user.name)
    sign_in(user)
    st.rerun()


def pending_step(cfg) -> bool:
    """Draw the step after the password, if one is pending; False when the login form should show."""
    pending = st.session_state.get(PENDING)
    if not pending:
        return False
    if time.monotonic() - pending["since"] > PENDING_SECONDS:
        st.session_state.pop(PENDING, None)
        st.session_state.pop(ENROLMENT, None)
        st.info("The sign-in took too long. Please log in again.")
        return False
    user = User(pending["name"], pending["role"])
    if st.button("Cancel", key="signin-cancel"):
        st.session_state.pop(PENDING, None)
        st.session_state.pop(ENROLMENT, None)
        st.rerun()
    {"code": _code, "enrol": _enrol, "recovery": _recovery}[pending["step"]](cfg, user)
    return True


def _code(cfg, user: User) -> None:
    with st.form("second-factor"):
        code = st.text_input("Code from your authenticator app, or a recovery code", autocomplete="one-time-code")
        submitted = st.form_submit_button("Verify")
    if not submitted:
        return
    result = totp.check(cfg.secrets_dir, user.name, code, max_failures=cfg.login_max_failures,
                        lock_minutes=cfg.login_lock_minutes)
    if result.ok:
        finish(cfg, user, {"recovery_code": True} if result.recovery_used else {})
    audit.record(cfg, "dashboard", "login.failure", user.name, {"factor": "code", "locked": "locked" in result.message})
    if "locked" in result.message:
        st.session_state.pop(PENDING, None)
    st.error(result.message)


def _enrol(cfg, user: User) -> None:
    enrolment = st.session_state.setdefault(ENROLMENT, totp.start_enrolment(user.name))
    st.subheader("Set up two-factor sign-in")
    st.write("Your role signs in with a code from an authenticator app as well as the password. Scan the code "
             "with the app (or type the key), then enter the six digits it shows.")
    st.image(totp.qr_svg(enrolment.uri), caption="Scan with your authenticator app", width=220)
    st.text(f"Key for manual entry: {enrolment.secret}")
    with st.form("enrol"):
        code = st.text_input("Six-digit code from the app", autocomplete="one-time-code")
        submitted = st.form_submit_button("Confirm")
    if submitted:
        if totp.confirm_enrolment(cfg.secrets_dir, user.name, enrolment, code):
            audit.record(cfg, "dashboard", "user.two_factor.enrol", user.name)
            st.session_state[PENDING] |= {"step": "recovery"}
            st.rerun()
        st.error("That code does not match. Check the app's clock and try the next code.")


def _recovery(cfg, user: User) -> None:
    enrolment = st.session_state.get(ENROLMENT)
    st.subheader("Your recovery codes")
    st.write("Each of these signs you in once instead of a code, if you lose your phone. Keep them somewhere safe: "
             "they are shown only now.")
    if enrolment is not None:
        st.code("\n".join(enrolment.recovery_codes), language=None)
    if st.button("I have saved them: continue", key="recovery-saved", type="primary"):
        finish(cfg, user, {"enrolled": True})


def reset_link() -> None:
    """Under the login form: the way to the reset form (drawn instead of the login form, so no label repeats)."""
    if st.button("Reset my password with a code", key="reset-open"):
        st.session_state[RESETTING] = True
        st.rerun()


def reset_step(cfg) -> bool:
    """Set a new password with the one-time code an administrator gave (vcar users reset, or the Accounts page);
    False when the login form should show."""
    if not st.session_state.get(RESETTING):
        return False
    st.subheader("Reset your password")
    with st.form("reset"):
        name = st.text_input("User name", key="reset-name", autocomplete="username")
        code = st.text_input("Reset code", key="reset-code", autocomplete="off")
        first = st.text_input("New password", type="password", key="reset-new", autocomplete="new-password")
        second = st.text_input("New password again", type="password", key="reset-again", autocomplete="new-password")
        submitted = st.form_submit_button("Set the new password")
    if st.button("Back to the login", key="reset-close"):
        st.session_state.pop(RESETTING, None)
        st.rerun()
    if not submitted:
        return True
    if first != second:
        st.error("The two passwords differ.")
        return True
    try:
        lifecycle.redeem(cfg, name.strip(), code, first)
    except VcarError as exc:
        st.error(str(exc))
        return True
    st.session_state.pop(RESETTING, None)
    st.session_state["auth_notice"] = "Your new password is set. Log in with it."
    st.rerun()
    return True


def other_sessions(user: User, token: str) -> None:
    """A person's other signed-in sessions (other browsers, devices), and a button that ends them."""
    from etl.core.settings import cached_settings

    cfg = cached_settings()
    mine = sessions.short_id(token)
    others = [s for s in sessions.listing(cfg.secrets_dir, cfg.session_idle_minutes)
              if s["name"] == user.name and s["id"] != mine]
    if not others:
        return
    with st.expander(f"Signed in elsewhere too ({len(others)})"):
        for s in others:
            st.text(f"since {local_time(s['since'], cfg.tz)}, last seen {local_time(s['last_seen'], cfg.tz)}")
        if st.button("End my other sessions", key="end-other-sessions"):
            ended = sessions.revoke_user(cfg.secrets_dir, user.name, keep=token)
            audit.record(cfg, user.name, "session.end", user.name, {"sessions": ended, "own": True})
            st.rerun()
