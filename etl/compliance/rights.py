"""The rights-request register: requests, their lifecycle, and their deadlines as of a day.

Each change is one short write transaction that also appends an audit entry. Subjects are kept only as keyed
hashes (``etl.compliance.subjects``); notes are masked of e-mails and numbers before they are stored.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import queries
from etl.compliance import audit, deadlines, history, regimes
from etl.compliance.subjects import EMAIL, PHONE, SubjectKeys
from etl.core import clock, warehouse
from etl.core.errors import FieldError, InputError
from etl.core.settings import Settings, calendar_for
from etl.core.words import as_words, details, plural, thousands

TYPES = regimes.PIPL_TYPES  # the GDPR's rights and the PIPL's explanation (Art. 48)
CHANNELS = ("email", "web_form", "phone", "post", "in_person", "other")
STATUSES = ("received", "awaiting_identity", "in_progress", "extended", "completed", "rejected", "withdrawn")
TRANSITIONS = {
    "received": {"awaiting_identity", "in_progress", "extended", "completed", "rejected", "withdrawn"},
    "awaiting_identity": {"in_progress", "rejected", "withdrawn"},
    "in_progress": {"extended", "completed", "rejected", "withdrawn"},
    "extended": {"completed", "rejected", "withdrawn"},
    "completed": set(),
    "rejected": set(),
    "withdrawn": set(),
}


@dataclass
class Request:
    request_id: str
    type: str
    channel: str
    status: str
    subject_email: str | None
    subject_phone: str | None
    received_at: dt.datetime  # naive UTC
    identity_requested_on: dt.date | None = None
    identity_verified_on: dt.date | None = None
    extension_notified_on: dt.date | None = None
    extension_reason: str | None = None
    closed_on: dt.date | None = None
    note: str | None = None
    owner: str | None = None  # a dashboard account's login name
    country: str | None = None  # the subject's, ISO 3166-1
    regime: str | None = None  # gdpr | pipl | both (etl/compliance/regimes.py)
    refusal_reason: str | None = None

    def fields(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


def calendars(cfg: Settings) -> list:
    return _calendars(tuple(cfg.business_calendar))


@lru_cache(maxsize=8)
def _calendars(codes: tuple[str, ...]) -> list:
    """Built once per process: a holiday calendar is costly to make and is asked for per request and day."""
    return [calendar_for(code) for code in codes]


def received_day(request: Request, cfg: Settings) -> dt.date:
    return request.received_at.replace(tzinfo=dt.UTC).astimezone(cfg.tz).date()


def deadlines_of(request: Request, cfg: Settings, as_of: dt.date) -> deadlines.Deadlines:
    found = deadlines.compute(
        received=received_day(request, cfg), status=request.status, as_of=as_of, calendars=calendars(cfg),
        identity_requested=request.identity_requested_on, identity_verified=request.identity_verified_on,
        extension_notified=request.extension_notified_on, closed=request.closed_on,
    )
    under = regimes.of_request(request, cfg)
    return regimes.under_regime(found, under, request.status, request.closed_on, as_of, calendars(cfg))


def mask_note(text: str | None) -> str | None:
    if text is None or not text.strip():
        return None
    text = re.sub(EMAIL, "[email]", text.strip())
    return re.sub(PHONE, "[number]", text)[:500]


def _load(con, request_id: str | None = None) -> list[Request]:
    return [Request(**{k: v for k, v in row.items() if k != "updated_at"})
            for row in queries.rows(con, "rights/all.sql", request_id=request_id)]


def _save(con, request: Request) -> None:
    queries.run(con, "rights/upsert.sql", now=clock.now(), **request.fields())


def _changes(before: Request | None, after: Request) -> dict[str, Any]:
    """What changed, for the audit entry: subject keys are named, never shown."""
    out = {}
    for name, value in after.fields().items():
        old = getattr(before, name) if before else None
        if old != value:
            out[name] = "(keyed hash)" if name.startswith("subject_") else value
    return out


def get(cfg: Settings, request_id: str) -> Request:
    with warehouse.read(cfg.warehouse) as con:
        found = _load(con, request_id)
    if not found:
        raise InputError(f"rights request {request_id}: not in the register")
    return found[0]


def add(
    cfg: Settings, *, type_: str, received: dt.date, email: str | None = None, phone: str | None = None,
    channel: str = "email", country: str | None = None, actor: str | None = None,
) -> Request:
    if channel not in CHANNELS:
        raise FieldError("channel", f"{channel!r} is not one of {', '.join(CHANNELS)}")
    country = regimes.country_code(country, FieldError)
    under = regimes.regime_of(cfg, country, channel)
    wrong = regimes.check_type(type_, under)
    if wrong:
        raise FieldError("type", wrong)
    if received > clock.today(cfg.tz):
        raise FieldError("received", f"{received} is in the future")
    email_key, phone_key = SubjectKeys(cfg.secrets_dir).lookup(email, phone, cfg.phone_region)
    received_at = dt.datetime.combine(received, dt.time(12), cfg.tz).astimezone(dt.UTC).replace(tzinfo=None)
    with warehouse.write(cfg.warehouse) as con:
        prefix = f"DSR-{received.year}-"
        used = {row[0] for row in queries.run(con, "rights/ids_of_year.sql", prefix=prefix).fetchall()}
        number = 1 + max((int(i[len(prefix) :]) for i in used if i[len(prefix) :].isdigit()), default=0)
        request = Request(f"{prefix}{number:04d}", type_, channel, "received", email_key, phone_key, received_at,
                          country=country, regime=under)
        _save(con, request)
        audit.append(con, actor or audit.cli_actor(), "rights.add", request.request_id, _changes(None, request))
    return request


def update(
    cfg: Settings, request_id: str, *, status: str | None = None, identity_verified: dt.date | None = None,
    extend: bool = False, reason: str | None = None, note: str | None = None, owner: str | None = None,
    actor: str | None = None,
) -> Request:
    """Apply one change; a transition the lifecycle does not allow, or a late extension, is refused. ``owner`` is
    a dashboard account's name, or "" for nobody."""
    today = clock.today(cfg.tz)  # the day of the change, as the audit entry written with it says
    with warehouse.write(cfg.warehouse) as con:
        found = _load(con, request_id)
        if not found:
            raise InputError(f"rights request {request_id}: not in the register")
        before = found[0]
        after = dataclasses.replace(before)
        status = _asked_status(before, status, extend, reason)
        _move(after, before, status, reason)
        if after.status == "awaiting_identity" and after.identity_requested_on is None:
            after.identity_requested_on = today
        if identity_verified is not None:
            _verify(after, before, identity_verified, status is None, cfg, today)
        if after.status == "extended" and before.status != "extended":
            _extend(after, before, reason, cfg, today)
        if after.status in deadlines.CLOSED and before.status not in deadlines.CLOSED:
            after.closed_on = today
        if note is not None:
            after.note = mask_note(note)
        if owner is not None:
            after.owner = owner_of(cfg, owner)
        changes = _changes(before, after)
        if changes:
            _save(con, after)
            audit.append(con, actor or audit.cli_actor(), "rights.update", request_id, changes)
    return after


