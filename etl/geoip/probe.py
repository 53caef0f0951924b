"""How much of the address space two GeoIP databases place alike: the update's check for a drop in coverage.

The warehouse keeps no IP address and no network (only the country and region each request was given), so the
day's own requests cannot be looked up again in a new database. The check looks up a fixed grid of addresses
instead, one per IPv4 /16 and one per IPv6 /20 of global unicast space (2000::/3), in the database in use and in
the new one. Grid addresses are grouped by the country the database in use gives them; each country's share of
grid addresses the new database still places (country, region) is weighed by that country's share of the last
loaded day's requests, or by its number of grid addresses when no day is loaded. So it estimates how much of the
day's traffic the new file would place, as far as the grid reaches a country's networks (networks smaller than
a grid step can fall between its addresses).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from etl.ingest.logs.enrich import place_of

DROP = 0.01  # a fall of a percentage point or more in estimated coverage is reported


def grid() -> Iterator[str]:
    """The probe addresses, always the same: the first address of every IPv4 /16 (a.b.0.0) and of every /20 in
    2000::/3 (its first hextet from 2000 to 3fff, the top four bits of the second one counting up)."""
    for a in range(256):
        for b in range(256):
            yield f"{a}.{b}.0.0"
    for first in range(0x2000, 0x4000):
        for top in range(16):
            yield f"{first:x}:{top << 12:x}::"


@dataclass
class _Tally:
    probes: int = 0
    region_before: int = 0
    country_after: int = 0
    region_after: int = 0
    same_country: int = 0


def tally(before: Path, after: Path, addresses: Iterator[str]) -> dict[str, _Tally]:
    """Per country of the database in use: the grid addresses it places there, and how the new one places them."""
    import maxminddb

    found: dict[str, _Tally] = {}
    with maxminddb.open_database(str(before)) as old, maxminddb.open_database(str(after)) as new:
        for ip in addresses:
            was = place_of(old.get(ip))
            if was.country is None:
                continue
            now = place_of(new.get(ip))
            counts = found.setdefault(was.country, _Tally())
            counts.probes += 1
            counts.region_before += was.region is not None
            counts.country_after += now.country is not None
            counts.region_after += now.region is not None
            counts.same_country += now.country == was.country
    return found


def compare(before: Path, after: Path, requests: Mapping[str, int] | None = None) -> dict[str, Any]:
    """Estimated coverage of the database in use (``before``) and the new one (``after``), and whether it dropped.

    ``requests``: the last loaded day's requests per country; without them each country counts by its grid
    addresses."""
    counts = tally(before, after, grid())
    weights = {c: n for c, n in requests.items() if n} if requests else {c: t.probes for c, t in counts.items()}
    reached = [c for c in weights if c in counts]
    total = sum(weights[c] for c in reached)

    def share(field: str) -> float | None:
        if not total:
            return None
        return round(sum(weights[c] * getattr(counts[c], field) / counts[c].probes for c in reached) / total, 4)

    country = {"before": 1.0 if total else None, "after": share("country_after")}
    region = {"before": share("region_before"), "after": share("region_after")}
    dropped = [
        name
        for name, pair in (("country", country), ("region", region))
        if pair["before"] is not None and pair["after"] is not None and pair["after"] <= pair["before"] - DROP
    ]
    return {
        "weighted_by": "requests" if requests else "grid addresses",
        "grid_addresses_placed": sum(t.probes for t in counts.values()),
        "share_reached": round(total / sum(weights.values()), 4) if weights else None,
        "country": country,
        "region": region,
        "same_country": share("same_country"),
        "dropped": dropped,
    }
