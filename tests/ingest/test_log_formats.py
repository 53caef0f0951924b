"""Every supported log format reads the same requests into the same events; the fast parse path equals the regex."""

from __future__ import annotations

import datetime as dt
import json
import os
import re

import duckdb
import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from etl.ingest.logs.ingest import ingest_paths
from etl.ingest.logs.parse import REGEXES, _extract_fields, detect_format, parse_lines
from tests.helpers import CHROME, DAY, GOOGLEBOT

# (ip, local time, method, target, status, bytes, referrer, user agent) — written out in each format below
REQUESTS = [
    (
        "1.2.2.10",
        "10/Nov/2026:10:00:00 +0800",
        "GET",
        "/?utm_source=WeChat&utm_campaign=Winter",
        200,
        512,
        "https://www.baidu.com/s?wd=obd",
        CHROME,
    ),
    ("1.2.2.10", "10/Nov/2026:10:05:00 +0800", "GET", "/products/x431", 200, 2048, "https://vcar.example/", CHROME),
    ("2001:db8:1::7", "10/Nov/2026:11:00:00 +0800", "GET", "/contact?email=a@b.cn", 304, 0, "-", CHROME),
    ("1.2.2.99", "10/Nov/2026:12:00:00 +0800", "GET", "/robots.txt", 200, 10, "-", GOOGLEBOT),
]
ISO = {"10/Nov/2026:10:00:00 +0800": "2026-11-10T10:00:00+08:00", "10/Nov/2026:10:05:00 +0800":
       "2026-11-10T10:05:00+08:00", "10/Nov/2026:11:00:00 +0800": "2026-11-10T11:00:00+08:00",
       "10/Nov/2026:12:00:00 +0800": "2026-11-10T12:00:00+08:00"}


def clf(r) -> str:
    return f'{r[0]} - - [{r[1]}] "{r[2]} {r[3]} HTTP/1.1" {r[4]} {r[5]}'


def as_combined(r) -> str:
    return clf(r) + f' "{r[6]}" "{r[7]}"'


def as_vcombined(r) -> str:
    return "vcar.example:443 " + as_combined(r)


def as_nginx_json(r) -> str:
    return json.dumps({"time_iso8601": ISO[r[1]], "remote_addr": r[0], "request_method": r[2], "request_uri": r[3],
                       "status": str(r[4]), "body_bytes_sent": str(r[5]), "http_referer": "" if r[6] == "-" else r[6],
                       "http_user_agent": r[7], "host": "vcar.example"})


def as_caddy_json(r) -> str:
    ts = dt.datetime.fromisoformat(ISO[r[1]]).timestamp()
    headers = {"User-Agent": [r[7]]} | ({} if r[6] == "-" else {"Referer": [r[6]]})
    return json.dumps({"level": "info", "ts": ts, "logger": "http.log.access", "msg": "handled request",
                       "request": {"remote_ip": r[0], "client_ip": r[0], "method": r[2], "host": "vcar.example",
                                   "uri": r[3], "headers": headers}, "status": r[4], "size": r[5]})


WRITERS = {
    "combined": as_combined, "common": clf, "vcombined": as_vcombined,
    "nginx-json": as_nginx_json, "caddy-json": as_caddy_json,
}


def events(cfg) -> list[tuple]:
    with duckdb.connect(str(cfg.warehouse), read_only=True) as con:
        return con.execute(
            "SELECT ts, path, status, is_pageview, source, utm_campaign, source_kind FROM events ORDER BY ts"
        ).fetchall()


