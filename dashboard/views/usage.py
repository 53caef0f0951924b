"""Usage trends for marketing: KPIs, daily series, pages, sources, places, devices and bots."""

from __future__ import annotations

import plotly.express as px
import plotly.graph_objects as go
import polars as pl
import streamlit as st

from dashboard import controls, loaders
from dashboard.auth import require_page
from dashboard.navigation import PageEnd
from dashboard.tables import HALF_WIDTH, MAP_CONFIG, country_codes, literal, show_table
from etl.core import clock
from etl.core.metrics import BY_KEY, DIMENSION_BY_KEY, label
from etl.core.settings import cached_settings
from etl.reporting.charts import clock_change_note, colours, partial_note, series_lines, time_axis
from etl.reporting.formatting import change_between, change_colour, display

user = require_page("views/usage.py")
cfg = cached_settings()
st.title("Usage trends")
k_min = cfg.k_min
first, last = loaders.data_range()
if last is None:
    st.info("No web-log data yet. Load access logs with: vcar ingest logs PATH")
    raise PageEnd

today = clock.today(cfg.tz)
view = controls.view_controls("usage", today, loaders.usage_filter_options(controls.choices_start(first, today), today))
filters = tuple(sorted(view.filters.items()))
report = loaders.usage(view.start, view.end, 15, filters)
# a change only between whole periods, the comparison one covered by data (a period without data is no zero)
comparable = controls.comparable(view, first, last, today)
previous = loaders.usage(*view.comparison, 15, filters) if comparable and view.comparison else None
if not report["pageviews"] and not report["visits"]:
    controls.empty_notice("usage", view, "visits", first, last)
if view.filters.get("page"):
    st.caption(f"Page {literal(view.filters['page'])}: every figure is that of the visits that included it (their "
               f"pageviews and duration); the page's own views: {display('pageviews', report['page_pageviews'])}.")
if view.filters:
    st.caption("Filtered: " + ", ".join(f"{label(k)} {literal(v)}" for k, v in view.filters.items())
               + ". The request and bot counts are split by the site alone, the hourly series by none.")


def shown(key: str, value: float | None) -> str:
    """A metric as displayed. To the marketing role, a period with fewer than k_min visitors (but some) shows its
    counts as "< k" and no rates, which would give the small counts away (small-cell suppression)."""
    if user.role == "marketing" and 0 < report["visitors"] < k_min:
        return f"< {k_min}" if BY_KEY[key].unit == "count" else "–"
    return display(key, value)


suppress = k_min if user.role == "marketing" else None  # small-cell suppression of the tables' counts


def change(key: str) -> dict:
    """st.metric delta arguments against the comparison period (none where a small count is suppressed)."""
    if previous is None:
        return {}
    if user.role == "marketing" and min(report["visitors"], previous["visitors"]) < k_min:
        return {}
    moved = change_between(key, report[key], previous[key])
    if moved is None:
        return {}
    return {"delta": moved, "delta_color": change_colour(key, moved)}


# two rows of three: six tiles in one row cut "Visit duration" at 1,280 px
for keys in (("visitors", "visits", "pageviews"), ("views_per_visit", "bounce_rate", "visit_duration_s")):
    for col, key in zip(st.columns(3), keys, strict=True):
        col.metric(label(key), shown(key, report[key]), **change(key))
for note in (controls.coverage_note(view, first, last), controls.comparison_note(view, first, last, today)):
    if note:
        st.caption(note)

grain_key = controls.series_control("usage", view)
series = loaders.usage_series(view.start, view.end, grain_key, filters)
if series:
    measures = [c for c in ("visitors", "visits", "pageviews") if c in series[0]]
    fig = go.Figure()
    for line in series_lines(series, measures):  # one colour per series in every view; partial periods dotted
        fig.add_scatter(x=line["x"], y=line["y"], name=line["name"], legendgroup=line["name"], mode="lines+markers",
                        line={"color": line["colour"], "dash": line["dash"]}, showlegend=line["legend"])
    fig.update_layout(legend_title_text="", xaxis_title="", yaxis_title="", height=320, **time_axis(series, grain_key))
    st.plotly_chart(fig, width="stretch")
    for note in (partial_note(series, grain_key), clock_change_note(series), "The hourly series is not split by "
                 "filters." if grain_key == "hour" and view.filters else None):
        if note:
            st.caption(note)
else:
    st.caption("No visits in this period.")

if len(report["sites"]) > 1:  # the sites side by side; they add up to the figures above
    st.subheader("Sites")
    show_table(report["sites"], "sites", k_min=suppress)

left, right = st.columns(2)
with left:
    st.subheader("Top pages")
    show_table(report["top_pages"], "top_pages", k_min=suppress, page_width=HALF_WIDTH)
    st.subheader("Sources")
    show_table(report["sources"], "sources", k_min=suppress, page_width=HALF_WIDTH)
    st.subheader("Campaigns")
    show_table(report["campaigns"], "campaigns", k_min=suppress, page_width=HALF_WIDTH)
with right:
    st.subheader("Entry pages")
    show_table(report["entry_pages"], "entry_pages", k_min=suppress, page_width=HALF_WIDTH)
    st.subheader("Devices")
    devices = pl.DataFrame(report["devices"])
    if devices.height:
        pie = px.pie(devices, names="device", values="visitors", hole=0.5, color="device",
                     labels={"device": label("device"), "visitors": label("visitors")},
                     color_discrete_map=colours(devices["device"], DIMENSION_BY_KEY["device"].values))
        st.plotly_chart(pie, width="stretch")
    st.subheader("Browsers")
    show_table(report["browsers"], "browsers", k_min=suppress, page_width=HALF_WIDTH)
    st.subheader("Operating systems")
    show_table(report["operating_systems"], "operating_systems", k_min=suppress, page_width=HALF_WIDTH)

st.subheader("Countries")
countries = pl.DataFrame(report["countries"])
if countries.height:
    mapped = countries.join(country_codes(), on="country", how="left")
    fig = px.choropleth(
        mapped,
        locations="iso3",
        color="visitors",
        hover_name="country",
        hover_data={"iso3": False},
        labels={"visitors": label("visitors")},
    )
    fig.update_layout(height=360, margin={"l": 0, "r": 0, "t": 0, "b": 0})
    st.plotly_chart(fig, width="stretch", config=MAP_CONFIG)
c1, c2 = st.columns(2)
with c1:
    show_table(countries, "countries", k_min=suppress, page_width=HALF_WIDTH)
with c2:
    show_table(report["regions"], "regions", k_min=suppress, page_width=HALF_WIDTH)
if report["geoip_attribution"]:
    st.caption(report["geoip_attribution"])

st.subheader("Bots (kept out of every number above)")
st.metric(label("bot_share"), display("bot_share", report["bot_share"]))
show_table(report["bots"], "bots")
