"""Charts that say what they show: partial periods marked, one colour per series in every view, a district
breakdown that can be read, the funnel's percentages said to be of the previous step."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from etl.reporting.charts import (
    PARTIAL_DASH,
    PARTIAL_OPACITY,
    SERIES_COLOURS,
    colours,
    district_bars,
    funnel_texts,
    partial_note,
    partial_opacity,
    series_lines,
)
from etl.reporting.reports import OTHER_DISTRICTS, district_breakdown, funnel_steps, is_partial, usage_series
from tests.conftest import START, TODAY

D = dt.date
NOON = dt.datetime(2026, 11, 26, 12, 0)  # local time, the day of "today" below


@pytest.mark.parametrize(
    ("period", "grain", "start", "end", "partial"),
    [(D(2026, 11, 26), "day", D(2026, 11, 20), D(2026, 11, 26), True),  # today, not over
     (D(2026, 11, 25), "day", D(2026, 11, 20), D(2026, 11, 26), False),
     (D(2026, 11, 16), "week", D(2026, 11, 18), D(2026, 11, 25), True),  # the range starts on its Wednesday
     (D(2026, 11, 9), "week", D(2026, 11, 9), D(2026, 11, 15), False),
     (D(2026, 11, 23), "week", D(2026, 11, 9), D(2026, 11, 26), True),  # the week still going
     (D(2026, 10, 1), "month", D(2026, 10, 1), D(2026, 10, 31), False),
     (D(2026, 11, 1), "month", D(2026, 10, 1), D(2026, 11, 26), True),
     (dt.datetime(2026, 11, 26, 11), "hour", D(2026, 11, 26), D(2026, 11, 26), False),
     (dt.datetime(2026, 11, 26, 12), "hour", D(2026, 11, 26), D(2026, 11, 26), True)],
)
def test_a_period_is_partial_when_not_over_or_cut_by_the_range(period, grain, start, end, partial):
    assert is_partial(period, grain, start, end, NOON) is partial


def rows(*partial: bool) -> list[dict]:
    return [{"period": D(2026, 11, 2 + i), "visitors": 8 * i, "visits": 10 * i, "pageviews": 30 * i, "partial": p}
            for i, p in enumerate(partial)]


def test_partial_periods_at_either_end_are_dotted_and_joined_to_their_neighbours():
    traces = series_lines(rows(True, False, False, True), ["visits"])
    assert [(t["name"], t["dash"], [p.day for p in t["x"]], t["legend"]) for t in traces] == [
        ("Visits", "solid", [3, 4], True),
        ("Visits", PARTIAL_DASH, [2, 3], False),
        ("Visits", PARTIAL_DASH, [4, 5], False),
        ("Partial period", PARTIAL_DASH, [2], True),  # legend only (no y), and last: a date axis stays one
    ]
    assert [t["dash"] for t in series_lines(rows(False, False), ["visits"])] == ["solid"]
    assert partial_note(rows(False, True), "day").startswith("Dotted: 2026-11-03, not over yet")


def test_a_daily_bar_chart_draws_today_pale():
    days = [{"day": "2026-11-25", "partial": False}, {"day": "2026-11-26", "partial": True}]
    assert partial_opacity(days) == [1.0, PARTIAL_OPACITY]
    assert partial_note(days, "day", drawn="Pale", key="day").startswith("Pale: 2026-11-26, not over yet")


def test_a_series_has_its_colour_in_every_view():
    hourly = series_lines(rows(False, False), ["visits", "pageviews"])  # the hourly series has no visitors
    daily = series_lines(rows(False, False), ["visitors", "visits", "pageviews"])
    colour = {t["name"]: t["colour"] for t in daily}
    assert {t["name"]: t["colour"] for t in hourly} == {"Visits": colour["Visits"], "Pageviews": colour["Pageviews"]}
    assert len(set(SERIES_COLOURS.values()) - {SERIES_COLOURS["inquiries_per_1000_visitors"]}) >= 4
    assert colours(["b", "a"])["a"] == colours(["a"])["a"]  # a value's colour does not depend on the others
    assert colours(known=["x", "y"]) == {"x": "#0068c9", "y": "#83c9ff"}


def test_the_district_breakdown_keeps_the_top_districts_and_groups_the_rest():
    def place(region: str, district: str, n: int) -> dict:
        return {"country": "CN", "region": region, "adcode": None, "district": district, "inquiries": n}

    many = [place("CN-GD", f"d{i}", 10 - i) for i in range(7)] + [place("CN-ZJ", "z1", 5), place("CN-ZJ", "z2", 1)]
    many += [place(f"CN-X{i}", "x", 1) for i in range(3)]
    found = district_breakdown(many, regions=2, districts=3)
    assert [(r["region"], r["district"], r["inquiries"]) for r in found] == [
        ("CN-GD", "d0", 10), ("CN-GD", "d1", 9), ("CN-GD", "d2", 8), ("CN-GD", OTHER_DISTRICTS, 22),
        ("CN-ZJ", "z1", 5), ("CN-ZJ", "z2", 1),  # two districts: nothing to group
        (None, None, 3),
    ]
    assert found[0]["region_name"] == "Guangdong Sheng" and found[-1]["region_name"] == "Other regions (3)"
    assert found[3]["share_of_region"] == pytest.approx(22 / 49, abs=1e-4)
    bars = district_bars(found)
    assert bars["y"][1][-1] == "d0" and len(bars["x"]) == 6  # biggest at the top; the other regions left out
    assert bars["text"][-1] == "10 (20.4% of the region)" and bars["note"].startswith("Other regions (3): 3 ")
    assert len(set(bars["colours"])) == 2  # one colour per region


def test_the_funnels_percentages_say_they_are_of_the_previous_step():
    steps = funnel_steps({"visitors": 8686, "contact_page_visitors": 2373, "submissions": 326, "responded": 304,
                          "closed": 134})
    assert funnel_texts(steps)[:2] == ["8,686", "2,373 (27.3% of the previous step)"]


def test_the_usage_series_marks_what_is_not_over(loaded_env):
    from etl.core.settings import load_settings

    cfg = load_settings()
    during = dt.datetime.combine(TODAY, dt.time(15), cfg.tz)
    days = usage_series(cfg, START, TODAY, "day", now=during)
    assert [r["partial"] for r in days] == [False] * (len(days) - 1) + [True]
    after = usage_series(cfg, START, TODAY, "day", now=during + dt.timedelta(days=1))
    assert not any(r["partial"] for r in after)


def plotly_specs(at) -> list[dict]:
    return [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]


@pytest.mark.slow
def test_the_pages_draw_the_funnel_labelled_and_no_sunburst(loaded_env):
    from tests.helpers import open_page

    at = open_page("manager", "views/inquiries.py", START, TODAY)
    specs = plotly_specs(at)
    traces = [trace for spec in specs for trace in spec["data"]]
    assert not [t for t in traces if t.get("type") == "sunburst"]
    funnel = next(t for t in traces if t.get("type") == "funnel")
    assert all("of the previous step" in text for text in funnel["text"][1:])
    daily = next(t for t in traces if t.get("type") == "bar" and t.get("name") == "Inquiries")
    assert daily["marker"]["opacity"] == [1.0] * len(daily["x"])  # the sample's days are all over
    assert any(t.get("type") == "bar" and t.get("orientation") == "h" and isinstance(t["y"][0], list)
               for t in traces)  # the districts, grouped under their region


@pytest.mark.slow
def test_the_usage_chart_keeps_each_series_colour_from_day_to_hour(loaded_env):
    from tests.helpers import open_page

    at = open_page("admin", "views/usage.py", START, TODAY)
    seen = {}
    for grain in ("Day", "Hour"):
        at.segmented_control(key="usage-grain").set_value(grain).run()
        chart = plotly_specs(at)[0]
        assert chart["layout"]["xaxis"]["type"] == "date"  # periods on a time axis, whatever trace comes first
        assert chart["layout"]["yaxis"]["rangemode"] == "tozero"  # counts: a dip does not fill the chart
        series = chart["data"]
        seen[grain] = {t["name"]: t["line"]["color"] for t in series if t["name"] != "Partial period"}
    assert seen["Hour"] == {k: v for k, v in seen["Day"].items() if k in seen["Hour"]}
    assert seen["Hour"]["Visits"] == SERIES_COLOURS["visits"]


@pytest.mark.parametrize("grain", ["hour", "day", "week", "month"])
def test_a_one_period_series_gets_an_axis_of_periods_not_milliseconds(grain):
    import plotly.graph_objects as go

    from etl.reporting.charts import time_axis

    for period in (dt.date(2026, 11, 2), dt.datetime(2026, 11, 2, 9), "2026-11-02"):
        axis = time_axis([{"period": period, "visitors": 3}], grain)
        low, high = axis["xaxis_range"]
        assert high - low >= dt.timedelta(hours=2)  # a period either side, not plotly's sub-second zoom
        go.Figure().update_layout(**axis)  # a layout plotly accepts
    many = time_axis([{"period": dt.date(2026, 11, d)} for d in (1, 2)], grain)
    assert "xaxis_range" not in many and many["xaxis_type"] == "date"  # plotly fits several periods itself
