"""vcar report: usage, inquiries and the rights register's figures, as text or JSON."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from etl.cli.common import (
    BrowserFilter,
    CountryFilter,
    DateFrom,
    DateTo,
    DeviceFilter,
    JsonFlag,
    PageFilter,
    RegionFilter,
    SiteFilter,
    SourceFilter,
    as_of_day,
    checked_filters,
    checked_site,
    emit,
    window,
    with_warehouse,
)
from etl.core.metrics import label
from etl.core.places import place_name
from etl.core.words import text_table
from etl.reporting.formatting import display

# The lists `vcar report usage` prints as tables on stdout, as its help names them: (report key, title, the
# dimension and the column a row is named by, the count beside it).
USAGE_LISTS = (("top_pages", "Pages", "page", "path", "pageviews"),
               ("sources", "Sources", "source", "source", "visits"),
               ("countries", "Countries", "country", "country", "visitors"))

report_app = typer.Typer(help="Print reports computed from the warehouse.", no_args_is_help=True)


@report_app.command("usage")
def report_usage(
    date_from: DateFrom,
    date_to: DateTo,
    limit: Annotated[int, typer.Option(min=1, max=1000, metavar="N", help="Rows per list.")] = 10,
    country: CountryFilter = None,
    region: RegionFilter = None,
    device: DeviceFilter = None,
    browser: BrowserFilter = None,
    source: SourceFilter = None,
    page: PageFilter = None,
    site: SiteFilter = None,
    as_json: JsonFlag = False,
) -> None:
    """Website usage for a date range: visitors, visits, pageviews, bounce rate, pages, sources, countries."""
    from etl.reporting.reports import usage_report

    start, end = window(date_from, date_to)
    filters = checked_filters({"country": country, "region": region, "device": device, "browser": browser,
                               "source": source, "page": page})
    cfg = with_warehouse()
    filters["site"] = checked_site(site, cfg)
    report = usage_report(cfg, start, end, limit, filters)
    shown = {key: display(key, report[key]) for key in ("visitors", "visits", "pageviews", "bounce_rate", "requests",
                                                          "bot_requests")}
    human = (
        f"{report['from']} .. {report['to']} ({report['timezone']}): {shown['visitors']} visitors, "
        f"{shown['visits']} visits, {shown['pageviews']} pageviews, bounce rate {shown['bounce_rate']}; "
        f"{shown['requests']} requests of which {shown['bot_requests']} from bots"
        + (" (requests and bots are split by the site alone)" if set(report["filters"]) - {"site"} else "")
        + (f"\npage {filters['page']}: every figure is that of the visits that included it; the page's own views "
           f"{display('pageviews', report['page_pageviews'])}" if filters.get('page') else "")
        + (f"\n{report['geoip_attribution']}" if report["geoip_attribution"] else "")
    )
    emit(report, as_json, human)
    if not as_json:
        typer.echo("\n\n".join(usage_tables(report)))


def usage_tables(report: dict[str, Any]) -> list[str]:
    """The report's lists as titled text tables, places by name with their code, counts with separators."""
    out = []
    for key, title, dimension, column, measure in USAGE_LISTS:
        rows = [[place_name(column, row[column]) or str(row[column]), display(measure, row[measure])]
                for row in report[key]]
        table = text_table([label(dimension), label(measure)], rows) if rows else ["(none)"]
        out.append("\n".join([title, *table]))
    return out


@report_app.command("inquiries")
def report_inquiries(
    date_from: DateFrom,
    date_to: DateTo,
    country: CountryFilter = None,
    region: RegionFilter = None,
    as_json: JsonFlag = False,
) -> None:
    """Inquiries by country, region and support type; first-response time; the funnel from web visitors on."""
    from etl.reporting.reports import inquiries_report

    place = checked_filters({"country": country, "region": region})
    report = inquiries_report(with_warehouse(), *window(date_from, date_to), country=place["country"],
                              region=place["region"])
    f, first = report["funnel"], report["first_response"]
    human = (
        f"{report['from']} .. {report['to']}: {display('visitors', f['visitors'])} visitors -> "
        f"{display('contact_page_visitors', f['contact_page_visitors'])} on the contact page -> "
        f"{display('inquiries', f['submissions'])} inquiries -> {display('responded', f['responded'])} answered -> "
        f"{display('closed', f['closed'])} closed; median first response "
        f"{display('median_hours', first['median_hours'])}, "
        f"within SLA {display('within_sla_share', first['within_sla_share'])}"
        + (f"\n{report['geoip_attribution']}" if report["geoip_attribution"] else "")
    )
    emit(report, as_json, human)


@report_app.command("rights")
def report_rights(
    as_of: Annotated[
        str | None,
        typer.Option(
            "--as-of", help="The register as it stood that day (YYYY-MM-DD; default today in the reporting time zone)."
        ),
    ] = None,
    window_days: Annotated[int, typer.Option(min=1, max=3660, help="Closures counted over this many days.")] = 90,
    as_json: JsonFlag = False,
) -> None:
    """The rights register's figures on its two clocks: open, past the promise, at risk, legally overdue; of the
    requests closed in the window, the shares closed within the promise and in legal time, median days to close."""
    from etl.reporting.reports import rights_report
    from etl.reporting.summaries import RIGHTS_TILES

    cfg = with_warehouse()
    report = rights_report(cfg, as_of_day(as_of, cfg), window_days)
    keys = (*RIGHTS_TILES, "promise_kept_share", "on_time_share", "median_days_to_close")
    figures = "\n".join(f"  {label(key)}: {display(key, report[key])}" for key in keys)
    human = f"as of {report['as_of']} (shares and median: requests closed in the last {window_days} days)\n{figures}"
    emit(report, as_json, human)
