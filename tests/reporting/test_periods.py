"""The one definition of a period and its comparison period (etl/reporting/periods.py): presets, comparison
periods, and that a period not over yet shows no change and says why; the Overview and the digest use it too."""

from __future__ import annotations

import datetime as dt

import pytest

from etl.reporting import periods
from etl.reporting.periods import comparison_range, preset_range
from etl.reporting.summaries import week_periods

D = dt.date
TODAY = D(2026, 11, 25)
YESTERDAY = D(2026, 11, 24)


@pytest.mark.parametrize(
    ("preset", "expected"),
    [
        ("today", (TODAY, TODAY)), ("yesterday", (YESTERDAY, YESTERDAY)),
        ("last7", (D(2026, 11, 18), YESTERDAY)), ("last30", (D(2026, 10, 26), YESTERDAY)),
        ("last90", (D(2026, 8, 27), YESTERDAY)), ("month", (D(2026, 11, 1), TODAY)),
        ("lastmonth", (D(2026, 10, 1), D(2026, 10, 31))),
    ],
)
def test_presets(preset, expected):
    assert preset_range(preset, TODAY) == expected


@pytest.mark.parametrize("days", [7, 30, 90])
def test_last_n_days_are_n_whole_days_to_yesterday(days):
    start, end = preset_range(f"last{days}", TODAY)
    assert (end - start).days + 1 == days and end < TODAY and not periods.is_partial(end, TODAY)


def test_comparison_periods():
    assert comparison_range(D(2026, 11, 18), YESTERDAY, "previous") == (D(2026, 11, 11), D(2026, 11, 17))
    assert comparison_range(D(2026, 3, 1), D(2026, 3, 31), "previous") == (D(2026, 1, 29), D(2026, 2, 28))
    assert comparison_range(D(2028, 2, 29), D(2028, 3, 6), "year") == (D(2027, 2, 28), D(2027, 3, 6))
    assert comparison_range(YESTERDAY, YESTERDAY, "week") == (D(2026, 11, 17), D(2026, 11, 17))
    assert comparison_range(D(2026, 10, 26), YESTERDAY, "week") == (D(2026, 9, 21), D(2026, 10, 20))  # 5 weeks
    assert comparison_range(D(2026, 1, 1), D(2026, 1, 2), "none") is None
    with pytest.raises(ValueError, match="fortnight"):
        comparison_range(TODAY, TODAY, "fortnight")


def test_the_same_weekdays_a_week_earlier_keep_the_weekday():
    for length in range(1, 40):
        start = YESTERDAY - dt.timedelta(days=length - 1)
        before = comparison_range(start, YESTERDAY, "week")
        assert before is not None and before[0].weekday() == start.weekday() and before[1] < start


@pytest.mark.parametrize(("preset", "mode"), [("today", "previous"), ("month", "previous"), ("today", "week"),
                                              ("month", "year")])
def test_a_period_that_includes_today_shows_no_change_and_says_why(preset, mode):
    start, end = preset_range(preset, TODAY)
    first, last = D(2020, 1, 1), TODAY  # data covers every day: only the partial period stops the change
    assert not periods.comparable(start, end, mode, TODAY, first, last)
    note = periods.comparison_note(start, end, mode, TODAY, first, last)
    assert note is not None and "includes today" in note and "not over" in note


@pytest.mark.parametrize("preset", ["yesterday", "last7", "last30", "last90", "lastmonth"])
def test_a_whole_period_covered_by_data_shows_its_change_and_the_dates(preset):
    start, end = preset_range(preset, TODAY)
    comparison = comparison_range(start, end, "previous")
    assert comparison is not None
    first, last = D(2020, 1, 1), YESTERDAY
    assert periods.comparable(start, end, "previous", TODAY, first, last)
    assert periods.comparison_note(start, end, "previous", TODAY, first, last) == (
        f"Changes against {comparison[0]} – {comparison[1]} (previous period).")


def test_a_comparison_period_without_data_shows_no_change():
    start, end = preset_range("last7", TODAY)
    first = start  # the data starts with the period: nothing before it to compare with
    assert not periods.comparable(start, end, "previous", TODAY, first, YESTERDAY)
    assert "not fully covered" in (periods.comparison_note(start, end, "previous", TODAY, first, YESTERDAY) or "")
    assert not periods.comparable(start, end, "none", TODAY, first, YESTERDAY)
    assert periods.comparison_note(start, end, "none", TODAY, first, YESTERDAY) is None


@pytest.mark.parametrize("today", [TODAY, D(2027, 1, 1), D(2028, 3, 1)])
def test_the_overview_and_the_digest_ask_the_pages_presets(today):
    """The Overview's "yesterday" and "last 7 days" are the pages' Yesterday (same weekday a week earlier) and
    Last 7 days (previous period): the same question, the same dates."""
    chosen = week_periods(today)
    for name, preset, mode in (("day", "yesterday", "week"), ("week", "last7", "previous")):
        period = preset_range(preset, today)
        assert chosen[name] == (period, comparison_range(*period, mode))
        assert not periods.is_partial(period[1], today)
