"""vcar report: usage, inquiries and the rights register's figures, as text or JSON."""

from __future__ import annotations

from typing import Annotated

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
from etl.reporting.formatting import display

report_app = typer.Typer(help="Print reports computed from the warehouse.", no_args_is_help=True)


@report_app.command("usage")
def report_usage(
    date_from: DateFrom,
    date_to: DateTo,
    limit: Annotated[int, typer.Option(min=1, max=1000, help="Rows per list.")] = 10,
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
        + (f"\n{report['geoip_attribution']}" if report["geoip_attribution"] else "")
    )
    emit(report, as_json, human)


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
