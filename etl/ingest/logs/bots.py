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
the same agents. Where the lists and the public test data disagree, ``etl.ingest.logs.agent_classes`` decides: its bot
rows are asked before the lists, its people rows (a person in an in-app browser, a desktop app, a TV, a phone
whose model name looks like a bot's) cancel a list's match. Every user agent is classified once ever, so none of
this runs per request.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib.metadata import version
from pathlib import Path
from typing import Any

import polars as pl

from etl.ingest.logs.agent_classes import bot_rows, people_pattern

# Matomo "libraries" that fetch for a person (media playback, an app's in-app page), not for a program.
PEOPLE_LIBRARIES = {"Safari View Service", "Apple Core Media", "Android License Verification Library", "gvfs",
                    "GStreamer", "KaiOS Downloader", "Electron Fetch", "Emacs"}
MATOMO_GUARD = r"(?:^|[^A-Z0-9_-]|[^A-Z0-9-]_|sprd-|MZ-)(?:{})"
# Requests that carry an attack in the user agent are never a person's browser.
ATTACK = (
    r"(?i)(?:\bunion\b.{0,40}\bselect\b|\bor\b\s+\d+\s*=\s*\d+|\bsleep\(\s*\d+\s*\)|\$\{jndi:|<script|\bbenchmark\()"
)


@dataclass(frozen=True)
class Source:
    """One list, split by what each pattern needs: plain words go to one Aho-Corasick pass (most of every list),
    other patterns to one native regex alternation, look-around patterns to the ``regex`` module."""

    reason: str  # the bot_reason it gives
    package: str  # the distribution that keeps it
    literals: tuple[str, ...]  # plain words, matched case-insensitively anywhere
    native: str | None  # one alternation for polars' (Rust) regex engine
    fallback: tuple[str, ...]  # patterns with look-around, for the regex module
    guard: str = "{}"  # how the list's own matcher wraps a pattern (Matomo: a word boundary before it)
    exclusions: str | None = None  # cut out of the agent before matching (CrawlerDetect's own design)
    ignore_case: bool = True  # as the list's own matcher does (crawler-user-agents' patterns are case-sensitive)

    @property
    def version(self) -> str:
        return version(self.package)


# What the native (Rust) engine lacks: look-ahead, look-behind and back-references.
_LOOK_AROUND = re.compile(r"\(\?<?[=!]|\\[1-9]")
_REGEX_SYNTAX = re.compile(r"[\\^$.|?*+()\[\]{}]")


def _alternation(patterns: list[str] | tuple[str, ...], guard: str = "{}", ignore_case: bool = True) -> str | None:
    flags = "(?i)" if ignore_case else ""
    return flags + "|".join(f"(?:{guard.format(p)})" for p in patterns) if patterns else None


def _source(reason: str, package: str, patterns: list[str], guard: str = "{}", exclusions: str | None = None,
            ignore_case: bool = True) -> Source:
    literals = tuple(p for p in patterns if not _REGEX_SYNTAX.search(p))
    regexes = [p for p in patterns if _REGEX_SYNTAX.search(p) and not _LOOK_AROUND.search(p)]
    fallback = tuple(guard.format(p) for p in patterns if _LOOK_AROUND.search(p))
    native = _alternation(regexes, guard, ignore_case)
    return Source(reason, package, literals, native, fallback, guard, exclusions, ignore_case)


@cache
def sources() -> tuple[Source, ...]:
    from crawlerdetect.providers.crawlers import data as crawlerdetect_patterns
    from crawlerdetect.providers.exclusions import data as crawlerdetect_exclusions
    from crawleruseragents import CRAWLER_USER_AGENTS_DATA

    return (
        _source(
            "crawler_list",
            "crawler-user-agents",
            [entry["pattern"] for entry in CRAWLER_USER_AGENTS_DATA],
            ignore_case=False,
        ),
        _source(
            "crawlerdetect",
            "crawlerdetect",
            list(crawlerdetect_patterns),
            exclusions=_alternation(list(crawlerdetect_exclusions)),
        ),
        _source("device_detector", "device-detector", _matomo("bots.yml"), MATOMO_GUARD),
        _source("feed_reader", "device-detector", _matomo("client/feed_readers.yml"), MATOMO_GUARD),
        _source("http_library", "device-detector", _matomo("client/libraries.yml"), MATOMO_GUARD),
    )


def _matomo(name: str) -> list[str]:
    """The patterns of one of Matomo Device Detector's lists, as the installed package ships them."""
    import device_detector
    import yaml_rs

    path = Path(device_detector.__file__).parent / "regexes" / "upstream" / name
    entries: list[dict[str, Any]] = yaml_rs.loads(path.read_text(encoding="utf-8"))  # type: ignore[assignment]
    return [entry["regex"] for entry in entries if entry.get("name") not in PEOPLE_LIBRARIES]


@cache
def _fallback(patterns: tuple[str, ...]):
    import regex

    # only case-insensitive lists have look-around patterns (crawler-user-agents has none)
    return regex.compile("|".join(f"(?:{p})" for p in patterns), regex.IGNORECASE) if patterns else None


def _confirm(text: pl.Series, candidates: pl.Series, check) -> pl.Series:
    """``check`` (a Series -> bool Series, or a compiled ``regex``) run only on the candidate agents."""
    rows = candidates.arg_true()
    if rows.len() == 0:
        return candidates
    subset = text.gather(rows)
    if callable(getattr(check, "search", None)):
        # the few look-around patterns: a plain Python loop over the candidate strings (not a polars callback:
        # nothing runs on polars' thread pool)
        verdicts = pl.Series([bool(check.search(t or "")) for t in subset.to_list()], dtype=pl.Boolean)
    else:
        verdicts = check(subset)
    return pl.Series([False] * text.len(), dtype=pl.Boolean).scatter(rows, verdicts)


def _matches(source: Source, agents: pl.Series) -> pl.Series:
    text = agents.str.replace_all(source.exclusions, "") if source.exclusions else agents
    hits = pl.Series([False] * text.len(), dtype=pl.Boolean)
    if source.literals:
        found = text.str.contains_any(list(source.literals), ascii_case_insensitive=source.ignore_case)
        found = found.fill_null(False)
        if source.guard != "{}":  # a plain word still has to stand where the list's guard says
            guarded = _alternation(source.literals, source.guard, source.ignore_case)
            found = _confirm(text, found, lambda subset: subset.str.contains(guarded).fill_null(False))
        hits = hits | found
    if source.native:
        hits = hits | text.str.contains(source.native).fill_null(False)
    compiled = _fallback(source.fallback)
    if compiled is not None:
        # look-around patterns only where a native superset (the same patterns without their look-arounds,
        # which can only match more) matches and nothing else did
        loose = _alternation([_LOOSE.sub("", p) for p in source.fallback], ignore_case=source.ignore_case) or "^$"
        try:
            maybe = text.str.contains(loose).fill_null(False) & ~hits
        except pl.exceptions.PolarsError:
            maybe = ~hits
        hits = hits | _confirm(text, maybe, compiled)
    return hits


# A look-around group with at most one level of parentheses inside.
_LOOSE = re.compile(r"\(\?<?[=!](?:[^()]|\([^()]*\))*\)")


def listed_by(agents: list[str]) -> list[str | None]:
    """For each user agent, the reason of the first source that lists it as a bot (None: no source does, or a
    people row of ``etl.ingest.logs.agent_classes`` says it is a person). An attack in the agent is reason
    ``attack_signature``; a bot row of the table gives its kind (``tool``, ``monitor``, ``link_preview``, ...)."""
    if not agents:
        return []
    series = pl.Series(agents, dtype=pl.String)
    reasons = pl.Series([None] * len(agents), dtype=pl.String)

    def first(reasons: pl.Series, hit: pl.Series, reason: str) -> pl.Series:
        return pl.select(pl.when(reasons.is_null() & hit).then(pl.lit(reason)).otherwise(reasons)).to_series()

    reasons = first(reasons, series.str.contains(ATTACK).fill_null(False), "attack_signature")
    for row in bot_rows():
        reasons = first(reasons, series.str.contains(row.pattern).fill_null(False), row.kind)
    person = series.str.contains(people_pattern()).fill_null(False)
    for source in sources():
        reasons = first(reasons, _matches(source, series) & ~person, source.reason)
    return reasons.to_list()
