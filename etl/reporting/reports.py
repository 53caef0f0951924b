"""Reports built from the aggregate tables only (never from raw events): the CLI and the dashboard share them."""

from __future__ import annotations

import datetime as dt
import statistics
from typing import Any

import queries
from etl.core import clock, warehouse
from etl.core.metrics import FILTERS, ratio
from etl.core.places import region_name
from etl.core.settings import Settings
from etl.geoip.database import attribution


def _jsonable(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in row.items()} for row in rows]


def usage_report(
    cfg: Settings, start: dt.date, end: dt.date, limit: int = 10, filters: dict[str, str | None] | None = None
) -> dict[str, Any]:
    """The usage report of ``vcar report usage`` (keys are the documented contract, named in etl/core/metrics.py).

    ``filters`` (the dimensions of ``FILTERS``) narrow every visitor-based figure; the request and bot counts are
    per day and site, and narrowed by the site alone."""
    chosen = usage_filters(filters)
    days = {"start": start, "end": end}
    window = days | {"filters": chosen}
    per_site = days | {"site": chosen["site"]}
    with warehouse.read(cfg.warehouse, parquet=cfg.warehouse_parquet) as con:
        totals = queries.rows(con, "usage/totals.sql", **window)[0]
        requests = queries.rows(con, "usage/requests.sql", **per_site)[0]
        sites = queries.rows(con, "usage/sites.sql", **window)
        by_day = queries.rows(con, "usage/by_day.sql", **window)
        lists = {
            name: queries.rows(con, f"usage/{file}.sql", **(per_site if file == "bots" else window), limit=limit)
            for name, file in [
                ("top_pages", "top_pages"), ("entry_pages", "entry_pages"), ("countries", "countries"),
                ("regions", "regions"), ("sources", "sources"), ("campaigns", "campaigns"),
                ("browsers", "browsers"), ("operating_systems", "operating_systems"), ("bots", "bots"),
            ]
        }
        devices = queries.rows(con, "usage/devices.sql", **window)
    for row in by_day:
        row["bounce_rate"] = ratio(row.pop("bounces"), row["visits"])
    requests_n, bots_n = int(requests["requests"]), int(requests["bot_requests"])
    page = chosen["page"]
    return {
        "from": start.isoformat(),
        "to": end.isoformat(),
        "timezone": cfg.timezone,
        "filters": {k: v for k, v in chosen.items() if v is not None},
        "requests": requests_n,
        "bot_requests": bots_n,
        "bot_share": ratio(bots_n, requests_n),
        "pageviews": int(totals["pageviews"]),
        "visitors": int(totals["visitors"]),
        "visits": int(totals["visits"]),
        "bounce_rate": ratio(totals["bounces"], totals["visits"]),
        "views_per_visit": ratio(totals["pageviews"], totals["visits"]),
        "visit_duration_s": None if totals["duration_s"] is None else ratio(totals["duration_s"], totals["visits"]),
        # with a page filter every figure above is that of the visits that included the page; its own views:
        "page_pageviews": sum(r["pageviews"] for r in lists["top_pages"] if r["path"] == page) if page else None,
        "by_day": _jsonable(by_day),
        "sites": sites,
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
        "geoip_attribution": attribution(cfg),  # the credit a DB-IP database asks for beside its places
    }


def known_sites(cfg: Settings) -> list[str]:
    """The sites a report can be narrowed to: those the warehouse has requests of, and the configured ones."""
    with warehouse.read(cfg.warehouse, parquet=cfg.warehouse_parquet) as con:
        loaded = [r["site"] for r in queries.rows(con, "usage/known_sites.sql")]
    return sorted({*loaded, cfg.site_host, *cfg.site_folders.values()})


def usage_filters(filters: dict[str, str | None] | None) -> dict[str, str | None]:
    """The ``$filters`` struct of the usage queries: every filter dimension, None for "all"."""
    unknown = set(filters or {}) - set(FILTERS)
    if unknown:
        raise ValueError(f"unknown filters {sorted(unknown)}")
    return {name: (filters or {}).get(name) or None for name in FILTERS}


