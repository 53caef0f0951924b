"""vcar overview and vcar digest: each role's summary, as the Overview page draws it and as the morning e-mail."""

from __future__ import annotations

import datetime as dt
import json
from typing import Annotated

import typer

from etl.cli.common import JsonFlag, SiteFilter, as_of_day, checked_site, emit, with_warehouse
from etl.core import clock
from etl.core.errors import ConfigError, FieldError
from etl.core.words import cell, text_table


def digest(
    role: Annotated[str, typer.Option(help="compliance | manager | marketing")],
    to: Annotated[
        list[str] | None, typer.Option("--to", help="Send to this address (repeatable); default: the role's digest_to.")
    ] = None,
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="The digest of this day (YYYY-MM-DD); default today.")
    ] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Print the e-mail instead of sending it.")] = False,
    site: SiteFilter = None,
    as_json: JsonFlag = False,
) -> None:
    """E-mail a role its morning summary (plain text and HTML) through the smtp_* settings."""
    from etl.reporting.digest import build, recipients, send

    cfg = with_warehouse()  # an all-clear from a new empty warehouse would be a lie
    role = role.lower()
    day = as_of_day(as_of, cfg)
    if day > clock.today(cfg.tz):
        raise FieldError("as_of", f"{day} is in the future: a digest tells what has happened")
    addresses = recipients(cfg, role, to) if to or not dry_run else []
    mail = build(cfg, role, day, clock.local_now(cfg.tz), checked_site(site, cfg))
    if dry_run:
        if as_json:
            typer.echo(json.dumps(mail.as_dict() | {"sent": False, "text": mail.text(), "html": mail.html()},
                                  ensure_ascii=False))
        else:
            typer.echo(f"Subject: [vcar] {mail.subject}\n\n{mail.text()}", nl=False)
        return
    server = send(cfg, mail, addresses)
    from etl.compliance import audit

    audit.record(cfg, audit.cli_actor(), "digest.sent", role, {"as_of": day.isoformat(), "recipients": len(addresses)})
    emit(mail.as_dict() | {"sent": True, "recipients": len(addresses)}, as_json,
         f"{role} digest of {day} sent to {len(addresses)} recipients through {server}")


def _json_value(value: object) -> str:
    """Dates and times as ISO 8601 (times with their offset); anything else as text."""
    return value.isoformat() if isinstance(value, dt.date) else str(value)


def overview(
    role: Annotated[str, typer.Option(help="marketing | manager | compliance | admin")],
    site: SiteFilter = None,
    as_json: JsonFlag = False,
) -> None:
    """The dashboard's Overview of a role as of now: the same tiles and tables, and how fresh the data is."""
    from etl.core.roles import ROLES
    from etl.reporting.overview import overview as build

    role = role.lower()  # typed in any case, as filter values are
    if role not in ROLES:
        raise ConfigError(f"--role: {role!r} is not one of {', '.join(ROLES)}")
    cfg = with_warehouse()
    shown = build(cfg, role, clock.now(), checked_site(site, cfg))
    if as_json:
        typer.echo(json.dumps(shown, ensure_ascii=False, default=_json_value))
        return
    fresh = shown["freshness"]
    lines = [f"Last log line: {fresh['last_log_line']}. Last load: {fresh['last_load']}.", *fresh["warnings"]]
    for section in shown["sections"]:
        lines += ["", section["title"], "-" * len(section["title"])]
        lines += [f"{tile['label']}: {tile['value']}" + (f" ({tile['delta']})" if tile["delta"] else "")
                  for row in section["tiles"] for tile in row]
        lines += [section["note"]] if section["note"] else []
        for table in section["tables"]:
            lines += ["", f"{table['title']}:"]
            rows = [[cell(v, cfg) for v in r.values()] for r in table["rows"]]
            lines += [f"  {line}" for line in text_table(list(table["rows"][0]), rows)] if rows else ["  none"]
    typer.echo("\n".join(lines))
