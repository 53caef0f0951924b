"""The record of processing by activity (GDPR Art. 30(1)): what is done with personal data, why, and where it sits.

Art. 30(1) asks per processing activity for the purposes, the categories of data subjects and of personal data,
the recipients, transfers to third countries with their safeguards, the time limits for erasure and the security
measures. Each activity here names the warehouse tables it uses, each declared with its columns in
``etl/compliance/inventory.py``; a test fails when a table belongs to no activity. Retention and transfers are
written from the settings in force, so the record says what this installation does.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

from etl.compliance.findings import ADEQUATE, EEA
from etl.compliance.inventory import INVENTORY, LEGAL_OBLIGATION, LEGITIMATE_INTEREST, Table
from etl.core.settings import Settings

CONSENT_AND_CONTRACT = "Art. 6(1)(a) consent (the contact form); Art. 6(1)(b) steps before a contract"
STAFF = "staff with a dashboard account (marketing, managers, compliance, administrators)"


@dataclass(frozen=True)
class Activity:
    key: str
    name: str
    purposes: str
    legal_basis: str
    data_subjects: str
    personal_data: str
    recipients: str
    security: str
    tables: tuple[str, ...]  # warehouse tables (etl/compliance/inventory.py)
    secrets: str  # what it keeps in secrets_dir, outside the warehouse

    def retention(self, cfg: Settings) -> str:
        return {
            "web_analytics": f"raw log lines are never stored; pseudonymized events and visits "
            f"{cfg.event_retention_days} days once their day is sealed; the daily visitor salt is destroyed "
            f"{cfg.salt_retention_days} days after its day (then no visitor id can be linked); anonymous daily "
            "aggregates are kept",
            "inquiries": f"minimized inquiries {cfg.inquiry_retention_days} days after submission, then deleted by "
            "vcar retention; the full form stays in the CRM, outside this system",
            "rights_requests": f"{cfg.rights_retention_days} days after closure, as evidence of compliance "
            "(Art. 5(2)); erased subjects' keys as long as the warehouse, so an old export cannot bring them back",
            "staff_and_audit": "accounts until removed; the audit log for the life of the system (it names staff "
            "by login and subjects by keyed hash only)",
        }[self.key]


ACTIVITIES: tuple[Activity, ...] = (
    Activity(
        "web_analytics", "Web analytics from server logs",
        "service operation and experience improvement from log data: visits, pages, sources, places, devices; bot "
        "filtering; the inquiry funnel's web steps (privacy policy: log data)",
        LEGITIMATE_INTEREST,
        "visitors of the company's website",
        "IP address and user agent (read, never stored: turned into a daily keyed visitor id, a user-agent key, "
        "a country and region); request time, path without query values, referrer host, campaign tags",
        "marketing and managers (dashboard and digest: counts only, cells under k_min suppressed for marketing); "
        "no third party",
        "keyed hashes with a salt destroyed daily; IPs masked in reject excerpts; warehouse and secrets_dir "
        "readable by the service account only (0700/0600); role-based dashboard with login lock-out and idle expiry",
        ("events", "visits", "user_agents", "log_files", "log_rejects", "log_days", "sealed_merges", "agg_daily",
         "agg_pages", "agg_hourly", "agg_status", "agg_bots", "agg_contact", "ingest_runs"),
        "salts/ (daily visitor salts), user_agent.key",
    ),
    Activity(
        "inquiries", "Contact-form inquiries",
        "answering an inquiry (support, products, distribution); the inquiry funnel by region and support type",
        CONSENT_AND_CONTRACT,
        "people who send the contact form (customers, prospects, distributors)",
        "e-mail and phone as keyed hashes only; country, region, district, support type, times of submission, "
        "answer and closure, consent's policy version, message length (never the name, company name or text)",
        "managers (dashboard and digest: times, places and support types, never the subject); the CRM keeps "
        "the full form",
        "minimized on import; keyed hashes (subject.key in secrets_dir); erasure on request (vcar subject erase); "
        "role-based dashboard; every export and erasure in the audit log",
        ("inquiries", "data_quality", "ingest_runs"),
        "subject.key",
    ),
    Activity(
        "rights_requests", "Data-subject requests",
        "receiving, answering and proving the answer to requests under Art. 15-22 within the legal and promised "
        "deadlines",
        LEGAL_OBLIGATION,
        "people who exercise a right (visitors, customers, former customers)",
        "e-mail and phone as keyed hashes; type, channel, dates of receipt, identity check, extension and "
        "closure; masked notes; the owner (a staff login)",
        "compliance (dashboard and digest: request ids, never the subject); the subject receives the export",
        "keyed hashes; notes masked of e-mails and numbers; hash-chained audit entry for every change; "
        "compliance and administrator roles only",
        ("rights_requests", "erased_subjects"),
        "subject.key",
    ),
    Activity(
        "staff_and_audit", "Staff accounts and audit",
        "access control to the dashboard; accountability: who did what and when (Art. 5(2), 30, 32)",
        LEGAL_OBLIGATION,
        STAFF,
        "login name, role, argon2 password hash, failed logins and lock-outs (in secrets_dir); actions with time "
        "and actor (in the audit log); company single sign-on: the e-mail or group that maps to a role",
        "administrators; compliance (the audit log)",
        "argon2 hashes; lock-out after login_max_failures; idle expiry; hash-chained, append-only audit log "
        "checked by vcar audit verify; secrets_dir 0700",
        ("audit_log", "ingest_runs", "schema_version", "impact_assessments"),
        "users.json, login lock-out state, audit entries waiting for a locked warehouse",
    ),
)


def activities_of(table: str) -> list[str]:
    """The activities a warehouse table serves (a test wants at least one for every table)."""
    return [a.key for a in ACTIVITIES if table in a.tables]


def transfers(cfg: Settings) -> str:
    """Transfers to third countries, from where the warehouse runs (``processing_location``) and the safeguard
    (``transfer_safeguard``): the company works in China and Europe, so EU data processed in China is a transfer."""
    location, safeguard = cfg.processing_location, cfg.transfer_safeguard
    if location is None:
        return "not stated: set processing_location (where the warehouse runs) to record it"
    if location in EEA:
        return f"none: processed in {location}, inside the EU/EEA"
    if location in ADEQUATE:
        return f"EU data processed in {location}, which has an EU adequacy decision (Art. 45)"
    if safeguard:
        return f"EU data processed in {location} under {safeguard} (Art. 46)"
    return f"EU data processed in {location} with no safeguard set: Art. 46 requires one (set transfer_safeguard)"


def record(cfg: Settings) -> list[dict[str, str]]:
    """One row per activity with every Art. 30(1) field as text (the CSV, the table, ``--json``), and the PIPL's:
    its legal basis, whether an impact assessment is required and held, where the data is processed."""
    from etl.compliance.assessments import pipl_record
    from etl.core import clock

    where, pipl = transfers(cfg), pipl_record(cfg, clock.today(cfg.tz))
    return [
        {"activity": a.name, "purposes": a.purposes, "legal_basis": a.legal_basis, "data_subjects": a.data_subjects,
         "personal_data": a.personal_data, "recipients": a.recipients, "transfers": where,
         "retention": a.retention(cfg), "security": a.security, "tables": ", ".join(a.tables),
         "secrets_dir": a.secrets} | pipl[a.key]
        for a in ACTIVITIES
    ]


HEADINGS = {
    "purposes": "Purposes", "legal_basis": "Legal basis", "data_subjects": "Categories of data subjects",
    "personal_data": "Categories of personal data", "recipients": "Recipients",
    "transfers": "Transfers to third countries and safeguards", "retention": "Time limits for erasure",
    "security": "Security measures", "secrets_dir": "Kept in the secrets folder",
    "pipl_legal_basis": "PIPL legal basis (Art. 13)",
    "assessment_required": "Impact assessment required (PIPL Art. 55)",
    "assessment": "Impact assessment held (PIPL Art. 56)", "processed_in": "Where the data is processed",
}


def html_record(cfg: Settings, as_of: str) -> str:
    """One printable page: every activity with its Art. 30(1) fields, then its tables and their columns. All text
    is escaped."""
    tables = {t.name: t for t in INVENTORY}
    body = []
    for activity, row in zip(ACTIVITIES, record(cfg), strict=True):
        fields = "".join(f"<tr><th>{_e(HEADINGS[k])}</th><td>{_e(row[k])}</td></tr>" for k in HEADINGS)
        used = "".join(_table_html(tables[name]) for name in activity.tables if name in tables)
        body.append(f"<section><h2>{_e(activity.name)}</h2><table>{fields}</table><h3>Tables</h3>{used}</section>")
    return (
        "<!doctype html><html><head><meta charset='utf-8'>"
        f"<title>Record of processing as of {_e(as_of)}</title>"
        "<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse;width:100%;margin-bottom:1em}"
        "td,th{border:1px solid #999;padding:.3em;vertical-align:top;text-align:left}th{width:22%}"
        "section{page-break-after:always}@media print{body{margin:0}}</style></head><body>"
        f"<h1>Record of processing activities (GDPR Art. 30(1); PIPL Art. 13, 55-56) as of {_e(as_of)}</h1>"
        "<p>Generated by vcar-insights from its data inventory and settings. The controller's name and contact "
        "details and those of the data protection officer belong at the top of the company's own record.</p>"
        + "".join(body)
        + "</body></html>"
    )


def _table_html(table: Table) -> str:
    columns = "".join(f"<tr><td>{_e(c)}</td><td>{_e(m)}</td></tr>" for c, m in table.columns.items())
    return (f"<p><b>{_e(table.name)}</b>: {_e(table.purpose)} ({_e(table.category)}; {_e(table.legal_basis)}; "
            f"kept {_e(table.retention)})</p><table>{columns}</table>")


def _e(value: object) -> str:
    return html.escape(str(value), quote=True)
