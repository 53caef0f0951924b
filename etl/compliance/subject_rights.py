"""Access, portability (Art. 15/20) and erasure (Art. 17) carried out on our own warehouse.

The operator types the subject's e-mail or phone; it is turned into keyed hashes at once and never stored,
logged or printed. Audit entries name the subject only by a short fingerprint of the key.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import queries
from etl.compliance import audit
from etl.compliance.subjects import SubjectKeys
from etl.core import clock, warehouse
from etl.core.settings import Settings

WEB_NOTE = (
    "Web analytics: access-log data is stored only under visitor ids keyed by a random daily salt; the salts are "
    "destroyed after {days} days, after which no one (us included) can link web data to a person. Web data is "
    "therefore not part of this export and needs no erasure."
)
MINIMIZATION_NOTE = (
    "The analytics warehouse keeps no name, e-mail, phone number, company name or message text; the contact "
    "system of record holds those and is answered separately. Inquiries sent without consent are not stored here."
)


def _keys(cfg: Settings, email: str | None, phone: str | None) -> tuple[str | None, str | None, str]:
    email_key, phone_key = SubjectKeys(cfg.secrets_dir).lookup(email, phone, cfg.phone_region)
    fingerprint = "subject:" + (email_key or phone_key or "")[:12]
    return email_key, phone_key, fingerprint


def _iso(value: Any, tz: dt.tzinfo) -> Any:
    """A date as ISO 8601; a time (naive ones are UTC, as the warehouse keeps them) as ISO 8601 in the reporting
    time zone with its offset, so it reads beside the local ``day``; anything else as it is."""
    if isinstance(value, dt.datetime):
        aware = value if value.tzinfo else value.replace(tzinfo=dt.UTC)
        return aware.astimezone(tz).isoformat(timespec="seconds")
    return value.isoformat() if isinstance(value, dt.date) else value


def _plain(rows: list[dict[str, Any]], tz: dt.tzinfo) -> list[dict[str, Any]]:
    return [{k: _iso(v, tz) for k, v in r.items()} for r in rows]


def export(cfg: Settings, *, email: str | None = None, phone: str | None = None, actor: str | None = None) -> dict:
    """Everything held for one subject, as JSON-ready data (lists are empty when nothing is held)."""
    email_key, phone_key, fingerprint = _keys(cfg, email, phone)
    with warehouse.write(cfg.warehouse) as con:
        inquiries = queries.rows(con, "subject/inquiries.sql", email_key=email_key, phone_key=phone_key)
        requests = queries.rows(con, "subject/rights.sql", email_key=email_key, phone_key=phone_key)
        objects = [fingerprint, *(r["request_id"] for r in requests)]
        history = queries.rows(con, "subject/audit.sql", objects=objects)
        for entry in history:
            entry["detail"] = json.loads(entry["detail"])
        audit.append(con, actor or audit.cli_actor(), "subject.export", fingerprint,
                     {"inquiries": len(inquiries), "rights_requests": len(requests)})
    return {
        "subject": {"identified_by": "email" if email else "phone", "fingerprint": fingerprint},
        "exported_at": _iso(clock.now(), cfg.tz),
        "timezone": cfg.timezone,
        "inquiries": _plain(inquiries, cfg.tz),
        "rights_requests": _plain(requests, cfg.tz),
        "audit": _plain(history, cfg.tz),
        "notes": [WEB_NOTE.format(days=cfg.salt_retention_days), MINIMIZATION_NOTE],
    }


def erase(cfg: Settings, *, email: str | None = None, phone: str | None = None, actor: str | None = None) -> dict:
    """Cut every link to the subject in one transaction; returns what was done."""
    email_key, phone_key, fingerprint = _keys(cfg, email, phone)
    today = clock.today(cfg.tz)
    with warehouse.write(cfg.warehouse) as con:
        inquiries = queries.run(con, "subject/anonymize_inquiries.sql", now=clock.now(), email_key=email_key,
                                phone_key=phone_key).fetchone()[0]
        requests = queries.run(con, "subject/anonymize_rights.sql", now=clock.now(), email_key=email_key,
                               phone_key=phone_key).fetchone()[0]
        for key in (email_key, phone_key):
            if key:
                queries.run(con, "subject/suppress.sql", subject_key=key, erased_on=today)
        result = {"subject": fingerprint, "inquiries_anonymized": inquiries, "rights_requests_unlinked": requests}
        audit.append(con, actor or audit.cli_actor(), "subject.erase", fingerprint, result)
    return result | {"notes": [WEB_NOTE.format(days=cfg.salt_retention_days)]}