def inquiries_report(
    cfg: Settings,
    start: dt.date,
    end: dt.date,
    *,
    country: str | None = None,
    region: str | None = None,
    now: dt.datetime | None = None,
) -> dict[str, Any]:
    """The inquiry report of ``vcar report inquiries`` (keys are the documented contract). ``now`` (aware; default
    the present) is the moment the SLA share and the partial day are judged at: a digest for a past day passes
    that day's end, so its figures do not drift as the clock moves on."""
    window = {"start": start, "end": end}
    now = (now or clock.now()).astimezone(dt.UTC).replace(tzinfo=None)
    today = now.replace(tzinfo=dt.UTC).astimezone(cfg.tz).date()
    with warehouse.read(cfg.warehouse, parquet=cfg.warehouse_parquet) as con:
        funnel = queries.rows(con, "inquiries/funnel.sql", **window, country=country, region=region)[0]
        response = queries.rows(con, "inquiries/first_response.sql", **window, now=now, country=country,
                                region=region, sla_hours=cfg.first_response_sla_hours)[0]
        place = {"country": country, "region": region}  # every section follows the place filters
        parts = {name: queries.rows(con, f"inquiries/{name}.sql", **window, **place)
                 for name in ("by_day", "by_district", "by_support_type", "by_country", "by_region",
                              "conversion_by_region")}
    submissions, visitors = int(funnel["submissions"]), int(funnel["visitors"])
    per_1000 = ratio(1000 * submissions, visitors)
    return {
        "from": start.isoformat(),
        "to": end.isoformat(),
        "timezone": cfg.timezone,
        "inquiries": submissions,
        "not_answered": submissions - int(funnel["responded"]),
        "inquiries_per_1000_visitors": None if per_1000 is None else round(per_1000, 1),
        "by_day": _jsonable([r | {"partial": r["day"] >= today} for r in parts["by_day"]]),  # today is not over
        "by_country": parts["by_country"],
        "by_region": [r | {"region_name": region_name(r["region"])} for r in parts["by_region"]],
        "by_district": parts["by_district"],
        "district_breakdown": district_breakdown(parts["by_district"]),
        "by_support_type": parts["by_support_type"],
        "first_response": first_response_figures(response, cfg.first_response_sla_hours),
        "funnel": {k: int(v) for k, v in funnel.items()},
        "funnel_steps": funnel_steps({k: int(v) for k, v in funnel.items()}),
        "conversion_by_region": conversion_rows(parts["conversion_by_region"]),
        "geoip_attribution": attribution(cfg),  # conversion by region counts web visitors placed by GeoIP
    }


def first_response_figures(row: dict[str, Any], sla_hours: int) -> dict[str, Any]:
    """The row of inquiries/first_response.sql as the report gives it: hours to two decimals, the share in the SLA."""
    median = row["median_hours"]
    return {"median_hours": None if median is None else round(float(median), 2),
            "within_sla_share": ratio(row["within_sla"], row["due"]), "sla_hours": sla_hours}


