"""Parsing access-log lines into typed columns, vectorized with polars. Pure: frames in, frames out.

Input frame: ``line_no`` (1-based within the file) and ``line`` (decoded text). Output: the parsed columns
plus ``reject_reason`` (null when the line parsed). Nothing here touches files, clocks or keys.
"""

from __future__ import annotations

import json
import re
from typing import Any

import polars as pl

JSON_FORMATS = ("nginx-json", "caddy-json", "traefik-json")


def _quoted(name: str) -> str:
    return rf'"(?P<{name}>(?:[^"\\]|\\.)*)"'


def _quoted_last(name: str) -> str:
    """The last quoted field, which a server may cut short at the end of the line (GoAccess still counts it)."""
    return rf'"(?P<{name}>(?:[^"\\]|\\.)*)(?:"|\\?$)'


_CLF = (
    r"(?P<ip>\S+) \S+ (?:\S+|\"[^\"]*\") \[(?P<time>[^\]]+)\] "
    + _quoted("request")
    + r" (?P<status>\d{3}) (?P<bytes>\d+|-)"
)
REGEXES = {
    "combined": "^" + _CLF + " " + _quoted("referrer") + " " + _quoted_last("ua"),
    # end-anchored, so the request may hold a stray quote ("GET /images/" HTTP/1.0"), as NASA-HTTP's does
    "common": r"^(?P<ip>\S+) \S+ (?:\S+|\"[^\"]*\") \[(?P<time>[^\]]+)\] \"(?P<request>.*)\" (?P<status>\d{3}) "
    r"(?P<bytes>\d+|-)\s*$",
    "vcombined": r"^(?P<host>\S+?)(?::\d+)? " + _CLF + " " + _quoted("referrer") + " " + _quoted_last("ua"),
    # AWS Application Load Balancer: type time elb client:port target:port 3 timings elb_status target_status
    # received sent "request" "user_agent" ... (documented at docs.aws.amazon.com/elasticloadbalancing)
    "alb": r"^(?:h2|https?|wss?|grpcs?) (?P<time>\d{4}-\d\d-\d\dT\S+) \S+ (?P<ip>\[[^\]]+\]|[^ :]+(?::[^ :]+)*?):\d+ "
    r"\S+ \S+ \S+ \S+ (?P<status>\d{3}|-) \S+ \d+ (?P<bytes>\d+) " + _quoted("request") + " " + _quoted("ua"),
}
REQUEST_LINE = r"^[A-Z][A-Z-]{0,15} \S+(?: HTTP/[0-9.]+)?$"  # METHOD SP target [SP HTTP/x]
# What GoAccess also counts: several spaces, any protocol text after the target, or none (HTTP/0.9)
LENIENT_REQUEST = r"^([A-Z][A-Z-]{0,15}) +(\S+)(?: +\S.*)?$"
# A client field that is a host name (Apache with HostnameLookups on), as DNS writes it: labels of letters, digits,
# hyphens and underscores (ppp3_069.bekkoame.or.jp in NASA's 1995 trace), punycode for an IDN (xn--...), a last
# label that starts with a letter, maybe a trailing dot. Kept as the client key, never resolved.
HOST_NAME = r"(?:[A-Za-z0-9_][A-Za-z0-9_-]{0,62}\.)+[A-Za-z][A-Za-z0-9-]{0,62}\.?"
HOSTNAME = "^" + HOST_NAME + "$"
MAX_HOST_NAME = 254  # 253 characters and the trailing dot (RFC 1035)
MAX_LINE_BYTES = 16_384
NOT_A_REQUEST = "not_a_request"  # a reason kept apart: the line is no parse failure, there was nothing to parse
CLF_TIME = "%d/%b/%Y:%H:%M:%S"  # 10/Nov/2026:13:55:36, followed by " %z"


_SHAPES = {
    "combined, common or vcombined": r"^\S+ (?:\S+ )?\S+ \S+ \[", "alb": r"^(?:h2|https?|wss?|grpcs?) \d{4}-",
    "nginx-json, caddy-json or traefik-json": r"^\s*\{", "w3c": r"^#",
}


