"""Rights requests for the compliance officer: what is open, how long is left, and the next step of each."""

from __future__ import annotations

import json

import plotly.express as px
import polars as pl
import streamlit as st

from dashboard import loaders
from dashboard.auth import require_page
from dashboard.tables import show_table
from etl.admin.lifecycle import owner_lost_right
from etl.compliance import rights
from etl.core import clock
from etl.core.errors import FieldError, VcarError
from etl.core.metrics import BY_KEY, label
from etl.core.settings import cached_settings
from etl.core.words import as_words
from etl.reporting.charts import URGENCY_TINTS, clock_colours, colours
from etl.reporting.formatting import display
from etl.reporting.summaries import RIGHTS_TILES

# The form's words for each field a check may name (the CLI names them by their options instead).
FORM_LABELS = {
    "status": "New status", "identity_verified": "Identity verified on", "extend": "Extend by two months",
    "reason": "Reason for the extension", "received": "Received on", "email": "Subject's e-mail", "phone": "Phone",
    "type": "Type", "channel": "Channel", "owner": "Owner",
}
UNCHANGED, NOBODY = "(unchanged)", "(nobody)"

user = require_page("views/rights.py")
cfg = cached_settings()
actor = f"dashboard:{user.name}"
st.title("Rights requests")
if "rights-saved" in st.session_state:  # said after the rerun that shows the change everywhere on the page
    st.success(st.session_state.pop("rights-saved"))
today = clock.today(cfg.tz)
top = st.columns([1, 1, 2])
as_of = top[0].date_input("As of", today, key="rights-as-of")
open_only = top[1].toggle("Open only", value=True, key="rights-open")
frame = loaders.rights(as_of, open_only)

CLOSED_TILES = ("promise_kept_share", "on_time_share", "median_days_to_close")
# what decides the next step first (the table scrolls sideways to the rest; the download has every column)
SHOWN = ("request_id", "clocks", "legal_days_left", "legal_deadline", "due_date", "status", "type", "owner",
         "received_on", "closed_on")
summary = loaders.rights_summary(as_of)
attention = summary["attention"]
for banner, title, late in (
    (st.error, "Legally overdue", [r for r in attention if r["legal_state"] == "overdue"]),
    (st.warning, "Past the promise or near a deadline", [r for r in attention if r["legal_state"] != "overdue"]),
):
    if late:
        named = "; ".join(f"`{r['request_id']}` {r['clocks']}, legal deadline {r['legal_deadline']} "
                          f"({r['legal_standing']}), owner {r['owner'] or 'nobody'}" for r in late)
        banner(f"{title}: {named}.")
lost = owner_lost_right(cfg, frame.to_dicts()) if frame.height else []
if lost:  # the owner was disabled, removed or given a role that cannot open this page (etl/admin/lifecycle.py)
    st.warning(f"Owner lost the right: {', '.join(lost)}. Give these requests to another owner below.")
if summary["received_by_month"]:
    for keys, heading in ((RIGHTS_TILES, "Open requests"),
                          (CLOSED_TILES, f"Closed requests, last {summary['window_days']} days")):
        st.caption(heading)  # which requests each row counts; each tile's help names its clock
        for col, key in zip(st.columns(len(keys)), keys, strict=True):
            col.metric(label(key), display(key, summary[key]), help=BY_KEY[key].definition)

if frame.height:
    st.caption(
        "Most urgent first: legally overdue, past the promise, at risk, on track, paused, closed; coloured the same "
        "way. Two clocks: the promise of 15 business days and the legal deadline in force (one month, three after "
        "an extension, or the PIPL's 15 working days). The download also holds the statutory, extended and PIPL "
        "dates and the identity check's dates."
    )
    tints = clock_colours(frame.to_dicts(), URGENCY_TINTS)
    view = frame.select(*SHOWN, "promise_state", "legal_state", "deadline_provisional", "statutory_deadline",
                        "extended_deadline", "pipl_deadline", "paused_from", "paused_until", "channel", "regime")
    show_table(view, "rights_requests", colours=("clocks", tints), only=SHOWN)
    if summary["provisional_note"]:
        st.warning(summary["provisional_note"])
else:
    st.info("No requests in the register for this view. Import with: vcar rights import PATH")

if summary["received_by_month"]:
    st.subheader("Requests received per month, by type")
    in_words = {kind: as_words(kind) for kind in rights.TYPES}  # legend and hover in words
    fig = px.bar(
        pl.DataFrame(summary["received_by_month"]).with_columns(pl.col("type").replace(in_words)),
        x="month",
        y="requests",
        color="type",
        color_discrete_map={in_words[k]: v for k, v in colours(known=rights.TYPES).items() if k in in_words},
        category_orders={"type": list(in_words.values())},
        labels={"type": "Type", "month": "Month", "requests": "Requests"},
    )
    fig.update_layout(height=280, legend_title_text="", xaxis_title="", yaxis_title="requests")
    fig.update_xaxes(dtick="M1", tickformat="%b %Y")  # one tick per month, named
    st.plotly_chart(fig, width="stretch")

