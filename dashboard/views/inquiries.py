"""The inquiry funnel for managers: web visitors -> contact page -> inquiries -> answered -> closed, by place."""

from __future__ import annotations

import datetime as dt

import plotly.express as px
import plotly.graph_objects as go
import polars as pl
import streamlit as st

from dashboard import controls, loaders
from dashboard.auth import require_page
from dashboard.tables import show_table
from dashboard.views.inquiry_quality import show_place_quality
from etl.formatting import change_between, display
from etl.metrics import label
from etl.settings import cached_settings

require_page("views/inquiries.py")
cfg = cached_settings()
st.title("Inquiry funnel")
first, last = loaders.inquiry_range()
if last is None:
    st.info("No inquiries yet. Load the contact form's export with: vcar ingest inquiries PATH")
    st.stop()

today = dt.datetime.now(cfg.tz).date()
places = loaders.inquiry_places(controls.choices_start(first, today), today)
options = {
    "country": places.group_by("country")
    .agg(pl.col("inquiries").sum())
    .sort("inquiries", descending=True)["country"]
    .to_list(),
    "region": places.filter(pl.col("region") != "unknown")["region"].to_list(),
}
view = controls.view_controls("inquiries", today, options)
place = {"country": view.filters.get("country"), "region": view.filters.get("region")}
report = loaders.inquiries(view.start, view.end, **place)
comparable = controls.covered(view.comparison, first, last)  # changes only against a period that data covers whole
previous = loaders.inquiries(*view.comparison, **place) if comparable and view.comparison else None
funnel = report["funnel"]
before = previous["funnel"] if previous else {}
if not funnel["submissions"]:
    controls.empty_notice("inquiries", view, "inquiries", first, last)

STEPS = {
    "visitors": "visitors",
    "contact_page_visitors": "contact_page_visitors",
    "submissions": "inquiries",
    "responded": "responded",
    "closed": "closed",
}  # the funnel's keys -> the registry's metrics
cols = st.columns(5)
for col, (key, metric) in zip(cols, STEPS.items(), strict=True):
    change = change_between(metric, funnel[key], before.get(key)) if previous else None
    col.metric(label(metric), display(metric, funnel[key]), delta=change)
for note in (controls.coverage_note(view, first, last), controls.comparison_note(view, first, last)):
    if note:
        st.caption(note)
fig = go.Figure(go.Funnel(y=[label(m) for m in STEPS.values()], x=[funnel[k] for k in STEPS],
                          textinfo="value+percent previous"))  # fmt: skip
fig.update_layout(height=330, margin={"t": 10, "b": 10})
st.plotly_chart(fig, width="stretch")
per_1000 = display("inquiries_per_1000_visitors", report["inquiries_per_1000_visitors"])
narrowed = ", ".join(v for v in place.values() if v)
where = f". Narrowed to {narrowed} (GeoIP for visitors, the form for inquiries)." if narrowed else "."
st.caption(f"{label('inquiries_per_1000_visitors')}: {per_1000}{where}")

first_response = report["first_response"]
c1, c2, c3 = st.columns(3)
c1.metric(label("median_hours"),
          display("median_hours", first_response["median_hours"]))  # fmt: skip
c2.metric(f"Answered within {first_response['sla_hours']} h",
          display("within_sla_share", first_response["within_sla_share"]))  # fmt: skip
c3.metric(label("not_answered"), display("not_answered", report["not_answered"]))
hours = loaders.response_hours(view.start, view.end, place["country"], place["region"])
if hours.height:
    fig = px.histogram(hours, x="hours", color="support_type", nbins=40)
    fig.add_vline(x=first_response["sla_hours"], line_dash="dash", annotation_text="promised")
    fig.update_layout(height=280, legend_title_text="", xaxis_title="hours to first answer", yaxis_title="")
    st.plotly_chart(fig, width="stretch")

by_day = pl.DataFrame(report["by_day"])
if by_day.height:
    st.subheader("Inquiries over time")
    steps = ("inquiries", "responded", "closed")
    named = by_day.rename({key: label(key) for key in steps})
    fig = px.bar(named, x="day", y=[label(key) for key in steps], barmode="group")
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
