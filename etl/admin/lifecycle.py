"""An account's life after ``vcar users add``: disable, enable, remove, change role, reset, unlock, and the list.

One function per change, shared by ``vcar users ...`` and the dashboard's Accounts page. Each ends the person's
sessions where the change calls for it (disable, remove, role change, reset), is written to the audit log with
who made it, and is refused when it would leave no admin. A person who loses the right to own rights requests
(etl.compliance.rights: RIGHTS_ROLES) hands their open requests to ``reassign_to``, or they are flagged: listed in
the result, and on the Rights page as "owner lost the right". No streamlit import.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from dataclasses import asdict, dataclass, field
from typing import Any

from etl.access import sessions, totp
from etl.access.accounts import edited_users, hash_password
from etl.access.lockout import clear_failures, is_locked, note_failure
from etl.access.users import USERS_FILE, User, list_users
from etl.core import clock, keystore
from etl.core.errors import FieldError, InputError
from etl.core.roles import RIGHTS_ROLES, ROLES
from etl.core.settings import Settings

RESET_KEY = "reset"  # keys the hashes of password-reset codes
RESET_WRONG = "The reset code is wrong or has expired. Ask an administrator for a new one."
_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"


@dataclass
class Change:
    """What a change did, for the CLI's output and the page's message (never a password or a code)."""

    name: str
    action: str
    role: str
    status: str
    sessions_ended: int = 0
    reassigned: list[str] = field(default_factory=list)
    flagged: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    def summary(self) -> str:
        text = f"{self.name} ({self.role}): {self.status}"
        if self.sessions_ended:
            text += f"; {self.sessions_ended} session{'s' if self.sessions_ended != 1 else ''} ended"
        if self.reassigned:
            text += f"; rights requests reassigned: {', '.join(self.reassigned)}"
        if self.flagged:
            text += f"; rights requests whose owner lost the right: {', '.join(self.flagged)}"
        return text


def accounts(cfg: Settings) -> list[dict[str, Any]]:
    """Every account with its role, status (active, locked, disabled), two-factor enrolment, last sign-in and open
    sessions; never a hash."""
    path = cfg.secrets_dir / USERS_FILE
    if not path.exists():
        return []
    with edited_users(cfg.secrets_dir) as data:
        users = dict(data)
    open_sessions = [row["name"] for row in sessions.listing(cfg.secrets_dir, cfg.session_idle_minutes)]
    return [{"name": name, "role": entry["role"], "status": _status(cfg, name, entry),
             "two_factor": totp.enrolled(cfg.secrets_dir, name), "last_sign_in": entry.get("last_sign_in"),
             "reset_pending": "reset" in entry, "sessions": open_sessions.count(name)}
            for name, entry in sorted(users.items())]


def _status(cfg: Settings, name: str, entry: dict) -> str:
    if entry.get("disabled"):
        return "disabled"
    return "locked" if is_locked(cfg.secrets_dir, name) else "active"


def _entry(data: dict, name: str) -> dict:
    if name not in data:
        raise InputError(f"user {name[:40]!r} does not exist (see vcar users list)")
    return data[name]


def _keeps_an_admin(data: dict, name: str, *, role: str | None = None, gone: bool = False) -> None:
    """Refuse a change that would leave no enabled admin."""
    admins = [n for n, e in data.items() if e["role"] == "admin" and not e.get("disabled")]
    if admins == [name] and (gone or role not in (None, "admin")):
        raise InputError(f"{name} is the last admin; make another account admin first")


def _target(cfg: Settings, name: str, reassign_to: str | None) -> str | None:
    """The account that takes over ``name``'s requests: enabled, allowed to own them, and not ``name``."""
    if reassign_to is None:
        return None
    roles = {u.name: u.role for u in list_users(cfg.secrets_dir)}
    if reassign_to == name or roles.get(reassign_to) not in RIGHTS_ROLES:
        raise FieldError("reassign_to", f"{reassign_to[:40]!r} is not another enabled account of role "
                                        f"{' or '.join(sorted(RIGHTS_ROLES))}")
    return reassign_to


