"""The one definition of a reporting period and of the period it is compared with (issue 28, item 1).

Every place that names a period - the analytics pages' controls, the Overview, ``vcar overview``, the digest -
asks here, so "last 7 days" is the same seven days everywhere and a change is the same change.

- "Last 7/30/90 days" are whole days: the N days that end yesterday. "Today" and "This month" include today.
- A change compares whole periods with whole periods: a period that includes today (not over yet) shows no change,
  and ``partial_reason`` says why, instead of setting a few hours against whole days.
- Dates are days of the reporting time zone; the caller passes ``today`` (from etl/core/clock.py).
"""

from __future__ import annotations

import calendar
import datetime as dt

DAY = dt.timedelta(days=1)
PRESETS = {
    "last7": "Last 7 days", "last30": "Last 30 days", "last90": "Last 90 days", "today": "Today",
    "yesterday": "Yesterday", "month": "This month", "lastmonth": "Last month", "custom": "Custom",
}
COMPARISONS = {"previous": "Previous period", "week": "Same days a week earlier", "year": "Same period last year",
               "none": "No comparison"}


def preset_range(preset: str, today: dt.date) -> tuple[dt.date, dt.date]:
    """The first and last day of a preset period; "last N days" are the N whole days to yesterday."""
    if preset == "today":
        return today, today
    if preset == "yesterday":
        return today - DAY, today - DAY
    if preset in ("last7", "last30", "last90"):
        days = int(preset.removeprefix("last"))
        return today - days * DAY, today - DAY
    if preset == "month":
        return today.replace(day=1), today
    if preset == "lastmonth":
        last = today.replace(day=1) - DAY
        return last.replace(day=1), last
    raise ValueError(f"unknown preset {preset!r}")


def comparison_range(start: dt.date, end: dt.date, mode: str) -> tuple[dt.date, dt.date] | None:
    """The period ``start`` - ``end`` is compared with: the previous period of the same length, the same weekdays
    whole weeks earlier (yesterday against the same weekday a week before), or the same dates a year earlier
    (29 Feb -> 28 Feb); None for no comparison."""
    length = (end - start).days + 1
    if mode == "previous":
        return start - length * DAY, start - DAY
    if mode == "week":
        weeks = -(-length // 7)
        return start - weeks * 7 * DAY, end - weeks * 7 * DAY
    if mode == "year":
        return _year_earlier(start), _year_earlier(end)
    if mode == "none":
        return None
    raise ValueError(f"unknown comparison {mode!r}")


def compared(preset: str, mode: str, today: dt.date) -> tuple[tuple[dt.date, dt.date], tuple[dt.date, dt.date]]:
    """A preset period and the period it is compared with (``mode`` is not "none")."""
    period = preset_range(preset, today)
    comparison = comparison_range(*period, mode)
    if comparison is None:
        raise ValueError(f"comparison {mode!r} has no period to compare with")
    return period, comparison


def _year_earlier(day: dt.date) -> dt.date:
    year = day.year - 1
    return day.replace(year=year, day=min(day.day, calendar.monthrange(year, day.month)[1]))


def is_partial(end: dt.date, today: dt.date) -> bool:
    """Whether a period ending on ``end`` is not over yet: it includes today (or days to come)."""
    return end >= today


def covered(period: tuple[dt.date, dt.date] | None, first: dt.date | None, last: dt.date | None) -> bool:
    """Whether data exists for the whole of ``period`` (from ``first`` to ``last``)."""
    return bool(period and first and last and first <= period[0] and period[1] <= last)


def partial_reason(end: dt.date, today: dt.date) -> str | None:
    """Why a period shows no change when it includes today; None when it is over."""
    if not is_partial(end, today):
        return None
    return (f"No change shown: this period includes today ({today}), which is not over, and is not set against "
            "whole days. Choose a period that ends yesterday to compare.")


def no_change_reason(start: dt.date, end: dt.date, mode: str, today: dt.date, first: dt.date | None,
                     last: dt.date | None) -> str | None:
    """Why the period ``start`` - ``end`` shows no change against its comparison period (``mode``), or None when
    the change is meaningful: both periods whole and covered by data."""
    comparison = comparison_range(start, end, mode)
    if comparison is None:
        return None
    partial = partial_reason(end, today)
    if partial:
        return partial
    if not covered(comparison, first, last):
        return (f"No data to compare: the comparison period {comparison[0]} – {comparison[1]} is not fully covered "
                f"by data ({first} – {last}).")
    return None


def comparable(start: dt.date, end: dt.date, mode: str, today: dt.date, first: dt.date | None,
               last: dt.date | None) -> bool:
    """Whether a change against the comparison period is shown (see ``no_change_reason``)."""
    return comparison_range(start, end, mode) is not None and not no_change_reason(start, end, mode, today, first,
                                                                                    last)


def comparison_note(start: dt.date, end: dt.date, mode: str, today: dt.date, first: dt.date | None,
                    last: dt.date | None) -> str | None:
    """The words under the tiles: against which dates the changes are, or why there are none."""
    comparison = comparison_range(start, end, mode)
    if comparison is None:
        return None
    reason = no_change_reason(start, end, mode, today, first, last)
    return reason or f"Changes against {comparison[0]} – {comparison[1]} ({COMPARISONS[mode].lower()})."
