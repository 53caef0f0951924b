"""Real user agents from public test data, by source and by what they are: crawlers, monitors and fetchers on
one side, people's browsers and in-app browsers on the other.

Matomo's fixtures and crawler-user-agents' instances are read from the installed packages; CrawlerDetect's test
data and the in-app browsers are small files in tests/data/user_agents/. tests/data/README.md names every source,
commit and licence. Used by tests/ingest/test_bots.py and benchmarks/bot_accuracy.py (so it lives here, which
both may import).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from etl.ingest.logs.bots import PEOPLE_LIBRARIES

DATA = Path(__file__).resolve().parents[1] / "tests" / "data" / "user_agents"
# Matomo client types that are automated fetchers, not a person's browser.
AUTOMATED_CLIENTS = {"library", "feed reader"}
# Matomo client types that are a person: browsers and apps with an in-app browser (a shared link opened in them).
PEOPLE_CLIENTS = {"browser", "mobile app"}
# CrawlerDetect's categories kept here, each a kind of automated client.
CATEGORIES = {"monitors": "monitoring", "feed fetchers": "feed", "HTTP libraries": "http-library",
              "security scanners": "security", "AI agents' fetchers": "ai-user", "link previews": "social"}


def _matomo_fixtures() -> list[dict]:
    import device_detector
    import yaml_rs

    folder = Path(device_detector.__file__).parent / "tests" / "fixtures" / "upstream"
    rows: list[dict] = []
    for path in sorted(folder.glob("*.yml")):
        rows.extend(row for row in yaml_rs.loads(path.read_text(encoding="utf-8")) if isinstance(row, dict))
    return rows


def _lines(name: str) -> list[str]:
    return (DATA / name).read_text(encoding="utf-8").splitlines()


def in_app(kind: str) -> list[str]:
    """The in-app collection's agents of one class (``people`` or ``link_preview``)."""
    rows = [line.split("\t") for line in _lines("in-app-browsers.tsv")[1:]]
    return _distinct([ua for cls, _app, _source, ua in rows if cls == kind])


@cache
def crawlers() -> dict[str, list[str]]:
    """Crawler, monitor, fetcher, link-preview and HTTP-client user agents, by the source that holds them."""
    from crawleruseragents import CRAWLER_USER_AGENTS_DATA

    matomo = [r["user_agent"] for r in _matomo_fixtures() if "bot" in r]
    matomo += [r["user_agent"] for r in _matomo_fixtures() if _client(r)[0] in AUTOMATED_CLIENTS
               and _client(r)[1] not in PEOPLE_LIBRARIES]
    listed = [ua for entry in CRAWLER_USER_AGENTS_DATA for ua in entry.get("instances", [])]
    sets = {"device-detector": _distinct(matomo), "crawler-user-agents": _distinct(listed),
            "crawlerdetect": _distinct(_lines("crawlerdetect-crawlers.txt"))}
    sets |= {
        f"crawlerdetect {kind}": _distinct(_lines(f"crawlerdetect-{name}.txt")) for kind, name in CATEGORIES.items()
    }
    sets["in-app collection: link previews"] = in_app("link_preview")
    return sets


@cache
def browsers(every: int = 7) -> dict[str, list[str]]:
    """Browser and in-app-browser user agents by source (every ``every``-th of Matomo's, so the test stays quick)."""
    people = [r["user_agent"] for r in _matomo_fixtures() if "bot" not in r and (
        _client(r)[0] in PEOPLE_CLIENTS or _client(r)[1] in PEOPLE_LIBRARIES)]
    devices = _distinct(_lines("crawlerdetect-devices.txt"))
    return {"device-detector": _distinct(people)[::every], "crawlerdetect": devices,
            "in-app collection: people": in_app("people")}


def _client(row: dict) -> tuple[str | None, str | None]:
    client = row.get("client")
    return (client.get("type"), client.get("name")) if isinstance(client, dict) else (None, None)


def _distinct(uas: list[str]) -> list[str]:
    return list(dict.fromkeys(ua for ua in uas if ua and ua.strip()))
