"""Usage trends for marketing: KPIs, daily series, pages, sources, places, devices and bots."""

from __future__ import annotations

import datetime as dt

import plotly.express as px
import polars as pl
import streamlit as st

from dashboard import loaders
from dashboard.auth import require_page
from dashboard.controls import (
    choices_start,
    comparison_note,
    coverage_note,
    covered,
    delta,
    empty_notice,
    view_controls,
)
from dashboard.tables import country_codes, show_table, suppressed
from etl.settings import cached_settings

user = require_page("views/usage.py")
cfg = cached_settings()
st.title("Usage trends")
k_min = cfg.k_min
first, last = loaders.data_range()
if last is None:
    st.info("No web-log data yet. Load access logs with: vcar ingest logs PATH")
    st.stop()

today = dt.datetime.now(cfg.tz).date()
view = view_controls("usage", today, loaders.usage_filter_options(choices_start(first, today), today))
filters = tuple(sorted(view.filters.items()))
report = loaders.usage(view.start, view.end, 15, filters)
# a change is shown only against a comparison period that data covers whole: a period without data is no zero
comparable = covered(view.comparison, first, last)
previous = loaders.usage(*view.comparison, 15, filters) if comparable else None
if not report["pageviews"] and not report["visits"]:
    empty_notice("usage", view, "visits", first, last)
if view.filters:
    st.caption("Filtered: " + ", ".join(f"{k} = {v}" for k, v in view.filters.items()) + ". The request and bot "
               "counts and the hourly series are not split by filters.")  # fmt: skip


def small(value: int | None) -> str:
    """Counts below k_min are shown as "< k" to the marketing role (small-cell suppression)."""
    if value is None:
        return "–"
    return f"< {k_min}" if user.role == "marketing" and value < k_min else f"{value:,}"


def suppress(frame: pl.DataFrame, columns: list[str]) -> pl.DataFrame:
    """Small-cell suppression of table columns for the marketing role, as one vectorized expression."""
    if user.role != "marketing":
        return frame
    return frame.with_columns(suppressed(c, k_min) for c in columns if c in frame.columns)


def change(key: str, inverse: bool = False) -> dict:
    """st.metric delta arguments against the comparison period (none where a small count is suppressed)."""
    if previous is None:
        return {}
    if user.role == "marketing" and min(report["visitors"], previous["visitors"]) < k_min:
        return {}
    shown = delta(report[key], previous[key], rate=key == "bounce_rate")
    if shown is None:
        return {}
    return {"delta": shown, "delta_color": "inverse" if inverse else "normal"}


cols = st.columns(6)
cols[0].metric("Visitors", small(report["visitors"]), **change("visitors"))
cols[1].metric("Visits", small(report["visits"]), **change("visits"))
cols[2].metric("Pageviews", small(report["pageviews"]), **change("pageviews"))
per_visit = report["views_per_visit"]
cols[3].metric("Views per visit", f"{per_visit:.2f}" if per_visit else "–", **change("views_per_visit"))
rate = report["bounce_rate"]
cols[4].metric("Bounce rate", f"{rate:.1%}" if rate is not None else "–", **change("bounce_rate", inverse=True))
duration = report["visit_duration_s"]
cols[5].metric("Visit duration", f"{int(duration // 60)} min {int(duration % 60)} s" if duration else "–",
               **change("visit_duration_s"))  # fmt: skip
for note in (coverage_note(view, first, last), comparison_note(view, first, last)):
    if note:
        st.caption(note)

grain = st.segmented_control("Series by", ["Hour", "Day", "Week", "Month"], default="Day", key="usage-grain")
if grain == "Hour":
    hourly = loaders.usage_by_hour(view.start, view.end)
    if hourly.height:
        series = hourly.with_columns(
            (pl.col("day").cast(pl.Datetime) + pl.duration(hours=pl.col("hour"))).alias("date")
        ).select("date", "pageviews", "visits")
    else:
        series = pl.DataFrame()
else:
    by_day = pl.DataFrame(report["by_day"])
    series = by_day
    if by_day.height:
        series = by_day.with_columns(pl.col("date").str.to_date())
        if grain in ("Week", "Month"):
            every = "1w" if grain == "Week" else "1mo"
            series = (
                series.sort("date")
                .group_by_dynamic("date", every=every)
                .agg(pl.col("visitors", "visits", "pageviews").sum())
            )
if series.height:
    measures = [c for c in ("visitors", "visits", "pageviews") if c in series.columns]
    fig = px.line(series, x="date", y=measures, markers=True)
    fig.update_layout(legend_title_text="", xaxis_title="", yaxis_title="", height=320)
    st.plotly_chart(fig, width="stretch")
else:
    st.caption("No visits in this period.")

left, right = st.columns(2)
with left:
    st.subheader("Top pages")
    show_table(suppress(pl.DataFrame(report["top_pages"]), ["pageviews"]), "top_pages")
    st.subheader("Sources")
    show_table(suppress(pl.DataFrame(report["sources"]), ["visits"]), "sources")
    st.subheader("Campaigns")
    show_table(suppress(pl.DataFrame(report["campaigns"]), ["visits", "visitors"]), "campaigns")
with right:
    st.subheader("Entry pages")
    show_table(suppress(pl.DataFrame(report["entry_pages"]), ["visits"]), "entry_pages")
    st.subheader("Devices")
    devices = pl.DataFrame(report["devices"])
    if devices.height:
        st.plotly_chart(px.pie(devices, names="device", values="visitors", hole=0.5), width="stretch")
    st.subheader("Browsers")
    show_table(suppress(pl.DataFrame(report["browsers"]), ["visitors", "visits"]), "browsers")
    st.subheader("Operating systems")
    show_table(suppress(pl.DataFrame(report["operating_systems"]), ["visitors", "visits"]), "operating_systems")

st.subheader("Countries")
countries = pl.DataFrame(report["countries"])
if countries.height:
    mapped = countries.join(country_codes(), on="country", how="left")
    fig = px.choropleth(mapped, locations="iso3", color="visitors", hover_name="country")
    fig.update_layout(height=360, margin={"l": 0, "r": 0, "t": 0, "b": 0})
    st.plotly_chart(fig, width="stretch")
c1, c2 = st.columns(2)
with c1:
    show_table(suppress(countries, ["pageviews", "visitors"]), "countries")
with c2:
    show_table(suppress(pl.DataFrame(report["regions"]), ["pageviews", "visitors"]), "regions")

st.subheader("Bots (kept out of every number above)")
share = report["bot_requests"] / report["requests"] if report["requests"] else 0
st.metric("Bot share of requests", f"{share:.1%}" if report["requests"] else "–")
show_table(pl.DataFrame(report["bots"]), "bots")
