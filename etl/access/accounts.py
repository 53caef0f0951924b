"""Dashboard accounts: argon2 hashes in ``secrets_dir/users.json`` (0600), lock-out after repeated failures.

No streamlit import here: the CLI (``vcar users add``) and the login page share this module. Reading the users
file is etl/access/users.py's; a change that must end someone's sessions calls etl/access/sessions.py.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import re
import secrets
from collections.abc import Generator
from dataclasses import dataclass
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from etl.access.lockout import LOCKED, clear_failures, is_locked, note_failure
from etl.access.sessions import revoke_user
from etl.access.users import USERS_FILE, User, _load
from etl.core import clock
from etl.core.errors import ConfigError, InputError
from etl.core.keystore import ensure_secrets_dir, write_private
from etl.core.roles import ROLES

USERS_LOCK_FILE = "users.lock"
MIN_PASSWORD = 10
_NAME = re.compile(r"[a-z][a-z0-9_.-]{1,31}")
_hasher = PasswordHasher()
DISABLED = "This account is disabled. Ask an administrator."


def _save(path: Path, data: dict) -> None:
    write_private(path, json.dumps(data, indent=2, sort_keys=True).encode("utf-8"))


def add_user(secrets_dir: Path, name: str, role: str, password: str, *, replace: bool = False) -> User:
    """Create (or with ``replace``, reset) an account. The password is kept only as an argon2 hash."""
    if role not in ROLES:
        raise ConfigError(f"role {role!r} is not one of {', '.join(ROLES)}")
    if not _NAME.fullmatch(name):
        raise ConfigError(f"user name {name!r}: use 2-32 lower-case letters, digits, '.', '_' or '-'")
    password_hash = hash_password(name, password)
    ensure_secrets_dir(secrets_dir)
    path = secrets_dir / USERS_FILE
    data = _load(path)
    if name in data and not replace:
        raise InputError(f"user {name} exists already (use --replace to reset the password)")
    kept = {k: v for k, v in data.get(name, {}).items() if k != "reset"}  # a pending reset code dies with it
    data[name] = {"created_at": _now().isoformat()} | kept | {"role": role, "hash": password_hash}
    _save(path, data)
    if replace:  # a reset password ends the sessions signed in with the old one
        revoke_user(secrets_dir, name)
    return User(name, role)


def hash_password(name: str, password: str) -> str:
    """The argon2 hash of a new password (the only form it is kept in), once it is long enough."""
    if len(password) < MIN_PASSWORD:
        raise InputError(f"password for {name}: at least {MIN_PASSWORD} characters")
    return _hasher.hash(password)


@contextlib.contextmanager
def edited_users(secrets_dir: Path) -> Generator[dict, None, None]:
    """The users file, read and written back under a lock (account changes from the CLI and the dashboard)."""
    from etl.core.keystore import exclusive

    ensure_secrets_dir(secrets_dir)
    with exclusive(secrets_dir / USERS_LOCK_FILE):
        data = _load(secrets_dir / USERS_FILE)
        yield data
        _save(secrets_dir / USERS_FILE, data)


def new_password() -> str:
    """A random password for generated (demo) accounts: 16 URL-safe characters."""
    return secrets.token_urlsafe(12)


def _now() -> dt.datetime:
    return clock.wall()


@dataclass(frozen=True)
class LoginResult:
    user: User | None
    message: str
    known: bool  # the name is an account (audit entries name only accounts, never what else was typed)


def authenticate(secrets_dir: Path, name: str, password: str, *, max_failures: int, lock_minutes: int) -> LoginResult:
    """Check a password; after ``max_failures`` failures in a row the account is locked for a while.

    The failure count is read and written under an exclusive lock (the password check, slow on purpose, runs
    outside it), so wrong passwords sent at once from many sessions all count and cannot slip past the lock. For
    an account with a second factor (etl.access.totp) a right password does not clear the count: only the code does,
    so wrong codes after a right password still lock the account."""
    from etl.access.totp import enrolled

    users = _load(secrets_dir / USERS_FILE)
    record = users.get(name)
    if is_locked(secrets_dir, name):
        return LoginResult(None, LOCKED, record is not None)
    ok = False
    if record is not None:
        try:
            ok = _hasher.verify(record["hash"], password)
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            ok = False
    else:
        _hasher.hash(password)  # same cost for unknown names: no user enumeration by timing
    if ok and record is not None:
        if is_locked(secrets_dir, name):  # locked by a parallel attempt while this password was being checked
            return LoginResult(None, LOCKED, True)
        if record.get("disabled"):  # said only to whoever knows the password
            return LoginResult(None, DISABLED, True)
        if not enrolled(secrets_dir, name):
            clear_failures(secrets_dir, name)
        return LoginResult(User(name, record["role"]), "", True)
    locked = note_failure(secrets_dir, name, max_failures=max_failures, lock_minutes=lock_minutes)
    return LoginResult(None, LOCKED if locked else "Wrong user name or password.", record is not None)