def conversion_rows(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The rows of inquiries/conversion_by_region.sql with the rate as a float (DuckDB gives a decimal)."""
    rate = "inquiries_per_1000_visitors"
    return [r | {rate: None if r[rate] is None else float(r[rate])} for r in rows]


# the funnel's keys -> the registry's metrics
FUNNEL_STEPS = {"visitors": "visitors", "contact_page_visitors": "contact_page_visitors", "submissions": "inquiries",
                "responded": "responded", "closed": "closed"}


def funnel_steps(funnel: dict[str, int]) -> list[dict[str, Any]]:
    """The funnel in order, each step with its share of the step before it (the funnel chart's percentages)."""
    steps, before = [], None
    for key, metric in FUNNEL_STEPS.items():
        value = funnel[key]
        steps.append({"step": key, "metric": metric, "value": value,
                      "of_previous": None if before is None else ratio(value, before)})
        before = value
    return steps


OTHER_DISTRICTS, OTHER_REGIONS = "Other districts", "Other regions"


def district_breakdown(rows: list[dict[str, Any]], regions: int = 6, districts: int = 4) -> list[dict[str, Any]]:
    """Inquiries by district, readable: the ``regions`` regions with most inquiries, each with its ``districts``
    top districts and the rest of it as "Other districts"; the remaining regions as one last row, "Other regions
    (N)", with no district. Rows: country, region, region_name, district, inquiries, share_of_region; regions with
    most first."""
    totals: dict[tuple[str, str], int] = {}
    for r in rows:
        totals[(r["country"], r["region"])] = totals.get((r["country"], r["region"]), 0) + r["inquiries"]
    ranked = sorted(totals, key=lambda key: (-totals[key], key))
    out = []
    for country, region in ranked[:regions]:
        total = totals[(country, region)]
        own = sorted((r for r in rows if (r["country"], r["region"]) == (country, region)),
                     key=lambda r: (-r["inquiries"], r["district"]))
        kept = own[:districts] if len(own) > districts + 1 else own  # never an "Other" of one district
        rest = sum(r["inquiries"] for r in own[len(kept) :])
        named = [(r["district"], r["inquiries"]) for r in kept] + ([(OTHER_DISTRICTS, rest)] if rest else [])
        out += [{"country": country, "region": region, "region_name": region_name(region) or region,
                 "district": district, "inquiries": n, "share_of_region": ratio(n, total)}
                for district, n in named]
    rest = sum(totals[key] for key in ranked[regions:])
    if rest:
        out.append({"country": None, "region": None, "region_name": f"{OTHER_REGIONS} ({len(ranked) - regions})",
                    "district": None, "inquiries": rest, "share_of_region": None})
    return out


SERIES_GRAINS = ("hour", "day", "week", "month")


def usage_series(
    cfg: Settings,
    start: dt.date,
    end: dt.date,
    grain: str,
    filters: dict[str, str | None] | None = None,
    now: dt.datetime | None = None,
) -> list[dict[str, Any]]:
    """Visitors, visits and pageviews per hour, day, ISO week (from Monday) or calendar month of the range.

    Rows carry ``period`` (the first moment of the hour, day, week or month) and ``partial``: the period is not
    over at ``now`` (aware; default the present) or lies only partly inside the range, so its figures are not
    comparable with the others. The hourly series is not split by filters (agg_hourly keeps no dimensions) and
    has no visitors: a visitor is counted per day."""
    if grain not in SERIES_GRAINS:
        raise ValueError(f"unknown grain {grain!r} (one of {', '.join(SERIES_GRAINS)})")
    with warehouse.read(cfg.warehouse, parquet=cfg.warehouse_parquet) as con:
        if grain == "hour":
            rows = queries.rows(con, "usage/by_hour.sql", start=start, end=end)
        else:
            rows = queries.rows(con, "usage/series.sql", start=start, end=end, grain=grain,
                                filters=usage_filters(filters))
    local_now = (now or clock.now()).astimezone(cfg.tz).replace(tzinfo=None)
    return [r | {"partial": is_partial(r["period"], grain, start, end, local_now)} for r in rows]


def period_bounds(period: dt.date | dt.datetime, grain: str) -> tuple[dt.datetime, dt.datetime]:
    """The first moment of a period and the first moment after it (local, naive)."""
    first = period if isinstance(period, dt.datetime) else dt.datetime.combine(period, dt.time(0))
    if grain == "hour":
        return first, first + dt.timedelta(hours=1)
    if grain == "day":
        return first, first + dt.timedelta(days=1)
    if grain == "week":
        return first, first + dt.timedelta(days=7)
    following = first.replace(year=first.year + first.month // 12, month=first.month % 12 + 1)
    return first, following


def is_partial(period: dt.date | dt.datetime, grain: str, start: dt.date, end: dt.date, now: dt.datetime) -> bool:
    """Whether a period of a series is not over at ``now`` (local, naive) or reaches outside ``start`` - ``end``:
    the current day, week or month, or a week or month the chosen dates cut."""
    first, after = period_bounds(period, grain)
    range_start = dt.datetime.combine(start, dt.time(0))
    range_after = dt.datetime.combine(end + dt.timedelta(days=1), dt.time(0))
    return first < range_start or after > range_after or after > now


def rights_report(cfg: Settings, as_of: dt.date, window_days: int = 90) -> dict[str, Any]:
    """The rights register's figures as of a day (``vcar report rights``): open, at risk, overdue, and how the
    requests closed in the last ``window_days`` days went; requests received per month and type."""
    from etl.compliance.rights import listing

    return rights_of_register(listing(cfg, as_of=as_of, open_only=False), as_of, window_days)


def rights_of_register(register: list[dict[str, Any]], as_of: dt.date, window_days: int = 90) -> dict[str, Any]:
    """The figures of ``rights_report`` from the register as it stood on ``as_of`` (``listing`` rows), so a page
    that shows several of them reads the register once."""
    from etl.compliance.deadlines import CLOSED
    from etl.compliance.rights import most_urgent_first, provisional_note

    open_now = [r for r in register if r["status"] not in CLOSED]
    since = as_of - dt.timedelta(days=window_days)
    recent = [r for r in register if r["closed_on"] is not None and r["closed_on"] >= since]
    waits = [(r["closed_on"] - r["received_on"]).days for r in recent]
    late = [r for r in open_now if r["legal_state"] in ("overdue", "at_risk")
            or r["promise_state"] in ("missed", "at_risk")]
    paused = [r for r in open_now if r["sla_state"] == "paused"]
    upcoming = [r for r in open_now if r["deadline"] is not None and r["deadline"] >= as_of]  # most urgent first
    months: dict[tuple[str, str], int] = {}
    for r in register:
        key = (r["received_on"].strftime("%Y-%m"), r["type"])
        months[key] = months.get(key, 0) + 1
    return {
        "as_of": as_of.isoformat(),
        "window_days": window_days,
        "open_requests": len(open_now),
        "past_promise": sum(r["promise_state"] == "missed" for r in open_now),
        "at_risk": sum(r["legal_state"] != "overdue" and r["promise_state"] != "missed"
                       and "at_risk" in (r["legal_state"], r["promise_state"]) for r in open_now),
        "overdue": sum(r["legal_state"] == "overdue" for r in open_now),
        "promise_kept_share": ratio(sum(r["promise_state"] == "kept" for r in recent), len(recent)),
        "on_time_share": ratio(sum(r["legal_state"] == "done_on_time" for r in recent), len(recent)),
        "median_days_to_close": float(statistics.median(waits)) if waits else None,
        "received_by_month": [{"month": m, "type": t, "requests": n} for (m, t), n in sorted(months.items())],
        "attention": [_attention_row(r) for r in sorted(late, key=most_urgent_first)],
        "provisional_note": provisional_note(open_now),
        "next_deadlines": [_attention_row(r) for r in upcoming[:5]],
        "identity_pending": [
            {
                "request_id": r["request_id"],
                "type": r["type"],
                "pending_since": r["paused_from"].isoformat(),
                "days_pending": (as_of - r["paused_from"]).days,
            }
            for r in sorted(paused, key=lambda r: (r["paused_from"], r["request_id"]))
        ],
    }


def _attention_row(r: dict[str, Any]) -> dict[str, Any]:
    """A request with a deadline as the digest, the Rights page's banner and the overview name it: its id, never
    its subject."""
    from etl.compliance.rights import legal_standing, standing

    keep = ("request_id", "type", "status", "sla_state", "days_left", "business_days_left", "owner",
            "deadline_provisional", "promise_state", "legal_state", "clocks", "legal_days_left")
    return {k: r[k] for k in keep} | {"deadline": r["deadline"].isoformat(), "standing": standing(r),
                                      "legal_standing": legal_standing(r),
                                      "due_date": r["due_date"].isoformat(),
                                      "legal_deadline": r["legal_deadline"].isoformat()}


def inquiries_past_sla(cfg: Settings, now: dt.datetime) -> dict[str, Any]:
    """Inquiries without a first response more than ``first_response_sla_hours`` after submission, as they stood
    at ``now`` (aware), oldest first; times in the reporting time zone."""
    with warehouse.read(cfg.warehouse) as con:
        return past_sla(con, cfg, now)


def past_sla(con, cfg: Settings, now: dt.datetime) -> dict[str, Any]:
    """``inquiries_past_sla`` on an open connection."""
    utc = now.astimezone(dt.UTC).replace(tzinfo=None)
    rows = queries.rows(con, "inquiries/past_sla.sql", now=utc, sla_hours=cfg.first_response_sla_hours)
    return {
        "as_of": now.astimezone(cfg.tz).isoformat(timespec="minutes"),
        "timezone": cfg.timezone,
        "sla_hours": cfg.first_response_sla_hours,
        "past_sla": len(rows),
        "inquiries": [
            {
                "submitted_at": _local(r["submitted_at"], cfg),
                "hours_waiting": round(float(r["hours_waiting"]), 1),
                "country": r["country"],
                "region": r["region"],
                "region_name": region_name(r["region"]),
                "district": r["district"],
                "support_type": r["support_type"],
            }
            for r in rows
        ],
    }


def _local(moment: dt.datetime, cfg: Settings) -> str:
    """A naive UTC time as ISO text in the reporting time zone, to the minute."""
    return moment.replace(tzinfo=dt.UTC).astimezone(cfg.tz).isoformat(timespec="minutes")


def compare(current: dict[str, Any], previous: dict[str, Any], keys: tuple[str, ...]) -> list[dict[str, Any]]:
    """Each metric of two periods side by side with its change: relative for counts, rates and durations, in
    points (a difference) for shares."""
    from etl.core.metrics import BY_KEY

    out = []
    for key in keys:
        now, before = current.get(key), previous.get(key)
        if now is None or before is None:
            change = None
        elif BY_KEY[key].unit == "share":
            change = round(now - before, 4)
        else:
            change = ratio(now - before, before)
        out.append({"metric": key, "value": now, "previous": before, "change": change})
    return out
