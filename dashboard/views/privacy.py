"""Data & privacy: the policy's promises with evidence, the record of processing, data quality, retention, the
audit chain and the salts."""

from __future__ import annotations

import plotly.express as px
import polars as pl
import streamlit as st

from dashboard import loaders
from dashboard.auth import require_page
from dashboard.navigation import pages_for
from dashboard.tables import show_table
from etl.compliance import activities
from etl.compliance.inventory import INVENTORY
from etl.compliance.promises import STATUS_COLOURS, html_report
from etl.core import clock, keystore
from etl.core.settings import cached_settings
from etl.core.words import as_words, moment_with_zone, thousands
from etl.reporting.formatting import heading

user = require_page("views/privacy.py")
cfg = cached_settings()
st.title("Data & privacy")
today = clock.today(cfg.tz)

st.subheader("Privacy promises")
kept = loaders.promises(today)
st.caption(f"Each promise of the privacy policy (version {kept['policy_version']}) checked against the warehouse "
           f"as of {kept['as_of']}; `vcar promises` prints the same.")
panel = [{"status": p["status"], "law": p["regime"].upper(), "section": p["section"], "promise": p["text"],
          "evidence": p["summary"],
          "details_on": p["page"]} for p in kept["promises"]]
show_table(panel, "privacy_promises", colours=("status", STATUS_COLOURS), wrap=True)
with st.expander("The evidence of each promise in full"):
    for p in kept["promises"]:
        st.text(f"{as_words(p['status'])}: {p['id']} (section {p['section']}): {p['summary']}")
st.download_button(
    "Download the promises report (HTML, printable)", html_report(kept),
    file_name=f"privacy-promises-{kept['as_of']}.html", mime="text/html", key="promises-report",
)
for spec in pages_for(user.role):
    if spec.title in {p["page"] for p in kept["promises"]} and spec.file != "views/privacy.py":
        st.page_link(spec.file, label=f"Details: {spec.title}", icon=spec.icon)

verification = loaders.audit_verification()
salts = keystore.salt_days(cfg.secrets_dir) if cfg.secrets_dir.exists() else []
cols = st.columns(3)
cols[0].metric("Audit chain", "intact" if verification.ok else f"broken at {verification.first_broken}")
cols[1].metric("Audit entries", thousands(verification.entries))
cols[2].metric("Visitor salts kept", thousands(len(salts)), help=f"destroyed after {cfg.salt_retention_days} days")
if not verification.ok:
    st.error(f"The audit log was altered: entry {verification.first_broken}: {verification.reason}.")

st.subheader("Record of processing (Art. 30)")
st.caption("Every warehouse table and column; a test fails when one exists without an entry here.")
tables = [{"table": t.name, "purpose": t.purpose, "legal_basis": t.legal_basis, "category": t.category,
           "retention": t.retention, "columns": len(t.columns)} for t in INVENTORY]
show_table(tables, "record_of_processing")
chosen = st.selectbox("Columns of", [t.name for t in INVENTORY], key="inv-table")
table = next(t for t in INVENTORY if t.name == chosen)
show_table(pl.DataFrame({"column": list(table.columns), "meaning": list(table.columns.values())}), f"columns_{chosen}")

st.subheader("Record of processing by activity (Art. 30(1))")
st.caption("Each processing activity with its purposes, data subjects, personal data, recipients, transfers, time "
           "limits and security measures, and the tables above that it uses; `vcar inventory --by-activity` prints "
           "the same.")
show_table(activities.record(cfg), "record_of_processing_by_activity",
           headings={"activity": "Activity", "tables": "Tables", **activities.HEADINGS}, wrap=True)
st.download_button(
    "Download the record by activity (HTML, printable)", activities.html_record(cfg, today.isoformat()),
    file_name=f"record-of-processing-{today}.html", mime="text/html", key="activities-report",
)

st.subheader("Retention")
due = loaders.retention_due(today)
st.caption(
    f"Events and visits are kept {cfg.event_retention_days} days, inquiries {cfg.inquiry_retention_days} days, "
    f"closed rights requests {cfg.rights_retention_days} days; every ingest applies retention."
)
held = loaders.held_against_policy(today)
bars = held.rename({c: heading(c) for c in ("table", "oldest_age_days", "policy_days")})  # the legend in words
fig = px.bar(bars, x=heading("table"), y=[heading("oldest_age_days"), heading("policy_days")], barmode="group")
fig.update_layout(height=280, legend_title_text="", xaxis_title="", yaxis_title="days")
st.plotly_chart(fig, width="stretch")
show_table(held, "retention_status")
show_table([{"table": k, "rows_past_retention": v} for k, v in due.items()], "retention_due")

st.subheader("Raw logs under both laws")
st.caption("The oldest raw log file of each folder of the log_folders setting: a China site's logs are kept at least "
           "six months (Cybersecurity Law Art. 21), every folder's no longer than raw_log_max_days "
           f"({cfg.raw_log_max_days} days; GDPR Art. 5(1)(e), PIPL Art. 19).")
show_table(loaders.raw_log_folders(), "raw_log_folders", colours=("status", STATUS_COLOURS))

st.subheader("Open and sealed days")
st.caption(
    f"A day is open while its visitor salt exists: its events are kept and a late log line rebuilds it exactly. "
    f"The salt is destroyed, and the day sealed for good, {cfg.salt_retention_days} days after the day ends or "
    f"after the last load of one of its lines, whichever is later; every ingest and `vcar retention` seals the "
    f"days that are due. A late line of a sealed day adds its requests and pageviews; its visitor counts as new."
)
show_table(loaders.open_days(), "open_days")
st.caption("Late lines merged into sealed days, by run")
show_table(loaders.sealed_merges(), "sealed_merges")

st.subheader("Ingest runs and rejected lines")
status = loaders.warehouse_status()
st.caption(f"Schema version {status['schema_version'] or 0}; {status['runs'] or 0:,} runs; the last successful load "
           f"{moment_with_zone(status['last_run_at'], cfg)}.")
show_table(loaders.ingest_runs(), "ingest_runs")
st.caption(
    "Lines that gave no event: rejected (they failed to parse), or not a request at all (a connection "
    "closed before sending one, a bare newline, TLS bytes on a plain-HTTP port). Blank lines and W3C "
    "directives are neither and are not listed."
)
show_table(loaders.reject_reasons(), "reject_reasons")

st.subheader("Data quality of the latest imports")
st.caption("Values typed into the form that could not be used; rows without consent are a compliance finding.")
show_table(loaders.data_quality(), "data_quality")

st.subheader("Recent audit entries")
show_table(loaders.audit_recent(limit=50), "audit_log")
