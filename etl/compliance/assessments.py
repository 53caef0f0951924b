"""Personal-information impact assessments (PIPL Art. 55-56) and the PIPL's columns of the record of processing.

Art. 55 asks for an assessment before processing sensitive data, before providing personal data to another
handler or disclosing it, and before providing it abroad; Art. 56 says what it covers and that the report and the
processing record are kept at least three years. The register lives in the warehouse (``impact_assessments``);
``vcar retention`` never deletes it.

The PIPL's legal bases (Art. 13) have no "legitimate interests": analytics from logs rest on consent, or on data
that is anonymized (Art. 4, outside the law) rather than only de-identified (Art. 73), which a daily keyed
visitor id is until its salt is destroyed.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import queries
from etl.compliance import audit
from etl.compliance.findings import AT_RISK, BROKEN, KEPT, Context, Finding
from etl.compliance.regimes import CHINA
from etl.core import clock, warehouse
from etl.core.errors import FieldError
from etl.core.settings import Settings

CONCLUSIONS = ("approved", "approved_with_measures", "rejected")
RETENTION_YEARS = 3  # Art. 56: report and processing record kept at least three years
PIPL_BASIS = {
    "web_analytics": "Art. 13(1)(1) consent (the PIPL has no legitimate-interests basis); the visitor id is "
    "de-identified (Art. 73) until its daily salt is destroyed, then anonymized (Art. 4: outside the law)",
    "inquiries": "Art. 13(1)(1) consent (the contact form); Art. 13(1)(2) necessary to conclude a contract",
    "rights_requests": "Art. 13(1)(3) necessary for legal duties (Art. 44-50: the individual's rights)",
    "staff_and_audit": "Art. 13(1)(2) human-resources management; Art. 13(1)(3) legal duties (Cybersecurity Law "
    "Art. 21: network logs)",
}
CHINESE_DATA = ("web_analytics", "inquiries", "rights_requests")  # activities that hold data of people in China


def add(cfg: Settings, *, activity: str, assessed_on: dt.date, conclusion: str, next_review: dt.date,
        summary: str | None = None, actor: str | None = None) -> dict[str, Any]:
    """Register an assessment; the activity must be one of the record's, the review after the assessment."""
    from etl.compliance.rights import mask_note

    # one entry per activity of the record (tests/compliance/test_transfers.py holds them together)
    keys = list(PIPL_BASIS)
    if activity not in keys:
        raise FieldError("activity", f"{activity!r} is not one of {', '.join(keys)}")
    if conclusion not in CONCLUSIONS:
        raise FieldError("conclusion", f"{conclusion!r} is not one of {', '.join(CONCLUSIONS)}")
    if assessed_on > clock.today(cfg.tz):
        raise FieldError("assessed_on", f"{assessed_on} is in the future")
    if next_review <= assessed_on:
        raise FieldError("next_review", f"{next_review} is not after the assessment ({assessed_on})")
    with warehouse.write(cfg.warehouse) as con:
        prefix = f"PIA-{assessed_on.year}-"
        used = [
            row[0][len(prefix) :] for row in queries.run(con, "assessments/ids_of_year.sql", prefix=prefix).fetchall()
        ]
        number = 1 + max((int(n) for n in used if n.isdigit()), default=0)
        row: dict[str, Any] = {"assessment_id": f"{prefix}{number:04d}", "activity": activity,
                               "assessed_on": assessed_on, "conclusion": conclusion, "next_review": next_review,
                               "summary": mask_note(summary)}
        queries.run(con, "assessments/insert.sql", now=clock.now(), **row)
        audit.append(con, actor or audit.cli_actor(), "assessment.add", str(row["assessment_id"]),
                     {k: str(v) for k, v in row.items() if k != "assessment_id"})
    return row


def listing(cfg: Settings) -> list[dict[str, Any]]:
    with warehouse.read(cfg.warehouse) as con:
        return register(con)


def register(con) -> list[dict[str, Any]]:
    return queries.rows(con, "assessments/all.sql")


def required(cfg: Settings) -> dict[str, str | None]:
    """Per activity, why an assessment is required (Art. 55), or None when it is not."""
    abroad = cfg.processing_location is not None and cfg.processing_location != CHINA
    out: dict[str, str | None] = {}
    for key in PIPL_BASIS:
        reasons = []
        if abroad and key in CHINESE_DATA:
            reasons.append(f"personal data from China processed in {cfg.processing_location} (Art. 55(4))")
        if cfg.pipl_sensitive_data and key == "inquiries":
            reasons.append("sensitive personal information (Art. 55(1))")
        out[key] = "; ".join(reasons) or None
    return out


def current(rows: list[dict[str, Any]], activity: str, as_of: dt.date) -> dict[str, Any] | None:
    """The latest assessment of ``activity`` made by ``as_of`` that did not reject it."""
    made = [
        r for r in rows if r["activity"] == activity and r["assessed_on"] <= as_of and r["conclusion"] != "rejected"
    ]
    return max(made, key=lambda r: (r["assessed_on"], r["assessment_id"]), default=None)


def pipl_record(cfg: Settings, as_of: dt.date) -> dict[str, dict[str, str]]:
    """The PIPL's columns of the record, per activity: legal basis, assessment required and held, where processed."""
    with warehouse.read(cfg.warehouse) as con:
        rows = register(con)
    where = cfg.processing_location or "not stated (set processing_location)"
    out = {}
    for key, why in required(cfg).items():
        held = current(rows, key, as_of)
        out[key] = {
            "pipl_legal_basis": PIPL_BASIS[key],
            "assessment_required": f"yes: {why}" if why else "no (Art. 55: no sensitive data, disclosure or transfer "
            "abroad)",
            "assessment": f"{held['assessment_id']} of {held['assessed_on']}, {held['conclusion']}, next review "
            f"{held['next_review']}" if held else "none",
            "processed_in": where,
        }
    return out


def impact_assessments(ctx: Context) -> Finding:
    rows = register(ctx.con)
    needed = {k: why for k, why in required(ctx.cfg).items() if why}
    held = {k: current(rows, k, ctx.as_of) for k in needed}
    missing = sorted(k for k, row in held.items() if row is None)
    stale = sorted(k for k, row in held.items() if row is not None and row["next_review"] < ctx.as_of)
    evidence = {"required": needed, "held": {k: r and r["assessment_id"] for k, r in held.items()},
                "missing": missing, "review_overdue": stale, "assessments": len(rows)}
    if missing:
        return Finding(BROKEN, f"no impact assessment for {', '.join(missing)} (required: "
                               f"{'; '.join(needed[k] for k in missing[:1])})", evidence)
    if stale:
        return Finding(AT_RISK, f"review overdue for {', '.join(stale)}", evidence)
    words = f"{len(needed)} activities need one, each assessed" if needed else "no activity needs one now (Art. 55)"
    return Finding(KEPT, f"{words}; {len(rows)} assessments in the register", evidence)