def closest_formats(sample: list[str]) -> str:
    """For the error when no format fits: which formats the lines look most like, by their first characters."""
    lines = [line for line in sample if line.strip()][:50]
    scores = {name: sum(bool(re.match(shape, line)) for line in lines) for name, shape in _SHAPES.items()}
    ranked = [name for name, score in sorted(scores.items(), key=lambda kv: -kv[1]) if score]
    if not ranked:
        return "the lines look like none of them"
    return f"they start like {ranked[0]} ({scores[ranked[0]]} of {len(lines)} lines) but do not parse as it"


def detect_format(sample: list[str]) -> str | None:
    """The format that parses most of the first lines; None when none parses any."""
    lines = [line for line in sample if line.strip()][:50]
    if not lines:
        return None
    if any(line.startswith("#Fields:") for line in lines) or lines[0].startswith(("#Software:", "#Version:")):
        return "w3c"
    if all(line.lstrip().startswith("{") for line in lines[:5]):
        first = _safe_json(lines[0]) or {}
        if isinstance(first.get("request"), dict):
            return "caddy-json"
        if "ClientHost" in first or "RequestMethod" in first:
            return "traefik-json"
        return "nginx-json"
    if sum(bool(re.match(REGEXES["alb"], line)) for line in lines) * 2 > len(lines):
        return "alb"
    scores = {name: sum(bool(re.match(REGEXES[name], line)) for line in lines) for name in REGEXES}
    # combined before vcombined: a vhost prefix makes vcombined the only match, not the other way round
    best = max(["combined", "vcombined", "common"], key=lambda name: scores[name])
    return best if scores[best] else None


def mostly_parses(sample: list[str], fmt: str) -> bool:
    """Whether at least half of the sample's request lines parse in ``fmt`` (blank lines and directives aside)."""
    lines = [line for line in sample if line.strip() and not line.startswith("#")]
    if not lines:
        return True
    frame = pl.DataFrame({"line_no": range(1, len(sample) + 1), "line": sample})
    frame = frame.filter(pl.col("line").str.strip_chars() != "")
    parsed = parse_lines(frame, fmt)
    usable = parsed["reject_reason"].is_null()
    if fmt not in JSON_FORMATS:  # a JSON object that is no request says nothing of the format: only requests count
        usable |= parsed["reject_reason"] == NOT_A_REQUEST
    return usable.sum() * 2 >= len(lines)


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
        request = pl.col("request")
        strict = out.select(request.str.contains(REQUEST_LINE).fill_null(False)).to_series()
        parts = request.str.split_exact(" ", 2)
        method, target = parts.struct.field("field_0"), parts.struct.field("field_1")
        if not strict.all():  # the few other request lines: read as GoAccess does (several spaces, odd protocol)
            lenient = request.str.extract_groups(LENIENT_REQUEST)
            method = pl.when(strict).then(method).otherwise(lenient.struct.field("1"))
            target = pl.when(strict).then(target).otherwise(lenient.struct.field("2"))
        out = out.with_columns(method.alias("m"), target.alias("t"))
        out = out.with_columns(
            pl.coalesce("method", "m").alias("method"), pl.coalesce("path", "t").alias("target")
        ).drop("m", "t")
    else:
        out = out.with_columns(pl.col("path").alias("target"))
    out = _absolute_targets(out)
    out = _put_clf_time(out) if fmt != "alb" else out.with_columns(_iso_time(pl.col("time")).alias("ts"))
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
# How many times a line of each format is cut at its quotes for the fast path (the pieces it has, plus one).
QUOTE_SPLITS = {"combined": 7, "vcombined": 7, "common": 3}
_FAST_MIDDLE = {"combined": _STATUS_BYTES + " $", "vcombined": _STATUS_BYTES + " $", "common": _STATUS_BYTES + r"\s*$"}


