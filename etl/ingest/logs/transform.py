"""The log transform: a pure function from a batch of raw lines to pseudonymized events and rejects.

``transform(batch, ctx)`` takes a polars frame (``line_no``, ``line``) and returns two frames. Everything
that touches the outside (salts, the user-agent catalogue, GeoIP) comes in through ``ctx`` as callables, so
the same function can run on a few rows in a test or inside a distributed engine's Arrow batches.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import polars as pl

from etl.ingest.logs.enrich import NOT_LOGGED
from etl.ingest.logs.parse import parse_lines
from etl.ingest.logs.pseudonymize import (
    classify_source,
    query_param,
    referrer_host,
    reject_excerpt,
    scrub_paths,
    visitor_ids,
)
from etl.ingest.logs.sites import put_site

EVENT_SCHEMA: dict[str, Any] = {
    "day": pl.Date,
    "ts": pl.Datetime("us"),
    "visitor_id": pl.UInt64,
    "method": pl.String,
    "path": pl.String,
    "status": pl.Int32,
    "source": pl.String,
    "source_kind": pl.String,
    "utm_campaign": pl.String,
    "site": pl.String,
    "ua_key": pl.UInt64,
    "country": pl.String,
    "region": pl.String,
    "is_bot": pl.Boolean,
    "bot_reason": pl.String,
    "is_pageview": pl.Boolean,
    "line_no": pl.Int64,
}
REJECT_SCHEMA = {"line_no": pl.Int64, "reason": pl.String, "excerpt": pl.String}


@dataclass(frozen=True)
class TransformContext:
    fmt: str
    timezone: str
    site_host: str  # the site of lines that name no host: the file's folder's (site_folders), else site_host
    salt_for: Callable[[dt.date], bytes]
    # distinct user agents -> frame(ua, ua_key, is_bot, bot_reason); distinct ips -> frame(ip, country, ...)
    user_agents: Callable[[list[str]], pl.DataFrame]
    geo: Callable[[list[str]], pl.DataFrame]
    static_extensions: tuple[str, ...]
    static_paths: tuple[str, ...]
    custom_regex: str | None = None
    keep_params: tuple[str, ...] = ()
    w3c_fields: str | None = None  # the #Fields directive in force where the batch starts (W3C logs only)


def transform(batch: pl.DataFrame, ctx: TransformContext) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Raw lines -> (events, rejects). The named steps below run in order."""
    batch = drop_blank_and_directives(batch, ctx.fmt)
    parsed = parse_lines(batch, ctx.fmt, ctx.custom_regex, ctx.w3c_fields)
    good, rejects = drop_unparsed(parsed, batch)
    if good.is_empty():
        return pl.DataFrame(schema=EVENT_SCHEMA), rejects
    good = put_day(good, ctx.timezone)
    good = put_site(good, ctx.site_host).with_columns(host=pl.col("site"))  # visitor ids mix in the site
    good = put_user_agent(good, ctx)
    good = put_geo(good, ctx)
    salts = {day: ctx.salt_for(day) for day in good["day"].unique().to_list()}
    good = put_visitor_id(good, salts)
    good = scrub(good, ctx.site_host, ctx.keep_params)
    good = mark_pageviews(good, ctx.static_extensions, ctx.static_paths)
    return good.select([pl.col(name).cast(dtype) for name, dtype in EVENT_SCHEMA.items()]), rejects


def drop_blank_and_directives(batch: pl.DataFrame, fmt: str) -> pl.DataFrame:
    """Blank lines (a trailing newline, a Caddy file's last line) are not requests and not failures; neither are
    a W3C log's ``#`` directives, except ``#Fields:``, which the parser reads. The caller counts what went."""
    keep = pl.col("line").str.strip_chars() != ""
    if fmt == "w3c":
        keep &= ~pl.col("line").str.starts_with("#") | pl.col("line").str.starts_with("#Fields:")
    return batch.filter(keep)