def _asked_status(before: Request, status: str | None, extend: bool, reason: str | None) -> str | None:
    """The status a change asks for (``--extend`` asks for "extended"); an extension without a reason is refused."""
    if extend:
        if status not in (None, "extended"):
            raise FieldError("extend", f"an extension cannot be combined with the status {status}")
        status = "extended"
    if status == "extended" and (extend or before.status != "extended") and not (reason and reason.strip()):
        raise FieldError("reason", "an extension needs a reason (Art. 12(3): the subject is told why)")
    return status


def _move(after: Request, before: Request, status: str | None, reason: str | None) -> None:
    """A new status, if the lifecycle allows it; a refusal keeps its reason."""
    if status is not None and status != before.status:
        if status not in STATUSES:
            raise FieldError("status", f"{status!r} is not one of {', '.join(STATUSES)}")
        if status not in TRANSITIONS[before.status]:
            allowed = ", ".join(as_words(s) for s in sorted(TRANSITIONS[before.status])) or "none (it is closed)"
            raise InputError(f"{before.request_id}: cannot go from {as_words(before.status)} to {as_words(status)} "
                             f"(allowed: {allowed})")
        after.status = status
    if status == "rejected" and before.status != "rejected":
        if not (reason and reason.strip()):
            raise FieldError("reason", "a refusal needs a reason (PIPL Art. 50, GDPR Art. 12(4): the subject is "
                             "told why)")
        after.refusal_reason = mask_note(reason)


def _verify(after: Request, before: Request, on: dt.date, moves_on: bool, cfg: Settings, today: dt.date) -> None:
    """The identity verified on a day between receipt and today; a request awaiting it moves on to in progress
    unless the change names another status (``moves_on`` false)."""
    if on < received_day(before, cfg) or on > today:
        raise FieldError("identity_verified", f"{on} is before the request was received or in the future")
    after.identity_verified_on = on
    if moves_on and after.status == "awaiting_identity":
        after.status = "in_progress"


