"""The Overview page's figures per role, composed from the report functions and formatted by the metric registry,
so the page only draws and the CLI's reports give the same numbers.

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
from etl.core.metrics import BY_KEY, label
from etl.core.settings import Settings
from etl.core.words import local_time, when, words, zone_name
from etl.geoip.database import MAX_AGE_DAYS, describe
from etl.reporting.charts import SERIES_COLOURS
from etl.reporting.formatting import display, display_change, heading
from etl.reporting.reports import (
    compare,
    inquiries_past_sla,
    inquiries_report,
    rights_report,
    usage_report,
    usage_series,
)

STALE_LOG_HOURS = 26
REJECT_JUMP = 2.0  # the last run's rejected share over twice the ten runs before it (and at least 1%)
ROLE_SECTIONS = {"marketing": ("marketing",), "manager": ("manager",), "compliance": ("compliance",),
                 "admin": ("marketing", "manager", "compliance")}


def freshness(cfg: Settings, now: dt.datetime) -> dict[str, Any]:
    """The last log line and the last load, and what to worry about: no new lines for over 26 hours, a GeoIP
    database over six months old, a jump in rejected lines."""
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
    if built is not None and (now.date() - built).days > MAX_AGE_DAYS:
        warnings.append(f"The GeoIP database is from {built}, over six months old: places drift; update it with "
                        "vcar geoip update (geoip_update_url), monthly from a timer (README, GeoIP).")
    last_share = row["rejected_last"] / row["read_last"] if row["read_last"] else 0.0
    before_share = row["rejected_before"] / row["read_before"] if row["read_before"] else None
    if before_share is not None and last_share >= 0.01 and last_share > REJECT_JUMP * before_share:
        warnings.append(f"Rejected lines jumped to {last_share:.1%} of the last run (from {before_share:.1%}): see "
                        "Data & privacy for the reasons.")
    return {"last_log_line": when(last_line, cfg), "last_load": when(row["last_load"], cfg),
            "geoip_built": None if built is None else built.isoformat(), "warnings": warnings}


def _tiles(rows: list[dict[str, Any]], k_min: int | None, suffix: str) -> list[dict[str, Any]]:
    """st.metric arguments for each compared metric; a change is coloured by whether higher is better."""
    return [
        {"label": f"{label(r['metric'])}, {suffix}", "value": display(r["metric"], r["value"], k_min),
         "delta": None if r["change"] is None else display_change(r["metric"], r["change"]),
         "delta_color": "normal" if BY_KEY[r["metric"]].higher_is_better else "inverse"}
        for r in rows
    ]


def movers(now: list[dict[str, Any]], before: list[dict[str, Any]], key: str, value: str, n: int = 5) -> list[dict]:
    """The ``n`` rows whose ``value`` changed most (either way) between two periods, biggest first."""
    old = {r[key]: r[value] for r in before}
    new = {r[key]: r[value] for r in now}
    changes = [(name, new.get(name, 0), old.get(name, 0)) for name in new.keys() | old.keys()]
    changes.sort(key=lambda c: (-abs(c[1] - c[2]), str(c[0])))
    return [{key: name, "value": a, "previous": b, "change": a - b} for name, a, b in changes[:n] if a != b]


def _moved(now: list[dict], before: list[dict], dimension: str, column: str, metric: str,
           k_min: int | None) -> list[dict[str, str]]:
    """The movers as table rows; no change figure beside a suppressed count (it would tell the count)."""
    rows = []
    for r in movers(now, before, column, metric):
        shown = [display(metric, r["value"], k_min), display(metric, r["previous"], k_min)]
        hidden = any(text.startswith("<") for text in shown)
        rows.append({label(dimension): r[column], "Last 7 days": shown[0], "The 7 before": shown[1],
                     "Change": "–" if hidden else f"{r['change']:+,}"})
    return rows


def marketing(cfg: Settings, today: dt.date, k_min: int | None) -> dict[str, Any]:
    """``k_min``: counts under it show as "< k" (the marketing role's small-cell suppression)."""
    day = dt.timedelta(days=1)
    yesterday, week_start = today - day, today - 7 * day
    keys = ("visitors", "pageviews", "bounce_rate")
    one = compare(usage_report(cfg, yesterday, yesterday, limit=1), usage_report(cfg, today - 8 * day,
                  today - 8 * day, limit=1), keys)
    week = usage_report(cfg, week_start, yesterday, limit=100)
    before = usage_report(cfg, today - 14 * day, today - 8 * day, limit=100)
    return {
        "title": "Website",
        "tiles": [
            _tiles(one, k_min, f"yesterday ({yesterday})"),
            _tiles(compare(week, before, keys), k_min, "last 7 days"),
        ],
        "note": "Changes against the same days a week before.",
        "tables": {
            ("page_movers", "Pages that moved most (pageviews, last 7 days)"): _moved(
                week["top_pages"], before["top_pages"], "page", "path", "pageviews", k_min
            ),
            ("source_movers", "Sources that moved most (visits, last 7 days)"): _moved(
                week["sources"], before["sources"], "source", "source", "visits", k_min
            ),
        },
        "chart": {
            "title": "Visitors per day, last 14 days",
            "colour": SERIES_COLOURS["visitors"],
            "x": "Day",
            "y": label("visitors"),
            "rows": [
                {"Day": r["period"], label("visitors"): r["visitors"]}
                for r in usage_series(cfg, today - 14 * day, yesterday, "day")
            ],
        },
    }


def manager(cfg: Settings, today: dt.date, now: dt.datetime) -> dict[str, Any]:
    day = dt.timedelta(days=1)
    yesterday = today - day
    one = compare(inquiries_report(cfg, yesterday, yesterday), inquiries_report(cfg, today - 8 * day, today - 8 * day),
                  ("inquiries",))
    week = compare(inquiries_report(cfg, today - 7 * day, yesterday), inquiries_report(cfg, today - 14 * day,
                   today - 8 * day), ("inquiries",))
    past = inquiries_past_sla(cfg, now)
    month = inquiries_report(cfg, today - 30 * day, yesterday)
    late_tile = {"label": f"{label('past_sla')} ({past['sla_hours']} h)", "value": display("past_sla",
                 past["past_sla"]), "delta": None, "delta_color": "off"}
    regions = [r for r in month["conversion_by_region"] if r["inquiries_per_1000_visitors"] is not None][:10]
    return {
        "title": "Inquiries",
        "tiles": [_tiles(one, None, f"yesterday ({yesterday})") + _tiles(week, None, "last 7 days") + [late_tile]],
        "note": " ".join(filter(None, ["Changes against the same days a week before.", month["geoip_attribution"]])),
        "tables": {
            ("inquiries_past_sla", f"{label('past_sla')}, oldest first"): [
                {
                    f"{heading('submitted_at')} ({zone_name(cfg.timezone)})": local_time(r["submitted_at"], cfg.tz),
                    heading("hours_waiting"): f"{r['hours_waiting']:,.0f}",
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


def compliance(cfg: Settings, today: dt.date) -> dict[str, Any]:
    report = rights_report(cfg, today)
    tiles = [{"label": label(k), "value": display(k, report[k]), "delta": None, "delta_color": "off"}
             for k in ("open_requests", "at_risk", "overdue")]
    return {
        "title": "Rights requests",
        "tiles": [tiles],
        "note": report["provisional_note"],
        "tables": {
            ("rights_attention", "Overdue and at risk"): [_deadline_row(r) for r in report["attention"]],
            ("next_deadlines", "The next five deadlines"): [_deadline_row(r) for r in report["next_deadlines"]],
            ("identity_pending", "Identity checks pending longest"): [
                {
                    "Request": r["request_id"],
                    "Type": words(r["type"]),
                    "Asked on": r["pending_since"],
                    "Days pending": f"{r['days_pending']:,}",
                }
                for r in report["identity_pending"][:5]
            ],
        },
        "chart": {
            "title": "Days left to the deadline, open requests (most urgent first)",
            "colour": SERIES_COLOURS["overdue"],
            "x": "Request",
            "y": "Days left",
            "rows": [{"Request": r["request_id"], "Days left": r["days_left"]} for r in _urgent(cfg, today)],
        },
    }


def _urgent(cfg: Settings, today: dt.date, limit: int = 15) -> list[dict[str, Any]]:
    """The open requests with a running clock, fewest days left first (negative: overdue by so many)."""
    from etl.compliance.rights import listing

    running = [r for r in listing(cfg, as_of=today, open_only=True) if r["days_left"] is not None]
    return sorted(running, key=lambda r: (r["days_left"], r["request_id"]))[:limit]


def _deadline_row(r: dict[str, Any]) -> dict[str, str]:
    return {"Request": r["request_id"], "Type": words(r["type"]), "Deadline": r["deadline"],
            "Standing": r["standing"], "Owner": r["owner"] or "nobody"}


def overview(cfg: Settings, role: str, now: dt.datetime) -> dict[str, Any]:
    """Everything the Overview page shows to ``role`` as of ``now`` (aware)."""
    today = now.astimezone(cfg.tz).date()
    k_min = cfg.k_min if role == "marketing" else None
    builders = {"marketing": lambda: marketing(cfg, today, k_min), "manager": lambda: manager(cfg, today, now),
                "compliance": lambda: compliance(cfg, today)}
    sections = [builders[name]() for name in ROLE_SECTIONS.get(role, ())]
    for section in sections:  # (name, title) keys -> a list the page can draw in order
        section["tables"] = [{"name": name, "title": title, "rows": rows}
                             for (name, title), rows in section["tables"].items()]
    return {"freshness": freshness(cfg, now), "sections": sections}
