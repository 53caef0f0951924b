"""Two-factor sign-in for local accounts: time-based one-time codes (RFC 6238 over RFC 4226) and recovery codes.

Each enrolled account's secret, the last time step it accepted (a code is good once) and the keyed hashes of its
ten recovery codes live in ``secrets_dir/totp.json`` (0600): never in the warehouse, a log or the audit log. A
wrong code counts toward the same lock-out as a wrong password (``etl.access.accounts``). Accounts of the company's
single sign-on keep their identity provider's factors and are never enrolled here. No streamlit import: the CLI
resets enrolments too.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import struct
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlencode

from etl.access import lockout
from etl.core import clock, keystore
from etl.core.errors import ConfigError

TOTP_FILE = "totp.json"
LOCK_FILE = "totp.lock"
KEY_NAME = "recovery"  # keys the hashes of recovery codes
STEP_SECONDS = 30
DIGITS = 6
WINDOW = 1  # one step either side: a phone's clock a little off still signs in
RECOVERY_CODES = 10
ISSUER = "vcar-insights"
WRONG = "Wrong code."


def new_secret() -> str:
    """A random 160-bit secret in base32 (what authenticator apps take), without padding."""
    return base64.b32encode(secrets.token_bytes(20)).decode("ascii").rstrip("=")


def hotp(secret: str, counter: int, digits: int = DIGITS) -> str:
    """RFC 4226: HMAC-SHA1 over the counter, dynamically truncated to ``digits`` decimal digits."""
    key = base64.b32decode(secret.upper() + "=" * (-len(secret) % 8))
    mac = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = mac[-1] & 0x0F
    number = struct.unpack(">I", mac[offset : offset + 4])[0] & 0x7FFFFFFF
    return str(number % 10**digits).zfill(digits)


def step_at(unix_seconds: float) -> int:
    return int(unix_seconds // STEP_SECONDS)


def code_at(secret: str, unix_seconds: float) -> str:
    """RFC 6238: the code of the 30-second step holding ``unix_seconds``."""
    return hotp(secret, step_at(unix_seconds))


def matching_step(secret: str, code: str, unix_seconds: float, after: int = -1) -> int | None:
    """The step within ``WINDOW`` of now whose code is ``code`` and that comes after ``after`` (no replay)."""
    code = code.strip().replace(" ", "")
    now = step_at(unix_seconds)
    for step in range(now - WINDOW, now + WINDOW + 1):
        if step > after and hmac.compare_digest(hotp(secret, step), code):
            return step
    return None


def provisioning_uri(secret: str, name: str) -> str:
    """The ``otpauth://`` address an authenticator app reads from the QR code."""
    label = quote(f"{ISSUER}:{name}")
    return f"otpauth://totp/{label}?" + urlencode({"secret": secret, "issuer": ISSUER, "digits": DIGITS,
                                                   "period": STEP_SECONDS, "algorithm": "SHA1"})


def qr_svg(uri: str) -> str:
    """The QR code of ``uri`` as an SVG document (drawn on the enrolment page, never saved)."""
    import segno

    return segno.make(uri, error="m").svg_inline(scale=5, dark="#111", light="#fff")


def _load(secrets_dir: Path) -> dict:
    path = secrets_dir / TOTP_FILE
    if not path.exists():
        return {}
    try:
        return json.loads(keystore.read_private(path))
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise ConfigError(f"{path} is not valid JSON; restore it from a backup or remove it") from None


def _save(secrets_dir: Path, data: dict) -> None:
    keystore.write_private(secrets_dir / TOTP_FILE, json.dumps(data, indent=2, sort_keys=True).encode())


def _recovery_hash(secrets_dir: Path, code: str) -> str:
    normal = code.strip().replace("-", "").replace(" ", "").lower()
    return hmac.new(keystore.key(secrets_dir, KEY_NAME), normal.encode(), hashlib.sha256).hexdigest()


def enrolled(secrets_dir: Path, name: str) -> bool:
    return name in _load(secrets_dir)


def recovery_left(secrets_dir: Path, name: str) -> int:
    return len(_load(secrets_dir).get(name, {}).get("recovery", []))


def new_recovery_codes() -> list[str]:
    """Ten codes such as ``k3m9-x2qa-7hp4`` (60 bits each), shown once."""
    alphabet = "abcdefghjkmnpqrstuvwxyz23456789"
    return ["-".join("".join(secrets.choice(alphabet) for _ in range(4)) for _ in range(3))
            for _ in range(RECOVERY_CODES)]


@dataclass(frozen=True)
class Enrolment:
    """What an enrolment shows once: the secret (as text and inside the QR code's address) and the recovery codes."""

    secret: str
    uri: str
    recovery_codes: list[str]


def start_enrolment(name: str) -> Enrolment:
    """A new secret and recovery codes, kept only in the person's session until a first code confirms them."""
    secret = new_secret()
    return Enrolment(secret, provisioning_uri(secret, name), new_recovery_codes())


def confirm_enrolment(secrets_dir: Path, name: str, enrolment: Enrolment, code: str) -> bool:
    """Store the enrolment once a code from the app matches (so a mistyped secret never locks anybody out)."""
    step = matching_step(enrolment.secret, code, clock.wall().timestamp())
    if step is None:
        return False
    keystore.ensure_secrets_dir(secrets_dir)
    hashes = [_recovery_hash(secrets_dir, c) for c in enrolment.recovery_codes]
    with keystore.exclusive(secrets_dir / LOCK_FILE):
        data = _load(secrets_dir)
        data[name] = {"secret": enrolment.secret, "last_step": step, "recovery": hashes,
                      "enrolled_at": clock.wall().isoformat(timespec="seconds")}
        _save(secrets_dir, data)
    return True


def remove(secrets_dir: Path, name: str) -> bool:
    """Forget an account's enrolment (a reset or a removed account); True when there was one."""
    if not (secrets_dir / TOTP_FILE).exists():
        return False
    with keystore.exclusive(secrets_dir / LOCK_FILE):
        data = _load(secrets_dir)
        found = data.pop(name, None) is not None
        if found:
            _save(secrets_dir, data)
    return found


@dataclass(frozen=True)
class CodeResult:
    ok: bool
    message: str
    recovery_used: bool = False


def check(secrets_dir: Path, name: str, code: str, *, max_failures: int, lock_minutes: int) -> CodeResult:
    """The second factor: a current code (each step once) or an unused recovery code (then spent). A wrong one
    counts toward the account's lock-out like a wrong password; a locked account is refused whatever it sends."""
    if lockout.is_locked(secrets_dir, name):
        return CodeResult(False, lockout.LOCKED)
    with keystore.exclusive(secrets_dir / LOCK_FILE):
        data = _load(secrets_dir)
        entry = data.get(name)
        if entry is not None:
            step = matching_step(entry["secret"], code, clock.wall().timestamp(), after=entry.get("last_step", -1))
            if step is not None:
                entry["last_step"] = step
                _save(secrets_dir, data)
                lockout.clear_failures(secrets_dir, name)
                return CodeResult(True, "")
            digest = _recovery_hash(secrets_dir, code)
            if any(hmac.compare_digest(digest, kept) for kept in entry["recovery"]):
                entry["recovery"] = [kept for kept in entry["recovery"] if kept != digest]
                _save(secrets_dir, data)
                lockout.clear_failures(secrets_dir, name)
                return CodeResult(True, "", recovery_used=True)
    locked = lockout.note_failure(secrets_dir, name, max_failures=max_failures, lock_minutes=lock_minutes)
    return CodeResult(False, lockout.LOCKED if locked else WRONG)
