"""Who is signed in, in this browser session: the entry in Streamlit's session state and the session token behind
the cookie. The login form (dashboard/auth.py) and the second factor (dashboard/signin.py) both end in
``sign_in``."""

from __future__ import annotations

import time

import streamlit as st

from etl.access import sessions
from etl.access.users import User
from etl.core.settings import cached_settings

SESSION_KEY = "auth_user"
TOKEN_KEY = "auth_token"


def remember(user: User, token: str | None) -> None:
    now = time.monotonic()
    st.session_state[SESSION_KEY] = {"name": user.name, "role": user.role, "last_seen": now}
    st.session_state[TOKEN_KEY] = token


def sign_in(user: User) -> None:
    token = sessions.issue(cached_settings().secrets_dir, user)
    remember(user, token)
