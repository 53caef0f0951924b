"""One model of each role's summary: every section the Overview page, ``vcar overview`` and ``vcar digest`` show is
built here once, from narrow queries on one read connection, and they only render it.

- the week: "Yesterday" and "Last 7 days" as etl/reporting/periods.py defines them for every page, against the same
  days a week before, web metrics and inquiries (``queries/usage/totals_by_day.sql`` and
  ``queries/inquiries/by_day.sql``: one read of fourteen days);
- the week's lists: top pages and sources of the seven days and of the seven before, and what moved most;
- the inquiries: unanswered past the first-response SLA, the first-response figures, conversion by region;
- the rights register as it stood on a day: read once by ``register`` and passed to every section that needs it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import queries
from etl.core.metrics import ratio
from etl.core.settings import Settings
from etl.reporting.periods import compared
from etl.reporting.reports import compare, conversion_rows, first_response_figures, usage_filters

DAY = dt.timedelta(days=1)
WEEK_FIGURES = ("visitors", "visits", "pageviews", "bounce_rate", "views_per_visit", "visit_duration_s", "inquiries",
                "not_answered")
RIGHTS_TILES = ("open_requests", "past_promise", "at_risk", "overdue")  # each names its clock and its requests
LIST_ROWS = 100  # the pages and sources compared for the movers; the digest's top five are their first rows


def _totals(web: list[dict[str, Any]], inquiries: list[dict[str, Any]], start: dt.date, end: dt.date) -> dict:
    """The week's metrics of ``start`` - ``end`` from daily sums, as usage_report and inquiries_report give them."""
    days = [r for r in web if start <= r["day"] <= end]
    visits, pageviews = sum(int(r["visits"]) for r in days), sum(int(r["pageviews"]) for r in days)
    durations = [r["duration_s"] for r in days if r["duration_s"] is not None]
    asked = [r for r in inquiries if start <= r["day"] <= end]
    submitted = sum(int(r["inquiries"]) for r in asked)
    return {
        "visitors": sum(int(r["visitors"]) for r in days),
        "visits": visits,
        "pageviews": pageviews,
        "bounce_rate": ratio(sum(int(r["bounces"]) for r in days), visits),
        "views_per_visit": ratio(pageviews, visits),
        "visit_duration_s": ratio(sum(durations), visits) if durations else None,
        "inquiries": submitted,
        "not_answered": submitted - sum(int(r["responded"]) for r in asked),
    }


def week_periods(today: dt.date) -> dict[str, tuple[tuple[dt.date, dt.date], tuple[dt.date, dt.date]]]:
    """The Overview's and the digest's two periods, as the analytics pages define them (etl/reporting/periods.py):
    ``day`` is "Yesterday" against the same weekday a week earlier, ``week`` is "Last 7 days" against the previous
    seven; each a (period, comparison period) pair of whole days."""
    return {"day": compared("yesterday", "week", today), "week": compared("last7", "previous", today)}


def the_week(con, today: dt.date, site: str | None = None) -> dict[str, Any]:
    """The ``week_periods`` of ``today``, each a ``compare`` of WEEK_FIGURES, and visitors per day of the fourteen
    whole days to yesterday; the web figures of one ``site`` or of all (None)."""
    chosen = week_periods(today)
    first, end = chosen["week"][1][0], chosen["week"][0][1]
    web = queries.rows(con, "usage/totals_by_day.sql", start=first, end=end, filters=usage_filters({"site": site}))
    inquiries = queries.rows(con, "inquiries/by_day.sql", start=first, end=end, country=None, region=None)
    out: dict[str, Any] = {
        name: compare(_totals(web, inquiries, *period), _totals(web, inquiries, *before), WEEK_FIGURES)
        for name, (period, before) in chosen.items()
    }
    return out | {"visitors_per_day": [{"day": r["day"], "visitors": int(r["visitors"])} for r in web]}


