"""Deadlines of data-subject requests: the company's 15-business-day promise and GDPR Art. 12(3).

Pure date arithmetic; the calendars come in as arguments (``holidays`` objects), so every rule is tested on
worked examples without a clock.

- ``due_date``: the 15th business day after the clock starts (that day not counted). A business day is a day
  every configured calendar works: weekends and public holidays are skipped, official make-up working days
  (CN's adjusted Saturdays and Sundays) count.
- ``statutory_deadline``: one month under Regulation 1182/71 Art. 3: the start day is not counted; the period
  ends on the same date of the next month, or that month's last day when the date does not exist; a period
  ending on a Saturday, Sunday or public holiday ends on the next day that is none of these.
- ``extended_deadline``: the same with three months, only when the extension was notified within the first
  month.
- The clock starts on the day of receipt, or, when identity verification was requested, on the day the
  identity was verified; while identity is awaited there is no deadline yet (``sla_state`` ``paused``).
- The deadline acted on is the earlier of ``due_date`` and ``statutory_deadline``; after a valid extension it
  is ``extended_deadline`` (the promise of 15 business days is then superseded by what the subject was told).
- Two clocks, each decided once: ``against_promise`` judges a request against the promise (``due_date``, 15
  business days: kept, on track, at risk, missed), ``against_law`` against the legal deadline in force
  (``legal_deadline``: one month, three after a valid extension, or the PIPL's 15 working days; on track, at risk,
  overdue, answered in time or late). A request extended before its legal deadline but past its 15 business days
  is "promise missed, legally on track" (``in_words``).
- A deadline is ``provisional`` while it is counted over a year whose holidays are set by a yearly decree the
  installed calendar does not have yet: China's State Council publishes each year's holidays and make-up working
  days late in the year before, and until the ``holidays`` package carries them its dates for that year are
  estimates. The reason says which calendar and year; updating the package makes the deadline final.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from importlib.metadata import version

PROMISE_BUSINESS_DAYS = 15
AT_RISK_BUSINESS_DAYS = 3
CLOSED = ("completed", "rejected", "withdrawn")
# Calendars whose holidays and make-up working days are decreed year by year: the years the ``holidays`` package
# has the decree for are those with a schedule of substituted days (``special_public_holidays``).
DECREED_YEARLY = {"CN": "China's State Council"}


def is_business_day(day: dt.date, calendars: Sequence) -> bool:
    """Worked in every calendar: weekends off unless an official make-up working day, public holidays off."""
    return all(cal.is_working_day(day) for cal in calendars)


def is_legal_working_day(day: dt.date, calendars: Sequence) -> bool:
    """Regulation 1182/71's sense: neither a Saturday, a Sunday nor a public holiday."""
    return day.weekday() < 5 and not any(day in cal for cal in calendars)


def add_business_days(start: dt.date, count: int, calendars: Sequence) -> dt.date:
    """The ``count``-th business day after ``start`` (``start`` itself not counted)."""
    day = start
    left = count
    while left:
        day += dt.timedelta(days=1)
        if is_business_day(day, calendars):
            left -= 1
    return day


def business_days_between(start: dt.date, end: dt.date, calendars: Sequence) -> int:
    """Business days in (start, end]; negative when ``end`` is before ``start``."""
    if end < start:
        return -business_days_between(end, start, calendars)
    return sum(is_business_day(start + dt.timedelta(days=i), calendars) for i in range(1, (end - start).days + 1))


def add_months(start: dt.date, months: int) -> dt.date:
    """Same date ``months`` later, or the last day of that month when the date does not exist."""
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    return dt.date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def official_until(cal) -> int | None:
    """The last year whose decreed schedule the calendar ``cal`` carries; None for one set by standing law."""
    if getattr(cal, "country", None) not in DECREED_YEARLY:
        return None
    decreed = getattr(cal, "special_public_holidays", None) or {}
    return max(decreed, default=None)


def provisional_reason(first: dt.date, last: dt.date, calendars: Sequence) -> str | None:
    """Why dates counted from ``first`` to ``last`` may still move, or None when every calendar is final for
    those years."""
    for cal in calendars:
        until = official_until(cal)
        if until is not None and last.year > until:
            years = ", ".join(str(y) for y in range(max(first.year, until + 1), last.year + 1))
            return (f"{cal.country} holidays of {years} are estimates: {DECREED_YEARLY[cal.country]} has "
                    f"not published them in the installed calendar (holidays {version('holidays')}, official "
                    f"to {until})")
    return None


def roll_forward(day: dt.date, calendars: Sequence) -> dt.date:
    while not is_legal_working_day(day, calendars):
        day += dt.timedelta(days=1)
    return day


def statutory_deadline(start: dt.date, calendars: Sequence, months: int = 1) -> dt.date:
    return roll_forward(add_months(start, months), calendars)


@dataclass(frozen=True)
class Deadlines:
    clock_start: dt.date | None
    paused_from: dt.date | None  # identity requested ...
    paused_until: dt.date | None  # ... and verified (None while still awaited)
    due_date: dt.date | None
    statutory_deadline: dt.date | None
    extended_deadline: dt.date | None
    deadline: dt.date | None  # the one acted on
    days_left: int | None  # calendar days from as_of to ``deadline`` (negative: overdue)
    business_days_left: int | None
    sla_state: str  # on_track | at_risk | overdue | done_on_time | done_late | paused
    provisional: str | None = None  # why the dates may still move (a calendar with estimated holidays)
    pipl_deadline: dt.date | None = None  # 15 working days on China's calendar (etl/compliance/regimes.py)
    legal_deadline: dt.date | None = None  # the legal deadline in force (extensions and the regime included)
    legal_days_left: int | None = None  # calendar days from as_of to ``legal_deadline`` (negative: overdue)
    promise_state: str = "paused"  # against ``due_date``: on_track | at_risk | missed | kept | paused
    legal_state: str = "paused"  # against ``legal_deadline``: on_track | at_risk | overdue | done_on_time | ...


