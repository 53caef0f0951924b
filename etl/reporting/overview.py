"""The Overview page's figures per role: the sections of ``etl/reporting/summaries.py`` (the figures of the reports)
formatted by the metric registry, so the page only draws and the CLI's reports give the same numbers.

- marketing: yesterday and the last seven days against the same days a week before; the pages and sources that
  moved most; visitors per day for two weeks.
- manager: new inquiries (yesterday, seven days), those past the first-response SLA with the list, conversion by
  region over 30 days.
- compliance: open, at risk, overdue; the next five deadlines; the identity checks pending longest.
- everyone: how fresh the data is (the last log line and the last load in the reporting time zone, with warnings).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import queries
from etl.core import warehouse
from etl.core.metrics import label
from etl.core.settings import Settings
from etl.core.words import as_words, moment_with_zone
from etl.geoip.database import MAX_AGE_DAYS, attribution, describe
from etl.reporting.charts import SERIES_COLOURS, clock_colours
from etl.reporting.formatting import change_between, change_colour, display, heading
from etl.reporting.periods import preset_range
from etl.reporting.reports import past_sla, rights_of_register
from etl.reporting.summaries import (
    RIGHTS_TILES,
    clock_row,
    conversion,
    most_urgent,
    pick,
    register,
    the_week,
    week_lists,
)

STALE_LOG_HOURS = 26
REJECT_JUMP = 2.0  # the last run's rejected share over twice the ten runs before it (and at least 1%)
ROLE_SECTIONS = {"marketing": ("marketing",), "manager": ("manager",), "compliance": ("compliance",),
                 "admin": ("marketing", "manager", "compliance")}


def freshness(cfg: Settings, now: dt.datetime, role: str = "admin") -> dict[str, Any]:
    """The last log line and the last load, and what to worry about: no new lines for over 26 hours, a GeoIP
    database over six months old (told to the admin only: no other role can update it), a jump in rejected
    lines."""
    with warehouse.read(cfg.warehouse) as con:
        row = queries.rows(con, "status/freshness.sql")[0]
    warnings = []
    last_line = row["last_log_line"].replace(tzinfo=dt.UTC) if row["last_log_line"] else None
    if last_line is None:
        warnings.append("No log lines are held yet: run vcar ingest logs.")
    elif now - last_line > dt.timedelta(hours=STALE_LOG_HOURS):
        hours = int((now - last_line).total_seconds() // 3600)
        warnings.append(f"No new log lines for {hours:,} hours (over {STALE_LOG_HOURS}): check that the logs still "
                        "arrive and that the daily ingest runs.")
    built = None if cfg.geoip_db is None else describe(cfg.geoip_db).built
    if role == "admin" and built is not None and (now.date() - built).days > MAX_AGE_DAYS:
        warnings.append(f"The GeoIP database is from {built}, over six months old: places drift; update it with "
                        "vcar geoip update (geoip_update_url), monthly from a timer (README, GeoIP).")
    last_share = row["rejected_last"] / row["read_last"] if row["read_last"] else 0.0
    before_share = row["rejected_before"] / row["read_before"] if row["read_before"] else None
    if before_share is not None and last_share >= 0.01 and last_share > REJECT_JUMP * before_share:
        warnings.append(f"Rejected lines jumped to {last_share:.1%} of the last run (from {before_share:.1%}): see "
                        "Data & privacy for the reasons.")
    return {"last_log_line": moment_with_zone(last_line, cfg), "last_load": moment_with_zone(row["last_load"], cfg),
            "geoip_built": None if built is None else built.isoformat(), "warnings": warnings}


def _tiles(rows: list[dict[str, Any]], k_min: int | None, suffix: str) -> list[dict[str, Any]]:
    """st.metric arguments for each compared metric; a change is coloured by whether higher is better."""
    return [
        {"label": f"{label(r['metric'])}, {suffix}", "value": display(r["metric"], r["value"], k_min),
         "delta": (moved := change_between(r["metric"], r["value"], r["previous"])),  # worded as the pages do
         "delta_color": change_colour(r["metric"], moved)}
        for r in rows
    ]


SUPPRESSED = "Suppressed"  # the flag column of a table whose small counts are left empty


def _mover_rows(moved: list[dict], dimension: str, column: str, metric: str, k_min: int | None) -> list[dict]:
    """The movers as table rows of numbers (a CSV of them adds up). To the marketing role (``k_min``) a count under
    it is left empty and flagged, and so is the change beside it (it would tell the count by subtraction)."""
    rows = []
    for r in moved:
        small = [k_min is not None and 0 < n < k_min for n in (r["value"], r["previous"])]
        row = {label(dimension): r[column], "Last 7 days": None if small[0] else r["value"],
               "The 7 before": None if small[1] else r["previous"], "Change": None if any(small) else r["change"]}
        rows.append(row | ({SUPPRESSED: any(small)} if k_min is not None else {}))
    return rows


def marketing(week: dict[str, Any], lists: dict[str, Any], end: dt.date, k_min: int | None) -> dict[str, Any]:
    """The Website section from ``the_week`` and ``week_lists`` to ``end`` (yesterday). ``k_min``: counts under it
    show as "< k" (the marketing role's small-cell suppression)."""
    keys = ("visitors", "pageviews", "bounce_rate")
    return {
        "title": "Website",
        "tiles": [
            _tiles(pick(week["day"], keys), k_min, f"yesterday ({end})"),
            _tiles(pick(week["week"], keys), k_min, "last 7 days"),
        ],
        "note": "Changes against the same days a week before.",
        "tables": {
            ("page_movers", "Pages that moved most (pageviews, last 7 days)"): _mover_rows(
                lists["top_pages_movers"], "page", "path", "pageviews", k_min
            ),
            ("source_movers", "Sources that moved most (visits, last 7 days)"): _mover_rows(
                lists["sources_movers"], "source", "source", "visits", k_min
            ),
        },
        "chart": {
            "title": "Visitors per day, last 14 days",
            "colour": SERIES_COLOURS["visitors"],
            "x": "Day",
            "y": label("visitors"),
            "rows": [{"Day": r["day"], label("visitors"): r["visitors"]} for r in week["visitors_per_day"]],
        },
    }


def manager(cfg: Settings, week: dict[str, Any], past: dict[str, Any], month: list[dict[str, Any]],
            end: dt.date) -> dict[str, Any]:
    """The Inquiries section from ``the_week`` to ``end`` (yesterday), the inquiries past the SLA now and the
    conversion by region of the last 30 days."""
    late_tile = {"label": f"{label('past_sla')} ({past['sla_hours']} h)", "value": display("past_sla",
                 past["past_sla"]), "delta": None, "delta_color": "off"}
    counts = [_tiles(pick(week[period], ("inquiries",)), None, suffix)
              for period, suffix in (("day", f"yesterday ({end})"), ("week", "last 7 days"))]
    regions = [r for r in month if r["inquiries_per_1000_visitors"] is not None][:10]
    return {
        "title": "Inquiries",
        "tiles": [counts[0] + counts[1] + [late_tile]],
        "note": " ".join(filter(None, ["Changes against the same days a week before.", attribution(cfg)])),
        "tables": {
            ("inquiries_past_sla", f"{label('past_sla')}, oldest first"): [
                {
                    heading("submitted_at"): dt.datetime.fromisoformat(r["submitted_at"]),
                    heading("hours_waiting"): round(r["hours_waiting"]),
                    label("region"): r["region_name"] or r["region"],
                    label("district"): r["district"] or "",
                    label("support_type"): r["support_type"],
                }
                for r in past["inquiries"][:20]
            ],
        },
        "chart": {
            "title": "Inquiries per 1,000 visitors by region, last 30 days",
            "colour": SERIES_COLOURS["inquiries_per_1000_visitors"],
            "x": label("region"),
            "y": label("inquiries_per_1000_visitors"),
            "rows": [
                {label("region"): r["region"], label("inquiries_per_1000_visitors"): r["inquiries_per_1000_visitors"]}
                for r in regions
            ],
        },
    }


def compliance(report: dict[str, Any], urgent: list[dict[str, Any]]) -> dict[str, Any]:
    """The Rights requests section from ``rights_of_register`` and ``most_urgent`` of one read of the register."""
    tiles = [{"label": label(k), "value": display(k, report[k]), "delta": None, "delta_color": "off"}
             for k in RIGHTS_TILES]
    return {
        "title": "Rights requests",
        "tiles": [tiles],
        "note": report["provisional_note"],
        "tables": {
            ("rights_attention", "Past or near a deadline, most urgent first"): [
                clock_row(r) for r in report["attention"]
            ],
            ("next_deadlines", "The next five deadlines"): [clock_row(r) for r in report["next_deadlines"]],
            ("identity_pending", "Identity checks pending longest"): [
                {
                    "Request": r["request_id"],
                    "Type": as_words(r["type"]),
                    "Asked on": r["pending_since"],
                    "Days pending": r["days_pending"],
                }
                for r in report["identity_pending"][:5]
            ],
        },
        "chart": {
            "title": "Days left to the legal deadline in force, open requests (most urgent first)",
            "colour": SERIES_COLOURS["overdue"],
            "x": "Request",
            "y": "Days left (legal)",
            "colour_by": "Both clocks",
            "colours": clock_colours(urgent),
            "rows": [{"Request": r["request_id"], "Days left (legal)": r["legal_days_left"], "Both clocks": r["clocks"]}
                     for r in urgent],
        },
    }


def overview(cfg: Settings, role: str, now: dt.datetime, site: str | None = None) -> dict[str, Any]:
    """Everything the Overview page shows to ``role`` as of ``now`` (aware): the sections of
    ``etl/reporting/summaries.py``, read on one connection, and the register read once. ``site`` narrows the
    Website section to one site (the inquiries and rights have no site)."""
    today = now.astimezone(cfg.tz).date()
    end = preset_range("yesterday", today)[1]
    names = ROLE_SECTIONS.get(role, ())
    sections = []
    if "marketing" in names or "manager" in names:
        with warehouse.read(cfg.warehouse, parquet=cfg.warehouse_parquet) as con:
            week = the_week(con, today)
            if "marketing" in names:
                k_min = cfg.k_min if role == "marketing" else None
                web = the_week(con, today, site) if site else week
                sections.append(marketing(web, week_lists(con, today, site), end, k_min))
                sections[-1]["title"] += f" – {site}" if site else ""
            if "manager" in names:
                sections.append(manager(cfg, week, past_sla(con, cfg, now),
                                        conversion(con, *preset_range("last30", today)), end))
    if "compliance" in names:
        rows = register(cfg, today)
        sections.append(compliance(rights_of_register(rows, today), most_urgent(rows)))
    for section in sections:  # (name, title) keys -> a list the page can draw in order
        section["tables"] = [{"name": name, "title": title, "rows": rows}
                             for (name, title), rows in section["tables"].items()]
    return {"freshness": freshness(cfg, now, role), "sections": sections}