st.subheader("Update a request")
ids = frame["request_id"].to_list() if frame.height else []  # the table's order: the most urgent first
# The picker stands outside the form and the form's fields are keyed by the request: picking another request
# shows that request's values, never what was typed for the previous one.
if ids and st.session_state.get("upd-id") not in ids:  # none picked, or the one picked left the list
    st.session_state["upd-id"] = ids[0]
request_id = st.selectbox("Request", ids, key="upd-id")
if request_id:
    current = frame.filter(pl.col("request_id") == request_id).row(0, named=True)
    with st.form(f"update-request-{request_id}"):
        st.caption(f"{request_id} is now {as_words(current['status'])}.")
        status = st.selectbox(
            "New status", [UNCHANGED, *rights.STATUSES], key=f"upd-status-{request_id}", format_func=as_words
        )
        verified = st.date_input("Identity verified on", value=current["identity_verified_on"], max_value=today,
                                 key=f"upd-verified-{request_id}")
        extend = st.checkbox("Extend by two months (the subject is told today)", key=f"upd-extend-{request_id}")
        reason = st.text_input("Reason for the extension", key=f"upd-reason-{request_id}")
        note = st.text_input("Note (e-mails and numbers are masked)", key=f"upd-note-{request_id}")
        owner = st.selectbox(f"Owner (now {current['owner'] or 'nobody'})", [UNCHANGED, NOBODY, *loaders.staff()],
                             key=f"upd-owner-{request_id}")
        if st.form_submit_button("Save"):
            try:
                rights.update(
                    cfg, request_id, status=None if status == UNCHANGED else status,
                    identity_verified=verified if verified != current["identity_verified_on"] else None,
                    extend=extend, reason=reason or None, note=note or None, actor=actor,
                    owner={UNCHANGED: None, NOBODY: ""}.get(owner, owner),
                )
                st.session_state["rights-saved"] = f"{request_id} updated."
                st.rerun()  # the banner, the register and the timeline above were drawn before the change
            except FieldError as exc:
                st.error(exc.in_words(FORM_LABELS))
            except VcarError as exc:
                st.error(str(exc))

st.subheader("Register a new request")
with st.form("add-request", clear_on_submit=True):
    fields = st.columns(3)
    kind = fields[0].selectbox("Type", rights.TYPES, key="add-type", format_func=as_words)
    channel = fields[1].selectbox("Channel", rights.CHANNELS, key="add-channel", format_func=as_words)
    received = fields[2].date_input("Received on", today, max_value=today, key="add-received")
    email = st.text_input("Subject's e-mail (kept only as a keyed hash)", key="add-email")
    phone = st.text_input("or phone", key="add-phone")
    if st.form_submit_button("Register"):
        try:
            new = rights.add(cfg, type_=kind, received=received, email=email or None, phone=phone or None,
                             channel=channel, actor=actor)
            st.session_state["rights-saved"] = f"Registered {new.request_id}."
            st.rerun()
        except FieldError as exc:
            st.error(exc.in_words(FORM_LABELS))
        except VcarError as exc:
            st.error(str(exc))

if ids:
    st.subheader("Timeline of a request")
    chosen = st.selectbox("Request", ids, key="hist-id")
    st.caption("Milestones from the register and every change from the audit log, as of the day chosen above.")
    show_table(loaders.rights_timeline(chosen, as_of), f"timeline_{chosen}")

st.subheader("Subject access and erasure")
st.caption("Type the subject's e-mail or phone; it is turned into a keyed hash at once and never stored or logged.")
with st.form("subject"):
    who = st.text_input("E-mail or phone", key="subject-who")
    action = st.radio("Action", ["Export (Art. 15/20)", "Erase (Art. 17)"], horizontal=True, key="subject-action")
    confirm = st.text_input("To erase, type ERASE", key="subject-confirm")
    go = st.form_submit_button("Run")
if go and who.strip():
    from etl.compliance.subject_rights import erase, export

    ident = {"email": who.strip()} if "@" in who else {"phone": who.strip()}
    try:
        if action.startswith("Export"):
            data = export(cfg, actor=actor, **ident)
            st.success(f"{len(data['inquiries'])} inquiries and {len(data['rights_requests'])} requests held.")
            st.download_button("Download the export (JSON)", json.dumps(data, ensure_ascii=False, indent=2,
                               default=str).encode("utf-8"), file_name="subject-export.json",
                               mime="application/json", key="subject-download")
        elif confirm.strip() != "ERASE":
            st.error("Erasure cannot be undone: type ERASE to confirm.")
        else:
            result = erase(cfg, actor=actor, **ident)
            st.success(f"{result['inquiries_anonymized']} inquiries anonymized, {result['rights_requests_unlinked']} "
                       "requests unlinked.")
    except FieldError as exc:
        st.error(exc.in_words({"email": "E-mail or phone", "phone": "E-mail or phone"}))
    except VcarError as exc:
        st.error(str(exc))
