"""``vcar ingest inquiries``: the contact form's export in, minimized inquiries out.

Read (CSV or JSON Lines) -> ``normalize`` (pure: rows in, records and findings out) -> one write transaction
that upserts the records, removes inquiries whose consent is gone, records the data-quality findings, the run
and an audit entry. Names, e-mails, phone numbers, company names and message text never leave this module:
they become keyed hashes, a few derived facts (message length, free-mail or corporate domain) or nothing.
"""

from __future__ import annotations

import datetime as dt
import re
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl

import queries
from etl.compliance import audit
from etl.compliance.subjects import SubjectKeys, email_kind, normalize_email, normalize_phone
from etl.core import clock, faults, warehouse
from etl.core.errors import InputError
from etl.core.places import UNKNOWN
from etl.core.readers import open_export, parse_time
from etl.core.runstats import RunStats
from etl.core.settings import Settings
from etl.core.words import thousands
from etl.ingest.inquiries.regions import normalize_place
from etl.ingest.runs import record_run

REQUIRED = ("submitted_at", "email", "mobile", "support_type", "country", "province_city", "district", "consent")
OPTIONAL = ("name", "company", "message", "status", "first_response_at", "closed_at")
YES = {"true", "yes", "y", "1", "on", "是", "同意", "ja", "oui", "x", "checked"}
STATUSES = {"new": "new", "open": "new", "responded": "responded", "answered": "responded", "in_progress": "responded",
            "closed": "closed", "done": "closed", "won": "closed", "lost": "closed"}
MIN_TYPED = 2  # an unplaced value is kept as typed only when at least this many rows of an import typed it
RECORD_SCHEMA: dict[str, Any] = {
    "inquiry_key": pl.String, "subject_email": pl.String, "subject_phone": pl.String,
    "submitted_at": pl.Datetime("us"), "day": pl.Date, "country": pl.String, "region": pl.String,
    "district": pl.String, "adcode": pl.String, "support_type": pl.String, "status": pl.String,
    "first_response_at": pl.Datetime("us"),
    "closed_at": pl.Datetime("us"), "policy_version": pl.String, "message_chars": pl.Int32, "email_kind": pl.String,
    "has_company": pl.Boolean, "transfer_consent": pl.Boolean,
}


@dataclass
class InquiryStats(RunStats):
    file: str = ""
    shape: str = ""  # csv | jsonl | xlsx
    encoding: str | None = None  # as detected (utf-8, utf-8-sig, gb18030, utf-16, ...); None for a workbook
    delimiter: str | None = None  # CSV: as sniffed
    rows_read: int = 0
    rows_loaded: int = 0
    rows_rejected: int = 0
    no_consent: int = 0
    erased_subjects_skipped: int = 0
    unknown_region: int = 0
    rejects: list[str] = field(default_factory=list)  # "row N: reason", the first few
    seconds: float = 0.0

    def summary(self) -> str:
        text = (
            f"{self.file}: {thousands(self.rows_read)} rows: {thousands(self.rows_loaded)} loaded, "
            f"{thousands(self.rows_rejected)} rejected, {thousands(self.no_consent)} without consent (not loaded: "
            f"compliance finding), {thousands(self.unknown_region)} with an unknown region, "
            f"{thousands(self.erased_subjects_skipped)} of erased subjects skipped ({self.seconds:.1f} s); "
            f"read as {self.how_read()}"
        )
        return self.with_rejects(text, self.rejects)

    def how_read(self) -> str:
        text = " ".join(p for p in (self.shape, self.encoding) if p)
        named = {",": "comma", ";": "semicolon", "\t": "tab"}
        return f"{text}, {named.get(self.delimiter, self.delimiter)}-separated" if self.delimiter else text


@dataclass
class Normalized:
    records: list[dict]
    rejects: list[tuple[int, str]]
    withdrawn_keys: list[str]  # inquiries present in the export without consent
    findings: Counter  # (field, issue, raw value, country, candidates), each may be None -> rows

    def note(self, field: str, issue: str, raw: str | None = None, country: str | None = None,
             candidates: str | None = None) -> None:
        self.findings[(field, issue, raw, country, candidates)] += 1


def safe_raw(value: str) -> str | None:
    """A typed region or country worth showing in the data-quality table, or None if it could identify anyone."""
    text = " ".join(value.split())
    if not text or len(text) > 40 or re.search(r"\d{4,}|@|https?:", text):
        return None  # a long entry is free text, and its first words could still name someone
    return text


