"""Lock-outs: failed passwords and codes counted per account in ``secrets_dir/login_state.json`` (0600), the
account locked for ``login_lock_minutes`` after ``login_max_failures`` in a row, and its sessions ended then. The
password check (etl/access/accounts.py) and the second factor (etl/access/totp.py) count into the same lock."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from etl.access.sessions import revoke_user
from etl.access.users import USERS_FILE, _load
from etl.core import clock
from etl.core.keystore import ensure_secrets_dir, exclusive, write_private

LOGIN_STATE_FILE = "login_state.json"
LOGIN_LOCK_FILE = "login_state.lock"
LOCKED = "This account is locked after repeated failed logins. Try again later."


def _save(path: Path, data: dict) -> None:
    write_private(path, json.dumps(data, indent=2, sort_keys=True).encode("utf-8"))


def _now() -> dt.datetime:
    return clock.wall()


def is_locked(secrets_dir: Path, name: str) -> bool:
    return _locked(_load(secrets_dir / LOGIN_STATE_FILE).get(name), _now())


def note_failure(secrets_dir: Path, name: str, *, max_failures: int, lock_minutes: int) -> bool:
    """Count a failed password or code; True when the account is (now) locked. A lock-out ends the account's
    sessions."""
    ensure_secrets_dir(secrets_dir)
    state_path = secrets_dir / LOGIN_STATE_FILE
    with exclusive(secrets_dir / LOGIN_LOCK_FILE):
        state = _load(state_path)
        entry = state.get(name, {"failures": 0, "locked_until": None})
        now = _now()
        if _locked(entry, now):
            return True
        failures = entry.get("failures", 0) + 1
        locked_until = (now + dt.timedelta(minutes=lock_minutes)).isoformat() if failures >= max_failures else None
        state[name] = {"failures": 0 if locked_until else failures, "locked_until": locked_until}
        _save(state_path, state)
    if locked_until and name in _load(secrets_dir / USERS_FILE):  # a lock-out also ends the account's sessions
        revoke_user(secrets_dir, name)
    return locked_until is not None


def clear_failures(secrets_dir: Path, name: str) -> bool:
    """Forget an account's failures and lock (a full sign-in, or ``vcar users unlock``); True when there were any."""
    ensure_secrets_dir(secrets_dir)
    state_path = secrets_dir / LOGIN_STATE_FILE
    with exclusive(secrets_dir / LOGIN_LOCK_FILE):
        state = _load(state_path)
        found = state.pop(name, None) is not None
        if found:
            _save(state_path, state)
    return found


def _locked(entry: dict | None, now: dt.datetime) -> bool:
    return bool(entry and entry.get("locked_until") and dt.datetime.fromisoformat(entry["locked_until"]) > now)
