"""The inquiry funnel for managers: web visitors -> contact page -> inquiries -> answered -> closed, by place."""

from __future__ import annotations

import datetime as dt

import plotly.graph_objects as go
import polars as pl
import streamlit as st

from dashboard import loaders
from dashboard.auth import require_page
from dashboard.tables import show_table

require_page("views/inquiries.py")
st.title("Inquiry funnel")
first, last = loaders.inquiry_range()
if last is None:
    st.info("No inquiries yet. Load the contact form's export with: vcar ingest inquiries PATH")
    st.stop()

default_start = max(first, last - dt.timedelta(days=29))
chosen = st.date_input("Date range", (default_start, last), min_value=first, max_value=last, key="inq-range")
start, end = chosen if isinstance(chosen, tuple) and len(chosen) == 2 else (default_start, last)
overall = loaders.inquiries(start, end)
countries = sorted({r["country"] for r in overall["by_country"]})
place = st.columns(2)
country = place[0].selectbox("Country", ["All", *countries], key="inq-country")
regions = sorted({r["region"] for r in overall["by_region"] if country == "All" or r["country"] == country})
region = place[1].selectbox("Province / region", ["All", *regions], key="inq-region", disabled=country == "All")
narrow = {"country": None if country == "All" else country, "region": None if region == "All" else region}
report = loaders.inquiries(start, end, **narrow) if any(narrow.values()) else overall
funnel = report["funnel"]

cols = st.columns(5)
cols[0].metric("Visitors", f"{funnel['visitors']:,}")
cols[1].metric("On the contact page", f"{funnel['contact_page_visitors']:,}")
cols[2].metric("Inquiries", f"{funnel['submissions']:,}")
cols[3].metric("Answered", f"{funnel['responded']:,}")
cols[4].metric("Closed", f"{funnel['closed']:,}")
steps = ["Visitors", "Contact page", "Inquiries", "Answered", "Closed"]
values = [funnel[k] for k in ("visitors", "contact_page_visitors", "submissions", "responded", "closed")]
fig = go.Figure(go.Funnel(y=steps, x=values, textinfo="value+percent previous"))
fig.update_layout(height=330, margin={"t": 10, "b": 10})
st.plotly_chart(fig, width="stretch")
if any(narrow.values()):
    st.caption("Web steps and inquiries are narrowed to the chosen place (GeoIP for visitors, the form for inquiries).")

first_response = overall["first_response"]
c1, c2 = st.columns(2)
median = first_response["median_hours"]
c1.metric("Median first response", "–" if median is None else f"{median:.1f} h")
share = first_response["within_sla_share"]
c2.metric(f"Answered within {first_response['sla_hours']} h", "–" if share is None else f"{share:.0%}")

by_day = pl.DataFrame(overall["by_day"])
if by_day.height:
    st.subheader("Inquiries per day")
    st.bar_chart(by_day.to_pandas(), x="day", y=["inquiries", "responded", "closed"], stack=False, height=260)

left, right = st.columns(2)
with left:
    st.subheader("Conversion by region")
    conversion = pl.DataFrame(overall["conversion_by_region"], infer_schema_length=None)
    if conversion.height and country != "All":
        conversion = conversion.filter(pl.col("country") == country)
    show_table(conversion, "conversion_by_region")
with right:
    st.subheader("By support type")
    show_table(pl.DataFrame(overall["by_support_type"]), "by_support_type")
st.subheader("By district")
districts = pl.DataFrame(overall["by_district"])
if districts.height and country != "All":
    districts = districts.filter(pl.col("country") == country)
if districts.height and region != "All":
    districts = districts.filter(pl.col("region") == region)
show_table(districts, "by_district")
