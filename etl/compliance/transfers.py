"""Personal data leaving mainland China, counted (PIPL Art. 38-39; Provisions on Promoting and Regulating
Cross-Border Data Flows, CAC, March 2024).

When the warehouse runs outside mainland China (``processing_location``), every Chinese individual whose data it
holds has been transferred. The Provisions count individuals, not rows, cumulatively from 1 January of the year,
for a handler that is not a critical-information-infrastructure operator:

- non-sensitive data of fewer than 100,000 individuals: exempt (Art. 5(4));
- 100,000 to 1,000,000, or sensitive data of fewer than 10,000: a standard contract or a certification (Art. 8);
- more than 1,000,000, or sensitive data of 10,000 or more: the CAC's security assessment (Art. 7).

Whatever the volume, Art. 39 asks for notice and a *separate* consent; the contact form has one box for the
policy and the terms, which is bundled, so separate consent is missing unless the export carries a column for it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import queries
from etl.compliance.findings import AT_RISK, BROKEN, KEPT, NOT_CHECKED, Context, Finding
from etl.compliance.regimes import CHINA

MECHANISMS = ("exempt", "standard_contract", "certification", "security_assessment")
LEVEL = {"exempt": 0, "standard_contract": 1, "certification": 1, "security_assessment": 2}
NON_SENSITIVE = (100_000, 1_000_000)  # from these counts up: level 1, then level 2
SENSITIVE = (1, 10_000)
AT_RISK_SHARE = 0.8


def year_window(as_of: dt.date, tz: dt.tzinfo) -> tuple[dt.datetime, dt.datetime]:
    """1 January of ``as_of``'s year to the end of ``as_of``, as naive UTC (the warehouse's times)."""

    def utc(day: dt.date) -> dt.datetime:
        return dt.datetime.combine(day, dt.time(0), tz).astimezone(dt.UTC).replace(tzinfo=None)

    return utc(dt.date(as_of.year, 1, 1)), utc(as_of + dt.timedelta(days=1))


def required_level(individuals: int, sensitive: bool) -> int:
    """0 exempt, 1 standard contract or certification, 2 security assessment."""
    return sum(individuals >= limit for limit in (SENSITIVE if sensitive else NON_SENSITIVE))


def next_threshold(level: int, sensitive: bool) -> int | None:
    """The count at which a handler at ``level`` needs more (None: nothing above a security assessment)."""
    limits = SENSITIVE if sensitive else NON_SENSITIVE
    return limits[level] if level < len(limits) else None


def counted(con, as_of: dt.date, tz: dt.tzinfo) -> dict[str, Any]:
    since, until = year_window(as_of, tz)
    found = queries.rows(con, "transfers/china_individuals.sql", country=CHINA, since=since, until=until)[0]
    return {"year": as_of.year, "since": dt.date(as_of.year, 1, 1).isoformat(), **found}


def cross_border_volume(ctx: Context) -> Finding:
    cfg = ctx.cfg
    location, mechanism, sensitive = cfg.processing_location, cfg.pipl_transfer_mechanism, cfg.pipl_sensitive_data
    found = counted(ctx.con, ctx.as_of, cfg.tz)
    n = found["individuals"]
    have = LEVEL[mechanism] if mechanism else 0
    need = required_level(n, sensitive)
    limit = next_threshold(have, sensitive)
    evidence = found | {
        "processing_location": location, "sensitive": n if sensitive else 0, "non_sensitive": 0 if sensitive else n,
        "mechanism": mechanism, "standard_contract_filed": cfg.pipl_standard_contract_filed,
        "required": [m for m in MECHANISMS if LEVEL[m] == need], "next_threshold": limit,
        "share_of_next_threshold": round(n / limit, 4) if limit else None,
    }
    kind = "sensitive" if sensitive else "non-sensitive"
    words = (f"{n:,} individuals from China since {found['since']} ({kind}; {found['from_inquiries']:,} through "
             f"inquiries, {found['from_requests']:,} through rights requests)")
    if location is None:
        return Finding(NOT_CHECKED, f"processing_location is not set, so a transfer cannot be judged; {words}",
                       evidence)
    if location == CHINA:
        return Finding(KEPT, f"processed in mainland China: nothing leaves it; {words}", evidence)
    if need > have:
        needed = " or ".join(evidence["required"])
        return Finding(BROKEN, f"{words} processed in {location}: {needed} required, {mechanism or 'none'} in use",
                       evidence)
    if limit is not None and n > AT_RISK_SHARE * limit:
        return Finding(AT_RISK, f"{words}: over {AT_RISK_SHARE:.0%} of {limit:,}, where {mechanism or 'exempt'} "
                                "stops being enough", evidence)
    if mechanism == "standard_contract" and cfg.pipl_standard_contract_filed is None:
        return Finding(AT_RISK, f"{words}: a standard contract with no filing date recorded (filed within 10 "
                                "working days of taking effect)", evidence)
    return Finding(KEPT, f"{words} processed in {location} under {mechanism or 'the exemption'}", evidence)


def separate_transfer_consent(ctx: Context) -> Finding:
    cfg = ctx.cfg
    since, until = year_window(ctx.as_of, cfg.tz)
    found = queries.rows(ctx.con, "transfers/transfer_consent.sql", country=CHINA, since=since, until=until)[0]
    evidence = found | {"processing_location": cfg.processing_location, "consent_on_form": "bundled"}
    if cfg.processing_location is None:
        return Finding(NOT_CHECKED, "processing_location is not set, so a transfer cannot be judged", evidence)
    if cfg.processing_location == CHINA or not found["inquiries"]:
        return Finding(KEPT, f"no inquiry from China leaves it this year ({found['inquiries']} held, processed in "
                             f"{cfg.processing_location})", evidence)
    missing = found["inquiries"] - found["separate_consent"]
    if missing:
        return Finding(BROKEN, f"{missing} of {found['inquiries']} inquiries from China this year sent abroad without "
                               "a separate consent: the form's one box for the policy and terms is bundled (Art. 39)",
                       evidence)
    return Finding(KEPT, f"all {found['inquiries']} inquiries from China this year gave a separate consent", evidence)