@pytest.mark.parametrize("fmt", list(WRITERS))
def test_each_format_is_detected_and_reads_the_same_requests(fmt, settings_env, tmp_path):
    lines = [WRITERS[fmt](r) for r in REQUESTS]
    assert detect_format(lines) == fmt
    log = tmp_path / "access.log"
    log.write_text("\n".join(lines) + "\n")
    stats = ingest_paths(settings_env, [log], today=DAY)
    assert (stats.lines_loaded, stats.lines_rejected) == (4, 0)
    rows = events(settings_env)
    assert [r[0] for r in rows] == [dt.datetime(2026, 11, 10, h, m) for h, m in [(2, 0), (2, 5), (3, 0), (4, 0)]]
    assert [r[1] for r in rows] == ["/", "/products/x431", "/contact", "/robots.txt"]
    assert [r[2] for r in rows] == [200, 200, 304, 200]
    assert [r[3] for r in rows] == [True, True, True, False]  # robots.txt is static and its client a bot
    assert rows[0][4:7] == ("WeChat", "winter", "campaign")  # the utm_source tag named the source


def test_a_custom_named_group_regex_reads_a_custom_format(settings_env, tmp_path, monkeypatch):
    from etl.core.settings import load_settings

    monkeypatch.setenv(
        "VCAR_LOG_REGEX",
        r"^(?P<time>\S+ \S+) (?P<ip>\S+) (?P<method>[A-Z]+) (?P<path>\S+) (?P<status>\d{3}) (?P<ua>.*)$",
    )
    log = tmp_path / "app.log"
    log.write_text(
        f"10/Nov/2026:10:00:00 +0800 1.2.2.10 GET /about 200 {CHROME}\n"
        f"10/Nov/2026:10:01:00 +0800 1.2.2.10 GET /contact 404 {CHROME}\n"
        "a line the regex does not match\n"
    )
    stats = ingest_paths(load_settings(), [log], today=DAY)
    assert (stats.lines_read, stats.lines_loaded, stats.lines_rejected) == (3, 2, 1)
    rows = events(load_settings())
    assert [(r[1], r[2], r[3]) for r in rows] == [("/about", 200, True), ("/contact", 404, False)]


def test_an_explicit_format_overrides_detection_and_misfits_are_rejected(settings_env, tmp_path):
    log = tmp_path / "access.log"
    log.write_text("\n".join(as_combined(r) for r in REQUESTS) + "\n")
    stats = ingest_paths(settings_env, [log], fmt="nginx-json", today=DAY)
    assert (stats.lines_loaded, stats.lines_rejected) == (0, 4)


# --- the fast path (cut at quotes) must give exactly what the regex's groups give --------------------------

field = st.text(alphabet=st.sampled_from(list('ab /."\\\t-') + ["é", "\u3000"]), max_size=12)
token = st.text(alphabet=st.sampled_from(list('ab1:.-"[]\t')), min_size=1, max_size=6)


@st.composite
def text_lines(draw) -> str:
    parts = [
        draw(st.sampled_from(["vcar.example:443 ", "", "h "])),
        draw(token), " ", draw(st.sampled_from(["-", '"x y"', "u"])), " ", draw(token),
        " [", draw(st.sampled_from(["10/Nov/2026:10:00:00 +0800", "10/Nov/2026:10:00:00", "x]"])), "] ",
        '"', draw(field), '" ', draw(st.sampled_from(["200", "2000", "-"])), " ", draw(st.sampled_from(["12", "-"])),
        draw(st.sampled_from(["", " ", "\t"])),
        draw(st.sampled_from(["", ' "', ' "x" "'])), draw(field), draw(st.sampled_from(['"', '" "'])), draw(field),
        draw(st.sampled_from(['"', '" "-"', ""])),
    ]
    return "".join(parts)


@pytest.mark.slow
@settings(max_examples=int(os.environ.get("VCAR_FUZZ_EXAMPLES", "300")), deadline=None)
@given(st.lists(text_lines(), min_size=1, max_size=8), st.sampled_from(sorted(REGEXES)))
def test_the_fast_cut_equals_the_regex_groups(lines, fmt):
    frame = pl.DataFrame({"line_no": range(1, len(lines) + 1), "line": lines})
    fast = _extract_fields(frame, fmt, REGEXES[fmt]).sort("line_no")
    regex = frame.with_columns(pl.col("line").str.extract_groups(REGEXES[fmt]).alias("_g")).unnest("_g")
    assert fast.select(regex.columns).to_dicts() == regex.to_dicts()


