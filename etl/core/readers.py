"""Exports read row by row: a CSV, JSON Lines or .xlsx file from the contact form or a rights-request tool.

Both the inquiry import and the rights import read through here, so a file shape one of them learns to read,
the other reads too. A row that cannot be read comes out as its number and a reason, never as an exception.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

from etl.core.errors import InputError

# Excel's "Unicode text" is UTF-16 with a byte-order mark; "CSV UTF-8" is UTF-8 with one.
_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
_GB = {"gb2312", "gbk", "gb18030", "hz", "cp936"}  # GB18030 reads all of them
_UTF8_MULTIBYTE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")
_DELIMITERS = (",", ";", "\t")
_HINT = "save the export again as UTF-8 (Excel: 'CSV UTF-8') or as an .xlsx workbook"
WORKBOOKS = (".xlsx", ".xlsm")
JSON_LINES = (".jsonl", ".ndjson", ".json")


@dataclass
class Export:
    """An export opened for reading: its rows, and how its bytes were read (for the run's report)."""

    rows: Iterator[tuple[int, dict | str]]
    shape: str  # csv | jsonl | xlsx
    encoding: str | None = None  # Python's codec name; None for a workbook
    delimiter: str | None = None  # CSV only


def open_export(path: Path, required: tuple[str, ...]) -> Export:
    """A CSV (any common encoding, `,` `;` or tab), JSON Lines or .xlsx export, ready to be read row by row.

    A byte sequence that the detected encoding cannot read stops here with the file and line: nothing is
    replaced by U+FFFD and loaded as if it were right."""
    suffix = path.suffix.lower()
    if suffix == ".xls":
        raise InputError(f"{path}: an old Excel .xls workbook is not read; save it as .xlsx or as 'CSV UTF-8'")
    if suffix in WORKBOOKS:
        return Export(_xlsx_rows(path, required), "xlsx")
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror})") from None
    if not raw.strip() and suffix not in JSON_LINES:  # JSON Lines has no header: empty is zero records
        raise InputError(f"{path}: the file is empty (not even a header row with {', '.join(required)})")
    if suffix not in JSON_LINES and raw.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{"):
        raise InputError(f"{path}: this looks like JSON Lines, not CSV; name it .jsonl to read it as such")
    encoding = detect_encoding(path, raw)
    text = decode(path, raw, encoding)
    if suffix in JSON_LINES:
        return Export(_json_rows(path, text, required), "jsonl", encoding)
    delimiter = sniff_delimiter(text)
    return Export(_csv_rows(path, text, required, delimiter), "csv", encoding, delimiter)


def read_rows(path: Path, required: tuple[str, ...]) -> Iterator[tuple[int, dict | str]]:
    """(row number, row dict) per record, or (row number, reason) for a row that cannot be read.

    CSV and workbook rows are numbered as in a spreadsheet (the header is row 1); JSON Lines by line."""
    return open_export(path, required).rows


def detect_encoding(path: Path, raw: bytes) -> str:
    """The encoding of an export: its byte-order mark; else UTF-8 or GB18030 when the file reads as one of them
    but for a few lines (bad bytes in a UTF-8 or GB18030 file are an error to show, not a sign of another
    encoding: a single-byte encoding would read them, wrongly, without complaint); else charset-normalizer's
    guess. The GB family is read as GB18030, the superset Excel and Chinese CMSs write."""
    for bom, name in _BOMS:
        if raw.startswith(bom):
            return name
    utf8 = _without_bad_lines(raw, "utf-8")
    if utf8 is not None and (utf8 == raw or _UTF8_MULTIBYTE.search(utf8)):
        return "utf-8"
    gb = _without_bad_lines(raw, "gb18030")
    if gb is not None and _guess(gb) in _GB:
        return "gb18030"
    best = _guess(raw)
    if best is None:
        raise InputError(f"{path}: cannot tell the text encoding; {_HINT}")
    return "gb18030" if best in _GB else best


def _guess(raw: bytes) -> str | None:
    import charset_normalizer

    best = charset_normalizer.from_bytes(raw).best()
    return None if best is None else codecs.lookup(best.encoding).name


def _without_bad_lines(raw: bytes, encoding: str, most: int = 3) -> bytes | None:
    """The file without the (at most ``most``) lines that do not decode, or None if more do."""
    lines = raw.split(b"\n")
    kept = []
    for line in lines:
        try:
            line.decode(encoding)
            kept.append(line)
        except UnicodeDecodeError:
            most -= 1
            if most < 0:
                return None
    return raw if len(kept) == len(lines) else b"\n".join(kept)


def decode(path: Path, raw: bytes, encoding: str) -> str:
    try:
        return raw.decode(encoding)
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].decode(encoding, errors="replace").count("\n") + 1
        raise InputError(
            f"{path}: line {line}: bytes that are not valid {encoding} (the encoding detected); {_HINT}"
        ) from None


def sniff_delimiter(text: str) -> str:
    """`,`, `;` (Excel in most European locales) or tab, whichever splits the header line most."""
    header = next((line for line in text.splitlines() if line.strip()), "")
    return max(_DELIMITERS, key=header.count) if any(d in header for d in _DELIMITERS) else ","


def _xlsx_rows(path: Path, required: tuple[str, ...]) -> Iterator[tuple[int, dict | str]]:
    """The first sheet of a workbook, every cell as text, through polars' calamine engine (fastexcel)."""
    import polars as pl

    try:
        frame = pl.read_excel(path, engine="calamine", infer_schema_length=0, drop_empty_rows=False)
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except Exception as exc:  # noqa: BLE001 (calamine's errors have no common base worth naming)
        reason = (str(exc).strip().splitlines() or [type(exc).__name__])[0][:80]
        raise InputError(f"{path}: not a readable .xlsx workbook ({reason}); {_HINT}") from None
    header = [str(c).strip().lower() for c in frame.columns]
    _check_columns(path, header, required)
    for number, values in enumerate(frame.iter_rows(), start=2):
        cells = ["" if v is None else str(v) for v in values]
        if any(c.strip() for c in cells):
            yield number, dict(zip(header, cells, strict=True))


def _csv_rows(path: Path, text: str, required: tuple[str, ...], delimiter: str) -> Iterator[tuple[int, dict | str]]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
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
