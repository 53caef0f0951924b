"""Reports built from the aggregate tables only (never from raw events): the CLI and the dashboard share them."""

from __future__ import annotations

import datetime as dt
from typing import Any

import queries
from etl import warehouse
from etl.metrics import ratio
from etl.settings import Settings


def _jsonable(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in row.items()} for row in rows]


def usage_report(cfg: Settings, start: dt.date, end: dt.date, limit: int = 10) -> dict[str, Any]:
    """The usage report of ``vcar report usage`` (keys are the documented contract)."""
    window = {"start": start, "end": end}
    with warehouse.read(cfg.warehouse) as con:
        totals = queries.rows(con, "usage/totals.sql", **window)[0]
        requests = queries.rows(con, "usage/requests.sql", **window)[0]
        by_day = queries.rows(con, "usage/by_day.sql", **window)
        lists = {
            name: queries.rows(con, f"usage/{file}.sql", **window, limit=limit)
            for name, file in [
                ("top_pages", "top_pages"), ("entry_pages", "entry_pages"), ("countries", "countries"),
                ("regions", "regions"), ("sources", "sources"), ("campaigns", "campaigns"),
                ("browsers", "browsers"), ("operating_systems", "operating_systems"), ("bots", "bots"),
            ]
        }  # fmt: skip
        devices = queries.rows(con, "usage/devices.sql", **window)
    for row in by_day:
        row["bounce_rate"] = ratio(row.pop("bounces"), row["visits"])
    return {
        "from": start.isoformat(),
        "to": end.isoformat(),
        "timezone": cfg.timezone,
        "requests": int(requests["requests"]),
        "bot_requests": int(requests["bot_requests"]),
        "pageviews": int(totals["pageviews"]),
        "visitors": int(totals["visitors"]),
        "visits": int(totals["visits"]),
        "bounce_rate": ratio(totals["bounces"], totals["visits"]),
        "views_per_visit": ratio(totals["pageviews"], totals["visits"]),
        "visit_duration_s": ratio(totals["duration_s"], totals["visits"]),
        "by_day": _jsonable(by_day),
        "top_pages": [{"path": r["path"], "pageviews": r["pageviews"]} for r in lists["top_pages"]],
        "entry_pages": [{"path": r["path"], "visits": r["visits"]} for r in lists["entry_pages"]],
        "countries": lists["countries"],
        "regions": lists["regions"],
        "sources": [{"source": r["source"], "visits": r["visits"]} for r in lists["sources"]],
        "campaigns": lists["campaigns"],
        "devices": devices,
        "browsers": lists["browsers"],
        "operating_systems": lists["operating_systems"],
        "bots": lists["bots"],
    }
