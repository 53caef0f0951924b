"""Signed-in sessions that survive a page refresh: a signed, expiring token in a cookie, checked server-side.

The browser keeps ``vcar_session`` = ``nonce.signature`` (HMAC-SHA256 with the ``session`` key of secrets_dir);
secrets_dir/sessions.json (0600) keeps only each token's SHA-256 with its user, role and last use. A token is
honoured while its signature holds, its entry exists, it was used within ``session_idle_minutes`` and its user
still has that role; logging out, a lock-out and a password reset delete entries (revocation), and a stolen
cookie alone cannot be forged into another. No streamlit import: the CLI revokes sessions too.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import secrets
from pathlib import Path

from etl.access.users import User, list_users
from etl.core import clock, keystore

COOKIE = "vcar_session"
SESSIONS_FILE = "sessions.json"
LOCK_FILE = "sessions.lock"
KEY_NAME = "session"
TOUCH_EVERY = dt.timedelta(minutes=1)  # last use is written at most this often (not on every page run)


def _now() -> dt.datetime:
    return clock.wall()


def _signature(secrets_dir: Path, nonce: str) -> str:
    return hmac.new(keystore.key(secrets_dir, KEY_NAME), nonce.encode(), hashlib.sha256).hexdigest()[:32]


def _id(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _load(secrets_dir: Path) -> dict:
    path = secrets_dir / SESSIONS_FILE
    if not path.exists():
        return {}
    try:
        return json.loads(keystore.read_private(path))
    except (json.JSONDecodeError, UnicodeDecodeError):
        return {}  # a damaged file signs everybody out; it never lets anybody in


def _save(secrets_dir: Path, data: dict) -> None:
    keystore.write_private(secrets_dir / SESSIONS_FILE, json.dumps(data, sort_keys=True).encode())


def issue(secrets_dir: Path, user: User) -> str:
    """A new session token for ``user`` (the cookie's value)."""
    keystore.ensure_secrets_dir(secrets_dir)
    nonce = secrets.token_urlsafe(24)
    token = f"{nonce}.{_signature(secrets_dir, nonce)}"
    now = _now().isoformat()
    with keystore.exclusive(secrets_dir / LOCK_FILE):
        data = _load(secrets_dir)
        data[_id(token)] = {"name": user.name, "role": user.role, "issued": now, "last_seen": now}
        _save(secrets_dir, data)
    return token


def resolve(secrets_dir: Path, token: str | None, idle_minutes: int) -> User | None:
    """The user a cookie's token stands for, or None (unsigned, unknown, idle too long, or the account changed);
    an expired or stale entry is removed."""
    if not token or token.count(".") != 1 or not secrets_dir.exists():
        return None
    nonce, signature = token.split(".")
    if not hmac.compare_digest(signature, _signature(secrets_dir, nonce)):
        return None
    now = _now()
    with keystore.exclusive(secrets_dir / LOCK_FILE):
        data = _load(secrets_dir)
        entry = data.get(_id(token))
        if entry is None:
            return None
        last = dt.datetime.fromisoformat(entry["last_seen"])
        current = {u.name: u.role for u in list_users(secrets_dir)}
        if now - last > dt.timedelta(minutes=idle_minutes) or current.get(entry["name"]) != entry["role"]:
            del data[_id(token)]
            _save(secrets_dir, data)
            return None
        if now - last >= TOUCH_EVERY:
            entry["last_seen"] = now.isoformat()
            _save(secrets_dir, data)
    return User(entry["name"], entry["role"])


def revoke(secrets_dir: Path, token: str | None) -> None:
    if token:
        _drop(secrets_dir, lambda key, entry: key == _id(token))


def revoke_user(secrets_dir: Path, name: str, *, keep: str | None = None) -> int:
    """Every session of ``name`` ends (a lock-out, a password reset, a removed account), but the one whose token is
    ``keep`` (a person ending their other sessions); returns how many ended."""
    kept_id = _id(keep) if keep else None
    return _drop(secrets_dir, lambda key, entry: entry["name"] == name and key != kept_id)


def short_id(token: str) -> str:
    """A session's name on the admin page: the start of its token's hash, which cannot sign anybody in."""
    return _id(token)[:12]


def listing(secrets_dir: Path, idle_minutes: int) -> list[dict]:
    """The sessions in use (not idle past ``idle_minutes``), latest use first: id, name, role, since, last seen."""
    if not (secrets_dir / SESSIONS_FILE).exists():
        return []
    now, idle = _now(), dt.timedelta(minutes=idle_minutes)
    live = {key: e for key, e in _load(secrets_dir).items() if now - dt.datetime.fromisoformat(e["last_seen"]) <= idle}
    rows = [{"id": key[:12], "name": e["name"], "role": e["role"], "since": e["issued"], "last_seen": e["last_seen"]}
            for key, e in live.items()]
    return sorted(rows, key=lambda row: row["last_seen"], reverse=True)


def revoke_id(secrets_dir: Path, session_id: str, *, name: str | None = None) -> int:
    """End the session of that id (only if it is ``name``'s, when given); returns 1 when one ended, else 0."""
    if len(session_id) != 12:
        return 0
    return _drop(secrets_dir, lambda key, entry: key[:12] == session_id and name in (None, entry["name"]))


def _drop(secrets_dir: Path, doomed) -> int:
    if not (secrets_dir / SESSIONS_FILE).exists():
        return 0
    with keystore.exclusive(secrets_dir / LOCK_FILE):
        data = _load(secrets_dir)
        kept = {key: entry for key, entry in data.items() if not doomed(key, entry)}
        if kept != data:
            _save(secrets_dir, kept)
    return len(data) - len(kept)