def _extract_fields(frame: pl.DataFrame, fmt: str, pattern: str) -> pl.DataFrame:
    """The regex's named groups for every line, as string columns.

    Capturing groups are the slow part of a regex, so for the built-in formats a line without backslashes is
    cut at its quotes (``split_exact``: a struct of fixed fields, no lists), and when the pieces have the shape
    the pattern asks for it is cut at its spaces too: without escapes the quoted fields cannot contain a quote,
    so the cuts fall exactly where the groups do. Every other line takes the regex, so both paths give the same
    columns (a property test holds them equal)."""
    if fmt not in _FAST_HEAD:
        return frame.with_columns(pl.col("line").str.extract_groups(pattern).alias("_g")).unnest("_g")
    quoted = QUOTE_SPLITS[fmt]  # pieces between quotes: head "request" middle ["referrer" " " "ua"] end
    marked = frame.with_columns(pl.col("line").str.split_exact('"', quoted).alias("_p")).unnest("_p")
    head, middle = pl.col("field_0"), pl.col("field_2")
    # The pieces between the quotes have the shape the regex asks for (checked on the short pieces, not the
    # whole line); brackets appear only around the time, so the cut finds it. The number of quotes is counted,
    # not read from the pieces (a reader fills missing pieces with ""): common format has exactly two, a third
    # is a quote in the request and the regex decides; combined has six, and quoted fields (X-Forwarded-For,
    # timings) may follow the user agent.
    quotes = pl.col("line").str.count_matches('"', literal=True)
    no_escape = ~pl.col("line").str.contains("\\", literal=True)
    shape = no_escape & head.str.contains(_FAST_HEAD[fmt]) & middle.str.contains(_FAST_MIDDLE[fmt])
    if fmt == "common":
        shape &= quotes == 2
    else:
        shape &= (quotes >= 6) & (pl.col("field_4") == " ")
    fast_rows = marked.select(shape.fill_null(False)).to_series()
    everything = fast_rows.all()  # the usual case: no rows copied into two frames
    fast = marked if everything else marked.filter(fast_rows)
    slow = marked.clear() if everything else marked.filter(~fast_rows)
    cut = middle.str.strip_chars().str.split_exact(" ", 1)
    bracket = head.str.find("[", literal=True)
    tokens = head.str.split_exact(" ", 1)
    columns = {
        "ip": tokens.struct.field("field_1" if fmt == "vcombined" else "field_0"),
        "time": head.str.slice(bracket + 1, head.str.len_chars() - bracket - 3),
        "request": pl.col("field_1"),
        "status": cut.struct.field("field_0"),
        "bytes": cut.struct.field("field_1"),
    }
    if fmt != "common":
        columns |= {"referrer": pl.col("field_3"), "ua": pl.col("field_5")}
    if fmt == "vcombined":
        columns["host"] = tokens.struct.field("field_0").str.replace(r":\d+$", "")
    fast = fast.select("line_no", "line", *(expr.alias(name) for name, expr in columns.items()))
    if slow.is_empty():
        return fast
    slow = slow.select("line_no", "line").with_columns(pl.col("line").str.extract_groups(pattern).alias("_g"))
    slow = slow.unnest("_g")
    return pl.concat([fast, slow.select(fast.columns)])


def _absolute_targets(frame: pl.DataFrame) -> pl.DataFrame:
    """A request in absolute form (``GET https://example.cn:443/p HTTP/1.1``, as load balancers and proxies log
    it): the path is what follows the authority, the host the authority without its port."""
    if frame.is_empty() or not frame["target"].str.contains("://", literal=True).any():
        return frame
    parts = pl.col("target").str.extract_groups(r"^[A-Za-z][A-Za-z0-9+.-]*://([^/?#]*)(.*)$")
    host = parts.struct.field("1").str.replace(r":\d+$", "")
    rest = parts.struct.field("2")
    path = pl.when(rest == "").then(pl.lit("/")).otherwise(rest)
    return frame.with_columns(
        pl.coalesce("host", host).alias("host"), pl.coalesce(path, pl.col("target")).alias("target")
    )


