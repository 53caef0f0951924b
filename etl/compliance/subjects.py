"""Data subjects as keyed hashes: normalized e-mail and phone -> HMAC-SHA256 under a key kept in secrets_dir.

The warehouse never holds an e-mail or a phone number, only these keys; whoever holds the key file can
find a subject's rows again (for access and erasure requests), nobody else can.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from pathlib import Path

from etl.core import keystore
from etl.core.errors import FieldError

SUBJECT_KEY_NAME = "subject"
# An e-mail address or a phone number inside free text (a URL path, a note): masked wherever text is kept.
EMAIL = r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}"
PHONE = r"\+?\d[\d\s().-]{6,}\d"
_EMAIL = re.compile(r"^[a-z0-9._%+\-]+@[a-z0-9\-]+(?:\.[a-z0-9\-]+)*\.[a-z]{2,}$")
FREE_MAIL = {
    "qq.com", "163.com", "126.com", "yeah.net", "sina.com", "sina.cn", "sohu.com", "foxmail.com", "139.com",
    "aliyun.com", "gmail.com", "googlemail.com", "outlook.com", "hotmail.com", "hotmail.co.uk", "live.com",
    "msn.com", "yahoo.com", "yahoo.co.uk", "icloud.com", "me.com", "proton.me", "protonmail.com", "web.de",
    "gmx.de", "gmx.net", "t-online.de", "orange.fr", "free.fr", "laposte.net", "wanadoo.fr", "libero.it",
    "mail.ru", "yandex.ru", "wp.pl", "o2.pl", "onet.pl", "interia.pl",
}


def normalize_email(raw: str | None) -> str | None:
    """Trimmed, lower-case, syntactically valid e-mail; None otherwise."""
    if not raw:
        return None
    text = raw.strip().lower()
    return text if _EMAIL.match(text) else None


def normalize_phone(raw: str | None, default_region: str = "CN") -> str | None:
    """E.164 (``+8613812345678``) when phonenumbers finds a valid number; None otherwise."""
    if not raw or not raw.strip():
        return None
    import phonenumbers

    text = raw.strip()
    if text.startswith("00"):
        text = "+" + text[2:]
    try:
        number = phonenumbers.parse(text, default_region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def email_kind(email: str | None) -> str:
    if email is None:
        return "invalid"
    return "free_mail" if email.rpartition("@")[2] in FREE_MAIL else "corporate"


class SubjectKeys:
    """Keyed hashes of subjects (and of anything else tied to one, such as an inquiry's identity)."""

    def __init__(self, secrets_dir: Path) -> None:
        self._key = keystore.key(secrets_dir, SUBJECT_KEY_NAME)

    def digest(self, text: str) -> str:
        return hmac.new(self._key, text.encode("utf-8"), hashlib.sha256).hexdigest()

    def email(self, normalized: str | None) -> str | None:
        return self.digest("email:" + normalized) if normalized else None

    def phone(self, normalized: str | None) -> str | None:
        return self.digest("phone:" + normalized) if normalized else None

    def lookup(self, email: str | None, phone: str | None, default_region: str = "CN") -> tuple[str | None, ...]:
        """(email key, phone key) for what an operator typed; refuses values that are not an e-mail or phone."""
        if email is not None and normalize_email(email) is None:
            raise FieldError("email", "not a valid e-mail address")
        if phone is not None and normalize_phone(phone, default_region) is None:
            raise FieldError("phone", "not a valid phone number (give it with its country code, e.g. +86...)")
        if email is None and phone is None:
            raise FieldError("email", "give an e-mail address or a phone number")
        return self.email(normalize_email(email)), self.phone(normalize_phone(phone, default_region))
