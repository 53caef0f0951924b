"""User agents, bots and geolocation: each looked up once per distinct value, before pseudonymization."""

from __future__ import annotations

import dataclasses
import ipaddress
import re
from dataclasses import astuple, dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import polars as pl

AUTOMATION = re.compile(
    r"^(?:curl|wget|python-requests|python-urllib|python-httpx|aiohttp|go-http-client|okhttp|java|"
    r"apache-httpclient|libwww-perl|scrapy|node-fetch|axios|httpie|postmanruntime|php|ruby|powershell)\b",
    re.IGNORECASE,
)
HEADLESS = re.compile(r"HeadlessChrome|PhantomJS|Puppeteer|Playwright|Selenium|Lighthouse", re.IGNORECASE)
AI_AND_TOOLS = re.compile(r"\b(GPTBot|ChatGPT-User|ClaudeBot|Claude-Web|anthropic-ai|PerplexityBot|Bytespider|"
                          r"CCBot|Amazonbot|Applebot|PetalBot|meta-externalagent)\b", re.IGNORECASE)


# The format carries no user agent (Common Log Format, a custom regex without a ``ua`` group): nothing is
# known of the client, which is not the same as a client that sent an empty one (an automation sign).
NOT_LOGGED = "\x00(not logged)"


@dataclass(frozen=True)
class UserAgentInfo:
    device: str  # desktop | mobile | tablet | bot | other
    browser: str
    browser_major: str
    os: str
    os_major: str
    is_bot: bool
    bot_name: str | None
    bot_reason: str | None


@lru_cache(maxsize=1)
def _crawler_patterns() -> tuple[re.Pattern, list[tuple[re.Pattern, str]]]:
    from crawleruseragents import CRAWLER_USER_AGENTS_DATA

    named = [(re.compile(entry["pattern"]), _name_of(entry["pattern"])) for entry in CRAWLER_USER_AGENTS_DATA]
    return re.compile(_crawler_alternation()), named


def _name_of(pattern: str) -> str:
    """A crawler's readable name from its list pattern: ``[pP]ingdom`` -> ``Pingdom``, ``S[eE]mrushBot`` ->
    ``SemrushBot``, ``Better Uptime Bot`` whole: a letter class becomes its capital (or first) letter, escapes
    their character, and the name runs to the first other regex operator."""

    def letter(match: re.Match) -> str:
        choices = match.group(1)
        return next((c for c in choices if c.isupper()), choices[:1])

    text = re.sub(r"\[([^\]]*)\]", letter, pattern)
    text = re.sub(r"\\(.)", r"\1", text)
    head = re.split(r"[\^\$\(\)\?\*\+\{\}\|/;]", text)
    name = next((piece.strip() for piece in head if piece.strip()), "")
    return name[:40] if name else pattern[:24]


@lru_cache(maxsize=1)
def _crawler_alternation() -> str:
    from crawleruseragents import CRAWLER_USER_AGENTS_DATA

    return "|".join(f"(?:{entry['pattern']})" for entry in CRAWLER_USER_AGENTS_DATA)


def _excepted(text: str) -> bool:
    """A people row of the table of decisions (etl/ingest/logs/agent_classes.py) says ``text`` is a person."""
    from etl.ingest.logs.agent_classes import people_pattern

    return re.search(people_pattern(), text) is not None


def listed_crawlers(uas: list[str]) -> list[bool]:
    """Whether each user agent matches the crawler-user-agents list: one native regex pass for the lot."""
    if not uas:
        return []
    return pl.Series(uas, dtype=pl.String).str.contains(_crawler_alternation()).fill_null(False).to_list()


@lru_cache(maxsize=1)
def _ua_parser():
    from ua_parser import BestAvailableResolver, Parser, load_builtins

    return Parser(BestAvailableResolver(load_builtins()))


def parse_agent(text: str):
    """user-agents' ``UserAgent`` for ``text``, parsed by ua-parser 1.0's best resolver (native when
    ua-parser-rs is installed) instead of the pure-Python legacy ``Parse`` that user-agents calls itself.
    The fields are filled exactly as the legacy parser fills them (tests/ingest/test_user_agents.py holds the
    two equal)."""
    from user_agents.parsers import UserAgent, parse_browser, parse_device, parse_operating_system

    result = _ua_parser().parse(text)
    ua, os_, device = result.user_agent, result.os, result.device
    agent = UserAgent.__new__(UserAgent)
    agent.ua_string = text
    agent.browser = parse_browser(ua.family, ua.major, ua.minor, ua.patch) if ua else parse_browser("Other")
    agent.os = (
        parse_operating_system(os_.family, os_.major, os_.minor, os_.patch, os_.patch_minor)
        if os_ else parse_operating_system("Other")
    )
    agent.device = parse_device(*(astuple(device)[:3] if device else ("Other", None, None)))
    return agent


