"""Counts, times and our own codes in words, for every message, table and e-mail: "1 file", "3 days",
"awaiting identity", a moment in the reporting time zone with its name, an audit entry's details as "field:
value" lines. The figures of the metric registry read through etl/reporting/formatting.py."""

from __future__ import annotations

import datetime as dt
import json
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from etl.core.settings import Settings

CODE_COLUMNS = frozenset({"type", "status", "sla_state", "channel", "bot_reason", "issue", "field", "kind", "action",
                          "reason", "device"})


def percent(share: float | None) -> str:
    """A share from 0 to 1 in percent, one decimal ("27.3%"), as every share of the registry reads."""
    return "–" if share is None else f"{share:.1%}"


def as_words(value: str | None) -> str:
    """A status, type, field or action as words (``awaiting_identity`` -> "awaiting identity", ``rights.update``
    -> "rights update"); blank for none."""
    return "" if value is None else value.replace("_", " ").replace(".", " ")


def plural(n: int, noun: str) -> str:
    """A number of things with its noun, singular for one: "1 file", "1,204 files"."""
    return f"{n:,} {noun}" if abs(n) == 1 else f"{n:,} {noun}s"


def thousands(n: float | None) -> str:
    """A number of things with thousands separators ("12,345"); blank for none."""
    return "" if n is None else f"{n:,.0f}"


def text_table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    """Rows of text as aligned lines under their headings (the CLI's and the digest's tables); a Chinese character
    takes two columns of a terminal."""
    widths = [max(_columns(str(cell)) for cell in column) for column in zip(headers, *rows, strict=True)]
    return ["  ".join(str(cell) + " " * (w - _columns(str(cell))) for cell, w in zip(line, widths, strict=True))
            .rstrip() for line in [headers, *rows]]


def _columns(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _aware(moment: dt.datetime) -> dt.datetime:
    """A warehouse time: naive ones are UTC (DuckDB TIMESTAMP columns hold UTC)."""
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def zone_name(timezone: str) -> str:
    """The reporting time zone as a heading names it ("Asia/Shanghai", "America/New York")."""
    return as_words(timezone)


def local_time(moment: dt.datetime | str | None, tz: dt.tzinfo) -> str:
    """A moment in the reporting time zone to the minute, "2026-11-26 07:40"; ISO text is read too (a report's
    ``submitted_at``); blank for none. The zone's name goes in the heading or the sentence around it."""
    if moment is None:
        return ""
    if isinstance(moment, str):
        moment = dt.datetime.fromisoformat(moment)
    return f"{_aware(moment).astimezone(tz):%Y-%m-%d %H:%M}"


def moment_with_zone(moment: dt.datetime | None, cfg: Settings) -> str:
    """A moment in the reporting time zone with its name: "2026-11-26 07:40 CST (Asia/Shanghai)"."""
    if moment is None:
        return "never"
    local = _aware(moment).astimezone(cfg.tz)
    return f"{local:%Y-%m-%d %H:%M} {local.tzname()} ({cfg.timezone})"


_MOMENT = re.compile(r"\d{4}-\d\d-\d\d[T ]\d\d:\d\d")


def _value(value: Any, cfg: Settings, code: bool = False) -> str:
    """One value of an audit entry's details: times in the reporting zone with its abbreviation, our codes
    (``code``) in words, numbers with separators, lists joined; data as it is."""
    if isinstance(value, str):
        if _MOMENT.match(value):
            local = _aware(dt.datetime.fromisoformat(value)).astimezone(cfg.tz)
            return f"{local:%Y-%m-%d %H:%M} {local.tzname()}"
        return as_words(value) if code else value
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float):
        return f"{value:,}"
    if isinstance(value, list):
        return ", ".join(_value(v, cfg, code) for v in value)
    if isinstance(value, dict):
        return ", ".join(f"{as_words(k)} {_value(v, cfg, k in CODE_COLUMNS)}" for k, v in value.items())
    return "" if value is None else str(value)


def cell(value: Any, cfg: Settings) -> str:
    """One table cell as the CLI and the digest print it: numbers with separators, times in the reporting zone
    with its abbreviation, yes/no, blank for none."""
    return _value(value.isoformat() if isinstance(value, dt.datetime) else value, cfg)


def details(detail: str | Mapping[str, Any] | None, cfg: Settings, skip: Iterable[str] = (), sep: str = "\n") -> str:
    """An audit entry's details (its JSON) as "field: value" lines in order of field (joined by ``sep``: "; " in a
    table's cell): our codes in words, every time in the reporting time zone with its abbreviation (never
    "+00:00")."""
    if detail is None or detail == "":
        return ""
    fields = json.loads(detail) if isinstance(detail, str) else dict(detail)
    if not isinstance(fields, dict):
        return _value(fields, cfg)
    left_out = set(skip)
    return sep.join(f"{as_words(k)}: {_value(v, cfg, k in CODE_COLUMNS)}" for k, v in sorted(fields.items())
                    if k not in left_out)
