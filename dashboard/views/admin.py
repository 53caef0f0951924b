"""Accounts (admin only): every account with its status and last sign-in, the changes of ``vcar users``, and the
signed-in sessions. The changes are etl.admin.lifecycle's, so the page and the CLI act alike."""

from __future__ import annotations

import streamlit as st

from dashboard.auth import require_page
from dashboard.tables import show_table
from etl.access import sessions
from etl.access.accounts import add_user, new_password
from etl.admin import lifecycle
from etl.core.errors import VcarError
from etl.core.roles import ROLES
from etl.core.settings import cached_settings
from etl.core.words import local_time

user = require_page("views/admin.py")
cfg = cached_settings()
st.title("Accounts")
zone = f" ({cfg.timezone})"

found = lifecycle.accounts(cfg)
show_table([a | {"last_sign_in": local_time(a["last_sign_in"], cfg.tz)} for a in found], "accounts",
           headings={"last_sign_in": "Last sign-in" + zone, "two_factor": "Two-factor"})
names = [a["name"] for a in found]
NOBODY = "(flag them: owner lost the right)"


def shown_once(done: lifecycle.Reset) -> None:
    """The reset code, for the admin to pass on: shown now only, never stored but as a hash."""
    st.success(f"{done.change.summary()}. Give {done.change.name} this one-time reset code, valid until "
               f"{local_time(done.expires, cfg.tz)}{zone}; it is not shown again:")
    st.code(done.code, language=None)


st.subheader("Change an account")
with st.form("account-change"):
    top = st.columns(3)
    name = top[0].selectbox("Account", names)
    action = top[1].selectbox("Change", ["Disable", "Enable", "Remove", "Change role", "Reset password", "Unlock"])
    role = top[2].selectbox("New role (for Change role)", ROLES)
    below = st.columns(2)
    takers = [a["name"] for a in found if a["role"] in lifecycle.RIGHTS_ROLES and a["status"] != "disabled"]
    reassign = below[0].selectbox("Its open rights requests go to", [NOBODY, *takers])
    forget_factor = below[1].checkbox("With Reset password: also forget its two-factor enrolment")
    applied = st.form_submit_button("Apply")
if applied and name:
    options = {"reassign_to": None if reassign == NOBODY else reassign}
    try:
        if action == "Reset password":
            shown_once(lifecycle.reset(cfg, name, actor=user.name, two_factor=forget_factor))
        else:
            calls = {
                "Disable": lambda: lifecycle.disable(cfg, name, actor=user.name, **options),
                "Enable": lambda: lifecycle.enable(cfg, name, actor=user.name),
                "Remove": lambda: lifecycle.remove(cfg, name, actor=user.name, **options),
                "Change role": lambda: lifecycle.set_role(cfg, name, role, actor=user.name, **options),
                "Unlock": lambda: lifecycle.unlock(cfg, name, actor=user.name),
            }
            st.success(calls[action]().summary())
    except VcarError as exc:
        st.error(str(exc).replace("--reassign-to", "Its open rights requests go to"))

st.subheader("Add an account")
with st.form("account-add"):
    halves = st.columns(2)
    new_name = halves[0].text_input("Login name (lower case)")
    new_role = halves[1].selectbox("Role", ROLES, key="add-role")
    added = st.form_submit_button("Add")
if added:
    try:  # the person chooses their password with a one-time code; nobody else ever knows it
        add_user(cfg.secrets_dir, new_name.strip(), new_role, new_password())
        from etl.compliance import audit

        audit.record(cfg, user.name, "user.add", new_name.strip(), {"role": new_role})
        shown_once(lifecycle.reset(cfg, new_name.strip(), actor=user.name))
    except VcarError as exc:
        st.error(str(exc))

st.subheader("Signed-in sessions")
st.caption(f"Sessions of local accounts used within the last {cfg.session_idle_minutes} minutes (company sign-ins "
           "are ended at the identity provider).")
live = sessions.listing(cfg.secrets_dir, cfg.session_idle_minutes)
show_table([s | {"since": local_time(s["since"], cfg.tz), "last_seen": local_time(s["last_seen"], cfg.tz)}
            for s in live], "sessions", headings={"id": "Session", "name": "Account", "since": "Since" + zone,
                                                  "last_seen": "Last seen" + zone})
with st.form("session-end"):
    chosen = st.selectbox("Session", [f"{s['id']} ({s['name']})" for s in live])
    ended = st.form_submit_button("End session")
if ended and chosen:
    if lifecycle.end_session(cfg, chosen.split(" ")[0], actor=user.name):
        st.success(f"Session {chosen} ended: its next click shows the login.")
    else:
        st.info("That session had already ended.")