@pytest.mark.parametrize(
    ("text", "utc"),
    [
        ("10/Nov/2026:00:30:00 +0800", dt.datetime(2026, 11, 9, 16, 30)),
        ("10/Nov/2026:23:30:00 -0530", dt.datetime(2026, 11, 11, 5, 0)),
        ("10/Nov/2026:12:00:00 +0000", dt.datetime(2026, 11, 10, 12, 0)),
        ("10/Nov/2026:12:00:00", None),
        ("31/Feb/2026:12:00:00 +0000", None),
    ],
)
def test_timestamps_keep_their_offsets(text, utc):
    frame = pl.DataFrame({"line_no": [1], "line": [f'1.2.2.10 - - [{text}] "GET / HTTP/1.1" 200 1 "-" "x"']})
    parsed = parse_lines(frame, "combined")
    got = parsed["ts"][0]
    assert (got.replace(tzinfo=None) if got else None) == utc
    assert parsed["reject_reason"][0] == (None if utc else "bad_timestamp")


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(alphabet=st.sampled_from(list("GETPOS- /a?=1.HTP\t") + ["é", "\u3000"]), max_size=24),
                min_size=1, max_size=8))
@pytest.mark.slow
def test_request_lines_cut_at_spaces_equal_the_regex(requests):
    frame = pl.DataFrame({"line_no": range(1, len(requests) + 1), "line": [
        f'1.2.2.10 - - [10/Nov/2026:10:00:00 +0800] "{r}" 200 1 "-" "x"' for r in requests]})
    parsed = parse_lines(frame, "combined").sort("line_no")
    # the spec: METHOD SP target [SP HTTP/x], or as GoAccess also reads it: more spaces, any protocol text, none
    strict = r"^([A-Z][A-Z-]{0,15}) (\S+)(?: HTTP/[0-9.]+)?$"
    lenient = r"^([A-Z][A-Z-]{0,15}) +(\S+)(?: +\S.*)?$"
    spec = [re.match(strict, r) or re.match(lenient, r) for r in requests]
    assert parsed["method"].to_list() == [m.group(1) if m else None for m in spec]
    assert parsed["target"].to_list() == [m.group(2) if m else None for m in spec]


@pytest.mark.parametrize(
    ("client", "accepted"),
    [
        ("ppp3_069.bekkoame.or.jp", True),  # an underscore, as NASA's 1995 trace has it
        ("_dmarc.example.net", True),  # a label that starts with one
        ("199-72-1-1.dial.example.net", True),  # labels of digits
        ("xn--bcher-kva.xn--p1ai", True),  # an IDN in punycode, its top label too
        ("dialup.example.net.", True),  # the root's trailing dot
        ("dialup-1.example.net", True),
        ("-dialup.example.net", False),  # a label cannot start with a hyphen
        ("dialup.example.123", False),  # a top label of digits is no name (nor an address)
        ("dial!up.example.net", False),
        ("dialup..example.net", False),
        ("localhost", False),  # one label: no name DNS would write for a remote client
        ("a" * 63 + "." + ("b" * 63 + ".") * 3 + "net", False),  # longer than DNS allows (253)
    ],
)
def test_a_client_named_as_dns_writes_it_is_read_and_anything_else_is_a_bad_ip(client, accepted):
    line = f'{client} - - [01/Aug/1995:00:19:32 -0400] "GET /shuttle/countdown/ HTTP/1.0" 200 4324'
    parsed = parse_lines(pl.DataFrame({"line_no": [1, 2], "line": ["192.0.2.1" + line[len(client) :], line]}), "common")
    assert parsed["reject_reason"].to_list() == [None, None if accepted else "bad_ip"]


def test_a_rejected_line_never_keeps_the_client_name():
    from etl.ingest.logs.pseudonymize import reject_excerpt

    excerpt = reject_excerpt('ppp3_069.bekkoame.or.jp - - [01/Aug/1995:00:19:32 -0400] "GET / HTTP/1.0" 999 1')
    assert excerpt.startswith("[host] - - [01/Aug/1995") and "bekkoame" not in excerpt