def _bot_name(ua: str) -> str:
    """A crawler's product name; never the whole user-agent string (that would store a raw UA)."""
    name = _product_name(ua)
    return "(unnamed bot)" if name.strip() == ua.strip() else name


def _product_name(ua: str) -> str:
    match = AI_AND_TOOLS.search(ua)
    if match:
        return match.group(1)
    combined, named = _crawler_patterns()
    if combined.search(ua):
        for regex, name in named:
            if regex.search(ua):
                return name
    token = re.search(r"([A-Za-z][\w.-]*(?:bot|spider|crawler))", ua, re.IGNORECASE)
    if token:
        return token.group(1)
    # "Mozilla/5.0 (compatible; Ezooms/1.0; ...)": the first product that is no browser engine; else the words
    # after the last product ("... Firefox/6.0 Google favicon"), or the last part of an unclosed comment
    products = [p for p in re.findall(r"([A-Za-z][\w .-]*?)/\d", ua) if p.strip().lower() not in _BROWSER_WORDS]
    if products:
        return products[0].strip()[:32]
    rest = re.sub(r"^.*[A-Za-z][\w.-]*/[\w.]+\)?\s*", "", ua).split(";")[-1].strip(" ()")
    return rest[:32] or ua.split("/")[0].split(" ")[0][:32]


_BROWSER_WORDS = frozenset({"mozilla", "applewebkit", "gecko", "chrome", "safari", "firefox", "version", "mobile",
                            "edg", "opr", "trident", "msie"})


def classify_user_agents(uas: list[str | None]) -> list[UserAgentInfo]:
    """``classify_user_agent`` for many strings, with the bot lists checked in vectorized passes."""
    from etl.ingest.logs.bots import listed_by

    texts = [(ua or "").strip() for ua in uas]
    return [_private(ua, _classify(ua, listed)) for ua, listed in zip(uas, listed_by(texts), strict=True)]


def classify_user_agent(ua: str | None) -> UserAgentInfo:
    """Device, browser and OS of one user-agent string, and whether (and why) it is a bot."""
    return classify_user_agents([ua])[0]


def _private(ua: str | None, info: UserAgentInfo) -> UserAgentInfo:
    """No field ever repeats the whole string (a parser may return a one-word UA as its family name): the
    user-agent dimension must not hold a raw user agent."""
    text = (ua or "").strip()
    if len(text) < 4:
        return info
    fields: dict[str, Any] = {
        name: "Other" for name in ("browser", "os", "bot_name")
        if isinstance(getattr(info, name), str) and text in getattr(info, name)
    }
    return dataclasses.replace(info, **fields) if fields else info


def _classify(ua: str | None, listed: str | None) -> UserAgentInfo:
    """``listed``: the reason of the first bot list that names ``ua`` (etl/ingest/logs/bots.py), or None."""
    if ua == NOT_LOGGED:
        return UserAgentInfo("other", "(not logged)", "", "(not logged)", "", False, None, None)
    text = (ua or "").strip()
    if text in ("", "-"):
        return UserAgentInfo("bot", "unknown", "", "unknown", "", True, "(empty user agent)", "empty_user_agent")
    if AUTOMATION.search(text):
        name = text.split("/")[0].split(" ")[0][:32]
        name = "(automation client)" if name == text else name
        return UserAgentInfo("bot", name, "", "unknown", "", True, name, "automation_client")
    parsed = parse_agent(text)
    browser, os_ = parsed.browser, parsed.os
    family = browser.family or "Other"
    browser_major = str(browser.version[0]) if browser.version else ""
    os_major = str(os_.version[0]) if os_.version else ""
    if "MicroMessenger" in text:
        family = "WeChat"
        version = re.search(r"MicroMessenger/(\d+)", text)
        browser_major = version.group(1) if version else ""
    if HEADLESS.search(text):
        name = HEADLESS.search(text).group(0)  # type: ignore[union-attr]  # searched just above
        return UserAgentInfo("bot", family, browser_major, os_.family, os_major, True, name, "headless_browser")
    if AI_AND_TOOLS.search(text) or listed:
        reason = listed or "crawler_list"
        return UserAgentInfo("bot", family, browser_major, os_.family, os_major, True, _bot_name(text), reason)
    if parsed.is_bot and not _excepted(text):
        return UserAgentInfo("bot", family, browser_major, os_.family, os_major, True, _bot_name(text), "ua_database")
    device = "tablet" if parsed.is_tablet else "mobile" if parsed.is_mobile else "desktop" if parsed.is_pc else "other"
    return UserAgentInfo(device, family, browser_major, os_.family or "Other", os_major, False, None, None)


@dataclass(frozen=True)
class GeoInfo:
    country: str | None
    region: str | None  # ISO 3166-2, e.g. CN-GD (its name comes from etl.ingest.inquiries.regions when shown)
    city: str | None


