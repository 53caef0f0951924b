"""What the gazetteer misses: the share of inquiries left ``unknown`` per country and form field, and the place
names typed most often that could not be placed, so the team sees what to add or ask customers to type."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import queries
from etl.core import warehouse
from etl.core.places import division_name, region_name
from etl.core.settings import Settings


@dataclass(frozen=True)
class UnplacedShare:
    country: str  # ISO 3166-1 or "unknown"
    field: str  # province_city | district
    inquiries: int  # with that field to place
    unplaced: int
    unplaced_share: float  # 0..1


@dataclass(frozen=True)
class UnplacedValue:
    field: str  # country | province_city | district
    issue: str  # unknown_region, ambiguous_region, region_mismatch, unknown_district, ...
    country: str
    typed: str  # as typed, at most 40 characters
    candidates: str | None  # for an ambiguous name: the places it could be, with names
    rows: int


@dataclass(frozen=True)
class PlaceQuality:
    shares: list[UnplacedShare]
    unplaced: list[UnplacedValue]


def place_quality(cfg: Settings, start: dt.date, end: dt.date, *, country: str | None = None,
                  limit: int = 15) -> PlaceQuality:
    """What the gazetteer missed from ``start`` to ``end``, of one ``country`` (None: all). No region filter: the
    rows it speaks of have no known region."""
    with warehouse.read(cfg.warehouse) as con:
        shares = queries.rows(con, "inquiries/unknown_share.sql", start=start, end=end, country=country)
        unplaced = queries.rows(con, "inquiries/unplaced_values.sql", limit=limit, country=country)
    return PlaceQuality(
        [UnplacedShare(**row) for row in shares],
        [
            UnplacedValue(
                row["field"], row["issue"], row["country"], row["raw_value"], _named(row["candidates"]), row["rows"]
            )
            for row in unplaced
        ],
    )


def _named(candidates: str | None) -> str | None:
    """'CN-BJ,CN-JL' -> 'CN-BJ Beijing Shi, CN-JL Jilin Sheng'; adcodes get their Chinese names."""
    if not candidates:
        return None
    named = []
    for code in candidates.split(","):
        name = division_name(code) if code.isdigit() else region_name(code) if "-" in code else None
        named.append(f"{code} {name}" if name else code)
    return ", ".join(named)