def drop_unparsed(parsed: pl.DataFrame, batch: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Split parsed rows from rejects; a reject keeps its line number, reason and a masked excerpt."""
    bad = parsed.filter(pl.col("reject_reason").is_not_null()).select("line_no", "reject_reason")
    if bad.is_empty():
        rejects = pl.DataFrame(schema=REJECT_SCHEMA)
    else:
        lines = bad.join(batch, on="line_no", how="left")
        rejects = pl.DataFrame(
            {
                "line_no": lines["line_no"],
                "reason": lines["reject_reason"],
                "excerpt": [reject_excerpt(line or "") for line in lines["line"].to_list()],
            },
            schema=REJECT_SCHEMA,
        )
    return parsed.filter(pl.col("reject_reason").is_null()).drop("reject_reason"), rejects


def put_day(frame: pl.DataFrame, timezone: str) -> pl.DataFrame:
    """Reporting day in the configured time zone; ``ts`` kept as naive UTC."""
    return frame.with_columns(
        pl.col("ts").dt.convert_time_zone(timezone).dt.date().alias("day"),
        pl.col("ts").dt.replace_time_zone(None).alias("ts"),
    )


def per_distinct(frame: pl.DataFrame, keys: list[str], compute: Callable[[pl.DataFrame], pl.DataFrame]) -> pl.DataFrame:
    """``frame`` with the columns ``compute`` returns for each distinct combination of ``keys``.

    ``compute`` gets the distinct combinations (one row each) and returns its columns for them, row for row.
    Each row's result is gathered back through the row numbers of its group: no join on long strings."""
    groups = frame.select(keys).with_row_index("_row").group_by(keys).agg(pl.col("_row"))
    values = compute(groups.drop("_row"))
    if values.height != groups.height:
        raise ValueError(f"per_distinct: {values.height} results for {groups.height} distinct values")
    rows = pl.concat([values, groups.select("_row")], how="horizontal").explode("_row")
    return pl.concat([frame, rows.sort("_row").drop("_row")], how="horizontal")


def _looked_up(keys: pl.DataFrame, column: str, lookup: Callable[[list[str]], pl.DataFrame]) -> pl.DataFrame:
    """The lookup's answer for each distinct value of ``column``, in the order of ``keys``."""
    info = lookup(keys[column].to_list())
    return keys.join(info, on=column, how="left", maintain_order="left", nulls_equal=True).drop(column)


def put_visitor_id(frame: pl.DataFrame, salts: Mapping[dt.date, bytes]) -> pl.DataFrame:
    """Add ``visitor_id`` from (day, ip, ua, host); hashes each distinct combination once."""
    return per_distinct(frame, ["day", "ip", "ua", "host"], lambda keys: visitor_ids(keys, salts))


def put_user_agent(frame: pl.DataFrame, ctx: TransformContext) -> pl.DataFrame:
    frame = frame.with_columns(pl.col("ua").fill_null(NOT_LOGGED))
    return per_distinct(frame, ["ua"], lambda keys: _looked_up(keys, "ua", ctx.user_agents))


def put_geo(frame: pl.DataFrame, ctx: TransformContext) -> pl.DataFrame:
    return per_distinct(frame, ["ip"], lambda keys: _looked_up(keys, "ip", ctx.geo))


def scrub(frame: pl.DataFrame, site_host: str, keep_params: tuple[str, ...] = ()) -> pl.DataFrame:
    """Path without query string or personal data; UTM tags; referrer reduced to host and source.

    Each step runs once per distinct value (targets, then referrer x UTM source x host) and is joined back."""
    targets = frame.select("target").unique()
    targets = targets.with_columns(
        scrub_paths(targets["target"], keep_params).alias("path"),
        query_param("utm_source").alias("utm_source"),
        query_param("utm_campaign").alias("utm_campaign"),
    )
    frame = frame.join(targets, on="target", how="left", nulls_equal=True)
    origins = frame.select("referrer", "utm_source", "host").unique()
    source, kind = classify_source([site_host, *origins["host"].unique().to_list()])
    origins = origins.with_columns(referrer_host().alias("referrer_host")).with_columns(
        source.alias("source"), kind.alias("source_kind")
    )
    return frame.join(origins, on=["referrer", "utm_source", "host"], how="left", nulls_equal=True)


def mark_pageviews(
    frame: pl.DataFrame, static_extensions: tuple[str, ...], static_paths: tuple[str, ...]
) -> pl.DataFrame:
    """A pageview is a human GET answered 2xx or 304 whose path is not a static asset."""
    ext = pl.col("path").str.to_lowercase().str.extract(r"\.([a-z0-9]{1,8})$")
    static = ext.is_in(list(static_extensions)).fill_null(False) | pl.col("path").is_in(list(static_paths))
    ok_status = pl.col("status").is_between(200, 299) | (pl.col("status") == 304)
    pageview = ~pl.col("is_bot") & (pl.col("method") == "GET") & ok_status & ~static
    return frame.with_columns(pageview.alias("is_pageview"))
