"""The metric registry (etl/core/metrics.py) is the one place a figure or a dimension is named: README, the SQL filter
macros, the CLI options, the dashboard's controls and the reports all agree with it; pages only draw."""

from __future__ import annotations

import ast
import datetime as dt
import re
from pathlib import Path

import pytest
from typer.main import get_command

import queries
from etl.cli import app
from etl.core import metrics
from etl.core.metrics import DIMENSIONS, FILTERS, INQUIRY_FILTERS, METRICS
from etl.reporting.formatting import display

ROOT = Path(__file__).resolve().parents[2]


def test_readme_tables_are_the_registry():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for table in metrics.readme_tables():
        assert table in readme, f"README's table is out of date; it must read:\n{table}"


def test_keys_are_unique_and_one_name_per_concept():
    keys = [m.key for m in METRICS] + [d.key for d in DIMENSIONS]
    assert len(keys) == len(set(keys))
    assert not [k for k in keys if k in {"subdivision", "date", "visit_duration", "submissions"}]


def test_the_sql_filter_struct_has_exactly_the_registrys_filters():
    fields = set(re.findall(r"f\['([a-z_]+)'\]", queries.sql_text("usage/filtered_rows.sql")))
    assert fields == set(FILTERS)
    assert INQUIRY_FILTERS == ("country", "region")


def _options(*path: str) -> set[str]:
    command = get_command(app)
    for name in path:
        command = command.commands[name]  # type: ignore[attr-defined]
    return {p.name for p in command.params}


def test_cli_filter_options_are_the_registrys():
    assert set(FILTERS) <= _options("report", "usage")
    assert set(INQUIRY_FILTERS) <= _options("report", "inquiries")
    others = _options("report", "usage") - set(FILTERS)
    assert not others & {d.key for d in DIMENSIONS}


def _keys(value, found: set[str]) -> set[str]:
    if isinstance(value, dict):
        for key, inner in value.items():
            found.add(key)
            _keys(inner, found)
    elif isinstance(value, list):
        for inner in value:
            _keys(inner, found)
    return found


def test_every_metric_is_a_key_of_some_report(loaded_env):
    from etl.core.settings import load_settings
    from etl.reporting.reports import inquiries_past_sla, inquiries_report, rights_report, usage_report

    cfg = load_settings()
    start, end = dt.date(2020, 1, 1), dt.date(2030, 1, 1)
    reports = [usage_report(cfg, start, end), inquiries_report(cfg, start, end), rights_report(cfg, end),
               inquiries_past_sla(cfg, dt.datetime(2030, 1, 1, tzinfo=dt.UTC))]
    keys = _keys(reports, set())
    assert [m.key for m in METRICS if m.key not in keys] == []


@pytest.mark.parametrize(
    ("key", "value", "shown"),
    [("visitors", 12345, "12,345"), ("bounce_rate", 0.4567, "45.7%"), ("views_per_visit", 2.0, "2.00"),
     ("visit_duration_s", 125.0, "2 min 5 s"), ("median_hours", 3.14, "3.1 h"),
     ("inquiries_per_1000_visitors", 4.25, "4.2"), ("median_days_to_close", 12.5, "12"), ("visits", None, "–")],
)
def test_display_formats_by_unit(key, value, shown):
    assert display(key, value) == shown


def test_small_counts_are_suppressed_only_when_asked():
    assert [display("visitors", n, k_min=5) for n in (0, 1, 4, 5)] == ["0", "< 5", "< 5", "5"]
    assert display("bounce_rate", 0.01, k_min=5) == "1.0%"  # shares are not counts
    assert display("visitors", 3) == "3"


ARITHMETIC = (ast.Sub, ast.Mult, ast.Div, ast.FloorDiv, ast.Mod, ast.Pow)


def test_pages_hold_no_arithmetic():
    """Every figure a page shows comes from a report: no -, *, /, //, % or ** in dashboard/views/."""
    found = []
    for path in sorted((ROOT / "dashboard" / "views").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.BinOp) and isinstance(node.op, ARITHMETIC):
                found.append(f"{path.name}:{node.lineno}: {ast.unparse(node)}")
    assert found == []


def test_series_by_week_and_month_add_up_to_the_days(loaded_env):
    from etl.core.settings import load_settings
    from etl.reporting.reports import usage_report, usage_series

    cfg = load_settings()
    start, end = dt.date(2020, 1, 1), dt.date(2030, 1, 1)
    totals = usage_report(cfg, start, end)
    for grain in ("day", "week", "month"):
        rows = usage_series(cfg, start, end, grain)
        assert sum(r["visits"] for r in rows) == totals["visits"], grain
        assert sum(r["pageviews"] for r in rows) == totals["pageviews"], grain
    weeks = [r["period"] for r in usage_series(cfg, start, end, "week")]
    assert weeks and all(day.weekday() == 0 for day in weeks)  # ISO weeks start on Monday
    hours = usage_series(cfg, start, end, "hour")
    assert sum(r["pageviews"] for r in hours) == totals["pageviews"]
    with pytest.raises(ValueError, match="grain"):
        usage_series(cfg, start, end, "fortnight")