def compute(
    *,
    received: dt.date,
    status: str,
    as_of: dt.date,
    calendars: Sequence,
    identity_requested: dt.date | None = None,
    identity_verified: dt.date | None = None,
    extension_notified: dt.date | None = None,
    closed: dt.date | None = None,
) -> Deadlines:
    """Every date and the SLA state of one request, as of ``as_of``."""
    asked = identity_requested or identity_verified or status == "awaiting_identity"
    if identity_requested is not None:
        # asking for identity pauses a clock that is still running, not one that already ran out: a request
        # asked about only after its deadline stays overdue (and is judged from its receipt)
        first_due = min(add_business_days(received, PROMISE_BUSINESS_DAYS, calendars),
                        statutory_deadline(received, calendars))
        asked = asked and identity_requested <= first_due
    paused_from = (identity_requested or received) if asked else None
    start = identity_verified if paused_from else received
    if start is None:  # identity asked for and not yet verified: the clock has not started
        state = "paused" if status not in CLOSED else "done_on_time"
        closed_state = "kept" if status in CLOSED else "paused"
        return Deadlines(None, paused_from, None, None, None, None, None, None, None, state,
                         promise_state=closed_state, legal_state=state)
    due = add_business_days(start, PROMISE_BUSINESS_DAYS, calendars)
    legal = statutory_deadline(start, calendars)
    extended = None
    if extension_notified is not None and extension_notified <= legal:
        extended = statutory_deadline(start, calendars, months=3)
    deadline = extended or min(due, legal)
    provisional = provisional_reason(start, max(due, legal, extended or legal), calendars)
    days_left, business_left, state = judge(deadline, status, closed, as_of, calendars)
    in_force = extended or legal
    legal_left, _, legal_state = against_law(in_force, status, closed, as_of, calendars)
    return Deadlines(start, paused_from, identity_verified, due, legal, extended, deadline, days_left, business_left,
                     state, provisional, legal_deadline=in_force, legal_days_left=legal_left,
                     promise_state=against_promise(due, status, closed, as_of, calendars), legal_state=legal_state)


def judge(
    deadline: dt.date, status: str, closed: dt.date | None, as_of: dt.date, calendars: Sequence
) -> tuple[int | None, int | None, str]:
    """Days and business days left to ``deadline`` on ``as_of`` (None once closed), and the SLA state."""
    if status in CLOSED:
        return None, None, "done_on_time" if (closed or as_of) <= deadline else "done_late"
    business_left = business_days_between(as_of, deadline, calendars)
    if as_of > deadline:
        state = "overdue"
    elif business_left <= AT_RISK_BUSINESS_DAYS:
        state = "at_risk"
    else:
        state = "on_track"
    return (deadline - as_of).days, business_left, state


def against_promise(due: dt.date, status: str, closed: dt.date | None, as_of: dt.date, calendars: Sequence) -> str:
    """The one decision of a request against the promise of 15 business days (``due``): ``kept`` (closed by then),
    ``missed`` (closed later, or open past it), else ``at_risk`` (3 business days or fewer left) or ``on_track``."""
    state = judge(due, status, closed, as_of, calendars)[2]
    return PROMISE_STATES[state]


def against_law(legal_deadline: dt.date, status: str, closed: dt.date | None, as_of: dt.date,
                calendars: Sequence) -> tuple[int | None, int | None, str]:
    """The one decision of a request against the legal deadline in force: days and business days left to it, and
    ``on_track``, ``at_risk``, ``overdue``, ``done_on_time`` or ``done_late``."""
    return judge(legal_deadline, status, closed, as_of, calendars)


PROMISE_STATES = {"on_track": "on_track", "at_risk": "at_risk", "overdue": "missed", "done_on_time": "kept",
                  "done_late": "missed"}
PROMISE_WORDS = {"on_track": "promise on track", "at_risk": "promise at risk", "missed": "promise missed",
                 "kept": "promise kept", "paused": "promise paused (identity awaited)"}
LEGAL_WORDS = {"on_track": "legally on track", "at_risk": "legally at risk", "overdue": "legally overdue",
               "done_on_time": "answered in legal time", "done_late": "answered legally late",
               "paused": "legal clock paused"}
# Most urgent first: legally overdue, then past the promise, then at risk, on track, paused; closed ones last.
URGENCY = {"overdue": 0, "missed": 1, "at_risk": 2, "on_track": 3, "paused": 4}


def in_words(promise_state: str, legal_state: str) -> str:
    """Both clocks, named, side by side: "promise missed, legally on track"."""
    return f"{PROMISE_WORDS[promise_state]}, {LEGAL_WORDS[legal_state]}"


def urgency(promise_state: str, legal_state: str) -> int:
    """A request's rank in every list of requests (0 first): the worse of its two clocks."""
    if legal_state in ("done_on_time", "done_late"):
        return len(URGENCY)
    return min(URGENCY.get(legal_state, len(URGENCY)), URGENCY.get(promise_state, len(URGENCY)))


def extension_allowed(start: dt.date, notified: dt.date, calendars: Sequence) -> bool:
    """An extension counts only when the subject is told within the first month (Art. 12(3))."""
    return notified <= statutory_deadline(start, calendars)
