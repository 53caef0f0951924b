"""Real user agents from the public test data of the bot-detection sources, split into crawlers and browsers.

Read from the installed packages (nothing copied into this repository); tests/data/README.md names the sources,
versions and licences. Used by tests/test_bots.py and benchmarks/bot_accuracy.py.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from etl.logs.bots import PEOPLE_LIBRARIES

# Matomo client types that are automated fetchers, not a person's browser.
AUTOMATED_CLIENTS = {"library", "feed reader"}
# Matomo client types that are a person: browsers and apps with an in-app browser (a shared link opened in them).
PEOPLE_CLIENTS = {"browser", "mobile app"}


def _matomo_fixtures() -> list[dict]:
    import device_detector
    import yaml_rs

    folder = Path(device_detector.__file__).parent / "tests" / "fixtures" / "upstream"
    rows: list[dict] = []
    for path in sorted(folder.glob("*.yml")):
        rows.extend(row for row in yaml_rs.loads(path.read_text(encoding="utf-8")) if isinstance(row, dict))
    return rows


@cache
def crawlers() -> dict[str, list[str]]:
    """Crawler, monitor, fetcher and HTTP-client user agents, by the project whose test data holds them."""
    from crawleruseragents import CRAWLER_USER_AGENTS_DATA

    matomo = [r["user_agent"] for r in _matomo_fixtures() if "bot" in r]
    matomo += [r["user_agent"] for r in _matomo_fixtures() if _client(r)[0] in AUTOMATED_CLIENTS
               and _client(r)[1] not in PEOPLE_LIBRARIES]  # fmt: skip
    listed = [ua for entry in CRAWLER_USER_AGENTS_DATA for ua in entry.get("instances", [])]
    return {"device-detector": _distinct(matomo), "crawler-user-agents": _distinct(listed)}


@cache
def browsers(every: int = 7) -> list[str]:
    """Browser and in-app-browser user agents (every ``every``-th of Matomo's, so the test stays quick)."""
    people = [r["user_agent"] for r in _matomo_fixtures() if "bot" not in r and (
        _client(r)[0] in PEOPLE_CLIENTS or _client(r)[1] in PEOPLE_LIBRARIES)]  # fmt: skip
    return _distinct(people)[::every]


def _client(row: dict) -> tuple[str | None, str | None]:
    client = row.get("client")
    return (client.get("type"), client.get("name")) if isinstance(client, dict) else (None, None)


def _distinct(uas: list[str]) -> list[str]:
    return list(dict.fromkeys(ua for ua in uas if ua and ua.strip()))
