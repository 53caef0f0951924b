"""Overview: who you are, what you may open, and how fresh the warehouse is."""

from __future__ import annotations

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
show_table(loaders.ingest_runs(), "ingest_runs")
