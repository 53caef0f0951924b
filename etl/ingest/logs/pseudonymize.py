"""Pseudonymization: keyed visitor ids, scrubbed paths, referrers reduced to host and source.

visitor_id = BLAKE2b-64(key = the reporting day's random 256-bit salt, ip NUL user-agent NUL site host).
The salt lives only in secrets_dir and is destroyed after ``salt_retention_days``; from then on nobody,
us included, can recompute or link that day's ids.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import unquote

import polars as pl

from etl.compliance.subjects import EMAIL, PHONE
from etl.ingest.logs.enrich import network_key
from etl.ingest.logs.parse import HOST_NAME

LONG_TOKEN = r"\b(?=[A-Za-z_]*\d)(?=\d*[A-Za-z_])[A-Za-z0-9_]{20,}\b|\b[0-9a-fA-F]{16,}\b"
MAX_PATH = 300

SEARCH_ENGINES = {
    "baidu.": "Baidu", "google.": "Google", "bing.": "Bing", "sogou.": "Sogou", "so.com": "360 Search",
    "sm.cn": "Shenma", "duckduckgo.": "DuckDuckGo", "yandex.": "Yandex", "yahoo.": "Yahoo", "ecosia.": "Ecosia",
}
SOCIAL = {
    "weixin.qq.com": "WeChat", "wechat.": "WeChat", "linkedin.": "LinkedIn", "lnkd.in": "LinkedIn",
    "zhihu.": "Zhihu", "weibo.": "Weibo", "douyin.": "Douyin", "facebook.": "Facebook", "t.co": "X",
    "twitter.": "X", "x.com": "X", "youtube.": "YouTube", "bilibili.": "Bilibili", "xiaohongshu.": "Xiaohongshu",
}


def visitor_id(salt: bytes, ip: str, ua: str, host: str) -> int:
    """64-bit keyed hash of one visitor-day (as an unsigned integer)."""
    digest = hashlib.blake2b(f"{ip}\0{ua}\0{host}".encode(), key=salt, digest_size=8).digest()
    return int.from_bytes(digest, "big")


def keyed_id(key: bytes, text: str) -> int:
    """A stable 64-bit id of a string under a long-lived key (used for the user-agent dimension)."""
    return int.from_bytes(hmac.new(key, text.encode("utf-8", "replace"), hashlib.sha256).digest()[:8], "big")


def visitor_ids(keys: pl.DataFrame, salts: Mapping[dt.date, bytes]) -> pl.DataFrame:
    """``visitor_id`` for each row of distinct (day, ip, ua, host): one keyed hash per visitor-day."""
    columns = (keys[name].to_list() for name in ("day", "ip", "ua", "host"))
    ids = [visitor_id(salts[day], ip, ua or "", host) for day, ip, ua, host in zip(*columns, strict=True)]
    return pl.DataFrame({"visitor_id": pl.Series(ids, dtype=pl.UInt64)})


def scrub_paths(paths: pl.Series, keep_params: tuple[str, ...] = ()) -> pl.Series:
    """Decode, strip personal data and long tokens, cap the length. Applied once per distinct path."""
    distinct = paths.unique()
    clean = [scrub_path(p, keep_params) for p in distinct.to_list()]
    mapping = dict(zip(distinct.to_list(), clean, strict=True))
    return paths.replace_strict(mapping, return_dtype=pl.String)


def scrub_path(path: str | None, keep_params: tuple[str, ...] = ()) -> str:
    """``/contact?email=a@b.cn`` -> ``/contact``; e-mails, phone numbers and tokens in the path are masked.

    Query parameters named in ``keep_params`` (the ``query_allowlist`` setting) stay, their values scrubbed too;
    UTM tags are kept in their own columns, not in the path."""
    if not path:
        return "/"
    path, _, query = path.split("#", 1)[0].partition("?")
    kept = [pair for pair in query.split("&") if pair.partition("=")[0] in keep_params] if keep_params else []
    if "://" in path[:12]:  # absolute-form request target (proxies)
        path = "/" + path.split("://", 1)[1].partition("/")[2]
    path = unquote(path, errors="replace")
    path = re.sub(EMAIL, "[email]", path)
    if kept:
        path += "?" + "&".join(unquote(pair, errors="replace") for pair in kept)
    path = re.sub(LONG_TOKEN, "[token]", path)
    path = re.sub(PHONE, "[phone]", path)
    path = "".join(ch if ch.isprintable() else "\ufffd" for ch in path)
    if not path.startswith("/"):
        path = "/" + path
    return path[:MAX_PATH]


def query_param(name: str) -> pl.Expr:
    """The decoded value of one query parameter of the request target (null when absent)."""
    raw = pl.col("target").str.extract(rf"[?&]{re.escape(name)}=([^&#]*)")
    return (
        raw.str.replace_all("+", " ", literal=True)
        .str.replace_all(EMAIL, "[email]")
        .str.replace_all(r"[^\w .:/-]", "")
        .str.slice(0, 80)
        .str.to_lowercase()
    )


def referrer_host() -> pl.Expr:
    """Lower-case host of the referrer URL, without ``www.``; null for none."""
    host = pl.col("referrer").str.extract(r"^[A-Za-z][A-Za-z0-9+.-]*://(?:[^@/]*@)?([^/:?#]+)").str.to_lowercase()
    return host.str.replace(r"^www\.", "")


# utm_source values people type for the same network the referrer names: one label for both
SOURCE_LABELS = {label.lower(): label for label in [*SEARCH_ENGINES.values(), *SOCIAL.values()]} | {
    "weixin": "WeChat", "wx": "WeChat", "wechat_official": "WeChat", "360": "360 Search", "x.com": "X",
    "twitter": "X", "linkedin.com": "LinkedIn", "google.com": "Google", "baidu.com": "Baidu",
}


def classify_source(own_hosts: list[str]) -> tuple[pl.Expr, pl.Expr]:
    """(source, source_kind) from utm_source first, else the referrer host. Kinds: campaign, search,
    social, referral, internal, direct."""
    host = pl.col("referrer_host")
    own = [h.lower().removeprefix("www.") for h in own_hosts]
    kind: Any = pl.when(pl.col("utm_source").is_not_null()).then(pl.lit("campaign"))
    campaign = pl.col("utm_source").replace(SOURCE_LABELS)
    name: Any = pl.when(pl.col("utm_source").is_not_null()).then(campaign)
    kind = kind.when(host.is_null()).then(pl.lit("direct"))
    name = name.when(host.is_null()).then(pl.lit("Direct"))
    kind = kind.when(host.is_in(own)).then(pl.lit("internal"))
    name = name.when(host.is_in(own)).then(pl.lit("Internal"))
    for needle, label in SEARCH_ENGINES.items():
        kind = kind.when(host.str.contains(needle, literal=True)).then(pl.lit("search"))
        name = name.when(host.str.contains(needle, literal=True)).then(pl.lit(label))
    for needle, label in SOCIAL.items():
        kind = kind.when(host.str.contains(needle, literal=True)).then(pl.lit("social"))
        name = name.when(host.str.contains(needle, literal=True)).then(pl.lit(label))
    return name.otherwise(host), kind.otherwise(pl.lit("referral"))


# One pass, left to right: a Common Log Format time ("[04/Nov/2026:10:00:00 +0800]") has the shape of IPv6
# groups, so it is matched first and kept as it is.
_IP_IN_TEXT = re.compile(
    r"(?P<time>\[\d{2}/[A-Za-z]{3}/\d{4}:\d{2}:\d{2}:\d{2} [+-]\d{4}\])"
    r"|\b(?P<v4>\d{1,3}\.\d{1,3}\.\d{1,3})\.\d{1,3}\b"
    r"|\b(?P<v6>[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{0,4}:[0-9A-Fa-f]{0,4})(?::[0-9A-Fa-f]{0,4}){1,5}\b"
)


def mask_ip_text(text: str) -> str:
    """Mask every IPv4 to /24 and IPv6 to /48 inside free text (reject excerpts); log times stay readable."""

    def mask(match: re.Match) -> str:
        if match["v4"]:
            return match["v4"] + ".0"
        if not match["v6"]:
            return match[0]
        network = network_key(match[0])  # None when it is not a whole address (a cut line)
        return network.removesuffix("/48") if network else match["v6"] + "::"

    return _IP_IN_TEXT.sub(mask, text)


_HOST_NAME = rf"(?<![\w.-]){HOST_NAME}(?![\w.-])"  # the name a client may be logged by (etl.ingest.logs.parse)


def reject_excerpt(line: str) -> str:
    """What we keep of a rejected line: its shape, never its identifying content.

    IPs are masked, e-mails and phone numbers removed, and every quoted string (request, referrer, user
    agent) replaced by its length, so an operator can see why it failed without seeing who sent it."""
    text = line[:400]
    text = re.sub(r'"[^"]*("|$)', lambda m: f'"<{len(m.group(0))} chars>"', text)
    text = re.sub(EMAIL, "[email]", text)
    text = re.sub(_HOST_NAME, "[host]", text)  # a client logged by name (HostnameLookups) names it as an IP does
    text = mask_ip_text(text)
    text = re.sub(PHONE, "[number]", text)
    return "".join(ch if ch.isprintable() else "?" for ch in text)[:200]
