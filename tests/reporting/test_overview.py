"""The Overview per role: its tiles are the reports' figures, and the freshness strip warns when it should."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

import queries
from etl.core import clock, warehouse
from etl.core.metrics import label
from etl.core.settings import demo_geoip_db, load_settings
from etl.reporting.formatting import display
from etl.reporting.overview import _mover_rows, freshness, overview
from etl.reporting.reports import inquiries_report, rights_report, usage_report
from etl.reporting.summaries import movers
from tests.conftest import TODAY

SHANGHAI = ZoneInfo("Asia/Shanghai")
MORNING = dt.datetime.combine(TODAY + dt.timedelta(days=1), dt.time(9), SHANGHAI)  # after the last day
WEEK_START = TODAY - dt.timedelta(days=6)


def tiles(section: dict) -> dict[str, dict]:
    return {tile["label"]: tile for row in section["tiles"] for tile in row}


def test_each_role_sees_its_own_area_and_admin_sees_all(loaded_env):
    cfg = load_settings()
    titles = {role: [s["title"] for s in overview(cfg, role, MORNING)["sections"]]
              for role in ("marketing", "manager", "compliance", "admin")}
    assert titles == {"marketing": ["Website"], "manager": ["Inquiries"], "compliance": ["Rights requests"],
                      "admin": ["Website", "Inquiries", "Rights requests"]}


def test_the_tiles_are_the_figures_of_the_reports(loaded_env):
    cfg = load_settings()
    web, inquiries, rights = overview(cfg, "admin", MORNING)["sections"]
    week = usage_report(cfg, WEEK_START, TODAY)
    yesterday = usage_report(cfg, TODAY, TODAY)
    shown = tiles(web)
    assert shown["Visitors, last 7 days"]["value"] == display("visitors", week["visitors"])
    assert shown[f"Pageviews, yesterday ({TODAY})"]["value"] == display("pageviews", yesterday["pageviews"])
    assert shown["Bounce rate, last 7 days"]["delta"] is None  # nothing the week before to compare with
    bounce = shown["Bounce rate, last 7 days"]  # a lower bounce rate is better; no change is neither
    assert bounce["delta_color"] == ("off" if bounce["delta"] in (None, "0.0 pts") else "inverse")
    inquiry_week = inquiries_report(cfg, WEEK_START, TODAY)
    assert tiles(inquiries)["Inquiries, last 7 days"]["value"] == display("inquiries", inquiry_week["inquiries"])
    register = rights_report(cfg, MORNING.date())
    assert {t["label"]: t["value"] for t in rights["tiles"][0]} == {
        label(key): display(key, register[key]) for key in ("open_requests", "past_promise", "at_risk", "overdue")}
    assert [t["label"] for t in rights["tiles"][0]] == ["Open requests", "Open, past the promise",
                                                        "Open, at risk",
                                                        "Open, legally overdue"]
    attention = next(t for t in rights["tables"] if t["name"] == "rights_attention")["rows"]
    assert [r["Request"] for r in attention] == [r["request_id"] for r in register["attention"]]
    # compliance has its chart too: the open requests with a running clock, fewest days left first
    from etl.compliance.rights import listing

    open_ = [r for r in listing(cfg, as_of=MORNING.date(), open_only=True) if r["days_left"] is not None]
    bars = rights["chart"]["rows"]
    assert bars and [b["Request"] for b in bars] == [r["request_id"] for r in open_][: len(bars)]


def test_movers_are_the_biggest_changes_either_way():
    now = [{"path": "/a", "pageviews": 10}, {"path": "/b", "pageviews": 50}, {"path": "/c", "pageviews": 7}]
    before = [{"path": "/a", "pageviews": 30}, {"path": "/b", "pageviews": 45}, {"path": "/d", "pageviews": 3}]
    assert movers(now, before, "path", "pageviews", n=3) == [
        {"path": "/a", "value": 10, "previous": 30, "change": -20},
        {"path": "/c", "value": 7, "previous": 0, "change": 7},
        {"path": "/b", "value": 50, "previous": 45, "change": 5},
    ]
    rows = _mover_rows(movers(now, before, "path", "pageviews"), "page", "path", "pageviews", k_min=5)
    assert rows[1] == {"Page": "/c", "Last 7 days": 7, "The 7 before": 0, "Change": 7, "Suppressed": False}
    moved = movers([{"path": "/a", "pageviews": 3}], [{"path": "/a", "pageviews": 9}], "path", "pageviews")
    small = _mover_rows(moved, "page", "path", "pageviews", 5)
    assert small == [  # numbers for a CSV; held back (empty, flagged) with the change: no count by subtraction
        {"Page": "/a", "Last 7 days": None, "The 7 before": 9, "Change": None, "Suppressed": True}
    ]
    assert "Suppressed" not in _mover_rows(moved, "page", "path", "pageviews", None)[0]  # no k: nothing held back


def test_the_strip_says_when_logs_stopped_and_in_which_zone(loaded_env):
    cfg = load_settings()
    fresh = freshness(cfg, MORNING)
    assert fresh["last_log_line"].startswith(f"{TODAY} ") and fresh["last_log_line"].endswith(
        "CST (Asia/Shanghai)")
    assert fresh["warnings"] == []
    later = freshness(cfg, MORNING + dt.timedelta(days=2))
    assert len(later["warnings"]) == 1 and later["warnings"][0].startswith("No new log lines for ")


def test_the_strip_warns_of_an_old_geoip_database_and_a_jump_in_rejected_lines(settings_env, monkeypatch):
    if demo_geoip_db() is None:
        pytest.skip("maxminddb-geolite2 (the 2018 demo database) is not installed")
    monkeypatch.setenv("VCAR_GEOIP_DB", str(demo_geoip_db()))
    cfg = load_settings()
    started = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)
    with warehouse.write(cfg.warehouse) as con:
        for n, rejected in enumerate([1] * 10 + [60]):
            queries.run(con, "status/record_run.sql", run_id=f"run{n}", kind="logs", files=1, lines_read=1000,
                        started_at=started + dt.timedelta(hours=n), lines_loaded=1000 - rejected,
                        lines_rejected=rejected, lines_skipped=0, status="ok", now=clock.now())
    warnings = freshness(cfg, MORNING)["warnings"]
    assert warnings[0] == "No log lines are held yet: run vcar ingest logs."
    assert any(w.startswith("The GeoIP database is from 2018-07-03, over six months old") for w in warnings)
    assert any(w.startswith("Rejected lines jumped to 6.0% of the last run (from 0.1%)") for w in warnings)
    for role in ("marketing", "manager", "compliance"):  # only the admin can update the database
        others = freshness(cfg, MORNING, role)["warnings"]
        assert not any("GeoIP" in w for w in others) and len(others) == len(warnings) - 1, role


@pytest.mark.slow
def test_the_page_draws_the_tiles_of_the_role(loaded_env):
    from tests.helpers import app_as

    at = app_as("compliance").run()
    at.switch_page("views/overview.py").run()
    assert not at.exception
    assert [m.label for m in at.metric] == [label(k) for k in ("open_requests", "past_promise", "at_risk", "overdue")]
    assert [s.value for s in at.subheader] == ["Rights requests", "Your pages"]
    at = app_as("marketing").run()
    at.switch_page("views/overview.py").run()
    assert not at.exception
    assert "Rights requests" not in [s.value for s in at.subheader]
    assert len(at.metric) == 6


@pytest.mark.parametrize("role", ["marketing", "admin"])
def test_the_overviews_csvs_hold_numbers_and_iso_times(loaded_env, role):
    """Issue 28, item 5: what the page's downloads hold (formatting.table's export of each Overview table) is
    numbers a spreadsheet adds up, never "3,791" or "+296", and times in ISO 8601 with their offset."""
    import re

    import polars as pl

    from etl.reporting.formatting import table

    cfg = load_settings()
    tables = [t for s in overview(cfg, role, MORNING)["sections"] for t in s["tables"] if t["rows"]]
    assert any(t["name"] == "page_movers" for t in tables)
    for t in tables:
        export = table(pl.DataFrame(t["rows"], infer_schema_length=None), cfg).export
        text = export.select(pl.col(pl.String)).write_csv(include_header=False)
        assert not re.search(r"(^|,)[+-]?\d{1,3}(,\d{3})+|(^|,)\+\d", text), (t["name"], text[:200])
        for name in ("Last 7 days", "The 7 before", "Change", "Days pending", "Hours waiting"):
            if name in export.columns:
                assert export.schema[name].is_numeric(), (t["name"], name)
        for name in (c for c in export.columns if c.startswith("Submitted")):
            assert all(re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d", v) for v in export[name])
