"""User agents, bots and geolocation: each looked up once per distinct value, before pseudonymization."""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

AUTOMATION = re.compile(
    r"^(?:curl|wget|python-requests|python-urllib|python-httpx|aiohttp|go-http-client|okhttp|java|"
    r"apache-httpclient|libwww-perl|scrapy|node-fetch|axios|httpie|postmanruntime|php|ruby|powershell)\b",
    re.IGNORECASE,
)
HEADLESS = re.compile(r"HeadlessChrome|PhantomJS|Puppeteer|Playwright|Selenium|Lighthouse", re.IGNORECASE)
AI_AND_TOOLS = re.compile(r"\b(GPTBot|ChatGPT-User|ClaudeBot|Claude-Web|anthropic-ai|PerplexityBot|Bytespider|"
                          r"CCBot|Amazonbot|Applebot|PetalBot|meta-externalagent)\b", re.IGNORECASE)  # fmt: skip


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

    patterns = [entry["pattern"] for entry in CRAWLER_USER_AGENTS_DATA]
    combined = re.compile("|".join(f"(?:{p})" for p in patterns))
    named = [(re.compile(p), _name_of(p)) for p in patterns]
    return combined, named


def _name_of(pattern: str) -> str:
    name = re.sub(r"\\.|[\^\$\[\]\(\)\?\*\+\{\}\|]", " ", pattern).split()
    return name[0] if name else pattern[:24]


def _bot_name(ua: str) -> str:
    match = AI_AND_TOOLS.search(ua)
    if match:
        return match.group(1)
    combined, named = _crawler_patterns()
    if combined.search(ua):
        for regex, name in named:
            if regex.search(ua):
                return name
    token = re.search(r"([A-Za-z][\w.-]*(?:bot|spider|crawler))", ua, re.IGNORECASE)
    return token.group(1) if token else ua.split("/")[0][:32]


def classify_user_agent(ua: str | None) -> UserAgentInfo:
    """Device, browser and OS of one user-agent string, and whether (and why) it is a bot."""
    from user_agents import parse

    text = (ua or "").strip()
    if text in ("", "-"):
        return UserAgentInfo("bot", "unknown", "", "unknown", "", True, "(empty user agent)", "empty_user_agent")
    if AUTOMATION.search(text):
        name = text.split("/")[0][:32]
        return UserAgentInfo("bot", name, "", "unknown", "", True, name, "automation_client")
    parsed = parse(text)
    browser, os_ = parsed.browser, parsed.os
    family = browser.family or "Other"
    browser_major = str(browser.version[0]) if browser.version else ""
    os_major = str(os_.version[0]) if os_.version else ""
    if "MicroMessenger" in text:
        family = "WeChat"
        version = re.search(r"MicroMessenger/(\d+)", text)
        browser_major = version.group(1) if version else ""
    if HEADLESS.search(text):
        name = HEADLESS.search(text).group(0)
        return UserAgentInfo("bot", family, browser_major, os_.family, os_major, True, name, "headless_browser")
    combined, _ = _crawler_patterns()
    if AI_AND_TOOLS.search(text) or combined.search(text):
        return UserAgentInfo("bot", family, browser_major, os_.family, os_major, True, _bot_name(text), "crawler_list")
    if parsed.is_bot:
        return UserAgentInfo("bot", family, browser_major, os_.family, os_major, True, _bot_name(text), "ua_database")
    device = "tablet" if parsed.is_tablet else "mobile" if parsed.is_mobile else "desktop" if parsed.is_pc else "other"
    return UserAgentInfo(device, family, browser_major, os_.family or "Other", os_major, False, None, None)


@dataclass(frozen=True)
class GeoInfo:
    country: str | None
    subdivision: str | None  # ISO 3166-2, e.g. CN-GD
    subdivision_name: str | None
    city: str | None


UNKNOWN_GEO = GeoInfo(None, None, None, None)


class GeoLocator:
    """GeoIP lookups, cached per IPv4 /24 and IPv6 /48 (the usual size of a database network or smaller)."""

    def __init__(self, path: Path | None) -> None:
        self._reader = None
        if path is not None:
            import maxminddb

            self._reader = maxminddb.open_database(str(path))
        self._cache: dict[str, GeoInfo] = {}

    def lookup(self, ip: str) -> GeoInfo:
        if self._reader is None:
            return UNKNOWN_GEO
        key = network_key(ip)
        if key is None:
            return UNKNOWN_GEO
        hit = self._cache.get(key)
        if hit is None:
            hit = self._cache[key] = self._read(ip)
        return hit

    def _read(self, ip: str) -> GeoInfo:
        try:
            record = self._reader.get(ip)
        except ValueError:
            return UNKNOWN_GEO
        if not isinstance(record, dict):
            return UNKNOWN_GEO
        country = (record.get("country") or record.get("registered_country") or {}).get("iso_code")
        subs = record.get("subdivisions") or []
        sub = subs[0] if subs else {}
        sub_code = f"{country}-{sub['iso_code']}" if country and sub.get("iso_code") else None
        names = sub.get("names") or {}
        city = ((record.get("city") or {}).get("names") or {}).get("en")
        return GeoInfo(country, sub_code, names.get("en"), city)

    def close(self) -> None:
        if self._reader is not None:
            self._reader.close()


def network_key(ip: str) -> str | None:
    """The /24 (IPv4) or /48 (IPv6) network of an address, as text; None when it is not an address."""
    try:
        addr = ipaddress.ip_address(ip)
    except ValueError:
        return None
    if addr.version == 4:
        return str(ipaddress.ip_network(f"{addr}/24", strict=False))
    return str(ipaddress.ip_network(f"{addr}/48", strict=False))
