"""The GeoIP database in use: its type, build date and age, the attribution its licence asks for, and how much
of the last loaded day it placed (read from the warehouse: requests and visitors with a known country or region).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import queries
from etl.core import warehouse
from etl.core.errors import ConfigError, InputError
from etl.core.metrics import ratio
from etl.core.settings import Settings

MAX_AGE_DAYS = 183  # six months: places drift (networks move between towns and providers) beyond that
KINDS = ("City", "Country")  # what geoip2 answers: a database type names one of them (GeoLite2-City, DBIP-City-Lite)
DBIP_ATTRIBUTION = "IP Geolocation by DB-IP (https://db-ip.com), licensed under CC BY 4.0"


@dataclass(frozen=True)
class Database:
    path: Path
    database_type: str
    description: str
    built: dt.date

    @property
    def kind(self) -> str | None:
        """City or Country (a City database also answers countries); None for a type geoip2 cannot read places
        from (ASN, ISP, Anonymous-IP)."""
        return next((kind for kind in KINDS if kind in self.database_type), None)

    @property
    def attribution(self) -> str | None:
        """The credit DB-IP's free databases require wherever their results are shown (CC BY 4.0); MaxMind's
        GeoLite2 asks for none on reports."""
        words = f"{self.database_type} {self.description}".lower()
        return DBIP_ATTRIBUTION if "dbip" in words or "db-ip" in words else None


def describe(path: Path) -> Database:
    """What the .mmdb at ``path`` says of itself (its metadata); InputError when it is no MaxMind database."""
    import maxminddb

    try:
        with maxminddb.open_database(str(path)) as reader:
            meta = reader.metadata()
    except (maxminddb.InvalidDatabaseError, OSError, ValueError):
        raise InputError(f"{path}: not a MaxMind database (.mmdb)") from None
    names = meta.description if isinstance(meta.description, dict) else {}
    description = names.get("en") or next(iter(names.values()), "")
    return Database(path, str(meta.database_type), str(description),
                    dt.datetime.fromtimestamp(meta.build_epoch, dt.UTC).date())


def in_use(cfg: Settings) -> Database:
    """The configured database; ConfigError when there is none."""
    if cfg.geoip_db is None:
        raise ConfigError("setting geoip_db (VCAR_GEOIP_DB) is not set, so no GeoIP database is in use; download "
                          "one with vcar geoip update --out PATH and point the setting at it")
    return describe(cfg.geoip_db)


def attribution(cfg: Settings) -> str | None:
    """The attribution to show beside places from the configured database (None when it needs none)."""
    if cfg.geoip_db is None or not cfg.geoip_db.is_file():
        return None
    return _attribution(cfg.geoip_db, cfg.geoip_db.stat().st_mtime_ns)


@lru_cache(maxsize=8)
def _attribution(path: Path, _mtime_ns: int) -> str | None:
    """Read once per file version: an update swaps a new file in under the same name."""
    return describe(path).attribution


def last_day_coverage(cfg: Settings, today: dt.date) -> dict[str, Any] | None:
    """The share of the last loaded day's requests and visitors whose country, and whose region, GeoIP knew;
    None without a warehouse or a day in it (nothing is created to answer)."""
    if not cfg.warehouse.exists():
        return None
    with warehouse.read(cfg.warehouse) as con:
        row = queries.rows(con, "geoip/coverage.sql", today=today)[0]
    if row["day"] is None:
        return None
    return {
        "day": row["day"].isoformat(),
        "requests": int(row["requests"]),
        "visitors": int(row["visitors"]),
        "country": {"requests": ratio(row["requests_country"], row["requests"]),
                    "visitors": ratio(row["visitors_country"], row["visitors"])},
        "region": {"requests": ratio(row["requests_region"], row["requests"]),
                   "visitors": ratio(row["visitors_region"], row["visitors"])},
    }


def requests_by_country(cfg: Settings, day: dt.date) -> dict[str, int]:
    """The requests of ``day`` per country GeoIP gave them (the update's check weighs countries by them)."""
    with warehouse.read(cfg.warehouse) as con:
        return {r["country"]: int(r["requests"]) for r in queries.rows(con, "geoip/requests_by_country.sql", day=day)}


def status(cfg: Settings, today: dt.date) -> dict[str, Any]:
    """``vcar geoip status``: the database in use, its age on ``today``, and the last loaded day's coverage."""
    db = in_use(cfg)
    age = (today - db.built).days
    return {
        "file": str(db.path),
        "database_type": db.database_type,
        "description": db.description,
        "build_date": db.built.isoformat(),
        "age_days": age,
        "stale": age > MAX_AGE_DAYS,
        "attribution": db.attribution,
        "coverage": last_day_coverage(cfg, today),
    }


def status_text(result: dict[str, Any]) -> str:
    """The status in words, for people."""
    lines = [f"{result['file']}: {result['database_type']}, built {result['build_date']}, {result['age_days']:,} "
             f"days old" + (" (over six months: run vcar geoip update)" if result["stale"] else "")]
    cover = result["coverage"]
    if cover is None:
        lines.append("coverage: no loaded day in the warehouse yet")
    else:
        lines.append(f"coverage of {cover['day']} ({cover['requests']:,} requests, {cover['visitors']:,} visitors): "
                     f"country known for {_share(cover['country']['requests'])} of requests and "
                     f"{_share(cover['country']['visitors'])} of visitors, region for "
                     f"{_share(cover['region']['requests'])} and {_share(cover['region']['visitors'])}")
    if result["attribution"]:
        lines.append(result["attribution"])
    return "\n".join(lines)


def _share(value: float | None) -> str:
    return "–" if value is None else f"{value:.1%}"
