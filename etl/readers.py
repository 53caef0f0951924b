"""Exports read row by row: a CSV or JSON Lines file from the contact form or a rights-request tool.

Both the inquiry import and the rights import read through here, so a file shape one of them learns to read,
the other reads too. A row that cannot be read comes out as its number and a reason, never as an exception.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Iterator
from pathlib import Path
from zoneinfo import ZoneInfo

from etl.errors import InputError


def read_rows(path: Path, required: tuple[str, ...]) -> Iterator[tuple[int, dict | str]]:
    """(row number, row dict) per record, or (row number, reason) for a row that cannot be read.

    CSV rows are numbered as in a spreadsheet (the header is row 1); JSON Lines by line."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror})") from None
    text = raw.decode("utf-8-sig", errors="replace")
    if path.suffix.lower() in (".jsonl", ".ndjson", ".json"):
        yield from _json_rows(path, text, required)
    else:
        yield from _csv_rows(path, text, required)


def _csv_rows(path: Path, text: str, required: tuple[str, ...]) -> Iterator[tuple[int, dict | str]]:
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [h.strip().lower() for h in next(reader)]
    except StopIteration:
        return
    except csv.Error:
        raise InputError(f"{path}: row 1: the header is not valid CSV") from None
    _check_columns(path, header, required)
    number = 1
    while True:
        number += 1
        try:
            values = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield number, f"not valid CSV ({str(exc)[:60]})"
            continue
        if not any(v.strip() for v in values):
            continue
        if len(values) != len(header):
            yield number, f"has {len(values)} fields, the header has {len(header)}"
            continue
        yield number, dict(zip(header, values, strict=True))


def _json_rows(path: Path, text: str, required: tuple[str, ...]) -> Iterator[tuple[int, dict | str]]:
    checked = False
    # Records end at "\n" only: str.splitlines() would also cut at U+2028, U+0085 and other characters a
    # message may hold inside a JSON string.
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            value = json.loads(line)
        except (ValueError, RecursionError):
            yield number, "not valid JSON"
            continue
        if not isinstance(value, dict):
            yield number, "not a JSON object"
            continue
        value = {str(k).strip().lower(): "" if v is None else str(v) for k, v in value.items()}
        if not checked:
            _check_columns(path, list(value), required)
            checked = True
        yield number, value


def _check_columns(path: Path, header: list[str], required: tuple[str, ...]) -> None:
    missing = [c for c in required if c not in header]
    if missing:
        raise InputError(f"{path}: missing column(s) {', '.join(missing)} (expected {', '.join(required)})")


def parse_time(raw: str | None, tz: ZoneInfo) -> dt.datetime | None:
    """ISO 8601 -> naive UTC; a time without an offset is read in the reporting time zone. ValueError if bad."""
    if raw is None or not raw.strip():
        return None
    moment = dt.datetime.fromisoformat(raw.strip().replace("Z", "+00:00"))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=tz)
    return moment.astimezone(dt.UTC).replace(tzinfo=None)