def normalize(rows: Iterator[tuple[int, dict | str]], keys: SubjectKeys, cfg: Settings) -> Normalized:
    """Rows of the export -> minimized records, rejects, keys of rows without consent, data-quality findings."""
    tz = cfg.tz
    out = Normalized([], [], [], Counter())
    for number, row in rows:
        if isinstance(row, str):
            out.rejects.append((number, row))
            out.note("row", "unreadable")
            continue
        try:
            submitted = parse_time(row.get("submitted_at"), tz)
            first = parse_time(row.get("first_response_at"), tz)
            closed = parse_time(row.get("closed_at"), tz)
        except ValueError:
            out.rejects.append((number, "a time is not ISO 8601 (submitted_at, first_response_at or closed_at)"))
            out.note("submitted_at", "bad_time")
            continue
        if submitted is None:
            out.rejects.append((number, "submitted_at is empty"))
            out.note("submitted_at", "missing")
            continue
        email = normalize_email(row.get("email"))
        phone = normalize_phone(row.get("mobile"), cfg.phone_region)
        if email is None and phone is None:
            out.rejects.append((number, "neither the e-mail nor the mobile number is valid"))
            out.note("email", "no_valid_contact")
            continue
        if email is None and (row.get("email") or "").strip():
            out.note("email", "invalid_email")
        if phone is None and (row.get("mobile") or "").strip():
            out.note("mobile", "invalid_phone")
        identity = email or phone
        inquiry_key = keys.digest(f"inquiry:{identity}|{submitted.isoformat()}")
        if (row.get("consent") or "").strip().lower() not in YES:
            out.withdrawn_keys.append(inquiry_key)
            out.note("consent", "no_consent")
            continue
        place, found = normalize_place(row.get("country"), row.get("province_city"), row.get("district"))
        for finding in found:
            raw = safe_raw(row.get(finding.field) or "")
            out.note(finding.field, finding.issue, raw, place.country, ",".join(finding.candidates) or None)
        status = STATUSES.get((row.get("status") or "").strip().lower())
        if status is None:
            status = "closed" if closed else "responded" if first else "new"
        out.records.append(
            {
                "inquiry_key": inquiry_key,
                "subject_email": keys.email(email),
                "subject_phone": keys.phone(phone),
                "submitted_at": submitted,
                "day": submitted.replace(tzinfo=dt.UTC).astimezone(tz).date(),
                "country": place.country,
                "region": place.region,
                "district": place.district,
                "adcode": place.adcode,
                "support_type": _support_type(row.get("support_type")),
                "status": status,
                "first_response_at": first,
                "closed_at": closed,
                "policy_version": cfg.policy_version,
                "message_chars": len((row.get("message") or "").strip()),
                "email_kind": email_kind(email),
                "has_company": bool((row.get("company") or "").strip()),
                "transfer_consent": _separate_consent(row),
            }
        )
    return out


def _separate_consent(row: dict) -> bool | None:
    """The separate consent to a transfer abroad (PIPL Art. 39), when the export has such a column; else None."""
    raw = row.get("separate_consent", row.get("transfer_consent"))
    return None if raw is None or not raw.strip() else raw.strip().lower() in YES


def _support_type(raw: str | None) -> str:
    """A form drop-down value: trimmed; anything that looks like free text with personal data becomes Other."""
    text = " ".join((raw or "").split())[:60]
    if not text or re.search(r"\d{4,}|@", text):
        return "Other"
    return text


def ingest_inquiries(cfg: Settings, path: Path, *, actor: str | None = None) -> InquiryStats:
    started = time.monotonic()
    started_at = clock.now()
    if not path.is_file():
        raise InputError(f"{path}: {'not a file' if path.exists() else 'no such file'}")
    keys = SubjectKeys(cfg.secrets_dir)
    export = open_export(path, REQUIRED)
    result = normalize(export.rows, keys, cfg)
    stats = InquiryStats(file=path.name, shape=export.shape, encoding=export.encoding, delimiter=export.delimiter)
    stats.rows_rejected = len(result.rejects)
    stats.no_consent = len(result.withdrawn_keys)
    stats.rows_read = len(result.records) + stats.rows_rejected + stats.no_consent
    stats.unknown_region = sum(1 for r in result.records if r["region"] == UNKNOWN)
    stats.rejects = [f"row {n}: {reason}" for n, reason in result.rejects[:10]]
    run_id = uuid.uuid4().hex[:12]
    records = pl.DataFrame(result.records, schema=RECORD_SCHEMA)
    # a value typed by one person only is not shown: a name or an address in a place field stays unseen
    findings: Counter = Counter()
    for (name, issue, raw, country, candidates), n in result.findings.items():
        findings[(name, issue, raw if n >= MIN_TYPED else None, country, candidates)] += n
    quality = pl.DataFrame(
        [(*finding, n) for finding, n in sorted(findings.items(), key=str)],
        schema={"field": pl.String, "issue": pl.String, "raw_value": pl.String, "country": pl.String,
                "candidates": pl.String, "rows": pl.Int32},
        orient="row",
    )
    with warehouse.write(cfg.warehouse) as con:
        con.register("new_inquiries", records.to_arrow())
        stats.erased_subjects_skipped = queries.run(con, "inquiries/suppressed.sql").fetchone()[0]
        queries.run(con, "inquiries/upsert.sql", run_id=run_id, now=clock.now())
        con.unregister("new_inquiries")
        faults.reach("inquiries.upsert")
        if result.withdrawn_keys:
            queries.run(con, "inquiries/delete_withdrawn.sql", keys=result.withdrawn_keys)
        con.register("new_quality", quality.to_arrow())
        queries.run(con, "inquiries/insert_quality.sql", run_id=run_id, source="inquiries", now=clock.now())
        con.unregister("new_quality")
        stats.rows_loaded = records.height - stats.erased_subjects_skipped
        stats.seconds = time.monotonic() - started
        record_run(con, run_id, "inquiries", started_at, files=1, read=stats.rows_read, loaded=stats.rows_loaded,
                   rejected=stats.rows_rejected, skipped=stats.no_consent + stats.erased_subjects_skipped,
                   status="ok")
        audit.append(con, actor or audit.cli_actor(), "inquiries.import", path.name,
                     {k: v for k, v in stats.as_dict().items() if k not in ("rejects", "file")})
    return stats
