"""The rights register as it stood at the end of a past day, from each request's own timeline.

A request's row holds its present state. Its dated milestones (identity asked for and verified, the extension
told to the subject, the closure) say when each happened; every other change (status, owner, note) is in the
audit log, written in the same transaction as the change. ``as_it_stood`` undoes what came later: a milestone
after the day is not there yet, and a field the audit log shows changed after the day has the value it had been
given by then. A request received after the day is absent.

Where the audit log has no word on a field before the day (a request that came in later through an import of a
register export, or that was never changed), the status is the one its dated milestones imply.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

import queries
from etl.compliance.deadlines import CLOSED

REPLAYED = ("status", "owner", "note")  # the fields without a date of their own


@dataclass(frozen=True)
class Change:
    day: dt.date  # in the reporting time zone
    fields: dict[str, Any]


def changes_by_request(con, tz: dt.tzinfo) -> dict[str, list[Change]]:
    """Every recorded change of every request, oldest first, with the reporting day it was made on."""
    out: dict[str, list[Change]] = defaultdict(list)
    for row in queries.rows(con, "audit/rights_history.sql"):
        try:
            fields = json.loads(row["detail"])
        except (TypeError, ValueError):
            continue
        if isinstance(fields, dict):
            out[row["object"]].append(Change(row["logged_at"].astimezone(tz).date(), fields))
    return out


def as_it_stood(request: Any, received: dt.date, day: dt.date, changes: list[Change]) -> Any:
    """``request`` (an ``etl.compliance.rights.Request``) as it stood at the end of ``day``, or None when it was
    received later. ``received`` is its day of receipt in the reporting time zone; ``changes`` its audit history,
    oldest first."""
    if received > day:
        return None

    def by_then(value: dt.date | None) -> dt.date | None:
        return value if value is not None and value <= day else None

    stood = dataclasses.replace(
        request,
        identity_requested_on=by_then(request.identity_requested_on),
        identity_verified_on=by_then(request.identity_verified_on),
        extension_notified_on=by_then(request.extension_notified_on),
        closed_on=by_then(request.closed_on),
    )
    if stood.extension_notified_on is None:
        stood.extension_reason = None
    for name in REPLAYED:
        if any(name in change.fields for change in changes if change.day > day):
            known = [change.fields[name] for change in changes if change.day <= day and name in change.fields]
            setattr(stood, name, known[-1] if known else None)
    if stood.status is None or not _consistent(stood):
        stood.status = _implied_status(stood, request.status)
    return stood


def _consistent(r: Any) -> bool:
    """A replayed status agrees with the milestones of the day (a closure undone is not closed)."""
    return (r.status in CLOSED) == (r.closed_on is not None)


def _implied_status(r: Any, present: str) -> str:
    """The status a request's milestones on the day imply, when the audit log cannot say."""
    if r.closed_on is not None:
        return present
    if r.extension_notified_on is not None:
        return "extended"
    if r.identity_requested_on is not None and r.identity_verified_on is None:
        return "awaiting_identity"
    if r.identity_verified_on is not None or present not in ("received", "in_progress"):
        return "in_progress"
    return present