def _iso_time(expr: pl.Expr) -> pl.Expr:
    return expr.str.to_datetime(time_zone="UTC", strict=False, time_unit="us")


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
            "request": pl.String,
        },
        orient="row",
    )
    out = pl.concat([frame, parsed], how="horizontal")
    iso = _iso_time(pl.col("time"))
    clf = pl.col("time").str.strptime(pl.Datetime("us", "UTC"), CLF_TIME + " %z", strict=False)
    epoch = pl.from_epoch(
        (pl.col("epoch") * 1_000_000).cast(pl.Int64, strict=False), time_unit="us"
    ).dt.replace_time_zone("UTC")
    out = out.with_columns(
        pl.coalesce(epoch, iso, clf).alias("ts"),
        pl.col("status").cast(pl.Int32, strict=False).alias("status_n"),
        pl.col("bytes").cast(pl.Int64, strict=False).fill_null(0).alias("bytes_n"),
    )
    return _finish(out)


def _first(value):
    return value[0] if isinstance(value, list) and value else value


def _json_record(line: str, fmt: str) -> tuple:
    data = _safe_json(line)
    if data is None:
        return (None,) * 11
    if fmt == "traefik-json":
        values = (
            data.get("RequestHost"), data.get("ClientHost"), data.get("StartUTC") or data.get("time"), None,
            data.get("RequestMethod"), data.get("RequestPath"), data.get("DownstreamStatus"),
            data.get("DownstreamContentSize"), data.get("request_Referer"), data.get("request_User-Agent"),
        )
    elif fmt == "caddy-json":
        req: dict[str, Any] = data["request"] if isinstance(data.get("request"), dict) else {}
        headers: dict[str, Any] = req["headers"] if isinstance(req.get("headers"), dict) else {}
        values = (
            req.get("host"), req.get("client_ip") or req.get("remote_ip"), None, data.get("ts"), req.get("method"),
            req.get("uri"), data.get("status"), data.get("size"), _first(headers.get("Referer")),
            _first(headers.get("User-Agent")),
        )
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
        )
    fields = tuple(
        None if v is None else float(v) if i == 3 and isinstance(v, int | float) else str(v) if i != 3 else None
        for i, v in enumerate(values)
    )
    # An entry with no client, method, path or status is another logger's (Caddy's reverse-proxy debug line, a
    # server's start-up message): no request, so no parse failure either.
    no_request = all(fields[i] is None for i in (1, 4, 5, 6))
    return (*fields, "-" if no_request else None)