def _extend(after: Request, before: Request, reason: str | None, cfg: Settings, today: dt.date) -> None:
    """An extension, allowed by the request's law and notified before the first deadline ran out."""
    regimes.check_extension(before, cfg)
    start = after.identity_verified_on or received_day(before, cfg)
    if not deadlines.extension_allowed(start, today, calendars(cfg)):
        last = deadlines.statutory_deadline(start, calendars(cfg))
        raise InputError(f"{before.request_id}: an extension had to be notified by {last} (Art. 12(3)); "
                         f"today is {today}")
    after.extension_notified_on = today
    after.extension_reason = mask_note(reason)


def owner_of(cfg: Settings, name: str) -> str | None:
    """A request's owner must be a dashboard account (``vcar users list``), so the register names staff by the
    login the audit log uses, never by a typed name; "" means nobody."""
    from etl.access.users import list_users
    from etl.core.roles import RIGHTS_ROLES

    name = name.strip()
    if not name:
        return None
    roles = {u.name: u.role for u in list_users(cfg.secrets_dir)}
    if name not in roles:
        raise FieldError("owner", f"{name[:40]!r} is not a dashboard account (see vcar users list)")
    if roles[name] not in RIGHTS_ROLES:
        raise FieldError("owner", f"{name[:40]!r} ({roles[name]}) cannot open the rights requests; give it to "
                                  f"an account of role {' or '.join(sorted(RIGHTS_ROLES))}")
    return name


def listing(cfg: Settings, *, as_of: dt.date, open_only: bool = False) -> list[dict[str, Any]]:
    """Every request as it stood at the end of ``as_of``, with its dates and SLA state then (the ``rights list
    --json`` rows): requests received later are absent, and later changes are not applied
    (``etl.compliance.history``)."""
    with warehouse.read(cfg.warehouse) as con:
        present, changes = _load(con), history.changes_by_request(con, cfg.tz)
    requests = [history.as_it_stood(r, received_day(r, cfg), as_of, changes.get(r.request_id, [])) for r in present]
    rows = [describe(r, cfg, as_of) for r in requests
            if r is not None and not (open_only and r.status in deadlines.CLOSED)]
    return sorted(rows, key=most_urgent_first)


def most_urgent_first(row: dict[str, Any]) -> tuple:
    """The order of every list of requests: legally overdue, past the promise, at risk, on track, paused, closed;
    within each, the fewest days left to the legal deadline in force, then to the promise."""
    far = 10**6
    return (deadlines.urgency(row["promise_state"], row["legal_state"]),
            far if row["legal_days_left"] is None else row["legal_days_left"],
            far if row["days_left"] is None else row["days_left"], row["request_id"])


def describe(r: Request, cfg: Settings, as_of: dt.date) -> dict[str, Any]:
    """One request with its dates and SLA state as of ``as_of``."""
    d = deadlines_of(r, cfg, as_of)
    return {
        "request_id": r.request_id, "type": r.type, "channel": r.channel, "status": r.status,
        "received_at": r.received_at.replace(tzinfo=dt.UTC).isoformat(),
        "received_on": received_day(r, cfg), "due_date": d.due_date,
        "statutory_deadline": d.statutory_deadline, "extended_deadline": d.extended_deadline,
        "deadline": d.deadline, "days_left": d.days_left, "business_days_left": d.business_days_left,
        "sla_state": d.sla_state, "legal_deadline": d.legal_deadline, "legal_days_left": d.legal_days_left,
        "promise_state": d.promise_state, "legal_state": d.legal_state,
        "clocks": deadlines.in_words(d.promise_state, d.legal_state),
        "deadline_provisional": d.provisional, "clock_start": d.clock_start,
        "paused_from": d.paused_from, "paused_until": d.paused_until, "identity_verified_on": r.identity_verified_on,
        "extension_notified_on": r.extension_notified_on, "extension_reason": r.extension_reason,
        "closed_on": r.closed_on, "note": r.note, "owner": r.owner,
        "subject_known": bool(r.subject_email or r.subject_phone), "country": r.country,
        "regime": regimes.of_request(r, cfg), "pipl_deadline": d.pipl_deadline, "refusal_reason": r.refusal_reason,
        "restricted_until": regimes.restricted_until(r, received_day(r, cfg), cfg),
    }


def standing(row: dict[str, Any]) -> str:
    """Where an open request stands (a ``describe`` row): "6 days overdue", or "2 days left (1 business)"; a
    deadline counted over estimated holidays says so ("21 days left (14 business, provisional)")."""
    left = row["days_left"]
    if left is None:
        return "no deadline yet" if row["sla_state"] == "paused" else ""
    provisional = ", provisional" if row.get("deadline_provisional") else ""
    if left < 0:
        return f"{plural(-left, 'day')} overdue{provisional}"
    return f"{plural(left, 'day')} left ({row['business_days_left']} business{provisional})"


