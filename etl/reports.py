"""Reports built from the aggregate tables only (never from raw events): the CLI and the dashboard share them."""

from __future__ import annotations

import datetime as dt
from typing import Any

import queries
from etl import warehouse
from etl.inquiries.regions import region_name
from etl.metrics import ratio
from etl.settings import Settings


def _jsonable(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in row.items()} for row in rows]


FILTERS = ("country", "region", "device", "browser", "source", "page")


def usage_report(
    cfg: Settings, start: dt.date, end: dt.date, limit: int = 10, filters: dict[str, str | None] | None = None
) -> dict[str, Any]:
    """The usage report of ``vcar report usage`` (keys are the documented contract).

    ``filters`` (country, region, device, browser, source, page) narrow every visitor-based figure; the request
    and bot counts are per day and not split by them."""
    unknown = set(filters or {}) - set(FILTERS)
    if unknown:
        raise ValueError(f"unknown filters {sorted(unknown)}")
    days = {"start": start, "end": end}
    window = days | {name: (filters or {}).get(name) or None for name in FILTERS}
    with warehouse.read(cfg.warehouse) as con:
        totals = queries.rows(con, "usage/totals.sql", **window)[0]
        requests = queries.rows(con, "usage/requests.sql", **days)[0]
        by_day = queries.rows(con, "usage/by_day.sql", **window)
        lists = {
            name: queries.rows(con, f"usage/{file}.sql", **(days if file == "bots" else window), limit=limit)
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
        "filters": {k: v for k, v in window.items() if k in FILTERS and v is not None},
        "requests": int(requests["requests"]),
        "bot_requests": int(requests["bot_requests"]),
        "pageviews": int(totals["pageviews"]),
        "visitors": int(totals["visitors"]),
        "visits": int(totals["visits"]),
        "bounce_rate": ratio(totals["bounces"], totals["visits"]),
        "views_per_visit": ratio(totals["pageviews"], totals["visits"]),
        "visit_duration_s": None if totals["duration_s"] is None else ratio(totals["duration_s"], totals["visits"]),
        "by_day": _jsonable(by_day),
        "top_pages": [{"path": r["path"], "pageviews": r["pageviews"]} for r in lists["top_pages"]],
        "entry_pages": [{"path": r["path"], "visits": r["visits"]} for r in lists["entry_pages"]],
        "countries": lists["countries"],
        "regions": [r | {"region_name": region_name(r["region"])} for r in lists["regions"]],
        "sources": [{"source": r["source"], "visits": r["visits"]} for r in lists["sources"]],
        "campaigns": lists["campaigns"],
        "devices": devices,
        "browsers": lists["browsers"],
        "operating_systems": lists["operating_systems"],
        "bots": lists["bots"],
    }


def inquiries_report(
    cfg: Settings, start: dt.date, end: dt.date, *, country: str | None = None, region: str | None = None
) -> dict[str, Any]:
    """The inquiry report of ``vcar report inquiries`` (keys are the documented contract)."""
    window = {"start": start, "end": end}
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    with warehouse.read(cfg.warehouse) as con:
        funnel = queries.rows(con, "inquiries/funnel.sql", **window, country=country, region=region)[0]
        response = queries.rows(con, "inquiries/first_response.sql", **window, now=now, country=country,
                                region=region, sla_hours=cfg.first_response_sla_hours)[0]  # fmt: skip
        place = {"country": country, "region": region}
        parts = {name: queries.rows(con, f"inquiries/{name}.sql", **window, **place)
                 for name in ("by_day", "by_district", "by_support_type")}  # fmt: skip
        parts |= {name: queries.rows(con, f"inquiries/{name}.sql", **window)
                  for name in ("by_country", "by_region", "conversion_by_region")}  # fmt: skip
    median = response["median_hours"]
    return {
        "from": start.isoformat(),
        "to": end.isoformat(),
        "timezone": cfg.timezone,
        "inquiries": int(funnel["submissions"]),
        "by_day": _jsonable(parts["by_day"]),
        "by_country": parts["by_country"],
        "by_region": [r | {"region_name": region_name(r["region"])} for r in parts["by_region"]],
        "by_district": parts["by_district"],
        "by_support_type": parts["by_support_type"],
        "first_response": {
            "median_hours": None if median is None else round(float(median), 2),
            "within_sla_share": ratio(response["within_sla"], response["due"]),
            "sla_hours": cfg.first_response_sla_hours,
        },
        "funnel": {k: int(v) for k, v in funnel.items()},
        "conversion_by_region": [
            {
                **r,
                "inquiries_per_1000_visitors": None
                if r["inquiries_per_1000_visitors"] is None
                else float(r["inquiries_per_1000_visitors"]),
            }
            for r in parts["conversion_by_region"]
        ],  # fmt: skip
    }