def _finish(out: pl.DataFrame) -> pl.DataFrame:
    """Name the reject reason of each line (first failing check wins) and keep the parsed columns."""
    address = pl.col("ip").str.contains(r"^(?:\d{1,3}\.){3}\d{1,3}$|^[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*$")
    ip_ok = address
    if not out.select(address.fill_null(True).all()).item():  # host names only where addresses are not
        ip_ok = address | pl.col("ip").str.contains(HOSTNAME) & (pl.col("ip").str.len_bytes() <= MAX_HOST_NAME)
    # no request at all: a connection closed before one came ("-" 408), a bare newline, TLS bytes sent to a
    # plain-HTTP port; counted apart from lines that failed to parse
    request = pl.col("request")
    no_request = (request.is_in(["-", "", "\\n", "\\r\\n"]) | request.str.contains(r"^\\x[0-9A-Fa-f]{2}")).fill_null(
        False
    )
    reason = (
        pl.when(pl.col("line").str.len_bytes() > MAX_LINE_BYTES)
        .then(pl.lit("line_too_long"))
        .when(no_request)
        .then(pl.lit(NOT_A_REQUEST))
        .when(pl.col("ip").is_null() | pl.col("time").is_null() & pl.col("ts").is_null())
        .then(pl.lit("unparsable_line"))
        .when(pl.col("ts").is_null())
        .then(pl.lit("bad_timestamp"))
        .when(pl.col("method").is_null() | pl.col("target").is_null())
        .then(pl.lit("bad_request_line"))
        # status 0: Caddy's "no route handled the request", which GoAccess counts too (1.9.2, allinurl/goaccess#2634)
        .when(pl.col("status_n").is_null() | pl.col("status_n").is_between(1, 99) | (pl.col("status_n") > 599))
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


W3C_COLUMNS = {
    "date": "date", "time": "clock", "c-ip": "ip", "cs-method": "method", "cs-uri-stem": "stem",
    "cs-uri-query": "query", "sc-status": "status", "sc-bytes": "bytes", "cs(user-agent)": "ua",
    "cs(referer)": "referrer", "cs(referrer)": "referrer", "cs-host": "host", "cs(host)": "host",
    "x-host-header": "host",
}


def w3c_fields(line: str) -> list[str]:
    """The field names of a ``#Fields:`` directive, lower case."""
    return line.split(":", 1)[1].split() if ":" in line else []


def parse_w3c_lines(frame: pl.DataFrame, fields_at_start: str | None) -> pl.DataFrame:
    """W3C extended logs (IIS with spaces, CloudFront with tabs): each ``#Fields:`` directive names the columns
    of the lines after it, and may change within a file; ``fields_at_start`` is the directive in force when the
    batch begins (the reader carries it from earlier batches). Times are UTC, as the format says."""
    directive = pl.col("line").str.starts_with("#Fields:")
    marked = frame.with_columns(directive.cum_sum().alias("_segment"))
    heads = [fields_at_start or "", *marked.filter(directive)["line"].to_list()]
    parts = []
    for segment, rows in marked.filter(~pl.col("line").str.starts_with("#")).group_by("_segment"):
        names = [name.lower() for name in w3c_fields(heads[segment[0]])]
        tab = rows["line"].str.contains("\t", literal=True).any()
        cells = pl.col("line").str.split("\t" if tab else " ")
        chosen = {W3C_COLUMNS[n]: cells.list.get(i, null_on_oob=True) for i, n in enumerate(names) if n in W3C_COLUMNS}
        if not chosen:  # no directive yet: nothing says what the columns are
            parts.append(rows.select("line_no", "line").with_columns(pl.lit(None, dtype=pl.String).alias("ip")))
            continue
        parts.append(rows.select("line_no", "line", *(expr.alias(name) for name, expr in chosen.items())))
    out = pl.concat(parts, how="diagonal_relaxed") if parts else frame.select("line_no", "line").clear()
    for column in ("date", "clock", "ip", "method", "stem", "query", "status", "bytes", "ua", "referrer", "host"):
        if column not in out.columns:
            out = out.with_columns(pl.lit(None, dtype=pl.String).alias(column))
    out = out.with_columns(pl.col(c).replace("-", None) for c in ("query", "ua", "referrer", "host", "bytes"))
    out = out.with_columns(
        (pl.col("date") + " " + pl.col("clock")).alias("time"),
        pl.when(pl.col("query").is_not_null()).then(pl.col("stem") + "?" + pl.col("query"))
        .otherwise(pl.col("stem")).alias("target"),
        pl.col("status").cast(pl.Int32, strict=False).alias("status_n"),
        pl.col("bytes").cast(pl.Int64, strict=False).fill_null(0).alias("bytes_n"),
        pl.lit("w3c").alias("request"),
    )
    out = out.with_columns(
        pl.col("time").str.strptime(pl.Datetime("us"), "%Y-%m-%d %H:%M:%S", strict=False)
        .dt.replace_time_zone("UTC").alias("ts"),
        _w3c_text(pl.col("ua")).alias("ua"), _w3c_text(pl.col("referrer")).alias("referrer"),
    )
    return _finish(out)


def _w3c_text(expr: pl.Expr) -> pl.Expr:
    """IIS writes a space in a field as ``+``, CloudFront percent-encodes it (``%20``, or ``%2520`` twice)."""
    return (
        expr.str.replace_all("+", " ", literal=True)
        .str.replace_all("%2520", " ", literal=True)
        .str.replace_all("%20", " ", literal=True)
    )


def parse_lines(
    frame: pl.DataFrame, fmt: str, custom_regex: str | None = None, w3c_fields_at_start: str | None = None
) -> pl.DataFrame:
    """Parse a batch in the given (already detected) format."""
    if fmt in JSON_FORMATS:
        return parse_json_lines(frame, fmt)
    if fmt == "w3c":
        return parse_w3c_lines(frame, w3c_fields_at_start)
    return parse_text_lines(frame, fmt, custom_regex)
