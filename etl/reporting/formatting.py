"""How every figure, heading, status and time reads: the one formatting layer of the dashboard's tiles, tables,
charts and CSV exports, of the e-mail digest and of the CLI's text.

- a metric by its unit in the registry (etl/core/metrics.py): counts with thousands separators, ratios to two decimals,
  shares in percent, days whole; "–" where there is none, "< k" for a count suppressed for the marketing role;
- a column's heading in words (``heading``) and our own codes in words (``in_progress`` -> "in progress");
- a moment in the reporting time zone with the zone's name (``when``, ``local_time``);
- an audit entry's details as "field: value" lines, its times in the reporting time zone (``details``);
- a whole table (``table``): headings in words, numbers kept as numbers in the unit they are shown in (so a CSV
  export holds numbers a spreadsheet can add, and a page formats them by ``Table.kinds``), text blank where there
  is none.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import polars as pl

from etl.core.metrics import BY_KEY, DIMENSION_BY_KEY, Unit
from etl.core.places import PLACE_COLUMNS, place_name
from etl.core.settings import Settings
from etl.core.words import CODE_COLUMNS, as_words, zone_name

# How a table column reads: a unit of the registry, "text", or "suppressed" (counts as text, "< k" below k_min).
Kind = Literal["count", "share", "ratio", "per_1000", "hours", "days", "seconds", "text", "suppressed"]

_FORMATS: dict[str, str] = {
    "count": "{:,.0f}", "share": "{:.1%}", "ratio": "{:.2f}", "hours": "{:,.1f} h", "days": "{:,.0f}",
    "per_1000": "{:.1f}",
}

# How a page's grid shows a number column of each kind (printf, as Streamlit's NumberColumn reads it): the same
# digits as ``display``. Shares arrive in percent (``table`` multiplies them), so the grid only adds the sign.
GRID_FORMATS: dict[str, str] = {
    "count": "%,d", "days": "%,d", "share": "%.1f%%", "ratio": "%.2f", "per_1000": "%.1f", "hours": "%.1f h",
    "seconds": "%,d s",
}


def display(key: str, value: float | None, k_min: int | None = None) -> str:
    """A metric's value as every page, the digest and the CLI show it ("–" when there is none). With ``k_min``, a
    count from 1 to below it shows as "< k" (small-cell suppression for the marketing role; a zero tells of
    nobody)."""
    if value is None:
        return "–"
    unit = BY_KEY[key].unit
    if k_min is not None and unit == "count" and 0 < value < k_min:
        return f"< {k_min}"
    if unit == "seconds":
        return f"{int(value // 60)} min {int(value % 60)} s"
    return _FORMATS[unit].format(value)


def display_change(key: str, change: float | None) -> str:
    """A change between two periods (``etl.reporting.reports.compare``): points for shares, percent for the rest."""
    if change is None:
        return "–"
    if BY_KEY[key].unit == "share":
        points = round(100 * change, 1)
        return "0.0 pts" if points == 0 else f"{points:+.1f} pts"  # no "-0.0": a change too small to show is none
    percent = round(100 * change, 1)
    return "0.0%" if percent == 0 else f"{percent:+.1f}%"


def change_between(key: str, current: float | None, previous: float | None) -> str | None:
    """The change a tile shows against the comparison period, as ``display_change`` words it; "new" from zero;
    None when there is nothing to compare with. Call it only when data covers the whole comparison period: a
    period without data is no zero."""
    if current is None or previous is None:
        return None
    if BY_KEY[key].unit == "share":
        return display_change(key, current - previous)
    if previous == 0:
        return None if current == 0 else "new"
    return display_change(key, (current - previous) / previous)


def change_colour(key: str, change: str | None) -> Literal["normal", "inverse", "off"]:
    """How a tile colours its change: green when it is good, red when it is bad (by the metric's direction), grey
    when it rounds to nothing ("0.0%", "0.0 pts"), which is neither."""
    if change is None or change.lstrip("+-").startswith("0.0"):
        return "off"
    return "normal" if BY_KEY[key].higher_is_better else "inverse"


# Headings of the columns that are no metric or dimension of the registry (those read as the registry's labels).
HEADINGS: dict[str, str] = {
    "path": "Page", "region_name": "Region name", "adcode": "Division code", "bot_name": "Bot",
    # a bot's distinct clients of each day, added over the days: one client seen on three days counts three times
    "bot_reason": "Why a bot", "clients": "Clients, summed per day", "unplaced": "Unplaced",
    "unplaced_share": "Unplaced share",
    "typed": "Typed", "candidates": "Could be", "rows": "Rows", "issue": "Issue", "field": "Form field",
    "raw_value": "Value typed", "recorded_at": "Recorded", "request_id": "Request", "type": "Type",
    "status": "Status", "sla_state": "SLA state", "days_left": "Days left", "business_days_left": "Business days left",
    "deadline": "Deadline", "due_date": "Promise due (15 business days)",
    "clocks": "Both clocks", "legal_deadline": "Legal deadline in force", "legal_days_left": "Days left (legal)",
    "promise_state": "Promise (15 business days)", "legal_state": "Legally", "statutory_deadline": "Legal deadline",
    "extended_deadline": "Extended deadline", "deadline_provisional": "Provisional because", "received_on": "Received",
    "paused_from": "Identity asked",
    "paused_until": "Identity verified", "closed_on": "Closed on", "channel": "Channel", "owner": "Owner",
    "day": "Day", "event": "Event", "detail": "Details", "by": "By", "table": "Table", "oldest_day": "Oldest day",
    "oldest_age_days": "Oldest row (days old)", "policy_days": "Kept for (days)", "run_id": "Run", "kind": "Import",
    "started_at": "Started", "finished_at": "Finished", "files": "Files", "lines_read": "Lines read",
    "lines_loaded": "Lines loaded", "lines_rejected": "Lines rejected", "lines_skipped": "Lines skipped",
    "seq": "Entry", "logged_at": "Logged", "actor": "By", "action": "Action", "object": "Object",
    "merged_at": "Merged", "lines": "Lines", "reason": "Reason", "counted_as": "Counted as",
    "example_file": "Example file", "example": "Example", "seals_at": "Sealed at", "month": "Month",
    "period": "Period", "hours": "Hours to first answer", "hours_waiting": "Waiting (hours)",
    "submitted_at": "Submitted", "pending_since": "Asked on", "days_pending": "Days pending", "column": "Column",
    "meaning": "Meaning", "purpose": "Purpose", "legal_basis": "Legal basis", "category": "Category",
    "retention": "Retention", "columns": "Columns", "section": "Section", "rows_past_retention": "Rows past retention",
    "share_of_region": "Share of the region",
}

# Columns holding our own codes (statuses, types, reasons), shown in words; any other text is data and stays as is.

# Units of the columns above that hold numbers other than counts.
_COLUMN_UNITS: dict[str, Unit] = {
    "days_left": "days", "business_days_left": "days", "legal_days_left": "days", "oldest_age_days": "days",
    "policy_days": "days", "days_pending": "days", "unplaced_share": "share", "share_of_region": "share",
    "hours": "hours", "hours_waiting": "hours",
}


def heading(key: str) -> str:
    """A column's heading in words: the registry's label, else ``HEADINGS``, else the name with spaces."""
    found = BY_KEY.get(key) or DIMENSION_BY_KEY.get(key)
    if found is not None:
        return found.label
    if key in HEADINGS:
        return HEADINGS[key]
    text = as_words(key).strip()
    return text[:1].upper() + text[1:]


def unit_of(key: str, dtype: pl.DataType) -> Kind:
    """How a column's numbers read: the registry's unit, a known column's, else a count for whole numbers and a
    ratio for the rest; "text" for anything that is not a number."""
    if not dtype.is_numeric():
        return "text"
    if key in BY_KEY:
        return BY_KEY[key].unit
    if key in _COLUMN_UNITS:
        return _COLUMN_UNITS[key]
    return "count" if dtype.is_integer() else "ratio"


@dataclass(frozen=True)
class Table:
    """A table as a page shows it and as its CSV export holds it.

    ``shown``: headings in words, numbers as numbers in the unit shown (shares in percent), text in words where it
    is our code, blank where there is none. ``kinds``: heading -> how the page formats that column (a key of
    ``GRID_FORMATS``, or "text"). ``export``: the same rows with every column, numbers unquoted, headings naming
    their unit where a bare number would mislead ("Bounce rate (%)")."""

    shown: pl.DataFrame
    kinds: dict[str, Kind] = field(default_factory=dict)
    export: pl.DataFrame = field(default_factory=pl.DataFrame)


def grouped(number: pl.Expr) -> pl.Expr:
    """An integer as text with thousands separators ("12,345"), vectorized: commas go in every three digits of the
    reversed number (a Python callback per cell could deadlock the dashboard's server, issue 18)."""
    reversed_digits = number.cast(pl.Int64).abs().cast(pl.String).str.reverse()
    text = reversed_digits.str.replace_all(r"(\d{3})", "$1,").str.strip_suffix(",").str.reverse()
    return pl.when(number < 0).then(pl.lit("-") + text).otherwise(text)


def _suppressed(column: str, k_min: int, separators: bool) -> pl.Expr:
    """A count as text, "< k" from 1 to below ``k_min`` (small-cell suppression), null where there is none."""
    number = pl.col(column)
    text = grouped(number) if separators else number.cast(pl.Int64).cast(pl.String)
    return pl.when(number.is_null()).then(pl.lit(None, pl.String)).when((number > 0) & (number < k_min)).then(
        pl.lit(f"< {k_min}")).otherwise(text).alias(column)


@dataclass(frozen=True)
class _Column:
    title: str
    shown: pl.Expr
    export: pl.Expr
    kind: Kind
    export_title: str | None = None
    flag: pl.Expr | None = None  # exported beside the column as "<title> suppressed": true where a count is held back


def _text(title: str, value: pl.Expr) -> _Column:
    """A text column: blank on the page where there is none, an empty field in the CSV."""
    return _Column(title, value.fill_null(""), value, "text")


def _column(name: str, dtype: pl.DataType, title: str, cfg: Settings, k_min: int | None,
            names: Mapping[str, str] | None = None) -> _Column:
    """One column as shown, as exported, and how the page formats it; ``names``: what to show for each code."""
    column = pl.col(name)
    kind = unit_of(name, dtype)
    if dtype == pl.Date:
        return _text(title, column.dt.strftime("%Y-%m-%d"))
    if isinstance(dtype, pl.Datetime):
        aware = column if dtype.time_zone else column.dt.replace_time_zone("UTC")
        local = aware.dt.convert_time_zone(cfg.timezone)
        iso = local.dt.strftime("%Y-%m-%dT%H:%M:%S%:z")  # the export: ISO 8601 with its offset (issue 28, item 5)
        return _Column(f"{title} ({zone_name(cfg.timezone)})", local.dt.strftime("%Y-%m-%d %H:%M").fill_null(""),
                       iso, "text")
    if dtype == pl.Boolean:
        return _text(title, pl.when(column).then(pl.lit("yes")).when(column.not_()).then(pl.lit("no")))
    if isinstance(dtype, pl.List):
        return _text(title, column.list.eval(pl.element().cast(pl.String)).list.join(", "))
    if not dtype.is_numeric():
        value = column.cast(pl.String)
        if name in CODE_COLUMNS:
            value = value.str.replace_all("_", " ").str.replace_all(r"\.", " ")
        if names:
            return _Column(title, value.replace(names).fill_null(""), value, "text")
        return _text(title, value)
    if kind == "count" and k_min is not None:  # the export: the number, empty where suppressed, and a flag column
        small = (column > 0) & (column < k_min)
        return _Column(title, _suppressed(name, k_min, separators=True),
                       pl.when(small).then(None).otherwise(column.cast(pl.Int64)), "suppressed",
                       flag=small.fill_null(False))
    if kind == "share":
        value = (column * 100).round(1)
        return _Column(title, value, value, kind, export_title=f"{title} (%)")
    if kind in ("count", "days"):
        value = column if dtype.is_integer() else column.round(0).cast(pl.Int64)
        return _Column(title, value, value, kind)
    if kind == "ratio":
        return _Column(title, column.round(2), column.round(2), kind)
    return _Column(title, column, column, kind)


def _exported(columns: Iterable[_Column]) -> list[pl.Expr]:
    """The export's columns: each as a number or text, and after a suppressed one its flag."""
    out = []
    for c in columns:
        out.append(c.export.alias(c.export_title or c.title))
        if c.flag is not None:
            out.append(c.flag.alias(f"{c.title} suppressed"))
    return out


def choice(dimension: str, value: str) -> str:
    """A filter's value as a table shows it: a place by name with its code ("China (CN)"), one of our own codes
    in words ("Mobile"), any other value as it is."""
    if dimension in PLACE_COLUMNS:
        return place_name(dimension, value) or value
    return as_words(value).capitalize() if DIMENSION_BY_KEY[dimension].values else value


def table(
    data: pl.DataFrame | Sequence[Mapping[str, Any]],
    cfg: Settings,
    *,
    k_min: int | None = None,
    headings: Mapping[str, str] | None = None,
    only: Sequence[str] | None = None,
) -> Table:
    """Any report's rows (or a query's frame) as a page shows them and a CSV export holds them.

    ``k_min``: counts from 1 to below it read "< k" (the marketing role); ``headings``: words for the columns this
    table names its own way; ``only``: the columns the page shows (the export keeps them all). Days read
    YYYY-MM-DD; moments in the reporting time zone, named in the heading; our codes in words."""
    frame = data if isinstance(data, pl.DataFrame) else pl.DataFrame(list(data), infer_schema_length=None)
    names = {
        name: {code: place_name(name, code) or code for code in frame[name].drop_nulls().unique().to_list()}
        for name, dtype in frame.schema.items()
        if name in PLACE_COLUMNS and dtype == pl.String and f"{name}_name" not in frame.columns  # named already
    }
    columns = {
        name: _column(name, dtype, (headings or {}).get(name) or heading(name), cfg, k_min, names.get(name))
        for name, dtype in frame.schema.items()
    }
    shown = [columns[name] for name in (only or frame.columns)]
    return Table(
        frame.select(c.shown.alias(c.title) for c in shown),
        {c.title: c.kind for c in shown},
        frame.select(_exported(columns.values())),
    )
