"""The privacy policy's promises, each with live evidence from the warehouse (``vcar promises``, Data & privacy).

``PROMISES`` is the registry: one entry per promise, with the policy's section and words, what is checked and
the thresholds for ``kept``, ``at_risk`` and ``broken``. Each entry names its check below; a test fails when an
entry has no check or a check no entry. A promise that cannot be judged from the data is ``not_checked``, with
the reason. Every figure is computed on read-only connections; nothing here changes the warehouse.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import queries
from etl.compliance.findings import (
    ADEQUATE,
    AT_RISK,
    BROKEN,
    EEA,
    KEPT,
    NOT_CHECKED,
    SEVERITY,
    Context,
    Finding,
)
from etl.compliance.regime_promises import CHECKS as _PIPL_CHECKS
from etl.compliance.regime_promises import PROMISES as _PIPL_PROMISES
from etl.core import clock, keystore, warehouse
from etl.core.settings import Settings

WINDOW_DAYS = 90  # the period over which answer times and EU shares are measured


@dataclass(frozen=True)
class Promise:
    id: str
    section: str  # of the privacy policy (version in the ``policy_version`` setting)
    text: str  # the policy's words
    evidence: str  # what is checked
    thresholds: str  # when it is kept, at risk, broken
    page: str  # the dashboard page that shows the detail
    regime: str = "both"  # the law it answers to: gdpr, pipl or both (etl/compliance/regimes.py)


PROMISES: tuple[Promise, ...] = (
    Promise(
        "respond_15_business_days",
        "5, 9",
        "We will review and respond within 15 business days.",
        f"rights requests whose clock started in the last {WINDOW_DAYS} days: the share answered within 15 business"
        " days, and the open requests past or near that date now",
        "kept: none open past 15 business days and at least 95% answered in time; at risk: one open with 3 business"
        " days or fewer left, or under 95% in time; broken: one open past 15 business days",
        "Rights requests",
    ),
    Promise(
        "logs_aggregated",
        "1, 2",
        "Log information (IP address, device, browser, operating system, pages) is used to aggregate and analyze.",
        "a scan of every text column of the warehouse for IPv4 and IPv6 addresses, e-mail addresses, phone numbers"
        " and user-agent strings; the salts that could still link a day's visitors",
        "kept: nothing found and no salt past its sealing time; broken: any raw identifier found, or a salt kept"
        " past its sealing time",
        "Data & privacy",
    ),
    Promise(
        "minimum_necessary",
        "2",
        "We only collect the minimum necessary information.",
        "the contact form's fields against what the warehouse stores of them (the data inventory and the live"
        " schema): the name is dropped, the company kept only as yes/no, the message only as its length, e-mail and"
        " mobile only as keyed hashes",
        "kept: every form field stored as declared; broken: a column outside the declared set in the inquiry table",
        "Data & privacy",
    ),
    Promise(
        "deleted_when_not_needed",
        "4",
        "Data will be deleted as soon as it is no longer required for its intended purpose.",
        "the oldest row of each table under a retention rule against its policy (an open day's events, kept for"
        " late lines, are not counted)",
        "kept: nothing older than its policy; at risk: rows past their policy by up to 7 days (the next retention"
        " run deletes them); broken: rows past their policy by more than 7 days (retention has not run)",
        "Data & privacy",
    ),
    Promise(
        "consent_withdrawal",
        "5",
        "You may withdraw your consent at any time.",
        "withdraw-consent requests received, answered and open past their deadline; inquiries held without consent",
        "kept: no inquiry held without consent and no withdrawal overdue; broken: either",
        "Rights requests",
    ),
    Promise(
        "consent_current_policy",
        "5",
        "Consent is given to the privacy policy in force, named by its version.",
        "the policy versions the inquiries held were consented to, against the current version",
        "kept: every inquiry consented to the current version; at risk: some to an older version (ask again or"
        " check the changes need no new consent)",
        "Inquiry funnel",
    ),
    Promise(
        "no_third_country_transfer",
        "3, 7",
        "We do not transfer your data to third countries (outside the EU); where data is processed in other regions,"
        " standard contractual clauses apply.",
        f"the processing_location setting against the share of EU visitors and inquiries in the last {WINDOW_DAYS}"
        " days, and the transfer_safeguard setting",
        "kept: processed in the EU/EEA, or no EU data; at risk: EU data processed outside the EU under a safeguard"
        " (section 3's wording does not say so); broken: EU data processed outside the EU with no safeguard (a"
        " country with an EU adequacy decision counts as kept)",
        "Data & privacy",
        "gdpr",
    ),
    Promise(
        "children_data_deleted",
        "6",
        "Children's data collected without parental consent is deleted promptly.",
        "the contact form asks no age, so a child's data cannot be recognized in the data; erasures are counted",
        "not checked: nothing in the data tells a child apart; a parent's report is handled with vcar subject erase",
        "Rights requests",
    ),
)

# What a raw identifier looks like in text (RE2 syntax). A masked address (the /24 or /48 network, as reject
# excerpts keep it) ends in .0 or ::, and is not counted.
IDENTIFIER_PATTERNS = {
    "ipv4": r"(^|[^0-9.])((25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9])\.){3}(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9][0-9]?)"
    r"($|[^0-9.])",
    "ipv6": r"(?i)(^|[^0-9a-f:])(([0-9a-f]{1,4}:){7}[0-9a-f]{1,4}|([0-9a-f]{1,4}:){1,6}:([0-9a-f]{1,4}:){0,5}"
    r"[0-9a-f]{1,4})($|[^0-9a-f:])",
    # also URL-encoded (jane%40example.com in a path)
    "email": r"[A-Za-z0-9._%+-]+(@|%40)[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}",
    # an international number (+ or 00, then 8 or more digits), a Chinese mobile number (13x-19x, 11 digits, with
    # or without spaces or dashes in 3-4-4), or a national number with its area code (030 12345678); dates,
    # request ids and digit runs inside hashes are none of these
    "phone": r"(^|[^0-9A-Za-z+])((\+|00)[1-9][0-9 ()-]{6,}[0-9]|1[3-9][0-9]([ -]?[0-9]{4}){2}"
    r"|0[1-9][0-9]{1,4}[ /-][0-9]{5,8})($|[^0-9A-Za-z])",
    "user_agent": r"(?i)(mozilla/[0-9]|applewebkit/|gecko/[0-9]|curl/[0-9]|python-requests/|okhttp/)",
}
# Every kind at once (case-insensitive, as the address and agent patterns are), for the first pass of a scan.
ANY_IDENTIFIER = "(?i)" + "|".join(f"(?:{p.removeprefix('(?i)')})" for p in IDENTIFIER_PATTERNS.values())
# The contact form's fields and what the inquiry table keeps of each (None: dropped).
FORM_FIELDS = {
    "name": None, "mobile": "subject_phone (keyed hash)", "e-mail": "subject_email (keyed hash), email_kind",
    "company": "has_company (yes/no)", "support type": "support_type", "country": "country",
    "province/city": "region", "district": "district", "message": "message_chars (length only)",
    "consent": "consent, policy_version",
}


def evaluate(cfg: Settings, as_of: dt.date | None = None, regime: str = "all") -> dict[str, Any]:
    """Every promise's status and evidence as of ``as_of`` (the ``vcar promises --json`` document); with
    ``regime`` gdpr or pipl, only the promises of that law (and of both)."""
    as_of = as_of or clock.today(cfg.tz)
    with warehouse.read(cfg.warehouse) as con:
        ctx = Context(cfg, as_of, con)
        out = []
        for promise in PROMISES:
            if regime != "all" and promise.regime not in (regime, "both"):
                continue
            found = CHECKS[promise.id](ctx)
            out.append({"id": promise.id, "regime": promise.regime, "section": promise.section, "text": promise.text,
                        "status": found.status,
                        "summary": found.summary, "evidence": found.evidence, "checks": promise.evidence,
                        "thresholds": promise.thresholds, "page": promise.page})
    return {"as_of": as_of.isoformat(), "policy_version": cfg.policy_version, "promises": out}


def worst(result: dict[str, Any]) -> str:
    return max((p["status"] for p in result["promises"]), key=SEVERITY.__getitem__, default=KEPT)


def _rights_as_of(ctx: Context) -> list[dict[str, Any]]:
    """The register as it stood on ``as_of`` (rights.listing leaves out later requests and later closures), read
    once per evaluation."""
    from etl.compliance.rights import listing

    if "rights" not in ctx.read:
        ctx.read["rights"] = listing(ctx.cfg, as_of=ctx.as_of)
    rows: list[dict[str, Any]] = ctx.read["rights"]
    return rows


def respond_15_business_days(ctx: Context) -> Finding:
    """Judged on the promise's clock (``promise_state``); the evidence names the requests past the promise apart
    from those also past the legal deadline in force, so "past 15 business days" never reads as legally late."""
    since = ctx.as_of - dt.timedelta(days=WINDOW_DAYS)
    rows = _rights_as_of(ctx)
    recent = [r for r in rows if r["clock_start"] and since <= r["clock_start"] <= ctx.as_of]
    closed = [r for r in recent if r["closed_on"] is not None and r["status"] == "completed"]
    in_time = [r for r in closed if r["promise_state"] == "kept"]
    # every request open on as_of counts, however long ago it came in
    open_ = [r for r in rows if r["closed_on"] is None and r["due_date"] is not None]
    past = [r for r in open_ if r["promise_state"] == "missed"]  # most urgent first, as every list
    legally_late = [r["request_id"] for r in past if r["legal_state"] == "overdue"]
    near = [r["request_id"] for r in open_ if r["promise_state"] == "at_risk"]
    share = len(in_time) / len(closed) if closed else None
    evidence = {"answered": len(closed), "answered_in_time": len(in_time),
                "share_in_time": round(share, 4) if share is not None else None, "open": len(open_),
                "past_promise_now": [r["request_id"] for r in past], "legally_overdue_now": legally_late,
                "due_within_3_business_days": near}
    words = (f"{len(in_time)} of {len(closed)} closed requests answered within 15 business days in the last "
             f"{WINDOW_DAYS} days" if closed else f"no request answered in the last {WINDOW_DAYS} days")
    words += f"; {len(open_)} open"
    if past:
        named = ", ".join(f"{r['request_id']} ({r['clocks']})" for r in past)
        return Finding(BROKEN, f"{words}, {len(past)} of them past 15 business days ({len(legally_late)} also "
                               f"legally overdue): {named}", evidence)
    if near or (share is not None and share < 0.95):
        extra = f", due within 3 business days: {', '.join(near)}" if near else ""
        return Finding(AT_RISK, words + extra, evidence)
    return Finding(KEPT, words + ", none past its date", evidence)


def identifier_scan(con) -> dict[str, dict[str, int]]:
    """Rows per table and column whose text looks like a raw identifier, by kind (only non-zero counts).

    One pass per table with every kind at once; only a column with hits is scanned again kind by kind."""
    found: dict[str, dict[str, int]] = {}
    by_table: dict[str, list[str]] = {}
    for table, column in queries.run(con, "promises/text_columns.sql").fetchall():
        by_table.setdefault(table, []).append(column)
    for table, columns in sorted(by_table.items()):
        hit = [column for column, count in _scan(con, table, columns, ANY_IDENTIFIER).items() if count]
        for kind, pattern in IDENTIFIER_PATTERNS.items() if hit else ():
            for column, count in _scan(con, table, hit, pattern).items():
                if count:
                    found.setdefault(f"{table}.{column}", {})[kind] = int(count)
    return found


def _scan(con, table: str, columns: list[str], pattern: str) -> dict[str, int]:
    cur = queries.run(con, "promises/identifier_scan.sql", table=table, columns=columns, pattern=pattern)
    return dict(zip([d[0] for d in cur.description], cur.fetchone(), strict=True))


def logs_aggregated(ctx: Context) -> Finding:
    from etl.compliance.retention import seals_at

    found = identifier_scan(ctx.con)
    open_days = {row["day"]: row["last_loaded_at"] for row in queries.rows(ctx.con, "retention/log_days.sql")
                 if row["sealed_at"] is None}
    now = dt.datetime.combine(ctx.as_of, dt.time(23, 59), ctx.cfg.tz)
    late_salts = [d.isoformat() for d in keystore.salt_days(ctx.cfg.secrets_dir)
                  if seals_at(ctx.cfg, d, open_days.get(d)) < now]
    evidence = {
        "raw_identifiers": found, "rows_with_raw_identifiers": sum(sum(v.values()) for v in found.values()),
        "salts_kept": len(keystore.salt_days(ctx.cfg.secrets_dir)), "salts_past_sealing": late_salts,
    }
    if found:
        where = ", ".join(f"{col} ({', '.join(kinds)})" for col, kinds in sorted(found.items()))
        return Finding(BROKEN, f"raw identifiers found in {where}", evidence)
    if late_salts:
        return Finding(BROKEN, f"salts kept past their sealing time: {', '.join(late_salts)}", evidence)
    return Finding(KEPT, "no IP address, e-mail, phone number or user agent in any text column; "
                         f"{evidence['salts_kept']} daily salts kept, none past its time", evidence)


def minimum_necessary(ctx: Context) -> Finding:
    from etl.compliance.inventory import INVENTORY

    declared = next(t for t in INVENTORY if t.name == "inquiries").columns
    live = [column for table, column in queries.run(ctx.con, "promises/text_columns.sql").fetchall()
            if table == "inquiries"]
    all_live = {c for t, cols in warehouse.tables(ctx.con).items() if t == "inquiries" for c in cols}
    undeclared = sorted(all_live - set(declared))
    dropped = [name for name, kept in FORM_FIELDS.items() if kept is None]
    evidence = {"form_fields": FORM_FIELDS, "dropped": dropped, "undeclared_columns": undeclared,
                "text_columns": sorted(live)}
    if undeclared:
        return Finding(BROKEN, f"the inquiry table has columns outside the declared set: {', '.join(undeclared)}",
                       evidence)
    words = (f"{len(FORM_FIELDS)} form fields: {', '.join(dropped)} dropped; e-mail and mobile kept only as keyed "
             "hashes, company as yes/no, the message as its length")
    return Finding(KEPT, words, evidence)


GRACE_DAYS = 7


def deleted_when_not_needed(ctx: Context) -> Finding:
    from etl.compliance.retention import policy_days, seals_at

    policy = policy_days(ctx.cfg)
    now = dt.datetime.combine(ctx.as_of, dt.time(23, 59), ctx.cfg.tz)
    # an open day's events are kept on purpose (late lines); one whose sealing time has passed counts as sealed
    due = [row["day"] for row in queries.rows(ctx.con, "retention/log_days.sql")
           if row["sealed_at"] is None and seals_at(ctx.cfg, row["day"], row["last_loaded_at"]) < now]
    oldest = {row["table"]: row["oldest_day"] for row in queries.rows(ctx.con, "promises/oldest_held.sql", due=due)}
    ages = {table: (ctx.as_of - day).days if day else None for table, day in oldest.items()}
    overdue = {t: age - policy[t] for t, age in ages.items() if age is not None and age > policy[t]}
    evidence = {"oldest_age_days": ages, "policy_days": policy, "days_past_policy": overdue}
    if not overdue:
        return Finding(KEPT, "nothing is older than its retention policy", evidence)
    words = ", ".join(f"{t} {d} days past its {policy[t]}-day policy" for t, d in sorted(overdue.items()))
    if max(overdue.values()) > GRACE_DAYS:
        return Finding(BROKEN, f"{words}: retention has not run", evidence)
    return Finding(AT_RISK, f"{words}: the next retention run deletes them", evidence)


def consent_withdrawal(ctx: Context) -> Finding:
    requests = [r for r in _rights_as_of(ctx) if r["type"] == "withdraw_consent"]
    overdue = sorted(r["request_id"] for r in requests if r["sla_state"] == "overdue")
    held = queries.run(ctx.con, "promises/inquiries_without_consent.sql").fetchone()[0]
    evidence = {"withdrawals_received": len(requests),
                "withdrawals_answered": sum(r["closed_on"] is not None for r in requests),
                "withdrawals_overdue": overdue, "inquiries_held_without_consent": held}
    words = (f"{evidence['withdrawals_received']} withdrawals received, {evidence['withdrawals_answered']} answered; "
             f"{held} inquiries held without consent")
    return Finding(BROKEN if overdue or held else KEPT, words + (f"; overdue: {', '.join(overdue)}" if overdue else ""),
                   evidence)


def consent_current_policy(ctx: Context) -> Finding:
    versions = dict(queries.run(ctx.con, "promises/consent_versions.sql").fetchall())
    older = {v: n for v, n in versions.items() if v != ctx.cfg.policy_version}
    evidence = {"current": ctx.cfg.policy_version, "inquiries_by_version": versions}
    if not versions:
        return Finding(KEPT, "no inquiries held", evidence)
    if older:
        words = ", ".join(f"{n} to {v}" for v, n in sorted(older.items(), key=lambda kv: str(kv[0])))
        return Finding(AT_RISK, f"{sum(older.values())} inquiries consented to an older policy ({words}); "
                                f"current {ctx.cfg.policy_version}", evidence)
    return Finding(KEPT, f"all {sum(versions.values())} inquiries consented to {ctx.cfg.policy_version}", evidence)


def no_third_country_transfer(ctx: Context) -> Finding:
    location, safeguard = ctx.cfg.processing_location, ctx.cfg.transfer_safeguard
    since = ctx.as_of - dt.timedelta(days=WINDOW_DAYS)
    shares = queries.rows(ctx.con, "promises/eu_share.sql", start=since, end=ctx.as_of, eea=sorted(EEA))[0]
    evidence = {"processing_location": location, "transfer_safeguard": safeguard, **shares}
    eu_data = bool(shares["eu_visitors"] or shares["eu_inquiries"])
    share_words = (f"{shares['eu_visitors']} of {shares['visitors']} visitors and {shares['eu_inquiries']} of "
                   f"{shares['inquiries']} inquiries from the EU/EEA in the last {WINDOW_DAYS} days")
    if location is None:
        return Finding(NOT_CHECKED, f"processing_location is not set, so a transfer cannot be judged; {share_words}",
                       evidence)
    if location in EEA or not eu_data:
        return Finding(KEPT, f"processed in {location}; {share_words}", evidence)
    if location in ADEQUATE:
        return Finding(KEPT, f"processed in {location}, which has an EU adequacy decision (Art. 45); {share_words}",
                       evidence)
    if safeguard:
        return Finding(AT_RISK, f"EU data processed in {location} under {safeguard} (section 7), while section 3 "
                                f"says no transfer: align the wording; {share_words}", evidence)
    return Finding(BROKEN, f"EU data processed in {location} with no transfer safeguard set; {share_words}", evidence)


def children_data_deleted(ctx: Context) -> Finding:
    erasures = queries.run(ctx.con, "promises/erasures.sql").fetchone()[0]
    return Finding(NOT_CHECKED, "the contact form asks no age, so a child's data cannot be recognized in the data; "
                                f"a parent's report goes through vcar subject erase ({erasures} erasures so far)",
                   {"erasures": erasures})


CHECKS: dict[str, Callable[[Context], Finding]] = {
    "respond_15_business_days": respond_15_business_days,
    "logs_aggregated": logs_aggregated,
    "minimum_necessary": minimum_necessary,
    "deleted_when_not_needed": deleted_when_not_needed,
    "consent_withdrawal": consent_withdrawal,
    "consent_current_policy": consent_current_policy,
    "no_third_country_transfer": no_third_country_transfer,
    "children_data_deleted": children_data_deleted,
}


STATUS_COLOURS = {KEPT: "#d8f0dc", AT_RISK: "#fde9c4", BROKEN: "#f8d0d0", NOT_CHECKED: "#e4e4ec"}


def html_report(result: dict[str, Any]) -> str:
    """A dated, printable page for an auditor: every promise, its status, the evidence in words and in figures.
    Everything in it is escaped text: it holds figures and ids, never data from outside as markup."""
    import html
    import json

    def esc(value: object) -> str:
        return html.escape(str(value), quote=True)

    rows = "".join(
        f"<tr style='background:{STATUS_COLOURS[p['status']]}'><td>{esc(p['status'].replace('_', ' '))}</td>"
        f"<td>{esc(p['regime'].upper())}</td><td>{esc(p['section'])}</td><td><b>{esc(p['text'])}</b><br><small>{esc(p['checks'])}</small></td>"
        f"<td>{esc(p['summary'])}<br><small>{esc(p['thresholds'])}</small></td>"
        f"<td><pre>{esc(json.dumps(p['evidence'], indent=1, ensure_ascii=False, default=str))}</pre></td></tr>"
        for p in result["promises"]
    )
    return (
        "<!doctype html><html><head><meta charset='utf-8'>"
        f"<title>Privacy promises as of {esc(result['as_of'])}</title>"
        "<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse;width:100%}"
        "td,th{border:1px solid #999;padding:.4em;vertical-align:top;text-align:left}pre{white-space:pre-wrap;"
        "font-size:.8em;margin:0}@media print{body{margin:0}}</style></head><body>"
        f"<h1>Privacy promises: evidence as of {esc(result['as_of'])}</h1>"
        f"<p>Privacy policy version {esc(result['policy_version'])}. Generated by vcar-insights from the live "
        "warehouse; statuses: kept, at risk, broken, not checked (with the reason).</p>"
        "<table><tr><th>status</th><th>law</th><th>section</th><th>promise and what is checked</th><th>evidence and "
        f"thresholds</th><th>figures</th></tr>{rows}</table></body></html>"
    )


# China's laws add their own promises (etl/compliance/regime_promises.py, which builds on etl/compliance/findings.py).

PROMISES += tuple(Promise(**entry) for entry in _PIPL_PROMISES)
CHECKS.update(_PIPL_CHECKS)


def changed(cfg: Any, as_of: dt.date, regime: str = "all") -> list[dict[str, Any]]:
    """The promises whose status on ``as_of`` differs from the day before's: id, regime, was, now, summary."""
    before = {p["id"]: p["status"] for p in evaluate(cfg, as_of - dt.timedelta(days=1), regime)["promises"]}
    return [{"id": p["id"], "regime": p["regime"], "was": before.get(p["id"]), "now": p["status"],
             "summary": p["summary"]}
            for p in evaluate(cfg, as_of, regime)["promises"] if before.get(p["id"]) != p["status"]]
