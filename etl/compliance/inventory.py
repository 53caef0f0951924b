"""The data inventory (GDPR Art. 30 record of processing): every warehouse table and column, declared once.

A test compares this registry with the live schema, so a table or column cannot exist without an entry here.
``vcar inventory`` prints it and the dashboard's Data & privacy page shows it.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

CONSENT = "Art. 6(1)(a) consent"
CONTRACT = "Art. 6(1)(b) contract"
LEGAL_OBLIGATION = "Art. 6(1)(c) legal obligation"
LEGITIMATE_INTEREST = "Art. 6(1)(f) legitimate interest"

PSEUDONYMIZED = "pseudonymized"
AGGREGATE = "anonymous aggregate"
OPERATIONAL = "operational"


@dataclass(frozen=True)
class Table:
    name: str
    purpose: str
    legal_basis: str
    category: str
    retention: str
    columns: dict[str, str]


# The dimensions of a visit that the web aggregates are counted by (a page counts under its visit's).
_VISIT_DIMENSIONS = {
    "country": "country", "region": "region", "device": "device", "browser": "browser", "os": "OS",
    "source": "source (of the visit)", "source_kind": "source kind", "utm_campaign": "campaign",
    "site": "site (virtual host) of the visit",
}
_AGG_WEB = "service operation and experience improvement from web-server log data (privacy policy, log data)"

INVENTORY: list[Table] = [
    Table(
        "events",
        "usage analytics from access logs: one pseudonymized row per request",
        LEGITIMATE_INTEREST,
        PSEUDONYMIZED,
        "event_retention_days (90 days); the visitor id is unlinkable after salt_retention_days; the Spark job's "
        "copy (its --out folder, setting warehouse_parquet) drops older days on each run",
        {
            "day": "reporting day",
            "ts": "request time, UTC",
            "visitor_id": "keyed hash of (daily salt, IP, UA, site); unlinkable once the day's salt is destroyed",
            "method": "HTTP method",
            "path": "request path without query string or personal data",
            "status": "HTTP status",
            "source": "traffic source",
            "source_kind": "search/social/campaign/referral/internal/direct",
            "utm_campaign": "campaign tag",
            "site": "the site (virtual host) the request was served under, not the client's",
            "ua_key": "keyed hash of the user agent",
            "country": "GeoIP country (ISO 3166-1)",
            "region": "GeoIP province/region (ISO 3166-2)",
            "is_bot": "classed as a bot",
            "bot_reason": "why it was classed a bot",
            "is_pageview": "counts as a pageview",
            "file_key": "which log file",
            "line_no": "line in that file",
        },
    ),
    Table(
        "visits",
        "visits (sessions) derived from events",
        LEGITIMATE_INTEREST,
        PSEUDONYMIZED,
        "event_retention_days (90 days); also in the Spark job's copy, which drops older days on each run",
        {
            "day": "reporting day",
            "visitor_id": "daily keyed visitor id",
            "visit_no": "visit number that day",
            "started_at": "first pageview, UTC",
            "ended_at": "last pageview, UTC",
            "pageviews": "pageviews",
            "entry_page": "first page",
            "exit_page": "last page",
            "source": "traffic source",
            "source_kind": "source kind",
            "utm_campaign": "campaign",
            "country": "GeoIP country",
            "region": "GeoIP region",
            "device": "device type",
            "browser": "browser family",
            "os": "OS family",
            "site": "site (virtual host) of the visit",
        },
    ),
    Table(
        "user_agents",
        "user-agent dimension: device, browser, OS and bot class per distinct UA",
        LEGITIMATE_INTEREST,
        PSEUDONYMIZED,
        "kept while referenced; holds no UA string",
        {
            "ua_key": "keyed hash of the UA string",
            "device": "desktop/mobile/tablet/bot/other",
            "browser": "browser family",
            "browser_major": "major version",
            "os": "OS family",
            "os_major": "major version",
            "is_bot": "bot",
            "bot_name": "crawler name",
            "bot_reason": "bot reason",
        },
    ),
    Table(
        "log_files",
        "ingest manifest: what was loaded from each log file",
        LEGITIMATE_INTEREST,
        OPERATIONAL,
        "kept for the life of the warehouse (no personal data)",
        {
            "file_key": "hash of the file's first line",
            "file_name": "file name",
            "lines_done": "lines loaded",
            "bytes_done": "bytes loaded",
            "disk_size": "size when last read",
            "first_loaded_at": "first load",
            "last_loaded_at": "last load",
            "first_line": "hash of the first line",
            "prefix_len": "bytes covered by prefix_hash",
            "prefix_hash": "hash of the first loaded bytes (up to 64 KiB): tells files with the same first line apart",
        },
    ),
    Table(
        "log_rejects",
        "lines that could not be parsed, with a masked excerpt",
        LEGITIMATE_INTEREST,
        OPERATIONAL,
        "event_retention_days (90 days)",
        {
            "run_id": "ingest run",
            "file_key": "log file",
            "file_name": "file name",
            "line_no": "line number",
            "reason": "why it was rejected",
            "excerpt": "shape of the line: IPs masked, quoted fields replaced by their length",
        },
    ),
    Table(
        "ingest_runs",
        "what each ingest run read and loaded",
        LEGITIMATE_INTEREST,
        OPERATIONAL,
        "kept for the life of the warehouse (no personal data)",
        {
            "run_id": "run id",
            "kind": "logs/inquiries/rights",
            "started_at": "start",
            "finished_at": "end",
            "files": "files read",
            "lines_read": "lines or rows read",
            "lines_loaded": "loaded",
            "lines_rejected": "rejected",
            "lines_skipped": "skipped (already loaded, no consent, erased)",
            "status": "ok/failed",
        },
    ),
    *[
        Table(
            name,
            f"daily aggregate: {what}",
            LEGITIMATE_INTEREST,
            AGGREGATE,
            "kept (anonymous counts; small cells are suppressed on screen)",
            columns,
        )
        for name, what, columns in [
            (
                "agg_daily",
                _AGG_WEB,
                {
                    "day": "day",
                    **_VISIT_DIMENSIONS,
                    "visitors": "visitors",
                    "visits": "visits",
                    "bounces": "bounces",
                    "pageviews": "pageviews",
                    "duration_s": "visit duration",
                },
            ),
            (
                "agg_pages",
                "pageviews, visitors, visits, entries and bounces per page, and the pageviews and duration of the "
                "visits that included it, by the visit's dimensions",
                {
                    "day": "day",
                    "path": "page",
                    **_VISIT_DIMENSIONS,
                    "pageviews": "pageviews",
                    "visitors": "visitors (once, under their first visit that included the page)",
                    "visits": "visits that included the page",
                    "entries": "visits entering here",
                    "bounces": "one-page visits on this page",
                    "visit_pageviews": "pageviews of the visits that included the page",
                    "visit_duration_s": "duration of the visits that included the page",
                },
            ),
            (
                "agg_hourly",
                "requests, pageviews and visits per hour",
                {
                    "day": "day",
                    "hour": "hour (reporting time zone)",
                    "fold": "1 for the second pass of an hour the clocks go back over, else 0",
                    "requests": "requests",
                    "bot_requests": "bot requests",
                    "pageviews": "pageviews",
                    "visits": "visits started",
                },
            ),
            (
                "agg_status",
                "requests per HTTP status class",
                {
                    "day": "day",
                    "status_class": "2xx/3xx/4xx/5xx",
                    "is_bot": "bot traffic",
                    "site": "site (virtual host)",
                    "requests": "requests",
                },
            ),
            (
                "agg_bots",
                "bot requests per crawler and reason",
                {
                    "day": "day",
                    "bot_name": "crawler",
                    "bot_reason": "reason",
                    "site": "site (virtual host)",
                    "requests": "requests",
                    "clients": "distinct daily clients",
                },
            ),
            (
                "agg_contact",
                "visitors who viewed the contact page (inquiry funnel)",
                {
                    "day": "day",
                    "country": "country",
                    "region": "region",
                    "visitors": "visitors",
                },
            ),
        ]
    ],
    Table(
        "inquiries",
        "inquiry funnel by region and support type; answering the inquiry",
        CONSENT,
        PSEUDONYMIZED,
        "inquiry_retention_days (730 days); erased on request",
        {
            "inquiry_key": "keyed hash of e-mail + submission time (idempotent re-import)",
            "subject_email": "keyed hash of the normalized e-mail (finds the subject for Art. 15-17)",
            "subject_phone": "keyed hash of the E.164 phone number",
            "submitted_at": "submission, UTC",
            "day": "reporting day",
            "country": "ISO 3166-1",
            "region": "ISO 3166-2 (GeoIP's code)",
            "district": "district name from the gazetteer, else the label as typed",
            "adcode": "China: adcode of the prefecture or county placed (gazetteer)",
            "support_type": "form's support type",
            "status": "CRM status",
            "first_response_at": "first answer, UTC",
            "closed_at": "closed, UTC",
            "policy_version": "privacy policy consented to",
            "consent": "consent given (rows without it are never loaded)",
            "message_chars": "message length (no text)",
            "email_kind": "free-mail or corporate domain",
            "has_company": "company given (no name kept)",
            "transfer_consent": "separate consent to a transfer out of China (PIPL Art. 39); null when not asked",
            "run_id": "import run",
            "updated_at": "last import",
        },
    ),
    Table(
        "data_quality",
        "what could not be used as typed (unknown regions, missing consent)",
        LEGITIMATE_INTEREST,
        OPERATIONAL,
        "kept with the runs (values kept only when they cannot identify anyone)",
        {
            "run_id": "import run",
            "source": "inquiries/rights",
            "field": "field",
            "issue": "finding",
            "raw_value": "the typed value if harmless, else null",
            "country": "country of the row a place finding is about",
            "candidates": "places an ambiguous name could be (codes)",
            "rows": "rows",
            "recorded_at": "when",
        },
    ),
    Table(
        "rights_requests",
        "answering data-subject requests and proving it (Art. 5(2), 12, 15-22)",
        LEGAL_OBLIGATION,
        OPERATIONAL,
        "rights_retention_days (1095 days) after closure",
        {
            "request_id": "request id",
            "type": "right exercised",
            "channel": "how it arrived",
            "status": "lifecycle state",
            "subject_email": "keyed hash; null after erasure",
            "subject_phone": "keyed hash; null after erasure",
            "received_at": "receipt, UTC",
            "identity_requested_on": "identity asked for",
            "identity_verified_on": "identity verified",
            "extension_notified_on": "extension told to the subject",
            "extension_reason": "why extended",
            "closed_on": "closed",
            "note": "operator note, e-mails and numbers masked",
            "owner": "the dashboard account answering it (a staff login name, never the subject)",
            "country": "the subject's country (ISO 3166-1), when known",
            "regime": "the law it is answered under: gdpr, pipl or both (etl/compliance/regimes.py)",
            "refusal_reason": "why it was rejected (PIPL Art. 50, GDPR Art. 12(4)), masked like a note",
            "updated_at": "last change",
        },
    ),
    Table(
        "impact_assessments",
        "the register of personal-information impact assessments (PIPL Art. 55-56)",
        f"{LEGAL_OBLIGATION} (Art. 5(2) accountability; PIPL Art. 56)",
        OPERATIONAL,
        "at least three years (PIPL Art. 56); vcar retention never deletes them",
        {
            "assessment_id": "assessment id",
            "activity": "the processing activity assessed",
            "assessed_on": "day of the assessment",
            "conclusion": "approved, approved_with_measures or rejected",
            "next_review": "day it is to be reviewed",
            "summary": "findings in a few words (no personal data)",
            "recorded_at": "when it was registered",
        },
    ),
    Table(
        "audit_log",
        "accountability: who did what and when (Art. 5(2), 30, 32)",
        LEGAL_OBLIGATION,
        OPERATIONAL,
        "append-only, kept for the life of the system (holds no e-mail, phone or name)",
        {
            "seq": "position in the chain",
            "logged_at": "when",
            "actor": "user or cli account",
            "action": "what was done",
            "object": "what it was done to (request id, subject fingerprint)",
            "detail": "JSON details",
            "prev_hash": "hash of the previous entry",
            "hash": "hash of this entry",
        },
    ),
    Table(
        "erased_subjects",
        "keeps erased subjects from coming back with a re-imported export (Art. 17)",
        LEGAL_OBLIGATION,
        PSEUDONYMIZED,
        "kept while exports that may hold the subject can be re-imported",
        {
            "subject_key": "keyed hash of the erased e-mail or phone",
            "erased_on": "day of erasure",
        },
    ),
    Table(
        "log_days",
        "open and sealed reporting days: when a day's salt is destroyed and how its late lines are counted",
        LEGITIMATE_INTEREST,
        OPERATIONAL,
        "kept for the life of the warehouse (dates only, no visitor data)",
        {
            "day": "reporting day that holds log data",
            "last_loaded_at": "the last run that loaded a line of the day",
            "sealed_at": "when the day's salt was destroyed (null while open)",
        },
    ),
    Table(
        "sealed_merges",
        "shows which runs merged late lines into sealed days, and how many (accountability of the figures)",
        LEGITIMATE_INTEREST,
        OPERATIONAL,
        "kept for the life of the warehouse (counts only)",
        {
            "run_id": "ingest run",
            "day": "sealed reporting day",
            "lines": "lines merged",
            "merged_at": "when",
        },
    ),
    Table(
        "schema_version",
        "applied warehouse migrations",
        LEGITIMATE_INTEREST,
        OPERATIONAL,
        "kept for the life of the warehouse",
        {
            "version": "migration number",
            "name": "migration file",
            "applied_at": "when applied",
        },
    ),
]


def as_dict() -> dict[str, object]:
    return {"tables": [asdict(t) for t in INVENTORY]}
