"""What every command shares: the --json flag, dates and filters as options, one line or one JSON document out,
the settings and the warehouse a report needs."""

from __future__ import annotations

import datetime as dt
import json
from typing import Annotated, Any

import typer

from etl.core import clock
from etl.core.errors import ConfigError, FieldError, InputError
from etl.core.settings import Settings, load_settings

JsonFlag = Annotated[bool, typer.Option("--json", help="Print one JSON document on stdout.")]

DateFrom = Annotated[str, typer.Option("--from", metavar="YYYY-MM-DD",
                                       help="First day (YYYY-MM-DD), in the reporting time zone.")]

DateTo = Annotated[str, typer.Option("--to", metavar="YYYY-MM-DD", help="Last day (YYYY-MM-DD), inclusive.")]


def _filter(key: str) -> Any:
    """A report's filter option, its help from the metric registry (etl/core/metrics.py)."""
    from etl.core.metrics import DIMENSION_BY_KEY

    shown = {"country": "NAME|CODE", "region": "NAME|CODE"}.get(key, key.upper())
    return typer.Option(metavar=shown, help=f"Only this {key}: {DIMENSION_BY_KEY[key].definition}.")


CountryFilter = Annotated[str | None, _filter("country")]

RegionFilter = Annotated[str | None, _filter("region")]

DeviceFilter = Annotated[str | None, _filter("device")]

BrowserFilter = Annotated[str | None, _filter("browser")]

SourceFilter = Annotated[str | None, _filter("source")]

PageFilter = Annotated[str | None, _filter("page")]

SiteFilter = Annotated[str | None, _filter("site")]


def say(message: str) -> None:
    """Human text: always stderr, so stdout stays one JSON document when --json is given."""
    typer.echo(message, err=True)


def emit(payload: dict[str, Any], as_json: bool, human: str) -> None:
    if as_json:
        typer.echo(json.dumps(payload, ensure_ascii=False, default=str))
    else:
        say(human)


def settings() -> Settings:
    return load_settings()


def parse_date(value: str, what: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ConfigError(f"{what}: {value!r} is not a date (YYYY-MM-DD)") from None


def window(date_from: str, date_to: str) -> tuple[dt.date, dt.date]:
    start, end = parse_date(date_from, "--from"), parse_date(date_to, "--to")
    if end < start:
        raise ConfigError("--to is before --from")
    return start, end


def with_warehouse() -> Settings:
    """The settings of a report, whose warehouse must exist: a mistyped path is told, not answered with zeros from
    a new empty warehouse."""
    cfg = settings()
    nearest = next((folder for folder in cfg.warehouse.parents if folder.exists()), None)
    if nearest is not None and not nearest.is_dir():  # a wrong setting, not data yet to load
        raise ConfigError(f"setting warehouse (VCAR_WAREHOUSE): {nearest} is a file, so {cfg.warehouse} cannot be "
                          "a warehouse in it")
    if not cfg.warehouse.exists():
        raise InputError(f"setting warehouse (VCAR_WAREHOUSE): no warehouse at {cfg.warehouse}; load data first "
                         "with vcar ingest logs PATH, or point the setting at the existing one")
    return cfg


def checked_filters(filters: dict[str, str | None]) -> dict[str, str | None]:
    """Report filters in the form they are stored (``cn-gd`` is ``CN-GD``), each checked against its dimension in
    the registry (FieldError, exit 2)."""
    from etl.core.metrics import check_filter, normalize_filter

    for key, value in filters.items():
        problem = check_filter(key, value)
        if problem:
            raise FieldError(key, problem)
    return {key: normalize_filter(key, value) for key, value in filters.items()}


def checked_site(site: str | None, cfg: Settings) -> str | None:
    """A --site as stored (a host name in lower case), or FieldError (exit 2) listing the known sites."""
    from etl.reporting.reports import known_sites

    if site is None or not site.strip():
        return None
    known = known_sites(cfg)
    name = site.strip().lower().rstrip(".")
    if name not in known:
        raise FieldError("site", f"{site!r} is not a known site; known: {', '.join(known)}")
    return name


def as_of_day(value: str | None, cfg: Settings) -> dt.date:
    return parse_date(value, "--as-of") if value else clock.today(cfg.tz)
