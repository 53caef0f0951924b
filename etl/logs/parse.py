"""Parsing access-log lines into typed columns, vectorized with polars. Pure: frames in, frames out.

Input frame: ``line_no`` (1-based within the file) and ``line`` (decoded text). Output: the parsed columns
plus ``reject_reason`` (null when the line parsed). Nothing here touches files, clocks or keys.
"""

from __future__ import annotations

import json
import re
from typing import Any

import polars as pl

FORMATS = ("auto", "combined", "common", "vcombined", "nginx-json", "caddy-json", "custom")


def _quoted(name: str) -> str:
    return rf'"(?P<{name}>(?:[^"\\]|\\.)*)"'


_CLF = (
    r"(?P<ip>\S+) \S+ (?:\S+|\"[^\"]*\") \[(?P<time>[^\]]+)\] "
    + _quoted("request")
    + r" (?P<status>\d{3}) (?P<bytes>\d+|-)"
)
REGEXES = {
    "combined": "^" + _CLF + " " + _quoted("referrer") + " " + _quoted("ua"),
    "common": "^" + _CLF + r"\s*$",
    "vcombined": r"^(?P<host>\S+?)(?::\d+)? " + _CLF + " " + _quoted("referrer") + " " + _quoted("ua"),
}
REQUEST_LINE = r"^[A-Z][A-Z-]{0,15} \S+(?: HTTP/[0-9.]+)?$"  # METHOD SP target [SP HTTP/x]
MAX_LINE_BYTES = 16_384
CLF_TIME = "%d/%b/%Y:%H:%M:%S"  # 10/Nov/2026:13:55:36, followed by " %z"


def detect_format(sample: list[str]) -> str | None:
    """The format that parses most of the first lines; None when none parses any."""
    lines = [line for line in sample if line.strip()][:50]
    if not lines:
        return None
    if all(line.lstrip().startswith("{") for line in lines[:5]):
        first = _safe_json(lines[0]) or {}
        if isinstance(first.get("request"), dict):
            return "caddy-json"
        return "nginx-json"
    scores = {name: sum(bool(re.match(REGEXES[name], line)) for line in lines) for name in REGEXES}
    # combined before vcombined: a vhost prefix makes vcombined the only match, not the other way round
    best = max(["combined", "vcombined", "common"], key=lambda name: scores[name])
    return best if scores[best] else None


def _safe_json(text: str) -> dict[str, Any] | None:
    try:
        value = json.loads(text)
    except (ValueError, RecursionError):
        return None
    return value if isinstance(value, dict) else None


def parse_text_lines(frame: pl.DataFrame, fmt: str, custom_regex: str | None = None) -> pl.DataFrame:
    """Parse combined/common/vcombined (or a custom named-group regex) lines."""
    if fmt == "custom" and not custom_regex:
        raise ValueError("custom format needs the log_regex setting")
    pattern = custom_regex if fmt == "custom" and custom_regex else REGEXES[fmt]
    out = _extract_fields(frame, fmt, pattern)
    for column in ("host", "referrer", "ua", "bytes", "request", "method", "path"):
        if column not in out.columns:
            out = out.with_columns(pl.lit(None, dtype=pl.String).alias(column))
    if "request" in out.columns and out["request"].null_count() < out.height:
        # a valid request line is METHOD SP target [SP HTTP/x]: checked by the regex, cut at its spaces
        valid = pl.col("request").str.contains(REQUEST_LINE)
        parts = pl.col("request").str.split_exact(" ", 2)
        out = out.with_columns(
            pl.when(valid).then(parts.struct.field("field_0")).alias("m"),
            pl.when(valid).then(parts.struct.field("field_1")).alias("t"),
        )
        out = out.with_columns(
            pl.coalesce("method", "m").alias("method"), pl.coalesce("path", "t").alias("target")
        ).drop("m", "t")
    else:
        out = out.with_columns(pl.col("path").alias("target"))
    out = _put_clf_time(out)
    out = out.with_columns(
        pl.col("status").cast(pl.Int32, strict=False).alias("status_n"),
        pl.col("bytes").replace("-", "0").cast(pl.Int64, strict=False).fill_null(0).alias("bytes_n"),
    )
    if out["line"].str.contains("\\", literal=True).any():  # only escaped quotes need unescaping
        out = out.with_columns(_unescape(pl.col("referrer")).alias("referrer"), _unescape(pl.col("ua")).alias("ua"))
    return _finish(out)


_TOKEN = r"[^\s\[\]]+"
_CLF_HEAD = rf"^{_TOKEN} {_TOKEN} {_TOKEN} \[[^\]\[]+\] $"
_FAST_HEAD = {"combined": _CLF_HEAD, "common": _CLF_HEAD, "vcombined": rf"^{_TOKEN} " + _CLF_HEAD[1:]}
_STATUS_BYTES = r"^ \d{3} (?:\d+|-)"
_FAST_MIDDLE = {"combined": _STATUS_BYTES + " $", "vcombined": _STATUS_BYTES + " $", "common": _STATUS_BYTES + r"\s*$"}


