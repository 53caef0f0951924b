"""The metric registry: every number the product shows, with the definition README documents."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Metric:
    key: str
    label: str
    definition: str


METRICS: tuple[Metric, ...] = (
    Metric("requests", "Requests", "any parsed log line"),
    Metric("bot_requests", "Bot requests", "a request whose client is classed a bot (reason kept per crawler)"),
    Metric(
        "pageviews",
        "Pageviews",
        "a human request with method GET, status 2xx or 304, whose path is not a static asset",
    ),
    Metric(
        "visitors",
        "Visitors",
        "distinct visitor ids within one reporting day; over a range, the sum of daily visitors",
    ),
    Metric("visits", "Visits", "a visitor's pageviews with gaps under visit_gap_minutes (30)"),
    Metric("bounce_rate", "Bounce rate", "share of visits with exactly one pageview"),
    Metric("views_per_visit", "Views per visit", "pageviews / visits"),
    Metric("visit_duration", "Visit duration", "mean seconds from a visit's first to its last pageview"),
    Metric("entry_page", "Entry page", "the first page of a visit"),
)


def ratio(numerator: float, denominator: float) -> float | None:
    return round(numerator / denominator, 4) if denominator else None
