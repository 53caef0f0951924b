"""Usage trends for marketing: KPIs, daily series, pages, sources, places, devices and bots."""

from __future__ import annotations

import datetime as dt

import plotly.express as px
import polars as pl
import streamlit as st

from dashboard import loaders
from dashboard.auth import require_page
from dashboard.tables import show_table
from etl.settings import cached_settings

user = require_page("views/usage.py")
st.title("Usage trends")
k_min = cached_settings().k_min
first, last = loaders.data_range()
if last is None:
    st.info("No web-log data yet. Load access logs with: vcar ingest logs PATH")
    st.stop()

default_start = max(first, last - dt.timedelta(days=29))
chosen = st.date_input("Date range", (default_start, last), min_value=first, max_value=last, key="range")
start, end = chosen if isinstance(chosen, tuple) and len(chosen) == 2 else (default_start, last)
report = loaders.usage(start, end)


def small(value: int | None) -> str:
    """Counts below k_min are shown as "< k" to the marketing role (small-cell suppression)."""
    if value is None:
        return "–"
    return f"< {k_min}" if user.role == "marketing" and value < k_min else f"{value:,}"


def suppress(frame: pl.DataFrame, columns: list[str]) -> pl.DataFrame:
    if user.role != "marketing":
        return frame
    return frame.with_columns(pl.col(c).map_elements(small, return_dtype=pl.String) for c in columns)


cols = st.columns(6)
cols[0].metric("Visitors", small(report["visitors"]))
cols[1].metric("Visits", small(report["visits"]))
cols[2].metric("Pageviews", small(report["pageviews"]))
cols[3].metric("Views per visit", report["views_per_visit"] or "–")
cols[4].metric("Bounce rate", f"{report['bounce_rate']:.1%}" if report["bounce_rate"] is not None else "–")
duration = report["visit_duration_s"]
cols[5].metric("Visit duration", f"{int(duration // 60)} min {int(duration % 60)} s" if duration else "–")

by_day = pl.DataFrame(report["by_day"])
if by_day.height:
    fig = px.line(by_day.to_pandas(), x="date", y=["visitors", "visits", "pageviews"], markers=True)
    fig.update_layout(legend_title_text="", xaxis_title="", yaxis_title="", height=320)
    st.plotly_chart(fig, width="stretch")

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
        st.plotly_chart(px.pie(devices.to_pandas(), names="device", values="visitors", hole=0.5), width="stretch")
    st.subheader("Browsers")
    show_table(suppress(pl.DataFrame(report["browsers"]), ["visitors", "visits"]), "browsers")

st.subheader("Countries")
countries = pl.DataFrame(report["countries"])
if countries.height:
    import pycountry

    def alpha3(code: str) -> str | None:
        found = pycountry.countries.get(alpha_2=code)
        return found.alpha_3 if found else None

    mapped = countries.with_columns(pl.col("country").map_elements(alpha3, return_dtype=pl.String).alias("iso3"))
    fig = px.choropleth(mapped.to_pandas(), locations="iso3", color="visitors", hover_name="country")
    fig.update_layout(height=360, margin={"l": 0, "r": 0, "t": 0, "b": 0})
    st.plotly_chart(fig, width="stretch")
c1, c2 = st.columns(2)
with c1:
    show_table(suppress(countries, ["pageviews", "visitors"]), "countries")
with c2:
    show_table(suppress(pl.DataFrame(report["regions"]), ["pageviews", "visitors"]), "regions")

st.subheader("Bots (kept out of every number above)")
share = report["bot_requests"] / report["requests"] if report["requests"] else 0
st.metric("Bot share of requests", f"{share:.1%}")
show_table(pl.DataFrame(report["bots"]), "bots")
