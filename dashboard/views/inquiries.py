"""The inquiry funnel for managers: web visitors -> contact page -> inquiries -> answered -> closed, by place."""

from __future__ import annotations

import datetime as dt

import plotly.express as px
import plotly.graph_objects as go
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
from dashboard.tables import show_table
from dashboard.views.inquiry_quality import show_place_quality
from etl.settings import cached_settings

require_page("views/inquiries.py")
cfg = cached_settings()
st.title("Inquiry funnel")
first, last = loaders.inquiry_range()
if last is None:
    st.info("No inquiries yet. Load the contact form's export with: vcar ingest inquiries PATH")
    st.stop()

today = dt.datetime.now(cfg.tz).date()
places = loaders.inquiry_places(choices_start(first, today), today)
options = {
    "country": places.group_by("country")
    .agg(pl.col("inquiries").sum())
    .sort("inquiries", descending=True)["country"]
    .to_list(),
    "region": places.filter(pl.col("region") != "unknown")["region"].to_list(),
}
view = view_controls("inquiries", today, options)
place = {"country": view.filters.get("country"), "region": view.filters.get("region")}
report = loaders.inquiries(view.start, view.end, **place)
comparable = covered(view.comparison, first, last)  # changes only against a period that data covers whole
previous = loaders.inquiries(*view.comparison, **place) if comparable else None
funnel = report["funnel"]
before = previous["funnel"] if previous else {}
if not funnel["submissions"]:
    empty_notice("inquiries", view, "inquiries", first, last)

cols = st.columns(5)
for col, (key, label) in zip(cols, [("visitors", "Visitors"), ("contact_page_visitors", "On the contact page"),
                                    ("submissions", "Inquiries"), ("responded", "Answered"), ("closed", "Closed")],
                             strict=True):  # fmt: skip
    change = delta(funnel[key], before.get(key)) if previous else None
    col.metric(label, f"{funnel[key]:,}", delta=change)
for note in (coverage_note(view, first, last), comparison_note(view, first, last)):
    if note:
        st.caption(note)
steps = ["Visitors", "Contact page", "Inquiries", "Answered", "Closed"]
values = [funnel[k] for k in ("visitors", "contact_page_visitors", "submissions", "responded", "closed")]
fig = go.Figure(go.Funnel(y=steps, x=values, textinfo="value+percent previous"))
fig.update_layout(height=330, margin={"t": 10, "b": 10})
st.plotly_chart(fig, width="stretch")
per_1000 = 1000 * funnel["submissions"] / funnel["visitors"] if funnel["visitors"] else None
st.caption(
    ("Inquiries per 1,000 visitors: " + (f"{per_1000:.1f}" if per_1000 is not None else "–"))
    + (". Narrowed to " + ", ".join(v for v in place.values() if v) + " (GeoIP for visitors, the form for "
       "inquiries)." if any(place.values()) else ".")
)  # fmt: skip

first_response = report["first_response"]
c1, c2, c3 = st.columns(3)
median = first_response["median_hours"]
c1.metric("Median first response", "–" if median is None else f"{median:.1f} h")
share = first_response["within_sla_share"]
c2.metric(f"Answered within {first_response['sla_hours']} h", "–" if share is None else f"{share:.0%}")
open_now = funnel["submissions"] - funnel["responded"]
c3.metric("Not answered yet", f"{open_now:,}")
hours = loaders.response_hours(view.start, view.end, place["country"], place["region"])
if hours.height:
    fig = px.histogram(hours, x="hours", color="support_type", nbins=40)
    fig.add_vline(x=first_response["sla_hours"], line_dash="dash", annotation_text="promised")
    fig.update_layout(height=280, legend_title_text="", xaxis_title="hours to first answer", yaxis_title="")
    st.plotly_chart(fig, width="stretch")

by_day = pl.DataFrame(report["by_day"])
if by_day.height:
    st.subheader("Inquiries over time")
    fig = px.bar(by_day, x="day", y=["inquiries", "responded", "closed"], barmode="group")
    fig.update_layout(height=280, legend_title_text="", xaxis_title="", yaxis_title="")
    st.plotly_chart(fig, width="stretch")

st.subheader("Where inquiries come from")
districts = pl.DataFrame(report["by_district"])
if districts.height:
    fig = px.sunburst(districts, path=["country", "region", "district"], values="inquiries")
    fig.update_layout(height=420, margin={"t": 10, "b": 10})
    st.plotly_chart(fig, width="stretch")
show_table(districts, "by_district")

left, right = st.columns(2)
with left:
    st.subheader("Conversion by region")
    conversion = pl.DataFrame(report["conversion_by_region"], infer_schema_length=None)
    if conversion.height and place["country"]:
        conversion = conversion.filter(pl.col("country") == place["country"])
    show_table(conversion, "conversion_by_region")
with right:
    st.subheader("By support type")
    support = pl.DataFrame(report["by_support_type"])
    if support.height:
        fig = px.bar(support, x="inquiries", y="support_type", orientation="h")
        fig.update_layout(height=260, xaxis_title="", yaxis_title="", margin={"t": 10, "b": 10})
        st.plotly_chart(fig, width="stretch")
    show_table(support, "by_support_type")

show_place_quality(view.start, view.end)

st.subheader("Data quality of the latest import")
st.caption("What people typed that could not be mapped, and rows without consent (not loaded: a compliance finding).")
quality = loaders.data_quality()
show_table(quality.filter(pl.col("source") == "inquiries") if quality.height else quality, "inquiry_data_quality")
