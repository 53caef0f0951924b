"""The registry of metrics and dimensions: every number the product shows and every way it can be split.

One name per concept: a key here is the column a query returns, the key of the report's JSON, the CLI option and
the URL parameter of a filter, and the label is what the dashboard shows. Reports compute the figures, the CLI
and the dashboard's controls take their options from ``FILTERS``, etl/reporting/formatting.py writes every figure
by its unit, and README's metric table is checked against ``METRICS`` by a test, so a definition is written
once. Nothing a user types becomes a SQL identifier: filters reach SQL as one ``$filters`` struct whose fields are
the keys below (queries/usage/filtered_rows.sql)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from etl.core.places import PLACE_COLUMNS, close_places, place_code

Unit = Literal["count", "share", "ratio", "seconds", "hours", "days", "per_1000"]


@dataclass(frozen=True)
class Metric:
    key: str
    label: str
    definition: str
    unit: Unit
    source: str  # where it comes from: warehouse columns, or the arithmetic on other metrics
    higher_is_better: bool = True


@dataclass(frozen=True)
class Dimension:
    key: str
    label: str
    definition: str
    column: str  # the warehouse column (the same name wherever it is stored)
    filters: tuple[str, ...] = ()  # the reports it narrows: "usage", "inquiries"
    shape: str | None = None  # what a value must look like (a regex), or None: any text
    values: tuple[str, ...] = ()  # the only values it takes, when they are a fixed set


METRICS: tuple[Metric, ...] = (
    # web usage (vcar report usage, the Usage page)
    Metric("requests", "Requests", "any parsed log line", "count", "agg_status.requests"),
    Metric("bot_requests", "Bot requests", "a request classed as a bot (see above), counted apart with its reason",
           "count", "agg_status.requests where is_bot"),
    Metric("bot_share", "Bot share of requests", "bot_requests / requests", "share", "bot_requests / requests",
           higher_is_better=False),
    Metric("pageviews", "Pageviews",
           "a human request with method GET, status 2xx or 304, whose path is not a static asset", "count",
           "agg_daily.pageviews"),
    Metric("visitors", "Visitors",
           "distinct visitor ids within one reporting day; over a range, the sum of daily visitors", "count",
           "agg_daily.visitors"),
    Metric("visits", "Visits", "a visitor's pageviews with gaps under 30 minutes (`visit_gap_minutes`)", "count",
           "agg_daily.visits"),
    Metric("bounce_rate", "Bounce rate", "share of visits with exactly one pageview", "share",
           "agg_daily.bounces / agg_daily.visits", higher_is_better=False),
    Metric("views_per_visit", "Views per visit", "pageviews / visits", "ratio", "pageviews / visits"),
    Metric("visit_duration_s", "Visit duration", "mean seconds from a visit's first to its last pageview", "seconds",
           "agg_daily.duration_s / agg_daily.visits"),
    # the inquiry funnel (vcar report inquiries, the Inquiry funnel page)
    Metric("contact_page_visitors", "On the contact page", "visitors who viewed a page of `contact_paths` that day",
           "count", "agg_contact.visitors"),
    Metric("inquiries", "Inquiries", "contact-form submissions with consent", "count", "inquiries"),
    Metric("responded", "Answered", "inquiries with a first response", "count", "inquiries.first_response_at"),
    Metric("closed", "Closed", "inquiries closed in the CRM", "count", "inquiries.closed_at"),
    Metric("not_answered", "Not answered yet", "inquiries - responded", "count", "inquiries - responded",
           higher_is_better=False),
    Metric("inquiries_per_1000_visitors", "Inquiries per 1,000 visitors", "1000 * inquiries / visitors", "per_1000",
           "inquiries / agg_daily.visitors"),
    Metric("median_hours", "Median first response",
           "median hours from submission to first response, among answered inquiries", "hours",
           "inquiries.first_response_at - inquiries.submitted_at", higher_is_better=False),
    Metric("within_sla_share", "Answered within the SLA",
           "share answered within `first_response_sla_hours`, among inquiries answered or past that window",
           "share", "inquiries.first_response_at"),
    Metric("past_sla", "Unanswered past the SLA",
           "inquiries with no first response `first_response_sla_hours` after submission (the managers' digest)",
           "count", "inquiries.first_response_at", higher_is_better=False),
    # the rights register (vcar report rights, the Rights requests page)
    Metric("open_requests", "Open requests", "requests not completed, rejected or withdrawn", "count",
           "rights_requests", higher_is_better=False),
    Metric("past_promise", "Open, past the promise",
           "open requests past the privacy policy's 15 business days; not all of them are legally late", "count",
           "rights_requests", higher_is_better=False),
    Metric("at_risk", "Open, at risk",
           "open requests on time on both clocks with 3 business days or fewer left before the promise or the legal"
           " deadline in force", "count", "rights_requests", higher_is_better=False),
    Metric("overdue", "Open, legally overdue", "open requests past the legal deadline in force (one month, three"
           " after an extension, or the PIPL's 15 working days)", "count", "rights_requests", higher_is_better=False),
    Metric("promise_kept_share", "Closed within the promise",
           "share of the requests closed in the window that were closed within 15 business days", "share",
           "rights_requests.closed_on"),
    Metric("on_time_share", "Closed in legal time",
           "share of the requests closed in the window that were closed by the legal deadline in force", "share",
           "rights_requests.closed_on"),
    Metric("median_days_to_close", "Median days to close",
           "median calendar days from receipt to closure, among the requests closed in the window", "days",
           "rights_requests.closed_on - received_on", higher_is_better=False),
)

DIMENSIONS: tuple[Dimension, ...] = (
    Dimension("site", "Site", "the virtual host a request was served under (see README, Sites)", "site", ("usage",)),
    Dimension("country", "Country", "ISO 3166-1 alpha-2: GeoIP for visits, the form for inquiries", "country",
              ("usage", "inquiries"), shape=r"[A-Z]{2}"),
    Dimension("region", "Region", "ISO 3166-2 first-level division, e.g. CN-GD (a province)", "region",
              ("usage", "inquiries"), shape=r"[A-Z]{2}-[A-Z0-9]{1,3}"),
    Dimension("device", "Device", "desktop, mobile or tablet, from the user agent", "device", ("usage",),
              values=("desktop", "mobile", "tablet", "other")),
    Dimension("browser", "Browser", "browser family, from the user agent", "browser", ("usage",)),
    Dimension("source", "Source", "the referring site or campaign source of a visit's first pageview", "source",
              ("usage",)),
    Dimension("page", "Page", "a page path; as a filter, the visits that included it", "path", ("usage",)),
    Dimension("entry_page", "Entry page", "the first page of a visit", "entry_page"),
    Dimension("os", "Operating system", "operating-system family, from the user agent", "os"),
    Dimension("campaign", "Campaign", "the `utm_campaign` of a visit's first pageview", "utm_campaign"),
    Dimension("district", "District", "the form's district under a known region", "district"),
    Dimension("support_type", "Support type", "what the inquiry is about, from the form", "support_type"),
)

BY_KEY: dict[str, Metric] = {m.key: m for m in METRICS}
DIMENSION_BY_KEY: dict[str, Dimension] = {d.key: d for d in DIMENSIONS}
FILTERS: tuple[str, ...] = tuple(d.key for d in DIMENSIONS if "usage" in d.filters)
INQUIRY_FILTERS: tuple[str, ...] = tuple(d.key for d in DIMENSIONS if "inquiries" in d.filters)


def label(key: str) -> str:
    """The words the dashboard shows for a metric or a dimension."""
    found = BY_KEY.get(key) or DIMENSION_BY_KEY.get(key)
    if found is None:
        raise KeyError(f"{key!r} is not in the metric registry")
    return found.label


def normalize_filter(key: str, value: str | None) -> str | None:
    """A filter value as stored: a place by its code (``germany`` -> ``DE``, ``cn-gd`` -> ``CN-GD``), a fixed set's
    values in lower case (``Mobile`` -> ``mobile``), other text as typed; blank is none."""
    if value is None or not value.strip():
        return None
    dimension = DIMENSION_BY_KEY[key]
    if key in PLACE_COLUMNS:
        return place_code(key, value) or value.strip().upper()
    if dimension.shape:
        return value.strip().upper()
    if dimension.values:
        return value.strip().lower()
    return value


def check_filter(key: str, value: str | None) -> str | None:
    """Why ``value`` cannot be a value of dimension ``key`` in any case (None when it can): a typo is told, as
    typed, not answered with zeros."""
    dimension = DIMENSION_BY_KEY[key]
    stored = normalize_filter(key, value)
    if value is None or stored is None:
        return None
    if key in PLACE_COLUMNS and place_code(key, value) is None:
        near = close_places(key, value)
        return (f"{value!r} is no {key}'s name or code ({dimension.definition.split(',')[0].split(':')[0]})"
                + (f"; close: {', '.join(near)}" if near else ""))
    if dimension.values and stored not in dimension.values:
        return f"{value!r} is not one of {', '.join(dimension.values)}"
    if dimension.shape and not re.fullmatch(dimension.shape, stored):
        return f"{value!r} is not {dimension.definition.split(':')[0].split(',')[0]}"
    return None


def ratio(numerator: float, denominator: float) -> float | None:
    return round(numerator / denominator, 4) if denominator else None


def readme_tables() -> tuple[str, str]:
    """README's metric and dimension tables, as they must read (tests/core/test_metrics.py compares them)."""
    metrics = ["| metric | label | unit | definition |", "|---|---|---|---|"]
    metrics += [f"| `{m.key}` | {m.label} | {m.unit} | {m.definition} |" for m in METRICS]
    dimensions = ["| dimension | label | column | filters | definition |", "|---|---|---|---|---|"]
    dimensions += [f"| `{d.key}` | {d.label} | `{d.column}` | {', '.join(d.filters) or '–'} | {d.definition} |"
                   for d in DIMENSIONS]
    return "\n".join(metrics), "\n".join(dimensions)
