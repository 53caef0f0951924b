"""One summary model per role: the Overview's and the digest's sections are each built once, from narrow queries, and
the rights register is read once per page."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from zoneinfo import ZoneInfo

import pytest

import queries
from etl.core import warehouse
from etl.core.settings import load_settings
from etl.reporting.overview import overview
from etl.reporting.reports import inquiries_report, usage_report, usage_series
from etl.reporting.summaries import DAY, WEEK_FIGURES, most_urgent, the_week, week_lists
from tests.conftest import TODAY

MORNING = dt.datetime.combine(TODAY + dt.timedelta(days=1), dt.time(9), ZoneInfo("Asia/Shanghai"))

# The most SQL statements each role's Overview may run: every query file, and each statement of a multi-statement
# file (the two usage macros defined on every read connection). Measured before one model per role: marketing 66,
# manager 56, compliance 11, admin 127. Now every role: 3 for the freshness strip (its own connection).
# marketing: 2 for the page's connection, the fourteen days of web sums and of inquiries, top pages and sources of
# the week and of the week before (8); manager: the connection, the fourteen days (the same query), the inquiries
# past the SLA and conversion by region (6); compliance: the register's connection, the register and its history
# (4); admin: all three on one connection, the fourteen days read once (14).
BOUNDS = {"marketing": 11, "manager": 9, "compliance": 7, "admin": 17}


@pytest.fixture
def counted(monkeypatch) -> Counter:
    """Every SQL statement run through ``queries``, by file name."""
    seen: Counter = Counter()
    run, arrow, run_all = queries.run, queries.arrow, queries.run_all

    def counted_run(con, name, **params):
        seen[name] += 1
        return run(con, name, **params)

    def counted_arrow(con, name, **params):
        seen[name] += 1
        return arrow(con, name, **params)

    def counted_run_all(con, name, **params):
        seen[name] += len(queries.statements(name))
        return run_all(con, name, **params)

    monkeypatch.setattr(queries, "run", counted_run)
    monkeypatch.setattr(queries, "arrow", counted_arrow)
    monkeypatch.setattr(queries, "run_all", counted_run_all)
    return seen


@pytest.mark.parametrize("role", list(BOUNDS))
def test_each_overview_runs_few_statements_and_reads_the_register_once(loaded_env, counted, role):
    overview(load_settings(), role, MORNING)
    assert sum(counted.values()) <= BOUNDS[role], dict(counted)
    assert counted["rights/all.sql"] == (1 if role in ("compliance", "admin") else 0)


def test_the_week_has_the_figures_of_the_reports(loaded_env):
    cfg = load_settings()
    end = TODAY  # the sample's last day: yesterday, the last whole day, of the day after it
    with warehouse.read(cfg.warehouse) as con:
        week = the_week(con, end + DAY)
        lists = week_lists(con, end + DAY)
    periods = {"day": ((end, end), (end - 7 * DAY, end - 7 * DAY)),
               "week": ((end - 6 * DAY, end), (end - 13 * DAY, end - 7 * DAY))}
    for name, ((start, last), (before_start, before_last)) in periods.items():
        now, before = usage_report(cfg, start, last, limit=5), usage_report(cfg, before_start, before_last)
        inquiries = inquiries_report(cfg, start, last)
        shown = {r["metric"]: r["value"] for r in week[name]}
        assert shown == {key: now[key] for key in WEEK_FIGURES if key not in inquiries} | {
            "inquiries": inquiries["inquiries"], "not_answered": inquiries["not_answered"]}
        assert {r["metric"]: r["previous"] for r in week[name]}["visitors"] == before["visitors"]
    assert shown["visitors"] > 0 and shown["inquiries"] > 0  # the sample has both: the comparison means something
    assert lists["top_pages"][:5] == now["top_pages"] and lists["sources"][:5] == now["sources"]
    assert [r["day"] for r in week["visitors_per_day"]] == [r["period"] for r in usage_series(
        cfg, end - 13 * DAY, end, "day")]


def test_the_urgent_requests_are_the_open_ones_with_a_clock_legally_overdue_first():
    def request(rid: str, status: str, left: int | None, legal_left: int | None, promise: str, legal: str) -> dict:
        return {"request_id": rid, "status": status, "days_left": left, "legal_days_left": legal_left,
                "promise_state": promise, "legal_state": legal}

    rows = [request("R3", "received", 4, 20, "on_track", "on_track"),
            request("R1", "completed", -9, -9, "missed", "done_late"),
            request("R5", "extended", 50, 50, "missed", "on_track"),  # past the promise, legally on track
            request("R2", "received", -2, -1, "missed", "overdue"),
            request("R4", "awaiting_identity", None, None, "paused", "paused")]
    assert [r["request_id"] for r in most_urgent(rows)] == ["R2", "R5", "R3"]


# The digest's own bounds: its connection (2); manager: the inquiries past the SLA, the fourteen days of web sums and
# of inquiries, the first-response figures (6); marketing: the fourteen days (2), top pages and sources
# of two weeks (8).
DIGEST_BOUNDS = {"manager": 6, "marketing": 8}


@pytest.mark.parametrize("role", list(DIGEST_BOUNDS))
def test_each_digest_runs_few_statements(loaded_env, counted, role):
    from etl.reporting.digest import build

    build(load_settings(), role, TODAY, MORNING)
    assert sum(counted.values()) <= DIGEST_BOUNDS[role], dict(counted)


def test_the_compliance_digest_reads_the_register_once_per_day_it_shows(loaded_env, counted):
    """Its request lists (today) and the promises that changed (today against the day before): three reads, not
    one per check of each promise."""
    from etl.reporting.digest import build

    build(load_settings(), "compliance", TODAY, MORNING)
    assert counted["rights/all.sql"] == 3, dict(counted)