def pick(rows: list[dict[str, Any]], keys: tuple[str, ...]) -> list[dict[str, Any]]:
    """The ``compare`` rows of ``keys`` (of ``the_week``), in their order."""
    by_metric = {r["metric"]: r for r in rows}
    return [by_metric[key] for key in keys]


def movers(now: list[dict[str, Any]], before: list[dict[str, Any]], key: str, value: str, n: int = 5) -> list[dict]:
    """The ``n`` rows whose ``value`` changed most (either way) between two periods, biggest first."""
    old = {r[key]: r[value] for r in before}
    new = {r[key]: r[value] for r in now}
    changes = [(name, new.get(name, 0), old.get(name, 0)) for name in new.keys() | old.keys()]
    changes.sort(key=lambda c: (-abs(c[1] - c[2]), str(c[0])))
    return [{key: name, "value": a, "previous": b, "change": a - b} for name, a, b in changes[:n] if a != b]


def week_lists(con, today: dt.date, site: str | None = None) -> dict[str, Any]:
    """The top pages (by pageviews) and sources (by visits) of the last seven whole days (of one ``site`` or of
    all), biggest first, and the ones that moved most against the seven before (``week_periods``)."""
    filters = usage_filters({"site": site})
    week, before = week_periods(today)["week"]
    out: dict[str, Any] = {}
    for name, key, value in (("top_pages", "path", "pageviews"), ("sources", "source", "visits")):
        now, then = (
            [{key: r[key], value: r[value]} for r in queries.rows(con, f"usage/{name}.sql", start=start,
                                                                  end=last, filters=filters, limit=LIST_ROWS)]
            for start, last in (week, before)
        )
        out[name] = now
        out[f"{name}_movers"] = movers(now, then, key, value)
    return out


def first_response(con, cfg: Settings, start: dt.date, end: dt.date, now: dt.datetime) -> dict[str, Any]:
    """The median hours to a first response and the share within the SLA, judged at ``now`` (aware), as
    inquiries_report's ``first_response``."""
    utc = now.astimezone(dt.UTC).replace(tzinfo=None)
    row = queries.rows(con, "inquiries/first_response.sql", start=start, end=end, now=utc, country=None,
                       region=None, sla_hours=cfg.first_response_sla_hours)[0]
    return first_response_figures(row, cfg.first_response_sla_hours)


def conversion(con, start: dt.date, end: dt.date) -> list[dict[str, Any]]:
    """Inquiries per 1,000 web visitors by region (inquiries_report's ``conversion_by_region``)."""
    return conversion_rows(queries.rows(con, "inquiries/conversion_by_region.sql", start=start, end=end, country=None,
                                        region=None))


def register(cfg: Settings, as_of: dt.date) -> list[dict[str, Any]]:
    """The rights register as it stood at the end of ``as_of``: the one read a page or a digest makes of it."""
    from etl.compliance.rights import listing

    return listing(cfg, as_of=as_of, open_only=False)


def most_urgent(rows: list[dict[str, Any]], limit: int = 15) -> list[dict[str, Any]]:
    """The open requests of the ``register`` with a running clock, most urgent first (legally overdue, past the
    promise, then fewest days left)."""
    from etl.compliance.deadlines import CLOSED
    from etl.compliance.rights import most_urgent_first

    running = [r for r in rows if r["status"] not in CLOSED and r["days_left"] is not None]
    return sorted(running, key=most_urgent_first)[:limit]


def clock_row(r: dict[str, Any]) -> dict[str, str]:
    """A request past or near a deadline (a ``rights_of_register`` attention row) as the Overview and the digest
    list it: both clocks, named, side by side; by id, never by its subject."""
    from etl.core.words import as_words

    return {"Request": r["request_id"], "Type": as_words(r["type"]), "Status": as_words(r["status"]),
            "Both clocks": r["clocks"], "Promise due": r["due_date"], "Legal deadline in force": r["legal_deadline"],
            "Legally": r["legal_standing"], "Owner": r["owner"] or "nobody"}
