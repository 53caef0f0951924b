"""Rights requests for the compliance officer: what is open, how long is left, and the next step of each."""

from __future__ import annotations

import datetime as dt

import plotly.express as px
import polars as pl
import streamlit as st

from dashboard import loaders
from dashboard.auth import require_page
from dashboard.tables import show_table
from etl import rights
from etl.errors import VcarError
from etl.settings import cached_settings

user = require_page("views/rights.py")
cfg = cached_settings()
actor = f"dashboard:{user.name}"
st.title("Rights requests")
today = dt.datetime.now(cfg.tz).date()
top = st.columns([1, 1, 2])
as_of = top[0].date_input("As of", today, key="rights-as-of")
open_only = top[1].toggle("Open only", value=True, key="rights-open")
frame = loaders.rights(as_of, open_only)

STATE_ORDER = ["overdue", "at_risk", "paused", "on_track", "done_late", "done_on_time"]
if frame.height:
    counts = dict(frame.group_by("sla_state").len().iter_rows())
    cols = st.columns(len(STATE_ORDER))
    for col, state in zip(cols, STATE_ORDER, strict=True):
        col.metric(state.replace("_", " ").capitalize(), counts.get(state, 0))
    order = {s: i for i, s in enumerate(STATE_ORDER)}
    view = frame.with_columns(pl.col("sla_state").replace_strict(order, default=99).alias("_o")).sort(
        "_o", "deadline", nulls_last=True
    )
    view = view.select(
        "request_id", "type", "status", "sla_state", "days_left", "deadline", "due_date", "statutory_deadline",
        "extended_deadline", "received_on", "paused_from", "paused_until", "closed_on", "channel",
    )  # fmt: skip
    show_table(view, "rights_requests")
else:
    st.info("No requests in the register for this view. Import with: vcar rights import PATH")

everything = loaders.rights(as_of, False)
if everything.height:
    st.subheader("Requests received per month, by type")
    trend = everything.group_by(pl.col("received_on").dt.strftime("%Y-%m").alias("month"), "type").len("requests")
    fig = px.bar(trend.sort("month").to_pandas(), x="month", y="requests", color="type")
    fig.update_layout(height=280, legend_title_text="", xaxis_title="", yaxis_title="requests")
    st.plotly_chart(fig, width="stretch")

st.subheader("Update a request")
ids = frame["request_id"].to_list() if frame.height else []
with st.form("update-request"):
    request_id = st.selectbox("Request", ids, key="upd-id")
    status = st.selectbox("New status", ["(unchanged)", *rights.STATUSES], key="upd-status")
    verified = st.date_input("Identity verified on", value=None, max_value=today, key="upd-verified")
    extend = st.checkbox("Extend by two months (the subject is told today)", key="upd-extend")
    reason = st.text_input("Reason for the extension", key="upd-reason")
    note = st.text_input("Note (e-mails and numbers are masked)", key="upd-note")
    if st.form_submit_button("Save") and request_id:
        try:
            rights.update(
                cfg, request_id, status=None if status == "(unchanged)" else status, identity_verified=verified,
                extend=extend, reason=reason or None, note=note or None, actor=actor,
            )  # fmt: skip
            st.success(f"{request_id} updated.")
        except VcarError as exc:
            st.error(str(exc))

st.subheader("Register a new request")
with st.form("add-request", clear_on_submit=True):
    cols = st.columns(3)
    kind = cols[0].selectbox("Type", rights.TYPES, key="add-type")
    channel = cols[1].selectbox("Channel", rights.CHANNELS, key="add-channel")
    received = cols[2].date_input("Received on", today, max_value=today, key="add-received")
    email = st.text_input("Subject's e-mail (kept only as a keyed hash)", key="add-email")
    phone = st.text_input("or phone", key="add-phone")
    if st.form_submit_button("Register"):
        try:
            new = rights.add(cfg, type_=kind, received=received, email=email or None, phone=phone or None,
                             channel=channel, actor=actor)  # fmt: skip
            st.success(f"Registered {new.request_id}.")
        except VcarError as exc:
            st.error(str(exc))

if ids:
    st.subheader("History of a request")
    chosen = st.selectbox("Request", ids, key="hist-id")
    show_table(loaders.audit_recent(limit=100, obj=chosen), f"history_{chosen}")