def _extract_fields(frame: pl.DataFrame, fmt: str, pattern: str) -> pl.DataFrame:
    """The regex's named groups for every line, as string columns.

    Capturing groups are the slow part of a regex, so for the built-in formats a line without backslashes is
    cut at its quotes, and when the pieces have the shape the pattern asks for it is cut at its spaces too:
    without escapes the quoted fields cannot contain a quote, so the cuts fall exactly where the groups do.
    Every other line takes the regex, so both paths give the same columns (a property test holds them
    equal)."""
    if fmt not in REGEXES:
        return frame.with_columns(pl.col("line").str.extract_groups(pattern).alias("_g")).unnest("_g")
    parts = pl.col("_p")
    head = parts.list.get(0)
    no_escape = ~pl.col("line").str.contains("\\", literal=True)
    marked = frame.with_columns(pl.when(no_escape).then(pl.col("line").str.split('"')).alias("_p"))
    # The pieces between the quotes have the shape the regex asks for (checked on the short pieces, not the
    # whole line); brackets appear only around the time, so the cut finds it.
    shape = head.str.contains(_FAST_HEAD[fmt]) & parts.list.get(2, null_on_oob=True).str.contains(_FAST_MIDDLE[fmt])
    if fmt == "common":
        shape &= parts.list.len() == 3
    else:
        shape &= (parts.list.len() >= 7) & (parts.list.get(4, null_on_oob=True) == " ")
    marked = marked.with_columns(shape.fill_null(False).alias("_fast"))
    fast = marked.filter(pl.col("_fast")).drop("_fast")
    slow = marked.filter(~pl.col("_fast")).drop("_fast", "_p")
    middle = parts.list.get(2).str.strip_chars().str.split_exact(" ", 1)
    bracket = head.str.find("[", literal=True)
    tokens = head.str.split_exact(" ", 1)
    columns = {
        "ip": tokens.struct.field("field_1" if fmt == "vcombined" else "field_0"),
        "time": head.str.slice(bracket + 1, head.str.len_chars() - bracket - 3),
        "request": parts.list.get(1),
        "status": middle.struct.field("field_0"),
        "bytes": middle.struct.field("field_1"),
    }
    if fmt != "common":
        columns |= {"referrer": parts.list.get(3), "ua": parts.list.get(5)}
    if fmt == "vcombined":
        columns["host"] = tokens.struct.field("field_0").str.replace(r":\d+$", "")
    fast = fast.select("line_no", "line", *(expr.alias(name) for name, expr in columns.items()))
    slow = slow.with_columns(pl.col("line").str.extract_groups(pattern).alias("_g")).unnest("_g")
    return pl.concat([fast, slow.select(fast.columns)]) if slow.height else fast


def _put_clf_time(frame: pl.DataFrame) -> pl.DataFrame:
    """``ts`` (UTC) from ``time`` like ``10/Nov/2026:13:55:36 +0800``.

    The fixed-width form is read as a naive time minus its offset (fast); any other spelling goes
    through the general parser."""
    time = pl.col("time")
    offset = time.str.slice(21, 5)
    minutes = offset.str.slice(1, 2).cast(pl.Int32, strict=False) * 60 + offset.str.slice(3, 2).cast(
        pl.Int32, strict=False
    )
    signed = pl.when(offset.str.slice(0, 1) == "-").then(-minutes).when(offset.str.slice(0, 1) == "+").then(minutes)
    naive = time.str.slice(0, 20).str.strptime(pl.Datetime("us"), CLF_TIME, strict=False)
    fixed = (time.str.len_bytes() == 26) & (time.str.slice(20, 1) == " ")
    fast = pl.when(fixed).then(naive - pl.duration(minutes=signed)).dt.replace_time_zone("UTC")
    out = frame.with_columns(fast.alias("ts"))
    missed = out["ts"].is_null() & out["time"].is_not_null()
    if missed.any():
        general = time.str.strptime(pl.Datetime("us", "UTC"), CLF_TIME + " %z", strict=False)
        out = out.with_columns(pl.when(missed).then(general).otherwise(pl.col("ts")).alias("ts"))
    return out


def _unescape(expr: pl.Expr) -> pl.Expr:
    return expr.str.replace_all(r'\\"', '"', literal=True).str.replace_all(r"\\\\", "\\", literal=True)


