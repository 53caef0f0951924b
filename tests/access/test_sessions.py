"""Sessions that survive a refresh (issue 20): a signed, expiring token, checked and revocable server-side."""

from __future__ import annotations

import datetime as dt
import json

from etl.access import sessions
from etl.access.accounts import add_user, authenticate

PASSWORD = "a-long-password-1"


def test_a_token_stands_for_its_user_until_it_is_revoked(settings_env):
    secrets = settings_env.secrets_dir
    user = add_user(secrets, "ana", "compliance", PASSWORD)
    token = sessions.issue(secrets, user)
    assert sessions.resolve(secrets, token, idle_minutes=30) == user
    stored = (secrets / sessions.SESSIONS_FILE).read_text()
    assert token not in stored  # only its hash is kept
    assert oct((secrets / sessions.SESSIONS_FILE).stat().st_mode & 0o777) == "0o600"
    sessions.revoke(secrets, token)
    assert sessions.resolve(secrets, token, idle_minutes=30) is None


def test_a_forged_or_altered_token_is_refused(settings_env):
    secrets = settings_env.secrets_dir
    token = sessions.issue(secrets, add_user(secrets, "ana", "admin", PASSWORD))
    nonce, signature = token.split(".")
    assert sessions.resolve(secrets, f"{nonce}.{'0' * len(signature)}", idle_minutes=30) is None
    assert sessions.resolve(secrets, f"x{nonce}.{signature}", idle_minutes=30) is None
    assert sessions.resolve(secrets, "no-dot-at-all", idle_minutes=30) is None
    assert sessions.resolve(secrets, None, idle_minutes=30) is None


def test_an_idle_session_expires(settings_env):
    secrets = settings_env.secrets_dir
    token = sessions.issue(secrets, add_user(secrets, "ana", "admin", PASSWORD))
    data = json.loads((secrets / sessions.SESSIONS_FILE).read_text())
    for entry in data.values():
        entry["last_seen"] = (dt.datetime.now(dt.UTC) - dt.timedelta(minutes=31)).isoformat()
    (secrets / sessions.SESSIONS_FILE).write_text(json.dumps(data))
    assert sessions.resolve(secrets, token, idle_minutes=30) is None
    assert json.loads((secrets / sessions.SESSIONS_FILE).read_text()) == {}  # and is removed


def test_lock_out_password_reset_and_role_change_end_the_sessions(settings_env):
    secrets = settings_env.secrets_dir
    ana = add_user(secrets, "ana", "admin", PASSWORD)
    locked = sessions.issue(secrets, ana)
    for _ in range(3):
        authenticate(secrets, "ana", "wrong password", max_failures=3, lock_minutes=15)
    assert sessions.resolve(secrets, locked, idle_minutes=30) is None  # the lock-out revoked it
    reset = sessions.issue(secrets, ana)
    add_user(secrets, "ana", "admin", "another-long-password", replace=True)
    assert sessions.resolve(secrets, reset, idle_minutes=30) is None
    demoted = sessions.issue(secrets, ana)
    add_user(secrets, "ana", "marketing", "another-long-password", replace=True)
    assert sessions.resolve(secrets, demoted, idle_minutes=30) is None


def test_wrong_passwords_sent_at_once_all_count_toward_the_lock(settings_env):
    """Eight sessions trying wrong passwords at the same moment lock the account (5 allowed), and the right
    password is then refused too (a lost update let them all count as one)."""
    from concurrent.futures import ThreadPoolExecutor

    secrets = settings_env.secrets_dir
    add_user(secrets, "ana", "admin", PASSWORD)
    add_user(secrets, "ben", "admin", PASSWORD)
    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(lambda n: authenticate(secrets, "ana" if n % 2 else "ben", "wrong-password",
                                             max_failures=4, lock_minutes=15), range(8)))
    for name in ("ana", "ben"):  # four each, at once, across two accounts sharing the state file
        assert authenticate(secrets, name, PASSWORD, max_failures=4, lock_minutes=15).user is None