UNKNOWN_GEO = GeoInfo(None, None, None)
SCHEMA = {"ip": pl.String, "country": pl.String, "region": pl.String, "city": pl.String}


class GeoLocator:
    """GeoIP lookups, each database network looked up once.

    Addresses are grouped by their IPv4 /24 or IPv6 /48. One lookup per group tells the size of the database
    network that holds it: when that network covers the whole group, its answer serves every address of the
    group; when it is smaller (a /26 city block, say) the group's addresses are looked up one by one, so the
    cache never blurs two networks the database tells apart."""

    PER_ADDRESS = object()

    def __init__(self, path: Path | None) -> None:
        self._reader = None
        if path is not None:
            import maxminddb

            self._reader = maxminddb.open_database(str(path))
        self._groups: dict[str, object] = {}
        self._addresses: dict[str, GeoInfo] = {}

    def _group(self, group: str, ip: str) -> Any:
        """The cached answer of a group, looking up ``ip`` (one of its addresses) the first time."""
        hit = self._groups.get(group)
        if hit is None:
            info, prefix = self._read(ip)
            whole = prefix <= (24 if group.endswith("/24") else 48)
            hit = self._groups[group] = info if whole else self.PER_ADDRESS
        return hit

    def lookup(self, ip: str) -> GeoInfo:
        if self._reader is None:
            return UNKNOWN_GEO
        group = network_key(ip)
        if group is None:
            return UNKNOWN_GEO
        hit = self._group(group, ip)
        if hit is not self.PER_ADDRESS:
            return hit
        if ip not in self._addresses:
            if len(self._addresses) > 500_000:
                self._addresses.clear()
            self._addresses[ip] = self._read(ip)[0]
        return self._addresses[ip]

    def frame(self, ips: list[str]) -> pl.DataFrame:
        """(ip, country, region, city) for distinct addresses.

        The group of an address is cut from its text where that is unambiguous (dotted IPv4; IPv6 whose first
        three hextets are written out), so most addresses never go through Python."""
        frame = pl.DataFrame({"ip": ips}, schema={"ip": pl.String})
        if self._reader is None or not ips:
            return frame.with_columns(pl.lit(None, dtype=pl.String).alias(c) for c in list(SCHEMA)[1:])
        ip = pl.col("ip")
        v4 = ip.str.contains(r"^\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}$")
        v6 = ip.str.extract(r"^([0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}):").str.to_lowercase()
        frame = frame.with_columns(
            pl.when(v4).then(ip.str.replace(r"\.\d+$", ".0/24")).otherwise(v6 + "::/48").alias("group")
        )
        firsts = frame.drop_nulls("group").group_by("group").agg(pl.col("ip").first())
        hits = ((group, self._group(group, first)) for group, first in firsts.iter_rows())
        rows = [(group, *astuple(hit)) for group, hit in hits if hit is not self.PER_ADDRESS]
        by_group = pl.DataFrame(rows, schema={"group": pl.String} | {k: SCHEMA[k] for k in list(SCHEMA)[1:]},
                                orient="row")
        grouped = frame.join(by_group, on="group", how="inner").select(list(SCHEMA))
        rest = frame.join(by_group, on="group", how="anti")["ip"].to_list()
        singles = [(ip, *astuple(self.lookup(ip))) for ip in rest]
        return pl.concat([grouped, pl.DataFrame(singles, schema=SCHEMA, orient="row")])

    def _read(self, ip: str) -> tuple[GeoInfo, int]:
        try:
            found: tuple[Any, int] = self._reader.get_with_prefix_len(ip)  # type: ignore[union-attr]
            record, prefix = found
        except ValueError:
            return UNKNOWN_GEO, 128
        return place_of(record), prefix

    def close(self) -> None:
        if self._reader is not None:
            self._reader.close()


def place_of(record: Any) -> GeoInfo:
    """The country, region (ISO 3166-2) and city of a GeoIP2/GeoLite2/DB-IP City or Country record."""
    if not isinstance(record, dict):
        return UNKNOWN_GEO
    country = (record.get("country") or record.get("registered_country") or {}).get("iso_code")
    subs = record.get("subdivisions") or []
    sub = subs[0] if subs else {}
    sub_code = f"{country}-{sub['iso_code']}" if country and sub.get("iso_code") else None
    city = ((record.get("city") or {}).get("names") or {}).get("en")
    return GeoInfo(country, sub_code, city)


def network_key(ip: str) -> str | None:
    """The /24 (IPv4) or /48 (IPv6) network of an address, as text; None when it is not an address."""
    try:
        addr = ipaddress.ip_address(ip)
    except ValueError:
        return None
    if addr.version == 4:
        return str(ipaddress.ip_network(f"{addr}/24", strict=False))
    return str(ipaddress.ip_network(f"{addr}/48", strict=False))