def parse_json_lines(frame: pl.DataFrame, fmt: str) -> pl.DataFrame:
    """nginx ``escape=json`` logs and Caddy's structured logs, one JSON object per line."""
    records = [_json_record(line, fmt) for line in frame["line"].to_list()]
    parsed = pl.DataFrame(
        records,
        schema={
            "host": pl.String, "ip": pl.String, "time": pl.String, "epoch": pl.Float64, "method": pl.String,
            "target": pl.String, "status": pl.String, "bytes": pl.String, "referrer": pl.String, "ua": pl.String,
        },
        orient="row",
    )  # fmt: skip
    out = pl.concat([frame, parsed], how="horizontal")
    iso = pl.col("time").str.to_datetime(time_zone="UTC", strict=False, time_unit="us")
    clf = pl.col("time").str.strptime(pl.Datetime("us", "UTC"), CLF_TIME + " %z", strict=False)
    epoch = pl.from_epoch(
        (pl.col("epoch") * 1_000_000).cast(pl.Int64, strict=False), time_unit="us"
    ).dt.replace_time_zone("UTC")
    out = out.with_columns(
        pl.coalesce(epoch, iso, clf).alias("ts"),
        pl.col("status").cast(pl.Int32, strict=False).alias("status_n"),
        pl.col("bytes").cast(pl.Int64, strict=False).fill_null(0).alias("bytes_n"),
        pl.lit(None, dtype=pl.String).alias("request"),
    )
    return _finish(out)


def _first(value):
    return value[0] if isinstance(value, list) and value else value


def _json_record(line: str, fmt: str) -> tuple:
    data = _safe_json(line)
    if data is None:
        return (None,) * 10
    if fmt == "caddy-json":
        req: dict[str, Any] = data["request"] if isinstance(data.get("request"), dict) else {}
        headers: dict[str, Any] = req["headers"] if isinstance(req.get("headers"), dict) else {}
        values = (
            req.get("host"), req.get("client_ip") or req.get("remote_ip"), None, data.get("ts"), req.get("method"),
            req.get("uri"), data.get("status"), data.get("size"), _first(headers.get("Referer")),
            _first(headers.get("User-Agent")),
        )  # fmt: skip
    else:
        method, target = data.get("request_method"), data.get("request_uri")
        if (method is None or target is None) and isinstance(data.get("request"), str):
            parts = data["request"].split(" ")
            if len(parts) >= 2:
                method, target = parts[0], parts[1]
        values = (
            data.get("host") or data.get("server_name"), data.get("remote_addr"),
            data.get("time_iso8601") or data.get("time_local") or data.get("time"), None, method, target,
            data.get("status"), data.get("body_bytes_sent") or data.get("bytes_sent"),
            data.get("http_referer") or data.get("referer"), data.get("http_user_agent") or data.get("user_agent"),
        )  # fmt: skip
    return tuple(
        None if v is None else float(v) if i == 3 and isinstance(v, int | float) else str(v) if i != 3 else None
        for i, v in enumerate(values)
    )


def _finish(out: pl.DataFrame) -> pl.DataFrame:
    """Name the reject reason of each line (first failing check wins) and keep the parsed columns."""
    ip_ok = pl.col("ip").str.contains(r"^(?:\d{1,3}\.){3}\d{1,3}$|^[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*$")
    reason = (
        pl.when(pl.col("line").str.len_bytes() > MAX_LINE_BYTES)
        .then(pl.lit("line_too_long"))
        .when(pl.col("ip").is_null() | pl.col("time").is_null() & pl.col("ts").is_null())
        .then(pl.lit("unparsable_line"))
        .when(pl.col("ts").is_null())
        .then(pl.lit("bad_timestamp"))
        .when(pl.col("method").is_null() | pl.col("target").is_null())
        .then(pl.lit("bad_request_line"))
        .when(pl.col("status_n").is_null() | (pl.col("status_n") < 100) | (pl.col("status_n") > 599))
        .then(pl.lit("bad_status"))
        .when(~ip_ok.fill_null(False))
        .then(pl.lit("bad_ip"))
        .otherwise(pl.lit(None, dtype=pl.String))
    )
    return out.select(
        "line_no",
        pl.col("host").cast(pl.String),
        pl.col("ip").cast(pl.String),
        pl.col("ts"),
        pl.col("method").cast(pl.String),
        pl.col("target").cast(pl.String),
        pl.col("status_n").alias("status"),
        pl.col("bytes_n").alias("bytes"),
        pl.col("referrer").cast(pl.String),
        pl.col("ua").cast(pl.String),
        reason.alias("reject_reason"),
    )


def parse_lines(frame: pl.DataFrame, fmt: str, custom_regex: str | None = None) -> pl.DataFrame:
    """Parse a batch in the given (already detected) format."""
    if fmt in ("nginx-json", "caddy-json"):
        return parse_json_lines(frame, fmt)
    return parse_text_lines(frame, fmt, custom_regex)
