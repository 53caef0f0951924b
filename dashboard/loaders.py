"""Typed loaders: the pages' only way to the data. Each calls a report or summary of etl/reporting/ (or, for a
small list, one file of queries/) on a read-only connection, and caches the result until the warehouse file
changes or ``cache_ttl_seconds`` pass."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import streamlit as st

import queries
from etl.core import clock, warehouse
from etl.core.metrics import FILTERS
from etl.core.settings import cached_settings

TTL = cached_settings().cache_ttl_seconds
_SEEN: dict[str, tuple | None] = {"stamp": None}  # the warehouse files as the cached figures last saw them


def forget_if_loaded() -> None:
    """Drop every cached figure once the warehouse has changed (a load, an import, a rights update: each writes
    the file), so a page shows what was loaded a moment ago, not cache_ttl_seconds later. One stat per run."""
    cfg = cached_settings()
    paths = [cfg.warehouse, cfg.warehouse.with_name(cfg.warehouse.name + ".wal")]
    if cfg.warehouse_parquet and "://" not in cfg.warehouse_parquet:  # a local publish folder (s3: the TTL)
        paths.append(Path(cfg.warehouse_parquet))
    stamp = tuple((s.st_mtime_ns, s.st_size) if (s := _stat(p)) else None for p in paths)
    if stamp != _SEEN["stamp"]:
        if _SEEN["stamp"] is not None:
            st.cache_data.clear()
        _SEEN["stamp"] = stamp


def _stat(path: Path):
    try:
        return path.stat()
    except OSError:
        return None


def _frame(name: str, **params) -> pl.DataFrame:
    cfg = cached_settings()
    with warehouse.read(cfg.warehouse, parquet=cfg.warehouse_parquet) as con:
        return pl.DataFrame(queries.arrow(con, name, **params))


@st.cache_data(ttl=TTL, show_spinner=False)
def ingest_runs(limit: int = 20) -> pl.DataFrame:
    return _frame("status/ingest_runs.sql", limit=limit)


@st.cache_data(ttl=TTL, show_spinner=False)
def warehouse_status() -> dict:
    frame = _frame("status/warehouse.sql")
    return frame.row(0, named=True)


@st.cache_data(ttl=TTL, show_spinner=False)
def usage(start, end, limit: int = 15, filters: tuple[tuple[str, str], ...] = ()) -> dict:
    from etl.reporting.reports import usage_report

    return usage_report(cached_settings(), start, end, limit, dict(filters))


@st.cache_data(ttl=TTL, show_spinner=False)
def usage_filter_options(start, end, per_filter: int = 60) -> dict[str, list[str]]:
    frame = _frame("usage/filter_options.sql", start=start, end=end)
    options: dict[str, list[str]] = {name: [] for name in FILTERS}
    for name, value, _ in frame.iter_rows():
        if len(options[name]) < per_filter:
            options[name].append(value)
    return options


@st.cache_data(ttl=TTL, show_spinner=False)
def usage_series(start, end, grain: str, filters: tuple[tuple[str, str], ...] = ()) -> list[dict]:
    """The series of a grain, each period marked partial or not as of now (etl.reporting.reports.usage_series)."""
    from etl.reporting.reports import usage_series as series

    return series(cached_settings(), start, end, grain, dict(filters))


def rights_summary(as_of) -> dict:
    """Not cached, like ``rights``: the figures change with an update made on the page."""
    from etl.reporting.reports import rights_report

    return rights_report(cached_settings(), as_of)


@st.cache_data(ttl=TTL, show_spinner=False)
def data_range() -> tuple:
    frame = _frame("usage/data_range.sql")
    return frame.row(0)


@st.cache_data(ttl=TTL, show_spinner=False)
def inquiries(start, end, country: str | None = None, region: str | None = None) -> dict:
    from etl.reporting.reports import inquiries_report

    return inquiries_report(cached_settings(), start, end, country=country, region=region)


@st.cache_data(ttl=TTL, show_spinner=False)
def inquiry_places(start, end) -> pl.DataFrame:
    """Countries and regions with inquiries (the place filters' choices), most inquiries first."""
    return _frame("inquiries/by_region.sql", start=start, end=end, country=None, region=None)


@st.cache_data(ttl=TTL, show_spinner=False)
def inquiry_range() -> tuple:
    return _frame("inquiries/data_range.sql").row(0)


def rights(as_of, open_only: bool) -> pl.DataFrame:
    """Not cached: the register changes from this very page and must show the change at once."""
    from etl.compliance.rights import listing

    rows = listing(cached_settings(), as_of=as_of, open_only=open_only)
    if not rows:
        return pl.DataFrame()
    dates = ("received_on", "due_date", "statutory_deadline", "extended_deadline", "deadline", "legal_deadline",
             "clock_start", "pipl_deadline",
             "paused_from", "paused_until", "identity_verified_on", "extension_notified_on", "closed_on")
    numbers = ("days_left", "business_days_left", "legal_days_left")
    overrides = {name: pl.Date for name in dates} | {name: pl.Int64 for name in numbers}
    return pl.DataFrame(rows, schema_overrides=overrides, infer_schema_length=None)


@st.cache_data(ttl=TTL, show_spinner=False)
def overview(role: str, site: str | None = None) -> dict:
    """The Overview page of a role (etl.reporting.overview), as of now; its Website section of one site or all."""

    from etl.reporting.overview import overview as build

    return build(cached_settings(), role, clock.now(), site)


@st.cache_data(ttl=TTL, show_spinner=False)
def known_sites() -> list[str]:
    """The sites a page can be narrowed to (etl.reporting.reports.known_sites)."""
    from etl.reporting.reports import known_sites as sites

    return sites(cached_settings())


def rights_timeline(request_id: str, as_of) -> pl.DataFrame:
    """Not cached: one request's milestones and changes (etl.compliance.rights.timeline), as a page shows them."""
    from etl.compliance.rights import timeline

    rows = timeline(cached_settings(), request_id, as_of)
    return pl.DataFrame(rows, schema={"day": pl.Date, "event": pl.String, "detail": pl.String, "by": pl.String})


def staff() -> list[str]:
    """The dashboard accounts a request can be given to (its owner): those whose role opens the Rights page."""
    from etl.access.users import list_users
    from etl.core.roles import RIGHTS_ROLES

    return sorted(u.name for u in list_users(cached_settings().secrets_dir) if u.role in RIGHTS_ROLES)


@st.cache_data(ttl=TTL, show_spinner=False)
def data_quality() -> pl.DataFrame:
    return _frame("inquiries/quality.sql")


def audit_recent(limit: int = 50, obj: str | None = None) -> list[dict]:
    """Not cached: the latest audit entries, their details readable (etl.compliance.audit.recent)."""
    from etl.compliance import audit

    return audit.recent(cached_settings(), limit, obj)


def audit_verification():
    from etl.compliance import audit

    with warehouse.read(cached_settings().warehouse) as con:
        return audit.verify(con)


@st.cache_data(ttl=TTL, show_spinner=False)
def retention_due(today) -> dict:
    """Rows past retention as of ``today`` (read-only: the same counts ``vcar retention --dry-run`` shows)."""
    from etl.compliance.retention import cutoffs

    sealed = _frame("logs/sealed_days.sql")["day"].to_list()
    window = cutoffs(cached_settings(), today)
    return _frame("retention/expired_counts.sql", sealed=sealed, **window).row(0, named=True)


@st.cache_data(ttl=TTL, show_spinner=False)
def open_days() -> pl.DataFrame:
    """Days whose salt is kept, with the moment each is sealed (the same as ``vcar retention --dry-run``)."""
    from etl.compliance.retention import seals_at

    cfg = cached_settings()
    rows = _frame("retention/log_days.sql").filter(pl.col("sealed_at").is_null()).iter_rows(named=True)
    return pl.DataFrame(
        [{"day": r["day"], "seals_at": seals_at(cfg, r["day"], r["last_loaded_at"])} for r in rows],
        schema={"day": pl.Date, "seals_at": pl.Datetime("us", "UTC")},
    )


@st.cache_data(ttl=TTL, show_spinner=False)
def sealed_merges(limit: int = 100) -> pl.DataFrame:
    return _frame("status/sealed_merges.sql", limit=limit)


@st.cache_data(ttl=TTL, show_spinner=False)
def held_against_policy(today) -> pl.DataFrame:
    from etl.compliance.retention import held_against_policy as held

    schema = {"table": pl.String, "oldest_day": pl.Date, "rows": pl.Int64, "oldest_age_days": pl.Int64,
              "policy_days": pl.Int64}
    return pl.DataFrame(held(cached_settings(), today), schema=schema)


@st.cache_data(ttl=TTL, show_spinner=False)
def response_hours(start, end, country: str | None, region: str | None) -> pl.DataFrame:
    return _frame("inquiries/response_hours.sql", start=start, end=end, country=country, region=region)


@st.cache_data(ttl=TTL, show_spinner=False)
def reject_reasons() -> pl.DataFrame:
    return _frame("status/reject_reasons.sql")


@st.cache_data(ttl=TTL, show_spinner=False)
def raw_log_folders() -> list[dict]:
    """Each configured raw-log folder's oldest file against both laws' limits (etl/compliance/log_retention.py)."""
    from etl.compliance.log_retention import folders

    return folders(cached_settings(), clock.now())


@st.cache_data(ttl=TTL, show_spinner=False)
def promises(as_of) -> dict:
    """The privacy policy's promises with their evidence (the same document as ``vcar promises --json``)."""
    from etl.compliance.promises import evaluate

    return evaluate(cached_settings(), as_of)
