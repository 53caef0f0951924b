"""Deadline rules on worked examples: the ICO's right-of-access guidance, Regulation 1182/71 Art. 3, CN calendar."""

from __future__ import annotations

import datetime as dt

import pytest

from etl.compliance.deadlines import add_business_days, add_months, compute, extension_allowed, statutory_deadline
from etl.core.settings import calendar_for

D = dt.date
CN = [calendar_for("CN")]
GB = [calendar_for("GB-ENG")]


@pytest.mark.parametrize(
    ("received", "expected", "why"),
    [
        (D(2026, 9, 3), D(2026, 10, 5), "ICO: 3 Sep -> 3 Oct, a Saturday, so the next working day"),
        (D(2026, 3, 31), D(2026, 4, 30), "31 Mar -> 30 Apr: April has no 31st, so its last day"),
        (D(2027, 1, 31), D(2027, 3, 1), "31 Jan -> 28 Feb 2027, a Sunday, so Monday 1 Mar"),
        (D(2028, 1, 31), D(2028, 2, 29), "31 Jan -> 29 Feb in a leap year"),
        (D(2026, 4, 25), D(2026, 5, 26), "25 Apr -> 25 May, the Spring bank holiday, so 26 May"),
        (D(2026, 11, 25), D(2026, 12, 29), "25 Nov -> 25 Dec; then the weekend and Boxing Day (substitute 28 Dec)"),
    ],
)
def test_one_month_under_regulation_1182_71_in_england(received, expected, why):
    assert statutory_deadline(received, GB) == expected, why


def test_month_arithmetic_never_overflows():
    assert add_months(D(2026, 1, 31), 1) == D(2026, 2, 28)
    assert add_months(D(2026, 11, 30), 3) == D(2027, 2, 28)
    assert add_months(D(2026, 12, 15), 1) == D(2027, 1, 15)


def test_statutory_roll_over_skips_chinese_public_holidays():
    assert statutory_deadline(D(2026, 9, 7), CN) == D(2026, 10, 8)  # 7 Oct is in the National Day holiday
    # 14 Feb 2026 is a CN make-up working Saturday, but the Regulation names Saturdays: roll over the
    # Spring Festival holiday (16-20 and 23 Feb are off) to Tuesday 24 Feb.
    assert statutory_deadline(D(2026, 1, 14), CN) == D(2026, 2, 24)


def test_the_promise_counts_cn_make_up_working_days():
    # 11-13 Feb, Sat 14 Feb (make-up), 24-27 Feb, Sat 28 Feb (make-up), 2-6 Mar, 9 Mar = 15 business days
    assert add_business_days(D(2026, 2, 10), 15, CN) == D(2026, 3, 9)
    # a calendar without make-up days would say 11 March: the difference is the point
    assert add_business_days(D(2026, 2, 10), 15, CN) != D(2026, 3, 11)


def test_the_promise_is_the_deadline_acted_on_when_earlier():
    d = compute(received=D(2026, 11, 2), status="in_progress", as_of=D(2026, 11, 10), calendars=CN)
    assert (d.due_date, d.statutory_deadline) == (D(2026, 11, 23), D(2026, 12, 2))
    assert d.deadline == d.due_date and d.days_left == 13 and d.sla_state == "on_track"


def test_identity_verification_pauses_the_clock():
    waiting = compute(received=D(2026, 11, 2), status="awaiting_identity", as_of=D(2026, 11, 5), calendars=CN,
                      identity_requested=D(2026, 11, 3))
    assert waiting.sla_state == "paused" and waiting.due_date is None
    d = compute(received=D(2026, 11, 2), status="in_progress", as_of=D(2026, 11, 25), calendars=CN,
                identity_requested=D(2026, 11, 3), identity_verified=D(2026, 11, 10))
    assert (d.paused_from, d.paused_until, d.clock_start) == (D(2026, 11, 3), D(2026, 11, 10), D(2026, 11, 10))
    assert (d.due_date, d.statutory_deadline) == (D(2026, 12, 1), D(2026, 12, 10))


def test_asking_for_identity_after_the_deadline_does_not_pause_an_overdue_request():
    late = compute(received=D(2026, 10, 5), status="awaiting_identity", as_of=D(2026, 11, 26), calendars=CN,
                   identity_requested=D(2026, 11, 26))
    assert late.sla_state == "overdue" and late.paused_from is None and late.clock_start == D(2026, 10, 5)
    assert late.days_left is not None and late.days_left < 0
    # asked on the last day of the promise (15 business days from 5 October, Golden Week aside): still a pause
    in_time = compute(received=D(2026, 10, 5), status="awaiting_identity", as_of=D(2026, 11, 26), calendars=CN,
                      identity_requested=late.due_date)
    assert in_time.sla_state == "paused"


def test_an_extension_counts_only_when_notified_within_the_first_month():
    assert extension_allowed(D(2026, 11, 2), D(2026, 12, 2), CN)
    assert not extension_allowed(D(2026, 11, 2), D(2026, 12, 3), CN)
    d = compute(received=D(2026, 11, 2), status="extended", as_of=D(2026, 12, 20), calendars=CN,
                extension_notified=D(2026, 11, 20))
    assert d.extended_deadline == D(2027, 2, 2) and d.deadline == D(2027, 2, 2) and d.sla_state == "on_track"
    late = compute(received=D(2026, 11, 2), status="extended", as_of=D(2026, 12, 20), calendars=CN,
                   extension_notified=D(2026, 12, 3))
    assert late.extended_deadline is None and late.sla_state == "overdue"


@pytest.mark.parametrize(
    ("as_of", "status", "closed", "state"),
    [
        (D(2026, 11, 17), "in_progress", None, "on_track"),  # 4 business days left
        (D(2026, 11, 18), "in_progress", None, "at_risk"),  # 3 business days left
        (D(2026, 11, 23), "in_progress", None, "at_risk"),  # the last day
        (D(2026, 11, 24), "in_progress", None, "overdue"),
        (D(2026, 11, 30), "completed", D(2026, 11, 23), "done_on_time"),
        (D(2026, 11, 30), "completed", D(2026, 11, 24), "done_late"),
    ],
)
def test_sla_states(as_of, status, closed, state):
    d = compute(received=D(2026, 11, 2), status=status, as_of=as_of, calendars=CN, closed=closed)
    assert d.sla_state == state
