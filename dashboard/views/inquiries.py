"""The inquiry funnel for managers: web visitors -> contact page -> inquiries -> answered -> closed, by place."""

from __future__ import annotations

import plotly.express as px
import plotly.graph_objects as go
import polars as pl
import streamlit as st

from dashboard import controls, loaders
from dashboard.auth import require_page
from dashboard.navigation import PageEnd
from dashboard.tables import HALF_WIDTH, show_table
from dashboard.views.inquiry_quality import show_place_quality
from etl.core import clock
from etl.core.metrics import label
from etl.core.settings import cached_settings
from etl.reporting.charts import colours, district_bars, funnel_texts, partial_note, partial_opacity, time_axis
from etl.reporting.formatting import change_between, change_colour, display

require_page("views/inquiries.py")
cfg = cached_settings()
st.title("Inquiry funnel")
first, last = loaders.inquiry_range()
if last is None:
    st.info("No inquiries yet. Load the contact form's export with: vcar ingest inquiries PATH")
    raise PageEnd

today = clock.today(cfg.tz)
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
comparable = controls.comparable(view, first, last, today)  # whole periods that data covers whole
previous = loaders.inquiries(*view.comparison, **place) if comparable and view.comparison else None
funnel = report["funnel"]
before = previous["funnel"] if previous else {}
if not funnel["submissions"]:
    controls.empty_notice("inquiries", view, "inquiries", first, last)

steps = report["funnel_steps"]
cols = st.columns(len(steps))
for col, step in zip(cols, steps, strict=True):
    change = change_between(step["metric"], step["value"], before.get(step["step"])) if previous else None
    col.metric(label(step["metric"]), display(step["metric"], step["value"]), delta=change,
               delta_color=change_colour(step["metric"], change))
for note in (controls.coverage_note(view, first, last), controls.comparison_note(view, first, last, today)):
    if note:
        st.caption(note)
fig = go.Figure(go.Funnel(y=[label(s["metric"]) for s in steps], x=[s["value"] for s in steps],
                          text=funnel_texts(steps), textinfo="text", hoverinfo="y+text"))
fig.update_layout(height=330, margin={"t": 10, "b": 10})
st.plotly_chart(fig, width="stretch")
st.caption("Each percentage is of the previous step: the share of its people who went on to the next.")
per_1000 = display("inquiries_per_1000_visitors", report["inquiries_per_1000_visitors"])
narrowed = ", ".join(v for v in place.values() if v)
where = f". Narrowed to {narrowed} (GeoIP for visitors, the form for inquiries)." if narrowed else "."
st.caption(f"{label('inquiries_per_1000_visitors')}: {per_1000}{where}")

first_response = report["first_response"]
c1, c2, c3 = st.columns(3)
c1.metric(label("median_hours"),
          display("median_hours", first_response["median_hours"]))
c2.metric(f"Answered within {first_response['sla_hours']} h",
          display("within_sla_share", first_response["within_sla_share"]))
c3.metric(label("not_answered"), display("not_answered", report["not_answered"]))
support_colours = colours(known=[r["support_type"] for r in report["by_support_type"]])  # the same in both charts
hours = loaders.response_hours(view.start, view.end, place["country"], place["region"])
if hours.height:
    fig = px.histogram(hours, x="hours", color="support_type", nbins=40, labels={"support_type": label("support_type")},
                       color_discrete_map=support_colours)
    fig.add_vline(x=first_response["sla_hours"], line_dash="dash", annotation_text="promised")
    fig.update_layout(height=280, legend_title_text="", xaxis_title="hours to first answer", yaxis_title="")
    st.plotly_chart(fig, width="stretch")

by_day = pl.DataFrame(report["by_day"])
if by_day.height:
    st.subheader("Inquiries over time")
    steps = ("inquiries", "responded", "closed")
    named = by_day.rename({key: label(key) for key in steps})
    fig = px.bar(
        named,
        x="day",
        y=[label(key) for key in steps],
        barmode="group",
        labels={"day": "Day", "variable": "Step", "value": "Inquiries"},
    )
    fig.update_traces(marker_opacity=partial_opacity(report["by_day"]))  # today, not over, drawn pale
    fig.update_layout(height=280, legend_title_text="", xaxis_title="", yaxis_title="",
                      **time_axis(report["by_day"], "day", key="day"))
    st.plotly_chart(fig, width="stretch")
    note = partial_note(report["by_day"], "day", drawn="Pale", key="day")
    if note:
        st.caption(note)

st.subheader("Where inquiries come from")
breakdown = report["district_breakdown"]
if breakdown:
    bars = district_bars(breakdown)
    st.caption("The regions with most inquiries, each with its top districts and the rest grouped; share of the "
               f"region in brackets. {bars['note']}. The table below lists every district.")
    fig = go.Figure(go.Bar(y=bars["y"], x=bars["x"], orientation="h", text=bars["text"], textposition="auto",
                           marker_color=bars["colours"], hoverinfo="y+text"))
    fig.update_layout(height=bars["height"], margin={"t": 10, "b": 10}, xaxis_title=label("inquiries"))
    st.plotly_chart(fig, width="stretch")
show_table(report["by_district"], "by_district")

left, right = st.columns(2)
with left:
    st.subheader("Conversion by region")
    conversion = pl.DataFrame(report["conversion_by_region"], infer_schema_length=None)
    if conversion.height and place["country"]:
        conversion = conversion.filter(pl.col("country") == place["country"])
    show_table(conversion, "conversion_by_region", page_width=HALF_WIDTH, wrap=True)
    if report["geoip_attribution"]:
        st.caption(report["geoip_attribution"])
with right:
    st.subheader("By support type")
    support = pl.DataFrame(report["by_support_type"])
    if support.height:
        fig = px.bar(support, x="inquiries", y="support_type", orientation="h", color="support_type",
                     color_discrete_map=support_colours,
                     labels={"support_type": label("support_type"), "inquiries": label("inquiries")})
        fig.update_layout(height=260, xaxis_title="", yaxis_title="", margin={"t": 10, "b": 10}, showlegend=False)
        st.plotly_chart(fig, width="stretch")
    show_table(support, "by_support_type", page_width=HALF_WIDTH)

show_place_quality(view.start, view.end, place["country"], place["region"])

st.subheader("Data quality of the latest import")
st.caption("What people typed that could not be mapped, and rows without consent (not loaded: a compliance finding).")
quality = loaders.data_quality()
show_table(quality.filter(pl.col("source") == "inquiries") if quality.height else quality, "inquiry_data_quality")