def legal_standing(row: dict[str, Any]) -> str:
    """Where an open request stands against the legal deadline in force: "57 days left", "1 day overdue"; a
    deadline counted over estimated holidays says so ("21 days left, provisional")."""
    left = row["legal_days_left"]
    if left is None or row["status"] in deadlines.CLOSED:
        return ""
    provisional = ", provisional" if row.get("deadline_provisional") else ""
    return (f"{plural(-left, 'day')} overdue" if left < 0 else f"{plural(left, 'day')} left") + provisional


def provisional_note(rows: list[dict[str, Any]]) -> str:
    """One sentence naming the open requests whose deadlines count over estimated holidays, and why; "" when
    none do."""
    marked = [r for r in rows if r.get("deadline_provisional") and r["status"] not in deadlines.CLOSED]
    if not marked:
        return ""
    ids = ", ".join(r["request_id"] for r in marked[:5]) + (f" and {thousands(len(marked) - 5)} more" if len(marked) > 5
                                                            else "")
    return (f"Provisional deadlines ({ids}): {marked[0]['deadline_provisional']}. They become final when the "
            "holidays package is updated (README: business calendars).")


AUDIT_EVENTS = {"rights.add": "Registered", "rights.import": "Imported", "rights.update": "Changed"}


def timeline(cfg: Settings, request_id: str, as_of: dt.date) -> list[dict[str, Any]]:
    """What happened to one request by the end of ``as_of``, in order of day: its milestones from the register
    (received, identity asked for and verified with the days it was pending, the extension and the day the subject
    was told, closure, and where it stands on ``as_of``) and every change from the audit log until then, with who
    made it. Rows: day, event, detail, by."""
    with warehouse.read(cfg.warehouse) as con:
        found = _load(con, request_id)
        entries = queries.rows(con, "audit/recent.sql", object=request_id, limit=1000)
        changes = history.changes_by_request(con, cfg.tz).get(request_id, [])
    if not found:
        raise InputError(f"rights request {request_id}: not in the register")
    stood = history.as_it_stood(found[0], received_day(found[0], cfg), as_of, changes)
    if stood is None:
        raise InputError(f"rights request {request_id}: not received by {as_of}")
    entries = [e for e in entries if e["logged_at"].astimezone(cfg.tz).date() <= as_of]
    d = describe(stood, cfg, as_of)
    clock_starts = f"the clock starts: due {d['due_date']}, legal deadline {d['statutory_deadline']}"
    asked = d["paused_from"]
    rows = [(d["received_on"], 0, "Received", f"{as_words(d['type'])} request by {as_words(d['channel'])}"
             + ("" if asked else f"; {clock_starts}"), None)]
    if asked is not None:
        until = d["identity_verified_on"]
        pending = ((until or as_of) - asked).days
        rows.append((asked, 1, "Identity asked for", f"verified after {plural(pending, 'day')}" if until
                     else f"pending for {plural(pending, 'day')} on {as_of}", None))
        if until is not None:
            rows.append((until, 2, "Identity verified", f"after {plural(pending, 'day')}; {clock_starts}", None))
    if d["extension_notified_on"] is not None:
        rows.append(
            (
                d["extension_notified_on"],
                3,
                "Extension told to the subject",
                f"new deadline {d['extended_deadline']}; reason: {d['extension_reason'] or 'not given'}",
                None,
            )
        )
    if d["closed_on"] is not None:
        verdict = "on time" if d["sla_state"] == "done_on_time" else "late"
        rows.append((d["closed_on"], 4, f"Closed: {as_words(d['status'])}", f"{verdict}; deadline {d['deadline']}",
                     None))
    elif d["days_left"] is not None:
        rows.append((as_of, 5, f"Open: {as_words(d['sla_state'])}", f"{standing(d)}; deadline {d['deadline']}", None))
    for entry in reversed(entries):  # oldest first
        detail = details(entry["detail"], cfg, skip=("occurred_at",), sep="; ")
        rows.append((entry["logged_at"].astimezone(cfg.tz).date(), 6, AUDIT_EVENTS.get(entry["action"],
                     entry["action"]), detail, entry["actor"]))
    rows.sort(key=lambda row: (row[0], row[1]))
    return [{"day": day, "event": event, "detail": detail, "by": by} for day, _, event, detail, by in rows]
