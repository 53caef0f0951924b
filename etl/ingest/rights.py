"""``vcar rights import``: a rights register's export (CSV or JSON Lines) into the register, idempotent by
request_id; each row checked, subjects kept as keyed hashes, owners given here kept, every change audited."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from etl.compliance import audit, deadlines, regimes
from etl.compliance.rights import CHANNELS, STATUSES, Request, _changes, _load, _save, mask_note
from etl.compliance.subjects import SubjectKeys, normalize_email, normalize_phone
from etl.core import clock, faults, warehouse
from etl.core.errors import InputError
from etl.core.readers import parse_time, read_rows
from etl.core.runstats import RunStats
from etl.core.settings import Settings
from etl.core.words import thousands
from etl.ingest.runs import record_run

_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$")
IMPORT_COLUMNS = ("request_id", "received_at", "type", "status")


@dataclass
class ImportStats(RunStats):
    file: str = ""
    rows_read: int = 0
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    rejects: list[str] = field(default_factory=list)

    def summary(self) -> str:
        text = (f"{self.file}: {thousands(self.rows_read)} rows: {thousands(self.added)} added, "
                f"{thousands(self.updated)} updated, {thousands(self.unchanged)} unchanged, "
                f"{thousands(self.rejected)} rejected")
        return self.with_rejects(text, self.rejects)


def _truthy(value: str | None) -> bool:
    return (value or "").strip().lower() in ("true", "yes", "1", "y")


def _date_of(raw: str | None, cfg: Settings) -> dt.date | None:
    moment = parse_time(raw, cfg.tz)
    return moment.replace(tzinfo=dt.UTC).astimezone(cfg.tz).date() if moment else None


def _request_from_row(row: dict, keys: SubjectKeys, cfg: Settings) -> Request:
    """One exported row -> a Request; ValueError with the reason when a value is not acceptable."""
    request_id = (row.get("request_id") or "").strip()
    if not _ID.match(request_id):
        raise ValueError("request_id is empty or has characters other than letters, digits, '-', '_', '.'")
    kind = (row.get("type") or "").strip().lower()
    channel = (row.get("channel") or "other").strip().lower()
    channel = channel if channel in CHANNELS else "other"
    country = regimes.country_code(row.get("country"))
    under = regimes.regime_of(cfg, country, channel)
    wrong = regimes.check_type(kind, under)
    if wrong:
        raise ValueError(f"type {wrong}")
    status = (row.get("status") or "").strip().lower()
    if status not in STATUSES:
        raise ValueError(f"status {status[:30]!r} is not one of {', '.join(STATUSES)}")
    received_at = parse_time(row.get("received_at"), cfg.tz)
    if received_at is None:
        raise ValueError("received_at is empty")
    if received_at > clock.naive_utc():  # received_at is naive UTC
        raise ValueError("received_at is in the future")
    email = normalize_email(row.get("email"))
    phone_raw = row.get("mobile") or row.get("phone")
    phone = normalize_phone(phone_raw, cfg.phone_region) if phone_raw else None
    notified = _date_of(row.get("extension_notified_at"), cfg) if _truthy(row.get("extended")) else None
    closed = _date_of(row.get("completed_at") or row.get("closed_at"), cfg)
    return Request(
        request_id=request_id, type=kind, channel=channel, status=status, country=country, regime=under,
        refusal_reason=mask_note(row.get("refusal_reason")),
        subject_email=keys.email(email), subject_phone=keys.phone(phone), received_at=received_at,
        identity_requested_on=_date_of(row.get("identity_requested_at"), cfg),
        identity_verified_on=_date_of(row.get("identity_verified_at"), cfg), extension_notified_on=notified,
        extension_reason="imported" if notified else None,
        closed_on=closed if status in deadlines.CLOSED else None, note=mask_note(row.get("note")),
    )


def import_requests(cfg: Settings, path: Path, *, actor: str | None = None) -> ImportStats:
    """Load a register export (CSV or JSON Lines); idempotent by request_id."""
    if not path.is_file():
        raise InputError(f"{path}: {'not a file' if path.exists() else 'no such file'}")
    keys = SubjectKeys(cfg.secrets_dir)
    stats = ImportStats(file=path.name)
    incoming: dict[str, Request] = {}
    for number, row in read_rows(path, required=IMPORT_COLUMNS):
        stats.rows_read += 1
        try:
            if isinstance(row, str):
                raise ValueError(row)
            request = _request_from_row(row, keys, cfg)
        except ValueError as exc:
            stats.rejected += 1
            if len(stats.rejects) < 10:
                stats.rejects.append(f"row {number}: {exc}")
            continue
        if request.request_id in incoming:
            stats.rejected += 1
            if len(stats.rejects) < 10:
                stats.rejects.append(f"row {number}: request_id {request.request_id} appears earlier in the file")
            continue
        incoming[request.request_id] = request
    run_id = uuid.uuid4().hex[:12]
    with warehouse.write(cfg.warehouse) as con:
        existing = {r.request_id: r for r in _load(con)}
        for request_id, request in incoming.items():
            before = existing.get(request_id)
            if before is not None:  # an export knows nothing of owners: keep the one given here
                request = dataclasses.replace(request, owner=before.owner)
            changes = _changes(before, request)
            if not changes:
                stats.unchanged += 1
                continue
            _save(con, request)
            faults.reach("rights.saved")
            if before is None:
                stats.added += 1
            else:
                stats.updated += 1
            audit.append(con, actor or audit.cli_actor(), "rights.import", request_id, changes)
        record_run(con, run_id, "rights", clock.now(), files=1, read=stats.rows_read,
                   loaded=stats.added + stats.updated, rejected=stats.rejected, skipped=stats.unchanged,
                   status="ok")
    return stats
