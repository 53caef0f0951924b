"""Overview: who you are, what you may open, and how fresh the warehouse is."""

from __future__ import annotations

import plotly.express as px
import polars as pl
import streamlit as st

from dashboard import loaders
from dashboard.auth import require_page
from dashboard.navigation import pages_for
from dashboard.tables import show_table

user = require_page("views/overview.py")
st.title("Overview")
status = loaders.warehouse_status()
c1, c2, c3 = st.columns(3)
c1.metric("Schema version", status["schema_version"] or 0)
c2.metric("Ingest runs", status["runs"] or 0)
c3.metric("Last successful load", str(status["last_run_at"] or "never")[:19])
st.subheader("Your pages")
for page in pages_for(user.role):
    st.page_link(page.file, label=page.title, icon=page.icon)
st.subheader("Last ingest runs")
runs = loaders.ingest_runs()
if runs.height:
    chart = runs.select(
        pl.col("started_at").dt.strftime("%Y-%m-%d %H:%M").alias("run"), "kind", "lines_loaded", "lines_rejected",
        "lines_skipped",
    ).reverse()  # fmt: skip
    fig = px.bar(chart, x="run", y=["lines_loaded", "lines_skipped", "lines_rejected"], hover_data=["kind"])
    fig.update_layout(height=260, legend_title_text="", xaxis_title="", yaxis_title="lines / rows")
    st.plotly_chart(fig, width="stretch")
show_table(runs, "ingest_runs")
