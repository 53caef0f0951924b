"""The URL state of the analytics pages; KPI tiles equal the CLI report."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from dashboard.controls import from_query, to_query
from etl.reporting.formatting import change_between
from tests.conftest import DAYS, START
from tests.helpers import open_page

D = dt.date
TODAY = D(2026, 11, 25)
APP = str(Path(__file__).resolve().parents[2] / "dashboard" / "app.py")


def test_the_url_round_trips_and_bad_values_fall_back():
    view = from_query({"range": "custom", "from": "2026-11-02", "to": "2026-11-04", "compare": "year",
                       "browser": "Chrome", "junk": "x"}, TODAY, ("country", "browser"))
    assert (view.start, view.end, view.compare, view.filters) == (D(2026, 11, 2), D(2026, 11, 4), "year",
                                                                   {"browser": "Chrome"})
    assert from_query(to_query(view), TODAY, ("country", "browser")) == view
    fallback = from_query({"range": "custom", "from": "yesterday", "compare": "<script>"}, TODAY, ())
    assert (fallback.preset, fallback.start, fallback.compare) == ("last30", D(2026, 10, 26), "previous")


def test_the_series_grain_and_filters_of_a_link_are_read_as_stored():
    view = from_query({"range": "last7", "series": "week", "region": "cn-gd", "device": "Mobile"}, TODAY,
                      ("region", "device"))
    assert (view.series, view.filters) == ("week", {"region": "CN-GD", "device": "mobile"})
    assert to_query(view)["series"] == "week" and from_query(to_query(view), TODAY, ("region", "device")) == view
    assert "series" not in to_query(from_query({"series": "fortnight"}, TODAY, ()))  # unknown: the daily default


@pytest.mark.slow
def test_the_series_by_control_is_kept_in_the_url(loaded_env):
    at = open_page("admin", "views/usage.py", START, START + dt.timedelta(days=DAYS - 1), series="week")
    assert at.segmented_control(key="usage-grain").value == "Week"
    at.segmented_control(key="usage-grain").set_value("Month").run()
    assert not at.exception and at.query_params["series"] == "month"
    at.segmented_control(key="usage-grain").set_value("Day").run()
    assert "series" not in at.query_params  # the default needs no word in the link


def test_deltas():
    assert change_between("visitors", 120, 100) == "+20.0%" and change_between("visitors", 80, 100) == "-20.0%"
    assert change_between("visitors", 5, 0) == "new" and change_between("visitors", 0, 0) is None
    assert change_between("visitors", 5, None) is None
    assert change_between("bounce_rate", 0.42, 0.40) == "+2.0 pts"  # a share moves in points, as on the Overview


@pytest.mark.slow
def test_usage_kpis_equal_the_cli_report_for_the_same_range_and_filters(loaded_env):
    from etl.core.settings import load_settings
    from etl.reporting.reports import usage_report

    start, end = START, START + dt.timedelta(days=DAYS - 1)
    expected = usage_report(load_settings(), start, end, filters={"device": "desktop"})
    assert expected["visitors"] > 0
    at = open_page("admin", "views/usage.py", start, end, device="desktop")
    tiles = {m.label: m.value for m in at.metric}
    assert tiles["Visitors"] == f"{expected['visitors']:,}"
    assert tiles["Pageviews"] == f"{expected['pageviews']:,}"
    assert tiles["Bounce rate"] == f"{expected['bounce_rate']:.1%}"
    assert at.selectbox(key="usage-device").value == "desktop"


@pytest.mark.slow
def test_inquiry_kpis_equal_the_cli_report_for_the_same_range_and_place(loaded_env):
    from etl.core.settings import load_settings
    from etl.reporting.reports import inquiries_report

    start, end = START, START + dt.timedelta(days=DAYS - 1)
    expected = inquiries_report(load_settings(), start, end, country="CN")
    assert expected["funnel"]["submissions"] > 0
    at = open_page("manager", "views/inquiries.py", start, end, country="CN")
    tiles = {m.label: m.value for m in at.metric}
    funnel = expected["funnel"]
    assert tiles["Visitors"] == f"{funnel['visitors']:,}"
    assert tiles["On the contact page"] == f"{funnel['contact_page_visitors']:,}"
    assert tiles["Inquiries"] == f"{funnel['submissions']:,}"
    assert tiles["Answered"] == f"{funnel['responded']:,}"
    assert tiles["Closed"] == f"{funnel['closed']:,}"


def test_a_link_whose_end_is_after_today_ends_today():
    view = from_query({"range": "custom", "from": "2026-11-01", "to": "2026-11-30"}, D(2026, 11, 26), ())
    assert (view.preset, view.start, view.end) == ("custom", D(2026, 11, 1), D(2026, 11, 26))
    future = from_query({"range": "custom", "from": "2026-12-01", "to": "2026-12-30"}, D(2026, 11, 26), ())
    assert future.preset == "last30" and future.end == D(2026, 11, 25)  # the default: 30 whole days to yesterday


@pytest.mark.parametrize(
    ("dates", "why"),
    [
        (("banana", "2025-13-45"), "not dates"),
        (("2026-11-10", "2026-11-01"), "the end is before the start"),
        (("2030-01-01", "2030-01-31"), "in the future"),
        (("2026-11-01", "2026-11-10"), None),  # usable: no word about it
    ],
)
def test_a_link_whose_dates_cannot_be_used_says_so(dates, why):
    view = from_query({"range": "custom", "from": dates[0], "to": dates[1]}, TODAY, ())
    if why is None:
        assert view.unusable is None and view.preset == "custom"
    else:
        assert why in (view.unusable or "") and view.preset == "last30"


@pytest.mark.slow
def test_the_page_warns_in_its_own_words_when_a_links_dates_are_unusable(loaded_env):
    from tests.helpers import run_page

    at = run_page("views/usage.py", "marketing", {"range": "custom", "from": "**x**", "to": "2026-11-01"})
    assert not at.exception, at.exception
    warned = [w.value for w in at.warning if "dates in this link" in w.value]
    assert warned and "**x**" not in warned[0]  # the link's text is not repeated (nor rendered) on the page
