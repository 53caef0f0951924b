"""vcar geoip: the GeoIP database's age and coverage, and its update."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from etl.cli.common import JsonFlag, as_of_day, emit, settings

geoip_app = typer.Typer(help="The GeoIP database: its age and coverage, and its update.", no_args_is_help=True)


@geoip_app.command("status")
def geoip_status(
    as_of: Annotated[str | None, typer.Option("--as-of", help="Age and last day as of this day (YYYY-MM-DD).")] = None,
    as_json: JsonFlag = False,
) -> None:
    """The database in use: type, build date, age, and how much of the last loaded day it placed."""
    from etl.geoip.database import status, status_text

    cfg = settings()
    result = status(cfg, as_of_day(as_of, cfg))
    emit(result, as_json, status_text(result))


@geoip_app.command("update")
def geoip_update(
    out: Annotated[Path | None, typer.Option(help="Write the database here instead of geoip_db.")] = None,
    as_of: Annotated[str | None, typer.Option("--as-of", help="The day the URL's {year} and {month} are of.")] = None,
    as_json: JsonFlag = False,
) -> None:
    """Download geoip_update_url, check its checksum and type, and swap it in; the old file stays on any failure."""
    from etl.geoip.update import update, update_text

    cfg = settings()
    result = update(cfg, as_of_day(as_of, cfg), out)
    emit(result, as_json, update_text(result))