def _hand_over(cfg: Settings, change: Change, target: str | None, actor: str) -> None:
    """Reassign or flag the open requests ``change.name`` owns, once it may no longer own them."""
    from etl.compliance import rights

    if not cfg.warehouse.exists():
        return
    owned = [row["request_id"] for row in rights.listing(cfg, as_of=clock.today(cfg.tz), open_only=True)
             if row["owner"] == change.name]
    for request_id in owned:
        if target:
            rights.update(cfg, request_id, owner=target, actor=actor)
    (change.reassigned if target else change.flagged).extend(owned)


def owner_lost_right(cfg: Settings, rows: list[dict[str, Any]]) -> list[str]:
    """The open requests (``rights.listing`` rows) whose owner is no longer an enabled account of a rights role."""
    from etl.compliance.deadlines import CLOSED

    may_own = {u.name for u in list_users(cfg.secrets_dir) if u.role in RIGHTS_ROLES}
    return [r["request_id"] for r in rows if r["owner"] and r["owner"] not in may_own and r["status"] not in CLOSED]


def _record(cfg: Settings, actor: str, change: Change) -> Change:
    from etl.compliance import audit

    detail = {k: v for k, v in change.as_dict().items() if k not in ("name", "action") and v not in ([], 0)}
    audit.record(cfg, actor, f"user.{change.action}", change.name, detail)
    return change


def disable(cfg: Settings, name: str, *, actor: str, reassign_to: str | None = None) -> Change:
    """The account can no longer sign in; its sessions end; its requests go to ``reassign_to`` or are flagged."""
    target = _target(cfg, name, reassign_to)
    with edited_users(cfg.secrets_dir) as data:
        entry = _entry(data, name)
        _keeps_an_admin(data, name, gone=True)
        entry["disabled"] = True
    change = Change(name, "disable", entry["role"], "disabled", sessions.revoke_user(cfg.secrets_dir, name))
    if entry["role"] in RIGHTS_ROLES:
        _hand_over(cfg, change, target, actor)
    return _record(cfg, actor, change)


def enable(cfg: Settings, name: str, *, actor: str) -> Change:
    with edited_users(cfg.secrets_dir) as data:
        entry = _entry(data, name)
        entry.pop("disabled", None)
    return _record(cfg, actor, Change(name, "enable", entry["role"], _status(cfg, name, entry)))


def remove(cfg: Settings, name: str, *, actor: str, reassign_to: str | None = None) -> Change:
    """The account, its two-factor enrolment and its sessions are gone; the audit log keeps its name."""
    target = _target(cfg, name, reassign_to)
    with edited_users(cfg.secrets_dir) as data:
        entry = _entry(data, name)
        _keeps_an_admin(data, name, gone=True)
        del data[name]
    totp.remove(cfg.secrets_dir, name)
    clear_failures(cfg.secrets_dir, name)
    change = Change(name, "remove", entry["role"], "removed", sessions.revoke_user(cfg.secrets_dir, name))
    if entry["role"] in RIGHTS_ROLES:
        _hand_over(cfg, change, target, actor)
    return _record(cfg, actor, change)


def set_role(cfg: Settings, name: str, role: str, *, actor: str, reassign_to: str | None = None) -> Change:
    """A new role; the sessions signed in with the old one end."""
    if role not in ROLES:
        raise FieldError("role", f"{role!r} is not one of {', '.join(ROLES)}")
    target = _target(cfg, name, reassign_to)
    with edited_users(cfg.secrets_dir) as data:
        entry = _entry(data, name)
        _keeps_an_admin(data, name, role=role)
        before, entry["role"] = entry["role"], role
    change = Change(name, "role", role, _status(cfg, name, entry), sessions.revoke_user(cfg.secrets_dir, name))
    if before in RIGHTS_ROLES and role not in RIGHTS_ROLES:
        _hand_over(cfg, change, target, actor)
    return _record(cfg, actor, change)


