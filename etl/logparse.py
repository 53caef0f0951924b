"""Parsing access-log lines into typed columns, vectorized with polars. Pure: frames in, frames out.

Input frame: ``line_no`` (1-based within the file) and ``line`` (decoded text). Output: the parsed columns
plus ``reject_reason`` (null when the line parsed). Nothing here touches files, clocks or keys.
"""

from __future__ import annotations

import json
import re

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
MAX_LINE_BYTES = 16_384


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


def _safe_json(text: str) -> dict | None:
    try:
        value = json.loads(text)
    except (ValueError, RecursionError):
        return None
    return value if isinstance(value, dict) else None


def parse_text_lines(frame: pl.DataFrame, fmt: str, custom_regex: str | None = None) -> pl.DataFrame:
    """Parse combined/common/vcombined (or a custom named-group regex) lines."""
    if fmt == "custom" and not custom_regex:
        raise ValueError("custom format needs the log_regex setting")
    pattern = custom_regex if fmt == "custom" else REGEXES[fmt]
    out = frame.with_columns(pl.col("line").str.extract_groups(pattern).alias("_g")).unnest("_g")
    for column in ("host", "referrer", "ua", "bytes", "request", "method", "path"):
        if column not in out.columns:
            out = out.with_columns(pl.lit(None, dtype=pl.String).alias(column))
    if "request" in out.columns and out["request"].null_count() < out.height:
        request = pl.col("request").str.extract_groups(r"^(?P<m>[A-Z][A-Z-]{0,15}) (?P<t>\S+)(?: HTTP/[0-9.]+)?$")
        out = out.with_columns(request.alias("_r")).unnest("_r")
        out = out.with_columns(
            pl.coalesce("method", "m").alias("method"), pl.coalesce("path", "t").alias("target")
        ).drop("m", "t")
    else:
        out = out.with_columns(pl.col("path").alias("target"))
    ts = pl.col("time").str.strptime(pl.Datetime("us", "UTC"), "%d/%b/%Y:%H:%M:%S %z", strict=False)
    out = out.with_columns(
        ts.alias("ts"),
        pl.col("status").cast(pl.Int32, strict=False).alias("status_n"),
        pl.col("bytes").replace("-", "0").cast(pl.Int64, strict=False).fill_null(0).alias("bytes_n"),
        _unescape(pl.col("referrer")).alias("referrer"),
        _unescape(pl.col("ua")).alias("ua"),
    )
    return _finish(out)


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
    clf = pl.col("time").str.strptime(pl.Datetime("us", "UTC"), "%d/%b/%Y:%H:%M:%S %z", strict=False)
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
        req = data.get("request") if isinstance(data.get("request"), dict) else {}
        headers = req.get("headers") if isinstance(req.get("headers"), dict) else {}
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
