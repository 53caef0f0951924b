"""The calendar's edges, on known answers: ISO week 53 and a week across the new year, and the days the clocks
change (23 and 25 hours in the hourly series)."""

from __future__ import annotations

import datetime as dt

import pytest

from etl.core import clock
from etl.core.settings import cached_settings, load_settings
from etl.reporting.charts import clock_change_note
from etl.reporting.reports import usage_report, usage_series
from tests.helpers import line, run

D = dt.date


@pytest.fixture
def zone(settings_env, monkeypatch):
    def put(name: str, now: str):
        monkeypatch.setenv("VCAR_TIMEZONE", name)
        monkeypatch.setenv(clock.ENV, now)
        cached_settings.cache_clear()
        return load_settings()

    return put


def every_half_hour(first_utc: dt.datetime, last_utc: dt.datetime) -> list[str]:
    """A pageview from a new address every 30 minutes, stamped in UTC."""
    lines, moment, n = [], first_utc, 0
    while moment <= last_utc:
        n += 1
        lines.append(line(f"1.2.{n // 250}.{n % 250 + 1}", moment.strftime("%d/%b/%Y:%H:%M:%S +0000"), "/"))
        moment += dt.timedelta(minutes=30)
    return lines


def test_the_day_the_clocks_go_back_has_25_hours(zone, tmp_path):
    cfg = zone("Europe/Berlin", "2026-11-02T09:00")
    day = D(2026, 10, 25)  # 03:00 CEST becomes 02:00 CET
    run(cfg, tmp_path, every_half_hour(dt.datetime(2026, 10, 24, 22), dt.datetime(2026, 10, 25, 22, 59)), day)
    rows = usage_series(cfg, day, day, "hour")
    assert len(rows) == 25
    assert [(r["period"].hour, r["fold"]) for r in rows[:5]] == [(0, 0), (1, 0), (2, 0), (2, 1), (3, 0)]
    assert all(r["pageviews"] == 2 for r in rows) and sum(r["visits"] for r in rows) == 50
    assert usage_report(cfg, day, day)["pageviews"] == 50
    assert clock_change_note(rows) == (
        "The clocks went back: 2026-10-25 02:00 happened twice (summer time, then standard time), drawn at one time."
    )


def test_the_day_the_clocks_go_forward_has_23_hours(zone, tmp_path):
    cfg = zone("Europe/Berlin", "2026-04-02T09:00")
    day = D(2026, 3, 29)  # 02:00 CET becomes 03:00 CEST
    run(cfg, tmp_path, every_half_hour(dt.datetime(2026, 3, 28, 23), dt.datetime(2026, 3, 29, 21, 59)), day)
    rows = usage_series(cfg, day, day, "hour")
    assert len(rows) == 23 and 2 not in {r["period"].hour for r in rows}
    assert all(r["pageviews"] == 2 and r["fold"] == 0 for r in rows) and clock_change_note(rows) is None


def test_iso_week_53_spans_the_new_year_as_one_week(zone, tmp_path):
    cfg = zone("Asia/Shanghai", "2027-02-01T09:00")
    assert D(2026, 12, 28).isocalendar()[:2] == (2026, 53) and D(2027, 1, 3).isocalendar()[:2] == (2026, 53)
    days = [D(2026, 12, 27), D(2026, 12, 28), D(2026, 12, 31), D(2027, 1, 1), D(2027, 1, 3), D(2027, 1, 4)]
    lines = [line(f"1.2.3.{n + 10}", f"{d:%d/%b/%Y}:10:00:00 +0800", "/") for n, d in enumerate(days)]
    run(cfg, tmp_path, lines, D(2027, 1, 4))
    weeks = usage_series(cfg, D(2026, 12, 27), D(2027, 1, 4), "week")
    assert [(r["period"], r["pageviews"], r["partial"]) for r in weeks] == [
        (D(2026, 12, 21), 1, True),  # week 52, cut by the range
        (D(2026, 12, 28), 4, False),  # week 53: four days of it in two years, whole
        (D(2027, 1, 4), 1, True),  # 2027's week 1, cut by the range
    ]
    assert usage_report(cfg, D(2026, 12, 28), D(2027, 1, 3))["visitors"] == 4
    months = usage_series(cfg, D(2026, 12, 27), D(2027, 1, 4), "month")
    assert [(r["period"], r["pageviews"]) for r in months] == [(D(2026, 12, 1), 3), (D(2027, 1, 1), 3)]