def unlock(cfg: Settings, name: str, *, actor: str) -> Change:
    with edited_users(cfg.secrets_dir) as data:
        entry = _entry(data, name)
    was_locked = clear_failures(cfg.secrets_dir, name)
    change = Change(name, "unlock", entry["role"], _status(cfg, name, entry))
    return _record(cfg, actor, change) if was_locked else change


@dataclass(frozen=True)
class Reset:
    """A reset's one-time code: shown once to the admin, who passes it on; only its keyed hash is kept."""

    change: Change
    code: str
    expires: dt.datetime


def _code_hash(cfg: Settings, code: str) -> str:
    normal = code.strip().replace("-", "").replace(" ", "").lower()
    return hmac.new(keystore.key(cfg.secrets_dir, RESET_KEY), normal.encode(), hashlib.sha256).hexdigest()


def reset(cfg: Settings, name: str, *, actor: str, two_factor: bool = False) -> Reset:
    """The old password stops working and the sessions end; the person sets a new password with the code (valid
    ``reset_code_minutes``, once). ``two_factor`` also forgets the enrolment (a lost phone)."""
    code = "-".join("".join(secrets.choice(_ALPHABET) for _ in range(4)) for _ in range(4))
    expires = clock.wall() + dt.timedelta(minutes=cfg.reset_code_minutes)
    with edited_users(cfg.secrets_dir) as data:
        entry = _entry(data, name)
        entry["hash"] = ""  # no password verifies against it
        entry["reset"] = {"hash": _code_hash(cfg, code), "expires": expires.isoformat()}
    if two_factor:
        totp.remove(cfg.secrets_dir, name)
    ended = sessions.revoke_user(cfg.secrets_dir, name)
    change = Change(name, "reset", entry["role"], _status(cfg, name, entry), ended)
    _record(cfg, actor, change)
    return Reset(change, code, expires)


def redeem(cfg: Settings, name: str, code: str, password: str) -> User:
    """Set a new password with a reset code; the code is spent. A wrong or expired code counts toward the lock-out
    like a wrong password."""
    if is_locked(cfg.secrets_dir, name):
        raise InputError("This account is locked after repeated failed logins. Try again later.")
    new_hash = hash_password(name, password)
    with edited_users(cfg.secrets_dir) as data:
        entry = data.get(name, {})
        pending = entry.get("reset")
        valid = bool(pending) and dt.datetime.fromisoformat(pending["expires"]) > clock.wall()
        if valid and hmac.compare_digest(pending["hash"], _code_hash(cfg, code)):
            entry["hash"] = new_hash
            del entry["reset"]
            role = entry["role"]
        else:
            role = None
    if role is None:
        note_failure(cfg.secrets_dir, name, max_failures=cfg.login_max_failures, lock_minutes=cfg.login_lock_minutes)
        raise InputError(RESET_WRONG)
    _record(cfg, name, Change(name, "reset.redeemed", role, "active"))
    return User(name, role)


def signed_in(cfg: Settings, name: str) -> None:
    """Note a completed sign-in (password and, where enrolled, the code) for the account list."""
    with edited_users(cfg.secrets_dir) as data:
        if name in data:
            data[name]["last_sign_in"] = clock.wall().isoformat(timespec="seconds")


def end_session(cfg: Settings, session_id: str, *, actor: str, own: str | None = None) -> bool:
    """End one session (an admin: any; a person: only their own, ``own`` being their name)."""
    ended = sessions.revoke_id(cfg.secrets_dir, session_id, name=own) == 1
    if ended:
        from etl.compliance import audit

        audit.record(cfg, actor, "session.end", own or "session", {"session": session_id})
    return ended


def needs_two_factor(cfg: Settings, user: User) -> bool:
    """A local account of a role in ``totp_required_roles`` that has not enrolled yet must, before it signs in."""
    return user.role in cfg.totp_required_roles and not totp.enrolled(cfg.secrets_dir, user.name)
