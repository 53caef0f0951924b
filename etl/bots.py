"""Bots by user agent, from maintained lists: each list is a dependency, checked in native regex passes.

Sources, in the order they are asked (the first that matches names the ``bot_reason``):

- ``crawler_list``: the crawler-user-agents project's list (package ``crawler-user-agents``);
- ``crawlerdetect``: CrawlerDetect's crawler patterns, after its own exclusions are cut out of the agent
  (package ``crawlerdetect``, the Python port of JayBizzle/Crawler-Detect);
- ``device_detector``: Matomo Device Detector's bot list, with Matomo's own word-boundary guard (package
  ``device-detector``, the Python port of matomo-org/device-detector);
- ``feed_reader`` and ``http_library``: the same project's feed readers (they poll feeds on their own) and
  HTTP client libraries (scripts, health checks, scanners), less the few libraries that play media or open pages
  inside a person's app (``PEOPLE_LIBRARIES``).

A few patterns use look-around, which the native (Rust) engine lacks: those run in the ``regex`` module, over
the same agents. ``EXCEPTIONS`` keeps a person's in-app browser or desktop app from being counted as a bot when
a list matches one of its tokens; README's bot section lists them. Every user agent is classified once ever, so
none of this runs per request.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib.metadata import version
from pathlib import Path

import polars as pl

# In-app browsers and desktop apps that the lists match by a single token, while a person is reading.
EXCEPTIONS = {
    "Facebook in-app browser": r"\b(?:FBAN|FBAV|FB_IAB|FBIOS)/",
    "Instagram in-app browser": r"\bInstagram \d",
    "TikTok in-app browser": r"\bTikTok \d|\bmusical_ly_|\bBytedanceWebview/",
    "Viber": r"\bViber/\d",
    "Slack app (Slackbot stays a bot)": r"\bSlack/\d",
    "VS Code desktop": r"\bCode/\d[\d.]* .*Electron/",
    "Microsoft Office apps (a link clicked in a document)": (
        r"\bMicrosoft Office (?:Word|Excel|PowerPoint|OneNote|Outlook)/"
    ),
    "Google Go search app": r"\bcom\.google\.android\.apps\.searchlite/",
    "Yandex search browser": r"\bYaSearchBrowser/",
    "Android build ids (AP3A..., a device build, not a bot)": r"Build/AP\dA\.\d+",
}
# Matomo "libraries" that fetch for a person (media playback, an app's in-app page), not for a program.
PEOPLE_LIBRARIES = {"Safari View Service", "Apple Core Media", "Android License Verification Library", "gvfs",
                    "GStreamer", "KaiOS Downloader", "Electron Fetch", "Emacs"}  # fmt: skip
MATOMO_GUARD = r"(?:^|[^A-Z0-9_-]|[^A-Z0-9-]_|sprd-|MZ-)(?:{})"
# Requests that carry an attack in the user agent are never a person's browser.
ATTACK = (
    r"(?i)(?:\bunion\b.{0,40}\bselect\b|\bor\b\s+\d+\s*=\s*\d+|\bsleep\(\s*\d+\s*\)|\$\{jndi:|<script|\bbenchmark\()"
)


@dataclass(frozen=True)
class Source:
    reason: str  # the bot_reason it gives
    package: str  # the distribution that keeps it
    native: str  # one alternation for polars' regex engine
    fallback: tuple[str, ...]  # patterns with look-around, for the regex module
    exclusions: str | None = None  # cut out of the agent before matching (CrawlerDetect's own design)

    @property
    def version(self) -> str:
        return version(self.package)


def _native_ok(pattern: str) -> bool:
    try:
        pl.Series(["x"]).str.contains(pattern)
    except pl.exceptions.PolarsError:
        return False
    return True


def _split(patterns: list[str], wrap: str = "{}") -> tuple[str, tuple[str, ...]]:
    native = [wrap.format(p) for p in patterns if _native_ok("(?i)" + wrap.format(p))]
    fallback = tuple(wrap.format(p) for p in patterns if not _native_ok("(?i)" + wrap.format(p)))
    return "(?i)" + "|".join(f"(?:{p})" for p in native), fallback


@cache
def sources() -> tuple[Source, ...]:
    from crawlerdetect.providers.crawlers import data as crawlerdetect_patterns
    from crawlerdetect.providers.exclusions import data as crawlerdetect_exclusions
    from crawleruseragents import CRAWLER_USER_AGENTS_DATA

    listed = "|".join(f"(?:{entry['pattern']})" for entry in CRAWLER_USER_AGENTS_DATA)
    return (
        Source("crawler_list", "crawler-user-agents", listed, ()),
        Source(
            "crawlerdetect",
            "crawlerdetect",
            *_split(list(crawlerdetect_patterns)),
            exclusions="(?i)" + "|".join(f"(?:{p})" for p in crawlerdetect_exclusions),
        ),  # fmt: skip
        Source("device_detector", "device-detector", *_split(_matomo("bots.yml"), MATOMO_GUARD)),
        Source("feed_reader", "device-detector", *_split(_matomo("client/feed_readers.yml"), MATOMO_GUARD)),
        Source("http_library", "device-detector", *_split(_matomo("client/libraries.yml"), MATOMO_GUARD)),
    )


def _matomo(name: str) -> list[str]:
    """The patterns of one of Matomo Device Detector's lists, as the installed package ships them."""
    import device_detector
    import yaml_rs

    path = Path(device_detector.__file__).parent / "regexes" / "upstream" / name
    entries = yaml_rs.loads(path.read_text(encoding="utf-8"))
    return [entry["regex"] for entry in entries if entry.get("name") not in PEOPLE_LIBRARIES]


@cache
def _fallback(patterns: tuple[str, ...]):
    import regex

    return regex.compile("|".join(f"(?:{p})" for p in patterns), regex.IGNORECASE) if patterns else None


def _matches(source: Source, agents: pl.Series) -> pl.Series:
    text = agents.str.replace_all(source.exclusions, "") if source.exclusions else agents
    hits = text.str.contains(source.native).fill_null(False)
    compiled = _fallback(source.fallback)
    if compiled is not None:
        # the few look-around patterns, for agents the native pass did not match (a Python loop over strings,
        # not a polars callback: nothing runs on polars' thread pool)
        extra = [
            not hit and bool(compiled.search(t or "")) for t, hit in zip(text.to_list(), hits.to_list(), strict=True)
        ]
        hits = hits | pl.Series(extra, dtype=pl.Boolean)
    return hits


def listed_by(agents: list[str]) -> list[str | None]:
    """For each user agent, the reason of the first source that lists it as a bot (None: no source does, or it
    is one of the ``EXCEPTIONS``). An attack in the agent is reason ``attack_signature``."""
    if not agents:
        return []
    series = pl.Series(agents, dtype=pl.String)
    excepted = series.str.contains("|".join(f"(?:{p})" for p in EXCEPTIONS.values())).fill_null(False)
    reasons = pl.Series([None] * len(agents), dtype=pl.String)
    attack = series.str.contains(ATTACK).fill_null(False)
    reasons = pl.select(pl.when(attack).then(pl.lit("attack_signature")).otherwise(reasons)).to_series()
    for source in sources():
        hit = _matches(source, series) & ~excepted
        reasons = pl.select(pl.when(reasons.is_null() & hit).then(pl.lit(source.reason)).otherwise(reasons)).to_series()
    return reasons.to_list()
