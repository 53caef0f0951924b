"""Overview: how the role's area is doing this morning, and how fresh the data is. Every figure comes from
etl/reporting/overview.py (the sections of etl/reporting/summaries.py); run details are on the Data & privacy page."""

from __future__ import annotations

import plotly.express as px
import polars as pl
import streamlit as st

from dashboard import loaders
from dashboard.auth import require_page
from dashboard.navigation import pages_for
from dashboard.tables import show_table
from etl.core.metrics import label
from etl.reporting.overview import ROLE_SECTIONS

user = require_page("views/overview.py")
st.title("Overview")
sites = loaders.known_sites()
site = None
if "marketing" in ROLE_SECTIONS.get(user.role, ()) and len(sites) > 1:  # the roles shown the Website section
    chosen = st.selectbox(label("site"), ["All", *sites], key="overview-site")
    site = None if chosen == "All" else chosen
data = loaders.overview(user.role, site)
fresh = data["freshness"]
st.caption(f"Last log line: {fresh['last_log_line']}. Last load: {fresh['last_load']}.")
for warning in fresh["warnings"]:
    st.warning(warning)

for section in data["sections"]:
    st.subheader(section["title"])
    for row in section["tiles"]:
        for col, tile in zip(st.columns(len(row)), row, strict=True):
            col.metric(tile["label"], tile["value"], tile["delta"], delta_color=tile["delta_color"])
    if section["note"]:
        st.caption(section["note"])
    for table in section["tables"]:
        st.markdown(f"**{table['title']}**")
        if table["rows"]:
            show_table(pl.DataFrame(table["rows"]), table["name"])
        else:
            st.caption("None.")
    chart = section["chart"]
    if chart and chart["rows"]:
        by = chart.get("colour_by")  # a bar per request coloured by its clocks, else one colour
        fig = px.bar(pl.DataFrame(chart["rows"]), x=chart["x"], y=chart["y"], title=chart["title"], color=by,
                     color_discrete_map=chart.get("colours"), color_discrete_sequence=[chart["colour"]])
        fig.update_layout(height=280, xaxis_title="", title_font_size=14)
        st.plotly_chart(fig, width="stretch")

st.subheader("Your pages")
for page in pages_for(user.role):
    st.page_link(page.file, label=page.title, icon=page.icon)
